"""Tree models: barrow vs scikit-learn vs linfa-trees vs Spark MLlib, fit and
predict times and held-out accuracy on the same data, in one run.

Run: ./run bench   (or: .venv/bin/python benches/bench_tree.py [--rows N] [--skip-spark] [--skip-linfa])

Data sets: (1) ``--rows`` x 20 uniform features with a nonlinear target and
5% label noise (25% more rows held out); (2) the real-feature table of the
indicator stage: 10 indicator columns over generated bars, labelled "next bar
closes higher", split by time. Models: single trees at depth 8 and unlimited
depth (scikit-learn DecisionTreeClassifier, barrow, linfa-trees in the
`linfa-tree-fit` release binary at depth 8, Spark MLlib at depth 8 under
local[2]), and forests of 20 trees (scikit-learn RandomForestClassifier
n_jobs=2 vs barrow). Ratios are barrow time / peer time (below 1: barrow
faster); "speed-up" is the inverse.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier as SkForest
from sklearn.tree import DecisionTreeClassifier as SkTree

from barrow.ensemble import RandomForestClassifier
from barrow.tree import DecisionTreeClassifier

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def synthetic(n: int, d: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, d))
    signal = (X[:, 0] - 0.5) * (X[:, 1] - 0.3) + 0.2 * np.sin(X[:, 2] * 6.0) + 0.1 * X[:, 3]
    y = ((signal > 0.05) ^ (rng.random(n) < 0.05)).astype(np.uint32)
    return X, y


def indicator_table(symbols: int, bars: int):
    """Features from the indicator stage, label = next bar up, split by time."""
    import barrow
    from barrow.table import compute, indicator, spec

    table = compute(
        barrow.generate(symbols=symbols, bars=bars, seed=5),
        spec(
            [
                indicator("RSI", name="rsi"),
                indicator("LOG_RETURN", name="r1"),
                indicator("LOG_RETURN", name="r5", timeperiod=5),
                indicator("LOG_RETURN", name="r20", timeperiod=20),
                indicator("NATR", name="natr"),
                indicator("WILLR", name="willr"),
                indicator("CMO", name="cmo"),
                indicator("ROLLING_VOL", name="vol"),
                indicator("ZSCORE", name="z"),
                indicator("ROLLING_SKEW", name="skew"),
            ]
        ),
    ).to_pandas()
    names = ["rsi", "r1", "r5", "r20", "natr", "willr", "cmo", "vol", "z", "skew"]
    nxt = table.groupby("symbol")["close"].shift(-1)
    keep = nxt.notna() & table[names].notna().all(axis=1)
    table, nxt = table[keep], nxt[keep]
    X = table[names].to_numpy()
    y = (nxt > table["close"]).to_numpy().astype(np.uint32)
    train = table.groupby("symbol").cumcount().to_numpy() < int(0.7 * bars)
    return X[train], y[train], X[~train], y[~train]


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def row(name, t_fit, t_pred, acc, ref=None):
    ratio = f"{t_fit / ref:.3f} ({ref / t_fit:.1f}x)" if ref else ""
    print(f"| {name} | {t_fit:.2f} | {t_pred:.3f} | {acc:.4f} | {ratio} |", flush=True)


def compare(title, Xtr, ytr, Xte, yte, args, linfa_exe):
    print(f"\n### {title}: {len(Xtr):,} train x {Xtr.shape[1]} features, {len(Xte):,} held out\n")
    print("| model | fit s | predict s | accuracy | barrow time / peer (speed-up) |")
    print("| --- | ---: | ---: | ---: | --- |")
    for depth in (8, None):
        t_sk, sk = timed(lambda d=depth: SkTree(max_depth=d, random_state=0).fit(Xtr, ytr))
        p_sk, acc_sk = timed(lambda m=sk: m.score(Xte, yte))
        t_b, bm = timed(lambda d=depth: DecisionTreeClassifier(max_depth=d).fit(Xtr, ytr))
        p_b, acc_b = timed(lambda m=bm: m.score(Xte, yte))
        row(f"scikit-learn tree, depth {depth}", t_sk, p_sk, acc_sk)
        row(f"barrow tree, depth {depth}", t_b, p_b, acc_b, t_sk)
        if depth == 8 and linfa_exe:
            with tempfile.TemporaryDirectory() as tmp:
                for name, arr in (("x_train.f64", Xtr), ("y_train.u32", ytr), ("x_test.f64", Xte), ("y_test.u32", yte)):
                    np.ascontiguousarray(arr, dtype=np.float64 if arr.ndim == 2 else np.uint32).tofile(
                        os.path.join(tmp, name)
                    )
                out = subprocess.run(
                    [linfa_exe, tmp, str(len(Xtr)), str(len(Xte)), str(Xtr.shape[1]), "8", "1"],
                    check=True,
                    capture_output=True,
                    text=True,
                )
            lf = json.loads(out.stdout)
            row("linfa-trees tree, depth 8", lf["linfa_fit_s"], float("nan"), lf["linfa_accuracy"])
            print(f"| (barrow / linfa-trees fit time) | | | | {t_b / lf['linfa_fit_s']:.3f} |")
        if depth == 8 and not args.skip_spark:
            spark_tree(Xtr, ytr, Xte, yte, t_b)
    t_sk, sk = timed(lambda: SkForest(n_estimators=20, n_jobs=2, random_state=0).fit(Xtr, ytr))
    p_sk, acc_sk = timed(lambda: sk.score(Xte, yte))
    t_b, bm = timed(lambda: RandomForestClassifier(n_estimators=20, random_state=0).fit(Xtr, ytr))
    p_b, acc_b = timed(lambda: bm.score(Xte, yte))
    row("scikit-learn forest, 20 trees, n_jobs=2", t_sk, p_sk, acc_sk)
    row("barrow forest, 20 trees", t_b, p_b, acc_b, t_sk)


def spark_tree(Xtr, ytr, Xte, yte, t_barrow):
    """Spark MLlib's DecisionTreeClassifier (depth 8) under local[2], on
    cached DataFrames; the time covers fit only."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.ml.classification import DecisionTreeClassifier as SparkTree
    from pyspark.ml.evaluation import MulticlassClassificationEvaluator
    from pyspark.ml.feature import VectorAssembler
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "8g")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def frame(X, y):
        import pandas as pd

        pdf = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        pdf["label"] = y.astype(np.float64)
        df = spark.createDataFrame(pdf)
        vec = VectorAssembler(inputCols=list(pdf.columns[:-1]), outputCol="features")
        return vec.transform(df).select("features", "label").cache()

    train, test = frame(Xtr, ytr), frame(Xte, yte)
    train.count(), test.count()
    t_fit, model = timed(lambda: SparkTree(maxDepth=8, maxBins=255, seed=0).fit(train))
    evaluator = MulticlassClassificationEvaluator(metricName="accuracy")
    t_pred, acc = timed(lambda: evaluator.evaluate(model.transform(test)))
    row("Spark MLlib tree, depth 8, local[2]", t_fit, t_pred, acc)
    print(f"| (barrow / Spark MLlib fit time) | | | | {t_barrow / t_fit:.3f} |")
    train.unpersist(), test.unpersist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=20)
    parser.add_argument("--symbols", type=int, default=400, help="symbols of the indicator table (2,520 bars each)")
    parser.add_argument("--skip-spark", action="store_true")
    parser.add_argument("--skip-linfa", action="store_true")
    args = parser.parse_args()
    linfa_exe = None
    if not args.skip_linfa:
        subprocess.run(
            ["cargo", "build", "--release", "-q", "-p", "barrow-bench", "--bin", "linfa-tree-fit"], cwd=ROOT, check=True
        )
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        linfa_exe = os.path.join(target, "release", "linfa-tree-fit")
    X, y = synthetic(args.rows + args.rows // 4, args.features)
    n = args.rows
    compare("Synthetic nonlinear target", X[:n], y[:n], X[n:], y[n:], args, linfa_exe)
    compare("Indicator features, next bar up", *indicator_table(args.symbols, 2520), args, linfa_exe)


if __name__ == "__main__":
    main()
