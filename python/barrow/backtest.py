"""Backtests: an order-level simulation from signals with vectorbt's rules,
parameter sweeps run in Rust, and the vectorized target-position backtest.

:func:`from_signals` gives the same fills, trade records and metrics as
``vectorbt.Portfolio.from_signals`` on the same inputs (its default modes);
:func:`sweep` runs a strategy template over a parameter grid and many
symbols in parallel and returns one Arrow row of metrics per (symbol,
combination); :func:`walk_forward` picks the best combination on a rolling
in-sample window and trades it out of sample. :func:`backtest` is the
vectorized backtest of a position series used by the model stage.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from ._convert import as_float64

__all__ = [
    "BacktestResult",
    "SimulationResult",
    "backtest",
    "from_signals",
    "from_targets",
    "sim_config",
    "sweep",
    "sweep_combinations",
    "sweep_spec",
    "walk_forward",
    "walk_forward_spec",
]

_DIRECTIONS = {"longonly": "long_only", "shortonly": "short_only", "both": "both"}
_SIZE_TYPES = {"amount": "amount", "value": "value", "percent": "percent"}
_EXECUTIONS = {"close": "close", "nextopen": "next_open"}
_STOP_ENTRY = {"close": "close", "price": "price", "fillprice": "fill_price"}
_STOP_EXIT = {"stop": "stop", "stoplimit": "stop", "stopmarket": "stop_market", "close": "close"}


def _choice(name: str, value: Any, options: Dict[str, str]) -> str:
    key = str(value).lower().replace("_", "").replace("-", "").replace(" ", "")
    if key not in options:
        raise ValueError(f"{name} = {value!r}: expected one of {sorted(set(options.values()))}")
    return options[key]


def sim_config(
    *,
    direction: str = "long_only",
    size: float = math.inf,
    size_type: str = "amount",
    init_cash: float = 100.0,
    fees: float = 0.0,
    fixed_fees: float = 0.0,
    slippage: float = 0.0,
    min_size: float = 1e-8,
    sl_stop: Optional[float] = None,
    sl_trail: bool = False,
    tp_stop: Optional[float] = None,
    stop_entry_price: str = "close",
    stop_exit_price: str = "stop",
    execution: str = "close",
    periods_per_year: float = 252.0,
) -> Dict[str, Any]:
    """The simulation settings as a JSON-ready dict (see :func:`from_signals`)."""

    def num(name: str, v: Any) -> Optional[float]:
        if v is None:
            return None
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a number, got {v!r}") from None
        return None if math.isnan(f) else f

    s = num("size", size)
    return {
        "direction": _choice("direction", direction, _DIRECTIONS),
        "size": "inf" if s is not None and math.isinf(s) and s > 0 else s,
        "size_type": _choice("size_type", size_type, _SIZE_TYPES),
        "init_cash": num("init_cash", init_cash),
        "fees": num("fees", fees),
        "fixed_fees": num("fixed_fees", fixed_fees),
        "slippage": num("slippage", slippage),
        "min_size": num("min_size", min_size),
        "sl_stop": num("sl_stop", sl_stop),
        "sl_trail": bool(sl_trail),
        "tp_stop": num("tp_stop", tp_stop),
        "stop_entry_price": _choice("stop_entry_price", stop_entry_price, _STOP_ENTRY),
        "stop_exit_price": _choice("stop_exit_price", stop_exit_price, _STOP_EXIT),
        "execution": _choice("execution", execution, _EXECUTIONS),
        "periods_per_year": num("periods_per_year", periods_per_year),
    }


@dataclass(frozen=True)
class SimulationResult:
    """Output of :func:`from_signals`.

    ``value`` (equity), ``cash``, ``position``, ``returns`` and ``drawdown``
    are per-bar numpy arrays; ``orders`` and ``trades`` are dicts of numpy
    arrays (one entry per order / trade; ``side`` 0 buy 1 sell, trade
    ``direction`` 0 long 1 short, ``closed`` False for a trade still open at
    the last bar); ``metrics`` holds total_return, cagr, annual_volatility,
    sharpe, sortino, calmar, max_drawdown, max_drawdown_duration, win_rate,
    profit_factor, expectancy, exposure, turnover, trades and orders."""

    value: np.ndarray
    cash: np.ndarray
    position: np.ndarray
    returns: np.ndarray
    drawdown: np.ndarray
    orders: Dict[str, np.ndarray]
    trades: Dict[str, np.ndarray]
    metrics: Dict[str, Any]


def _signal(x: Any, name: str) -> np.ndarray:
    if x is None:
        raise TypeError(f"from_signals: '{name}' is None; expected a 1-D boolean array")
    arr = _plain(x)
    arr = arr.to_numpy() if hasattr(arr, "to_numpy") and not isinstance(arr, np.ndarray) else np.asarray(arr)
    if arr.ndim != 1:
        raise ValueError(f"from_signals: '{name}' must be 1-dimensional, got shape {arr.shape}")
    if arr.dtype != np.bool_:
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"from_signals: '{name}' has dtype {arr.dtype}; expected booleans")
        if arr.dtype.kind == "f" and np.isnan(arr).any():
            raise ValueError(f"from_signals: '{name}' has a NaN at row {int(np.flatnonzero(np.isnan(arr))[0])}")
        arr = arr != 0
    return np.ascontiguousarray(arr)


def from_signals(
    close: Any,
    entries: Any,
    exits: Any,
    *,
    open: Any = None,
    high: Any = None,
    low: Any = None,
    **settings: Any,
) -> SimulationResult:
    """Simulates entry/exit signals over one instrument, order by order.

    Settings (keywords, vectorbt's names and defaults): ``direction``
    ("long_only", "short_only", "both": entries go long and exits go short),
    ``size`` (default inf: all the cash) and ``size_type`` ("amount" units,
    "value" in cash, "percent" of the cash), ``init_cash`` (100), ``fees``
    (proportional), ``fixed_fees`` (per order), ``slippage``, ``min_size``,
    ``sl_stop`` / ``tp_stop`` (fractions; ``sl_trail`` for a trailing stop),
    checked on each bar's ``high``/``low``, ``stop_entry_price`` ("close",
    "price", "fill_price"), ``stop_exit_price`` ("stop", "stop_market",
    "close"), ``execution`` ("close": fill at the signal bar's close;
    "next_open": at the next bar's open, which needs ``open``) and
    ``periods_per_year`` (252) for annualized metrics.
    """
    cfg = json.dumps(sim_config(**settings))
    c = as_float64(_plain(close), "close", "from_signals")
    opt = {
        k: (None if v is None else as_float64(_plain(v), k, "from_signals"))
        for k, v in (("open", open), ("high", high), ("low", low))
    }
    r = _native.simulate_signals(c, _signal(entries, "entries"), _signal(exits, "exits"), cfg, **opt)
    return SimulationResult(
        r["value"], r["cash"], r["position"], r["returns"], r["drawdown"], r["orders"], r["trades"], r["metrics"]
    )


def from_targets(
    close: Any,
    target: Any,
    *,
    kind: str = "percent",
    open: Any = None,
    high: Any = None,
    low: Any = None,
    direction: str = "both",
    **settings: Any,
) -> SimulationResult:
    """Simulates position targets, order by order (vectorbt's
    ``Portfolio.from_orders`` with a target size type).

    ``target[t]`` is the position wanted after bar ``t`` (NaN: no order):
    with ``kind="percent"`` a fraction of the portfolio value (a weight;
    negative is short), ``"value"`` a cash value, ``"amount"`` units. Each
    order moves the position to the target at the close of bar ``t``, or at
    the open of ``t + 1`` with ``execution="next_open"``; cash limits, fees
    and slippage as in :func:`from_signals` (whose settings apply, except
    ``size``/``size_type`` and stops). Same result type."""
    cfg = json.dumps(sim_config(direction=direction, **settings))
    c = as_float64(_plain(close), "close", "from_targets")
    t = as_float64(_plain(target), "target", "from_targets")
    opt = {
        k: (None if v is None else as_float64(_plain(v), k, "from_targets"))
        for k, v in (("open", open), ("high", high), ("low", low))
    }
    r = _native.simulate_targets(
        c, t, _choice("kind", kind, {"percent": "percent", "value": "value", "amount": "amount"}), cfg, **opt
    )
    return SimulationResult(
        r["value"], r["cash"], r["position"], r["returns"], r["drawdown"], r["orders"], r["trades"], r["metrics"]
    )


Grid = Union[Mapping[str, Iterable[float]], Sequence[Mapping[str, float]]]

#: Strategy templates and their own parameters (a grid may also vary
#: sl_stop, tp_stop, sl_trail, fees, fixed_fees and slippage).
TEMPLATES = {
    "ma_cross": ("fast", "slow"),
    "rsi": ("period", "lower", "upper"),
    "bbands": ("period", "nbdev"),
    "signals": (),
}


def sweep_combinations(strategy: str, grid: Grid) -> Tuple[List[str], List[List[float]]]:
    """Parameter names and one row per combination.

    A mapping of name -> values is expanded to its Cartesian product (for
    ``ma_cross``, pairs with ``fast >= slow`` are dropped); a list of dicts
    is taken as the combinations themselves."""
    if strategy not in TEMPLATES:
        raise ValueError(f"strategy = {strategy!r}: expected one of {sorted(TEMPLATES)}")
    if isinstance(grid, Mapping):
        names = [str(k) for k in grid]
        values = []
        for k in names:
            v = grid[k]
            v = [v] if isinstance(v, (int, float)) else [float(x) for x in v]
            if not v:
                raise ValueError(f"grid parameter '{k}' has no values")
            values.append(v)
        rows = [list(r) for r in itertools.product(*values)]
        if strategy == "ma_cross" and "fast" in names and "slow" in names:
            f, sl = names.index("fast"), names.index("slow")
            rows = [r for r in rows if r[f] < r[sl]]
    else:
        combos = list(grid)
        if not combos:
            raise ValueError("the grid has no combination")
        names = [str(k) for k in combos[0]]
        rows = []
        for i, c in enumerate(combos):
            if sorted(c) != sorted(names):
                raise ValueError(f"combination {i} has parameters {sorted(c)}; the first has {sorted(names)}")
            rows.append([float(c[k]) for k in names])
    if not rows:
        raise ValueError("the grid has no combination (for ma_cross, is some fast < slow?)")
    return names, rows


def _columns(
    symbol: str, close: str, open: str, high: str, low: str, entries: str, exits: str, timestamp: str
) -> Dict[str, str]:
    return {
        "symbol": symbol,
        "close": close,
        "open": open,
        "high": high,
        "low": low,
        "entries": entries,
        "exits": exits,
        "timestamp": timestamp,
    }


def sweep_spec(
    strategy: str,
    grid: Grid,
    *,
    symbol: str = "symbol",
    close: str = "close",
    open: str = "open",
    high: str = "high",
    low: str = "low",
    entries: str = "entries",
    exits: str = "exits",
    timestamp: str = "timestamp",
    **settings: Any,
) -> Dict[str, Any]:
    """The JSON-ready spec of a sweep (see :func:`sweep`); checked by the
    native module, which names any bad parameter."""
    names, rows = sweep_combinations(strategy, grid)
    spec = {
        "strategy": strategy,
        "params": names,
        "combos": rows,
        "sim": sim_config(**settings),
        "columns": _columns(symbol, close, open, high, low, entries, exits, timestamp),
    }
    return json.loads(_native.plan_sweep(json.dumps(spec))[0])


def walk_forward_spec(
    strategy: str,
    grid: Grid,
    *,
    train: int,
    test: int,
    step: Optional[int] = None,
    metric: str = "sharpe",
    maximize: bool = True,
    **options: Any,
) -> Dict[str, Any]:
    """The JSON-ready spec of a walk-forward run (see :func:`walk_forward`)."""
    for name, v in (("train", train), ("test", test), ("step", step)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 1):
            raise ValueError(f"{name} must be a positive whole number of bars, got {v!r}")
    spec = {
        "sweep": sweep_spec(strategy, grid, **options),
        "train": train,
        "test": test,
        "step": step,
        "metric": metric,
        "maximize": bool(maximize),
    }
    return json.loads(_native.plan_sweep(json.dumps(spec), True)[0])


def _table(data: Any) -> Any:
    from .table import _to_arrow

    return _to_arrow(data)


def sweep(data: Any, strategy: str, grid: Grid, **options: Any) -> Any:
    """Backtests a strategy template over a parameter grid and every symbol
    of ``data``, in parallel in Rust; returns a pyarrow Table with one row
    per (symbol, combination): symbol, the parameters, and the metrics of
    :func:`from_signals` (total_return, cagr, annual_volatility, sharpe,
    sortino, calmar, max_drawdown, max_drawdown_duration, win_rate,
    profit_factor, expectancy, exposure, turnover, trades, orders).

    ``data``: a pyarrow/polars/pandas table with a symbol column and close
    prices (open/high/low used when present), rows of a symbol contiguous
    and in time order. ``strategy``: "ma_cross" (fast, slow), "rsi"
    (period, lower, upper), "bbands" (period, nbdev) or "signals" (boolean
    ``entries``/``exits`` columns). ``grid``: name -> values (Cartesian
    product) or a list of dicts; it may also vary sl_stop, tp_stop,
    sl_trail, fees, fixed_fees and slippage. Other keywords: column names
    (symbol, close, open, high, low, entries, exits, and timestamp: when
    present, each symbol's timestamps must increase) and the settings of
    :func:`from_signals`. Indicators are computed once per distinct
    parameter value and symbol; no signal matrix is built.
    """
    import pyarrow as pa

    spec = sweep_spec(strategy, grid, **options)
    return pa.table(_native.sweep_table(json.dumps(spec), _table(data)))


def walk_forward(
    data: Any,
    strategy: str,
    grid: Grid,
    *,
    train: int,
    test: int,
    step: Optional[int] = None,
    metric: str = "sharpe",
    maximize: bool = True,
    **options: Any,
) -> Any:
    """Walk-forward optimization per symbol: on each window of ``train``
    bars every combination of ``grid`` is backtested, the one with the best
    ``metric`` (largest, or smallest with ``maximize=False``; NaN never
    wins) is then backtested on the next ``test`` bars, and the window moves
    on by ``step`` bars (default ``test``). Indicators are warmed up on all
    earlier bars; each window starts flat with the initial cash.

    Returns a pyarrow Table, one row per (symbol, window): window number,
    bar indices ``train_start``, ``train_end`` (= first test bar) and
    ``test_end`` (exclusive), the chosen parameters, ``train_<metric>``, and
    the out-of-sample metrics. Same options as :func:`sweep`."""
    import pyarrow as pa

    spec = walk_forward_spec(
        strategy, grid, train=train, test=test, step=step, metric=metric, maximize=maximize, **options
    )
    return pa.table(_native.walk_forward_table(json.dumps(spec), _table(data)))


@dataclass(frozen=True)
class BacktestResult:
    """Per-bar returns and equity of the strategy, and metrics of the strategy
    and of buy-and-hold (keys: total_return, cagr, annual_volatility, sharpe,
    max_drawdown, trades, exposure)."""

    returns: np.ndarray
    equity: np.ndarray
    strategy: Dict[str, Any]
    buy_and_hold: Dict[str, Any]


def backtest(close: Any, position: Any, fee: float = 0.0, periods_per_year: float = 252.0) -> BacktestResult:
    """Backtests ``position`` (fraction of equity; 1 long, 0 flat, -1 short)
    over ``close`` prices. Accepts numpy, pandas or pyarrow inputs.

    ``position[t]`` is decided at the close of bar ``t`` and held until
    ``t + 1``; each change costs ``fee * |change|`` of equity."""
    c = as_float64(_plain(close), "close", "backtest")
    p = as_float64(_plain(position), "position", "backtest")
    r = _native.backtest(c, p, float(fee), float(periods_per_year))
    return BacktestResult(r["returns"], r["equity"], r["strategy"], r["buy_and_hold"])


def _plain(x: Any) -> Any:
    if hasattr(x, "to_numpy") and type(x).__module__.startswith("pyarrow"):
        return x.to_numpy(zero_copy_only=False)
    return x
