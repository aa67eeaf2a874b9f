"""Vectorized backtest of a target-position series.

``position[t]`` is decided at the close of bar ``t`` and held until
``t + 1``; each change costs ``fee * |change|`` of equity. See
:func:`backtest` for the metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict

import numpy as np

from . import _native
from ._convert import as_float64

__all__ = ["BacktestResult", "backtest"]


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
    over ``close`` prices. Accepts numpy, pandas or pyarrow inputs."""
    c = as_float64(_plain(close), "close", "backtest")
    p = as_float64(_plain(position), "position", "backtest")
    r = _native.backtest(c, p, float(fee), float(periods_per_year))
    return BacktestResult(r["returns"], r["equity"], r["strategy"], r["buy_and_hold"])


def _plain(x: Any) -> Any:
    if hasattr(x, "to_numpy") and type(x).__module__.startswith("pyarrow"):
        return x.to_numpy(zero_copy_only=False)
    return x
