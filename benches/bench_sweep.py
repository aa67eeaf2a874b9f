"""Parameter sweep: barrow.backtest.sweep against vectorbt, in one run.

The grid of issue 6: moving-average crossover, windows 5..64, every pair
fast < slow (1,770 combinations), over 10 symbols x 2,520 daily bars, 0.1%
fees, all the cash per trade, long only. Each engine runs in a fresh
process (so its peak RSS is its own); vectorbt is timed on its first call
(numba JIT compilation included) and warm (best of the later calls), barrow
warm (best of several). The metrics of every (symbol, fast, slow) are then
compared: total return, max drawdown, Sharpe and trade count within 1e-9.

Needs vectorbt, so run it with the vectorbt environment::

    .venv-vectorbt/bin/python benches/bench_sweep.py [--repeat 3] [--threads N]

(``./run bench`` does). Prints a table and the ratios; ``--json`` adds a
JSON summary line; ``--spark`` also times ``barrow.spark.sweep`` under
``local[2]`` (needs pyspark, e.g. ``.venv``: ``--skip-vectorbt --spark``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

SYMBOLS, BARS, FEES = 10, 2520, 0.001
WINDOWS = list(range(5, 65))
METRICS = ["total_return", "max_drawdown", "sharpe", "trades"]


def bars():
    import barrow

    return barrow.generate(symbols=SYMBOLS, bars=BARS, seed=42)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_barrow(repeat: int, out: str) -> dict:
    from barrow.backtest import sweep

    table = bars()
    base = peak_rss_mb()
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = sweep(table, "ma_cross", {"fast": WINDOWS, "slow": WINDOWS}, fees=FEES)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    import pyarrow.parquet as pq

    pq.write_table(result.select(["symbol", "fast", "slow", *METRICS]), out)
    return {
        "first": times[0],
        "warm": min(times),
        "cpu": min(cpu),
        "rows": result.num_rows,
        "rss": peak_rss_mb(),
        "rss_base": base,
    }


def run_spark(repeat: int, out: str) -> dict:
    """The same sweep as a Spark stage under local[2] (one task per (symbol,
    chunk of 256 combinations)); the JVM start is not timed."""
    from pyspark.sql import SparkSession

    from barrow.spark import sweep as spark_sweep

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    df = spark.createDataFrame(bars().to_pandas()).cache()
    df.count()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = spark_sweep(df, "ma_cross", {"fast": WINDOWS, "slow": WINDOWS}, fees=FEES).select(
            "symbol", "fast", "slow", *METRICS
        )
        frame = rows.toPandas()
        times.append(time.perf_counter() - t)
    frame.to_parquet(out)
    spark.stop()
    return {"first": times[0], "warm": min(times), "cpu": float("nan"), "rows": len(frame), "rss": peak_rss_mb()}


def run_vectorbt(repeat: int, out: str) -> dict:
    import pandas as pd
    import vectorbt as vbt

    vbt.settings.returns["year_freq"] = "252 days"
    df = bars().to_pandas()
    close = df.pivot(index="timestamp", columns="symbol", values="close")
    base = peak_rss_mb()

    def once():
        fast, slow = vbt.MA.run_combs(close, window=np.array(WINDOWS), r=2, short_names=["fast", "slow"])
        entries = fast.ma_crossed_above(slow)
        exits = fast.ma_crossed_below(slow)
        pf = vbt.Portfolio.from_signals(close, entries, exits, fees=FEES, freq="1D")
        return entries.columns, pf.total_return(), pf.max_drawdown(), pf.sharpe_ratio(), pf.trades.count()

    times, cpu = [], []
    for _ in range(repeat + 1):
        t, c = time.perf_counter(), time.process_time()
        cols, total, mdd, sharpe, trades = once()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    frame = pd.DataFrame(
        {
            "symbol": cols.get_level_values("symbol"),
            "fast": cols.get_level_values("fast_window").astype(np.int64),
            "slow": cols.get_level_values("slow_window").astype(np.int64),
            "total_return": total.to_numpy(),
            "max_drawdown": mdd.to_numpy(),
            "sharpe": sharpe.to_numpy(),
            "trades": trades.to_numpy().astype(np.int64),
        }
    )
    frame.to_parquet(out)
    return {
        "first": times[0],
        "warm": min(times[1:]),
        "cpu": min(cpu[1:]),
        "rows": len(frame),
        "rss": peak_rss_mb(),
        "rss_base": base,
    }


def child(engine: str, repeat: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".parquet", delete=False) as f:
        out = f.name
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = [sys.executable, __file__, "--child", engine, "--repeat", str(repeat), "--out", out]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit(f"{engine} run failed:\n{res.stderr}")
    info = json.loads(res.stdout.strip().splitlines()[-1])
    info["out"] = out
    return info


def compare(a_path: str, b_path: str) -> dict:
    import pandas as pd

    a = pd.read_parquet(a_path)
    b = pd.read_parquet(b_path)
    m = a.merge(b, on=["symbol", "fast", "slow"], suffixes=("", "_vbt"))
    agree = np.ones(len(m), dtype=bool)
    worst = {}
    for k in METRICS:
        x, y = m[k].to_numpy(float), m[f"{k}_vbt"].to_numpy(float)
        both_nan = np.isnan(x) & np.isnan(y)
        err = np.where(both_nan, 0.0, np.abs(x - y) / np.maximum(1.0, np.abs(y)))
        err = np.where(np.isnan(err), np.inf, err)
        worst[k] = float(err.max()) if len(err) else 0.0
        agree &= err <= 1e-9
    return {"matched": len(m), "agree": int(agree.sum()), "worst": worst}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3, help="timed runs per engine (vectorbt: after its first call)")
    p.add_argument("--threads", type=int, default=0, help="barrow's rayon threads (0: all cores)")
    p.add_argument("--skip-vectorbt", action="store_true", help="time barrow only")
    p.add_argument("--spark", action="store_true", help="also time barrow.spark.sweep under local[2]")
    p.add_argument("--json", action="store_true", help="also print a JSON summary line")
    p.add_argument("--child", choices=["barrow", "vectorbt", "spark"], help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        run = {"barrow": run_barrow, "vectorbt": run_vectorbt, "spark": run_spark}[args.child]
        info = run(args.repeat, args.out)
        print(json.dumps(info))
        return

    combos = len(WINDOWS) * (len(WINDOWS) - 1) // 2
    backtests = combos * SYMBOLS
    print(f"MA-crossover sweep: {combos} combinations x {SYMBOLS} symbols x {BARS} bars = {backtests} backtests")
    print(f"cores: {os.cpu_count()}, barrow threads: {args.threads or 'all'}")
    results = {"barrow": child("barrow", args.repeat, args.threads)}
    if args.spark:
        results["spark"] = child("spark", args.repeat, args.threads)
    if not args.skip_vectorbt:
        results["vectorbt"] = child("vectorbt", args.repeat, args.threads)
    header = f"{'first s':>9} {'warm s':>9} {'cpu s':>8} {'backtests/s':>12} {'bar-bt/s':>11} {'peak RSS MB':>12}"
    print(f"\n{'engine':<10} {header}")
    for name, r in results.items():
        rate = backtests / r["warm"]
        cells = f"{r['first']:>9.3f} {r['warm']:>9.3f} {r['cpu']:>8.3f} {rate:>12,.0f} {rate * BARS / 1e6:>10.1f}M"
        print(f"{name:<10} {cells} {r['rss']:>12.0f}")
    summary = {k: {kk: v for kk, v in r.items() if kk != "out"} for k, r in results.items()}
    if "vectorbt" in results:
        b, v = results["barrow"], results["vectorbt"]
        cmp = compare(b["out"], v["out"])
        ratio, first, cpu = v["warm"] / b["warm"], v["first"] / b["warm"], v["cpu"] / b["cpu"]
        print(
            f"\nwarm throughput: barrow {ratio:.0f}x vectorbt ({first:.0f}x its first call); CPU time {cpu:.0f}x less"
        )
        print("(the wall-time ratio needs both cores free: vectorbt uses one, barrow both; check `uptime`)")
        print(
            f"metrics agree within 1e-9 on {cmp['agree']} of {cmp['matched']} backtests; "
            + "worst relative difference: "
            + ", ".join(f"{k} {e:.1e}" for k, e in cmp["worst"].items())
        )
        summary["speedup_warm"] = v["warm"] / b["warm"]
        summary["compare"] = cmp
    if "spark" in results:
        cmp = compare(results["spark"]["out"], results["barrow"]["out"])
        print(f"Spark stage vs local sweep: {cmp['agree']} of {cmp['matched']} backtests agree within 1e-9")
        summary["spark_compare"] = cmp
    for r in results.values():
        os.unlink(r["out"])
    if args.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
