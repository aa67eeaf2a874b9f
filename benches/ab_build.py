"""Two builds of barrow's extension against each other, and against TA-Lib,
in one process, for the functions named.

Run: .venv/bin/python benches/ab_build.py --base /path/to/_native.abi3.so SMA,CMF [--bars N] [--cold]

Save the base first: build it (``maturin develop --release``), copy
``python/barrow/_native.abi3.so`` elsewhere, then build the change. Both
extensions are loaded side by side (the base under another package name)
and called with the same arrays, in turn with TA-Lib, so the ratio
new / base is free of the drift between processes. Each of 7 epochs
copies the inputs to fresh memory (another place in the heap) and takes
the best of 9 calls per side; the medians over the epochs are printed,
with the new / base ratio of every epoch. The order of the three sides
rotates from call round to call round: the one called right after another
finds the caches as that one left them. ``--cold`` instead evicts the
caches before every call (a 96 MB pass) and reports medians of 21 calls.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import talib

import barrow.talib as bt
from barrow import _native as new
from barrow._coverage import inputs_for


def load_base(path: str):
    spec = importlib.util.spec_from_file_location("barrow_base._native", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def order(i: int) -> list:
    """The sides' order in round `i`: rotated from round to round, so that
    none always runs right after the same one."""
    return [(i + k) % 3 for k in range(3)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", help="comma-separated function names")
    parser.add_argument("--base", required=True, help="the base build's _native.abi3.so")
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--cold", action="store_true", help="evict the caches before every call")
    args = parser.parse_args()
    base = load_base(args.base)
    rng = np.random.default_rng(0)
    junk = np.ones(12_000_000)
    keep = []
    for name in args.names.split(","):
        info = next(f for f in bt._CATALOGUE if f["name"] == name)
        params = {p["name"]: float(p["default"]) for p in info["params"]}
        inputs = inputs_for(name, info["inputs"], args.bars, 0)
        reference = getattr(talib, name)
        sides = [
            lambda a, f=reference: f(*a),
            lambda a, name=name, params=params: base.indicator_numpy(name, a, params),
            lambda a, name=name, params=params: new.indicator_numpy(name, a, params),
        ]
        if args.cold:
            times = [[], [], []]
            for i in range(21):
                for k in order(i):
                    call = sides[k]
                    junk += 1.0
                    t0 = time.perf_counter()
                    call(inputs)
                    times[k].append(time.perf_counter() - t0)
            t, b, n = (float(np.median(x)) for x in times)
            print(
                f"{name:16s} cold: TA-Lib {t * 1e3:.3f} ms, base/TA-Lib {b / t:.3f}, "
                f"new/TA-Lib {n / t:.3f}, new/base {n / b:.3f}"
            )
            continue
        epochs = []
        for _ in range(7):
            arrays = [np.array(a, copy=True) for a in inputs]
            keep.append(np.empty(int(rng.integers(1, 300_000))))
            best = [float("inf")] * 3
            for i in range(9):
                for k in order(i):
                    call = sides[k]
                    t0 = time.perf_counter()
                    call(arrays)
                    best[k] = min(best[k], time.perf_counter() - t0)
            epochs.append(best)
        e = np.array(epochs)
        ratios = e[:, 2] / e[:, 1]
        print(
            f"{name:16s} TA-Lib {np.median(e[:, 0]) * 1e3:.3f} ms, base/TA-Lib {np.median(e[:, 1] / e[:, 0]):.3f}, "
            f"new/TA-Lib {np.median(e[:, 2] / e[:, 0]):.3f}, new/base {np.median(ratios):.3f} "
            f"[{' '.join(f'{r:.2f}' for r in ratios)}]"
        )


if __name__ == "__main__":
    main()
