"""barrow.talib vs TA-Lib on the same 1M-bar series, in one process, for
every function barrow implements (default parameters).

Run: ./run bench   (or: .venv/bin/python benches/bench_talib.py [--bars N] [--only SMA,EMA])
Prints, per function, the best-of-N wall time of each (the two called in
turn, so both see the same drifts of the machine's speed) and the ratio
barrow/TA-Lib (below 1 means barrow is faster), then the median ratio and
the functions slower than TA-Lib. Element-wise functions (math transforms
and operators, price transforms) split inputs of 131,072 values or more
across rayon's threads; RAYON_NUM_THREADS=1 measures them on one thread.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import talib

import barrow.talib as bt
from barrow._coverage import inputs_for


def best_of_pair(ref, ours, args, repeat: int):
    """Best wall times of `ref` and `ours`, called alternately so that both
    sample the same stretches of a machine whose speed drifts."""
    best = [float("inf"), float("inf")]
    for _ in range(repeat):
        for k, fn in enumerate((ref, ours)):
            t0 = time.perf_counter()
            fn(*args)
            best[k] = min(best[k], time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated function names")
    args = parser.parse_args()
    names = [n for n in bt.get_functions() if not args.only or n in args.only.split(",")]
    threads = os.environ.get("RAYON_NUM_THREADS") or f"{os.cpu_count()} (all cores)"
    print(f"{args.bars:,} bars, default parameters, best of {args.repeat}, rayon threads: {threads}\n")
    print("| function | TA-Lib ms | barrow ms | ratio |")
    print("| --- | ---: | ---: | ---: |")
    ratios = {}
    for name in names:
        info = next(f for f in bt._CATALOGUE if f["name"] == name)
        ins = inputs_for(name, info["inputs"], args.bars, 0)
        t_ref, t_ours = best_of_pair(getattr(talib, name), getattr(bt, name), ins, args.repeat)
        ratios[name] = t_ours / t_ref
        print(f"| {name} | {t_ref * 1e3:.2f} | {t_ours * 1e3:.2f} | {ratios[name]:.2f} |")
    values = np.array(list(ratios.values()))
    print(f"\nmedian ratio {np.median(values):.2f} over {len(values)} functions; ", end="")
    print(f"{int((values <= 0.7).sum())} at or below 0.7, {int((values > 1.0).sum())} slower than TA-Lib")
    slow = sorted(((r, n) for n, r in ratios.items() if r > 1.0), reverse=True)
    if slow:
        print("slower: " + ", ".join(f"{n} {r:.2f}" for r, n in slow))


if __name__ == "__main__":
    main()
