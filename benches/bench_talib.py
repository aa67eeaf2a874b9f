"""barrow.talib vs TA-Lib on the same 1M-bar series, in one process, for
every function barrow implements (default parameters).

Run: ./run bench   (or: .venv/bin/python benches/bench_talib.py [--bars N] [--only SMA,EMA])
Prints, per function, the best wall time of each and the ratio
barrow/TA-Lib (below 1 means barrow is faster), then the median ratio and
the functions slower than TA-Lib.

The calls are spread over the run: each round times every function once
on each side (TA-Lib and barrow in turn, the order alternating from round
to round), and a function's figure is its best over the rounds. On a
shared machine whose speed drifts over seconds, the samples of one
function then come from different stretches of the run instead of one.
The one-input math transforms split inputs of 131,072 values or more
across rayon's threads; RAYON_NUM_THREADS=1 measures them on one thread.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Dict, List, Tuple

# numpy's OpenBLAS starts worker threads that spin on the other cores
# (neither side calls BLAS): one thread keeps them idle, so they take no
# core from the work timed here.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import talib

import barrow.talib as bt
from barrow._coverage import input_family, inputs_for


def timed(fn, args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="rounds (each function's best over them)")
    parser.add_argument("--only", default="", help="comma-separated function names")
    args = parser.parse_args()
    names = [n for n in bt.get_functions() if not args.only or n in args.only.split(",")]
    threads = os.environ.get("RAYON_NUM_THREADS") or f"{os.cpu_count()} (all cores)"
    print(f"{args.bars:,} bars, default parameters, best of {args.repeat} rounds, rayon threads: {threads}\n")
    # Inputs per family, generated once: the same arrays `inputs_for` gives
    # each function of the family.
    cache: Dict[Tuple[str, Tuple[str, ...]], List[np.ndarray]] = {}
    calls = []
    for name in names:
        info = next(f for f in bt._CATALOGUE if f["name"] == name)
        key = (input_family(name), tuple(info["inputs"]))
        if key not in cache:
            cache[key] = inputs_for(name, info["inputs"], args.bars, 0)
        calls.append((name, getattr(talib, name), getattr(bt, name), cache[key]))
    best = {name: [float("inf"), float("inf")] for name in names}
    for r in range(args.repeat):
        for name, ref, ours, ins in calls:
            order = ((0, ref), (1, ours)) if r % 2 == 0 else ((1, ours), (0, ref))
            for k, fn in order:
                best[name][k] = min(best[name][k], timed(fn, ins))
    print("| function | TA-Lib ms | barrow ms | ratio |")
    print("| --- | ---: | ---: | ---: |")
    ratios = {}
    for name in names:
        t_ref, t_ours = best[name]
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
