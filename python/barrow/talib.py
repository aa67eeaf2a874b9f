"""TA-Lib-compatible functions: ``import barrow.talib as talib``.

Same upper-case names, positional inputs, keyword names, defaults and
output tuples as the ``TA-Lib`` Python package, with TA-Lib's values: bit
for bit, or within 1e-9 (relative to max(1, |value|)) for the functions
whose recursion barrow computes in a shorter order (``TOLERANT`` in
``barrow._coverage`` lists them with the reason).
Inputs may be numpy arrays (float64; other numeric dtypes are converted),
pandas Series (a Series with the same index comes back), or Arrow arrays
(pyarrow, polars; Arrow comes back, nulls read as NaN). As in TA-Lib,
leading NaNs are skipped and later NaNs propagate; bad parameters raise
``ValueError`` naming the parameter and its valid range.
"""

from __future__ import annotations

import inspect
import json
from typing import Any, Callable, Dict, List, Tuple

from . import _native
from ._convert import call_indicator


def _run(func: str, inputs, params: dict):
    return call_indicator(_native.indicator_numpy, _native.indicator_arrow, func, inputs, params)


def SMA(real: Any, timeperiod: int = 30) -> Any:
    """Simple moving average."""
    return _run("SMA", [("real", real)], {"timeperiod": timeperiod})[0]


def EMA(real: Any, timeperiod: int = 30) -> Any:
    """Exponential moving average (seeded with the SMA of the first ``timeperiod`` values)."""
    return _run("EMA", [("real", real)], {"timeperiod": timeperiod})[0]


def RSI(real: Any, timeperiod: int = 14) -> Any:
    """Relative strength index (Wilder smoothing)."""
    return _run("RSI", [("real", real)], {"timeperiod": timeperiod})[0]


def MACD(real: Any, fastperiod: int = 12, slowperiod: int = 26, signalperiod: int = 9) -> Tuple[Any, Any, Any]:
    """Moving average convergence/divergence: ``(macd, macdsignal, macdhist)``."""
    params = {"fastperiod": fastperiod, "slowperiod": slowperiod, "signalperiod": signalperiod}
    return tuple(_run("MACD", [("real", real)], params))


def BBANDS(
    real: Any, timeperiod: int = 20, nbdevup: float = 2.0, nbdevdn: float = 2.0, matype: int = 0
) -> Tuple[Any, Any, Any]:
    """Bollinger Bands: ``(upperband, middleband, lowerband)``; any matype 0..13."""
    params = {"timeperiod": timeperiod, "nbdevup": nbdevup, "nbdevdn": nbdevdn, "matype": matype}
    return tuple(_run("BBANDS", [("real", real)], params))


def ATR(high: Any, low: Any, close: Any, timeperiod: int = 14) -> Any:
    """Average true range (Wilder smoothing)."""
    return _run("ATR", [("high", high), ("low", low), ("close", close)], {"timeperiod": timeperiod})[0]


def LOG_RETURN(real: Any, timeperiod: int = 1) -> Any:
    """Log return over ``timeperiod`` bars (not in TA-Lib): ``ln(x[t] / x[t - timeperiod])``."""
    return _run("LOG_RETURN", [("real", real)], {"timeperiod": timeperiod})[0]


def _wrapper(info: Dict[str, Any]) -> Callable[..., Any]:
    """A TA-Lib-style function for a catalogue entry: positional inputs in
    TA-Lib order, then keyword parameters with TA-Lib's defaults."""
    name, inputs, params = info["name"], list(info["inputs"]), info["params"]
    single = len(info["outputs"]) == 1
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    signature = inspect.Signature(
        [inspect.Parameter(i, kind) for i in inputs]
        + [
            inspect.Parameter(p["name"], kind, default=int(p["default"]) if p["kind"] == "int" else p["default"])
            for p in params
        ]
    )

    defaults = {p["name"]: p["default"] for p in params}

    def indicator(*args: Any, **kwargs: Any) -> Any:
        if kwargs or len(args) != len(inputs):
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.arguments[i] for i in inputs)
            values = {p["name"]: bound.arguments[p["name"]] for p in params}
        else:
            # The common call, inputs only: no binding needed.
            values = defaults
        outs = _run(name, list(zip(inputs, args)), values)
        return outs[0] if single else tuple(outs)

    indicator.__name__ = indicator.__qualname__ = name
    indicator.__doc__ = f"{info['doc']} ({info['group']}; outputs: {', '.join(info['outputs'])})"
    indicator.__signature__ = signature  # type: ignore[attr-defined]
    return indicator


_CATALOGUE = json.loads(_native.functions_json())
for _info in _CATALOGUE:
    if _info["name"] not in globals():
        globals()[_info["name"]] = _wrapper(_info)

__all__ = [*sorted(f["name"] for f in _CATALOGUE), "get_functions"]


def get_functions() -> List[str]:
    """Names of the TA-Lib functions this module implements (barrow's own
    extras such as LOG_RETURN are not listed)."""
    return sorted(f["name"] for f in _CATALOGUE if f["group"] != "Returns")
