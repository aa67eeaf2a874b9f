"""barrow.backtest.from_signals against vectorbt.Portfolio.from_signals.

Runs where vectorbt is installed (``./run test`` creates ``.venv-vectorbt``
from requirements-vectorbt.txt for it) and is skipped elsewhere. Every
configuration compares the trade records, the equity series, the order and
trade counts and the metrics within 1e-9 (relative to max(1, |reference|)).
"""

from __future__ import annotations

import numpy as np
import pytest

vbt = pytest.importorskip("vectorbt")
pd = pytest.importorskip("pandas")

from barrow.backtest import from_signals, from_targets  # noqa: E402

TOL = 1e-9

CONFIGS = [
    {},
    {"fees": 0.001},
    {"fees": 0.002, "fixed_fees": 1.0, "slippage": 0.001},
    {"direction": "short_only", "fees": 0.001},
    {"direction": "both", "fees": 0.001, "slippage": 0.0005},
    {"sl_stop": 0.05, "fees": 0.001},
    {"tp_stop": 0.08, "fees": 0.001},
    {"sl_stop": 0.05, "sl_trail": True, "tp_stop": 0.1, "fees": 0.001},
    {"direction": "short_only", "sl_stop": 0.05, "tp_stop": 0.1, "fees": 0.001},
    {"direction": "both", "sl_stop": 0.04, "sl_trail": True, "tp_stop": 0.1, "fees": 0.001, "slippage": 0.001},
    {"execution": "next_open", "fees": 0.001},
    {"execution": "next_open", "direction": "both", "sl_stop": 0.05, "tp_stop": 0.05, "fees": 0.001, "slippage": 0.001},
    {"size": 10.0, "fees": 0.001},
    {"size": 50.0, "size_type": "value", "fees": 0.001, "direction": "both"},
    {"size": 0.5, "size_type": "percent", "fees": 0.001},
    {"size": 0.5, "size_type": "percent", "fees": 0.001, "direction": "short_only"},
    {"stop_exit_price": "stop_market", "sl_stop": 0.03, "slippage": 0.002},
    {"stop_exit_price": "close", "sl_stop": 0.03, "tp_stop": 0.03, "direction": "both"},
    {"stop_entry_price": "fill_price", "sl_stop": 0.03, "tp_stop": 0.06, "slippage": 0.001, "execution": "next_open"},
    {"init_cash": 10_000.0, "fixed_fees": 5.0, "fees": 0.0005, "direction": "both", "sl_stop": 0.1, "sl_trail": True},
]

VBT_NAMES = {
    "direction": {"long_only": "longonly", "short_only": "shortonly", "both": "both"},
    "stop_exit_price": {"stop": "stoplimit", "stop_market": "stopmarket", "close": "close"},
    "stop_entry_price": {"close": "close", "price": "price", "fill_price": "fillprice"},
}
TRADE_FIELDS = [
    "entry_idx",
    "exit_idx",
    "size",
    "entry_price",
    "exit_price",
    "entry_fees",
    "exit_fees",
    "pnl",
    "return",
    "direction",
]


@pytest.fixture(scope="module", autouse=True)
def trading_year():
    old = vbt.settings.returns["year_freq"]
    vbt.settings.returns["year_freq"] = "252 days"
    yield
    vbt.settings.returns["year_freq"] = old


def bars(n: int, seed: int, signal_rate: float = 0.1):
    rng = np.random.default_rng(seed)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, n)))
    open_ = close * np.exp(rng.normal(0, 0.01, n))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0, 0.01, n)))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0, 0.01, n)))
    return open_, high, low, close, rng.random(n) < signal_rate, rng.random(n) < signal_rate


def vectorbt_portfolio(o, h, lo, c, entries, exits, cfg):
    """vectorbt on the same inputs; next-open execution is vectorbt's usual
    idiom: signals shifted by one bar, filled at the open."""
    cfg = dict(cfg)
    execution = cfg.pop("execution", "close")
    kw = {k: VBT_NAMES[k][v] if k in VBT_NAMES else v for k, v in cfg.items()}
    idx = pd.date_range("2020-01-01", periods=len(c), freq="D")
    if execution == "next_open":
        entries = np.r_[False, entries[:-1]]
        exits = np.r_[False, exits[:-1]]
        kw["price"] = pd.Series(o, index=idx)
    s = lambda x: pd.Series(x, index=idx)  # noqa: E731
    return vbt.Portfolio.from_signals(s(c), s(entries), s(exits), open=s(o), high=s(h), low=s(lo), freq="1D", **kw)


