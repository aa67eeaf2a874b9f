"""Decision-tree fit time and held-out accuracy: scikit-learn vs barrow vs
linfa-trees, on the same data.

Run: ./run bench   (or: .venv/bin/python benches/bench_tree.py [--rows N])
scikit-learn and barrow are timed in this process; linfa-trees runs in the
`linfa-tree-fit` bench binary (release build) on the same arrays, written
to a temporary folder. Ratios are barrow/scikit-learn and linfa/scikit-learn
(below 1 means faster than scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time

import numpy as np
from sklearn.tree import DecisionTreeClassifier as SkTree

from barrow.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def problem(n: int, d: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    signal = (X[:, 0] - 0.5) * (X[:, 1] - 0.3) + 0.2 * np.sin(X[:, 2] * 6.0) + 0.1 * X[:, 3]
    y = ((signal > 0.05) ^ (rng.random(n) < 0.05)).astype(np.uint32)
    return X, y


def best_of(fn, repeat):
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--depths", default="8,0", help="comma-separated; 0 = unlimited")
    args = parser.parse_args()
    X, y = problem(args.rows + args.rows // 4, args.features)
    Xtr, ytr, Xte, yte = X[: args.rows], y[: args.rows], X[args.rows :], y[args.rows :]
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "barrow-bench", "--bin", "linfa-tree-fit"], cwd=ROOT, check=True
    )
    exe = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "linfa-tree-fit")
    print(f"{args.rows:,} train rows x {args.features} features, best of {args.repeat}")
    print(
        f"{'depth':<8}{'sklearn s':>10}{'barrow s':>10}{'linfa s':>10}{'barrow/sk':>11}{'linfa/sk':>10}"
        f"{'acc sk':>8}{'acc barrow':>11}{'acc linfa':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name, arr in (("x_train.f64", Xtr), ("y_train.u32", ytr), ("x_test.f64", Xte), ("y_test.u32", yte)):
            np.ascontiguousarray(arr).tofile(os.path.join(tmp, name))
        for depth in (int(v) for v in args.depths.split(",")):
            md = depth or None
            t_sk, sk = best_of(lambda md=md: SkTree(max_depth=md, random_state=0).fit(Xtr, ytr), args.repeat)
            t_b, bm = best_of(lambda md=md: DecisionTreeClassifier(max_depth=md).fit(Xtr, ytr), args.repeat)
            out = subprocess.run(
                [exe, tmp, str(len(Xtr)), str(len(Xte)), str(args.features), str(depth), str(args.repeat)],
                check=True,
                capture_output=True,
                text=True,
            )
            lf = json.loads(out.stdout)
            print(
                f"{depth or 'none':<8}{t_sk:>10.2f}{t_b:>10.2f}{lf['linfa_fit_s']:>10.2f}{t_b / t_sk:>11.3f}"
                f"{lf['linfa_fit_s'] / t_sk:>10.2f}{sk.score(Xte, yte):>8.4f}{bm.score(Xte, yte):>11.4f}"
                f"{lf['linfa_accuracy']:>10.4f}"
            )


if __name__ == "__main__":
    main()
