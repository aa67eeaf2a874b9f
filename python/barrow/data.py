"""Seeded synthetic OHLCV sample data."""

from __future__ import annotations

import pyarrow as pa

from . import _native

__all__ = ["generate"]


def generate(symbols: int = 10, bars: int = 2520, seed: int = 42) -> pa.Table:
    """Bars for ``symbols`` symbols (``SYM0000``...) on business days from
    2015-01-02: GARCH(1,1) log returns, consistent open/high/low/close and
    positive volume, sorted by (symbol, timestamp). Same seed, same data."""
    for name, value in (("symbols", symbols), ("bars", bars)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return pa.table(_native.generate(symbols, bars, seed))
