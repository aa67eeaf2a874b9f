"""Seeded synthetic OHLCV sample data."""

from __future__ import annotations

import pyarrow as pa

from . import _native

__all__ = ["generate", "write_yahoo_csvs"]


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


def write_yahoo_csvs(folder: str, symbols: int = 20, bars: int = 2520, seed: int = 42) -> list:
    """Writes generated bars as Yahoo-style CSV files, one per symbol
    (``SYM0000.csv``: ``Date,Open,High,Low,Close,Adj Close,Volume``), and
    returns their paths."""
    import os

    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    table = generate(symbols=symbols, bars=bars, seed=seed)
    os.makedirs(folder, exist_ok=True)
    paths = []
    options = pacsv.WriteOptions(quoting_style="none", include_header=False)
    for k in range(symbols):
        part = table.slice(k * bars, bars)
        name = part["symbol"][0].as_py()
        out = pa.table(
            {
                "Date": pc.strftime(part["timestamp"], format="%Y-%m-%d"),
                "Open": part["open"],
                "High": part["high"],
                "Low": part["low"],
                "Close": part["close"],
                "Adj Close": part["close"],
                "Volume": pc.cast(part["volume"], pa.int64()),
            }
        )
        path = os.path.join(folder, f"{name}.csv")
        with open(path, "wb") as fh:
            fh.write(b"Date,Open,High,Low,Close,Adj Close,Volume\n")
            pacsv.write_csv(out, fh, write_options=options)
        paths.append(path)
    return paths
