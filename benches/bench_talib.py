"""barrow.talib vs TA-Lib on the same 1M-bar series, in one process.

Run: ./run bench   (or: .venv/bin/python benches/bench_talib.py [--bars N])
Prints, per indicator, the best-of-N wall time of each and the ratio
barrow/TA-Lib (below 1 means barrow is faster).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import talib

import barrow.talib as bt


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    close = 100.0 * np.exp(np.cumsum(rng.normal(0, 0.01, args.bars)))
    high = close * (1 + 0.01 * rng.random(args.bars))
    low = close * (1 - 0.01 * rng.random(args.bars))
    cases = [
        ("SMA(30)", lambda m: m.SMA(close, 30)),
        ("EMA(30)", lambda m: m.EMA(close, 30)),
        ("RSI(14)", lambda m: m.RSI(close, 14)),
        ("MACD(12,26,9)", lambda m: m.MACD(close)),
        ("BBANDS(20,2,2)", lambda m: m.BBANDS(close, 20)),
        ("ATR(14)", lambda m: m.ATR(high, low, close, 14)),
    ]
    print(f"{args.bars:,} bars, best of {args.repeat}")
    print(f"{'indicator':<16}{'TA-Lib ms':>12}{'barrow ms':>12}{'ratio':>9}")
    ratios = []
    for name, call in cases:
        t_ref = best_of(lambda call=call: call(talib), args.repeat)
        t_ours = best_of(lambda call=call: call(bt), args.repeat)
        ratios.append(t_ours / t_ref)
        print(f"{name:<16}{t_ref * 1e3:>12.2f}{t_ours * 1e3:>12.2f}{t_ours / t_ref:>9.2f}")
    print(f"{'median ratio':<40}{np.median(ratios):>9.2f}")


if __name__ == "__main__":
    main()