def close_enough(ours, ref, what):
    a = np.asarray(ours, dtype=float)
    b = np.asarray(ref, dtype=float)
    assert a.shape == b.shape, f"{what}: {a.shape} values, vectorbt has {b.shape}"
    if a.size == 0:
        return
    same_nan = np.isnan(a) == np.isnan(b)
    assert same_nan.all(), f"{what}: NaN differs first at {int(np.flatnonzero(~same_nan)[0])}"
    m = ~np.isnan(b)
    err = np.abs(a[m] - b[m]) / np.maximum(1.0, np.abs(b[m]))
    if err.size and err.max() > TOL:
        k = int(np.argmax(err))
        raise AssertionError(f"{what}: relative difference {err[k]:.3e} at {k}: ours {a[m][k]!r}, vectorbt {b[m][k]!r}")


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("cfg", CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "defaults")
def test_from_signals_matches_vectorbt(cfg, seed):
    o, h, lo, c, entries, exits = bars(400, seed)
    pf = vectorbt_portfolio(o, h, lo, c, entries, exits, cfg)
    ours = from_signals(c, entries, exits, open=o, high=h, low=lo, **cfg)

    ref = pf.trades.records
    assert len(ours.trades["pnl"]) == len(ref) > 5, f"{len(ours.trades['pnl'])} trades, vectorbt has {len(ref)}"
    for field in TRADE_FIELDS:
        close_enough(ours.trades[field], ref[field], f"trades.{field}")
    assert np.array_equal(ours.trades["closed"], ref["status"] == 1), "trade status"
    assert ours.metrics["trades"] == pf.trades.count()
    assert ours.metrics["orders"] == pf.orders.count()
    close_enough(ours.value, pf.value().to_numpy(), "value")
    close_enough(ours.returns, pf.returns().to_numpy(), "returns")
    close_enough(ours.drawdown, pf.drawdown().to_numpy(), "drawdown")
    for name, value in [
        ("total_return", pf.total_return()),
        ("max_drawdown", pf.max_drawdown()),
        ("sharpe", pf.sharpe_ratio()),
        ("sortino", pf.sortino_ratio()),
        ("calmar", pf.calmar_ratio()),
        ("annual_volatility", pf.annualized_volatility()),
        ("cagr", pf.annualized_return()),
    ]:
        close_enough(ours.metrics[name], value, name)
    closed = pf.trades.closed
    close_enough(ours.metrics["win_rate"], closed.win_rate(), "win_rate")
    close_enough(ours.metrics["profit_factor"], closed.profit_factor(), "profit_factor")
    close_enough(ours.metrics["expectancy"], closed.expectancy(), "expectancy")


def test_ma_crossover_sweep_matches_vectorbt_column_by_column():
    """A small MA-crossover grid: barrow's sweep against vectorbt's idiom
    (MA.run_combs, crossed_above/below, one from_signals over all columns)."""
    barrow_backtest = pytest.importorskip("barrow.backtest")
    pa = pytest.importorskip("pyarrow")
    rng = np.random.default_rng(7)
    n = 800
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.015, n)))
    table = pa.table({"symbol": ["A"] * n, "time": np.arange(n), "close": close})
    windows = list(range(5, 25))
    result = barrow_backtest.sweep(table, "ma_cross", {"fast": windows, "slow": windows}, fees=0.001).to_pandas()
    fast, slow = vbt.MA.run_combs(pd.Series(close), window=np.array(windows), r=2, short_names=["fast", "slow"])
    entries = fast.ma_crossed_above(slow)
    exits = fast.ma_crossed_below(slow)
    pf = vbt.Portfolio.from_signals(pd.Series(close), entries, exits, fees=0.001, freq="1D")
    ref = pd.DataFrame(
        {
            "fast": entries.columns.get_level_values("fast_window"),
            "slow": entries.columns.get_level_values("slow_window"),
            "total_return": pf.total_return().to_numpy(),
            "max_drawdown": pf.max_drawdown().to_numpy(),
            "sharpe": pf.sharpe_ratio().to_numpy(),
            "trades": pf.trades.count().to_numpy(),
        }
    )
    merged = result.merge(ref, on=["fast", "slow"], suffixes=("", "_vbt"))
    assert len(merged) == len(ref) == len(windows) * (len(windows) - 1) // 2
    for name in ("total_return", "max_drawdown", "sharpe", "trades"):
        close_enough(merged[name], merged[f"{name}_vbt"], name)


TARGET_CONFIGS = [
    {"kind": "percent"},
    {"kind": "percent", "fees": 0.001, "fixed_fees": 0.5, "slippage": 0.001},
    {"kind": "percent", "direction": "long_only", "fees": 0.002},
    {"kind": "percent", "direction": "short_only", "fees": 0.001},
    {"kind": "percent", "execution": "next_open", "fees": 0.001},
    {"kind": "amount", "fees": 0.001},
    {"kind": "value", "fees": 0.001, "slippage": 0.002},
]
VBT_KINDS = {"percent": "targetpercent", "amount": "targetamount", "value": "targetvalue"}


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("cfg", TARGET_CONFIGS, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()))
def test_from_targets_matches_vectorbt_from_orders(cfg, seed):
    o, h, lo, c, _, _ = bars(400, seed)
    rng = np.random.default_rng(100 + seed)
    kind = cfg["kind"]
    scale = {"percent": 1.0, "amount": 0.5, "value": 60.0}[kind]
    target = np.where(rng.random(400) < 0.15, rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], 400) * scale, np.nan)
    if cfg.get("direction") in ("long_only", "short_only"):
        target = np.abs(target)
    settings = {k: v for k, v in cfg.items() if k != "kind"}
    ours = from_targets(c, target, open=o, high=h, low=lo, **cfg)
    execution = settings.pop("execution", "close")
    kw = {k: VBT_NAMES[k][v] if k in VBT_NAMES else v for k, v in settings.items()}
    kw.setdefault("direction", "both")
    idx = pd.date_range("2020-01-01", periods=len(c), freq="D")
    size = target
    if execution == "next_open":
        size = np.r_[np.nan, target[:-1]]
        kw["price"] = pd.Series(o, index=idx)
    pf = vbt.Portfolio.from_orders(
        pd.Series(c, index=idx), pd.Series(size, index=idx), size_type=VBT_KINDS[kind], freq="1D", **kw
    )
    ref = pf.trades.records
    assert len(ours.trades["pnl"]) == len(ref) > 5
    for field in TRADE_FIELDS:
        close_enough(ours.trades[field], ref[field], f"trades.{field}")
    assert ours.metrics["orders"] == pf.orders.count()
    close_enough(ours.value, pf.value().to_numpy(), "value")
    for name, value in [
        ("total_return", pf.total_return()),
        ("max_drawdown", pf.max_drawdown()),
        ("sharpe", pf.sharpe_ratio()),
    ]:
        close_enough(ours.metrics[name], value, name)
