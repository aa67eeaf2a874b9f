"""Spark feature stage: barrow vs the transfer floor, applyInPandas + TA-Lib
and Spark's native window functions, on the same data in one run.

Run: .venv/bin/python benches/bench_spark.py [--symbols 400 --bars 2520 --master local[2]]

Each variant computes its columns for every row and writes them to Spark's
"noop" sink, so the full stage runs and nothing is collected. Reported: best
wall time of --repeat runs and the ratio to the identity mapInArrow (the cost
of moving the rows through Arrow to Python and back).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

import barrow
from barrow.spark import add_indicators
from barrow.table import indicator, output_columns, spec

SPEC = spec(
    [
        indicator("SMA", name="sma_20", timeperiod=20),
        indicator("SMA", name="sma_50", timeperiod=50),
        indicator("EMA", name="ema_20", timeperiod=20),
        indicator("EMA", name="ema_50", timeperiod=50),
        indicator("RSI", name="rsi_14", timeperiod=14),
        indicator("MACD", name="macd"),
        indicator("BBANDS", name="bb", timeperiod=20),
        indicator("ATR", name="atr_14", timeperiod=14),
        indicator("LOG_RETURN", name="ret_1", timeperiod=1),
        indicator("LOG_RETURN", name="ret_5", timeperiod=5),
    ]
)


def talib_frame(pdf):
    import talib

    pdf = pdf.sort_values("timestamp")
    c, h, lo = pdf["close"].to_numpy(), pdf["high"].to_numpy(), pdf["low"].to_numpy()
    out = pdf.copy()
    out["sma_20"] = talib.SMA(c, 20)
    out["sma_50"] = talib.SMA(c, 50)
    out["ema_20"] = talib.EMA(c, 20)
    out["ema_50"] = talib.EMA(c, 50)
    out["rsi_14"] = talib.RSI(c, 14)
    out["macd_macd"], out["macd_macdsignal"], out["macd_macdhist"] = talib.MACD(c)
    out["bb_upperband"], out["bb_middleband"], out["bb_lowerband"] = talib.BBANDS(c, 20)
    out["atr_14"] = talib.ATR(h, lo, c, 14)
    r1 = np.full(len(c), np.nan)
    r1[1:] = np.log(c[1:] / c[:-1])
    r5 = np.full(len(c), np.nan)
    r5[5:] = np.log(c[5:] / c[:-5])
    out["ret_1"], out["ret_5"] = r1, r5
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--symbols", type=int, default=400)
    parser.add_argument("--bars", type=int, default=2520)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=10000, help="spark.sql.execution.arrow.maxRecordsPerBatch")
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession, Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    spark = (
        SparkSession.builder.master(args.master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    parts = 2 * spark.sparkContext.defaultParallelism
    bars = barrow.generate(symbols=args.symbols, bars=args.bars)
    df = spark.createDataFrame(bars.to_pandas()).repartition(parts).cache()
    n = df.count()
    cols = output_columns(SPEC)
    out_schema = T.StructType([*df.schema.fields, *(T.StructField(c, T.DoubleType()) for c in cols)])

    def identity():
        return (
            df.repartition(parts, "symbol")
            .sortWithinPartitions("symbol", "timestamp")
            .mapInArrow(lambda it: it, df.schema)
        )

    def pandas_talib():
        return df.groupBy("symbol").applyInPandas(talib_frame, out_schema)

    def native():
        w = Window.partitionBy("symbol").orderBy("timestamp")
        exprs = {}
        for k in (20, 50):
            frame = w.rowsBetween(-(k - 1), 0)
            exprs[f"sma_{k}"] = F.when(F.count("close").over(frame) == k, F.avg("close").over(frame))
        f20 = w.rowsBetween(-19, 0)
        sd = F.stddev_pop("close").over(f20)
        mid = F.when(F.count("close").over(f20) == 20, F.avg("close").over(f20))
        exprs["bb_upperband"], exprs["bb_middleband"], exprs["bb_lowerband"] = mid + 2 * sd, mid, mid - 2 * sd
        exprs["ret_1"] = F.log(F.col("close") / F.lag("close", 1).over(w))
        exprs["ret_5"] = F.log(F.col("close") / F.lag("close", 5).over(w))
        return df.select("*", *(e.alias(k) for k, e in exprs.items()))

    variants = [
        ("identity mapInArrow (floor)", identity),
        ("barrow mapInArrow, 10 indicators", lambda: add_indicators(df, SPEC, partitions=parts)),
        ("applyInPandas + TA-Lib, same 10", pandas_talib),
        ("native windows (SMA x2, BBANDS, returns x2)", native),
    ]
    # Warm up the JVM and the Python workers once before timing anything.
    identity().write.format("noop").mode("overwrite").save()
    times = {}
    for name, make in variants:
        best = float("inf")
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            make().write.format("noop").mode("overwrite").save()
            best = min(best, time.perf_counter() - t0)
        times[name] = best
    floor = times[variants[0][0]]
    print(f"{n:,} rows ({args.symbols} symbols x {args.bars} bars), {args.master}, best of {args.repeat}")
    print(f"{'variant':<46}{'seconds':>9}{'vs floor':>10}")
    for name, t in times.items():
        print(f"{name:<46}{t:>9.2f}{t / floor:>10.2f}")
    talib_t = times[variants[2][0]]
    barrow_t = times[variants[1][0]]
    print(f"barrow vs applyInPandas + TA-Lib: {talib_t / barrow_t:.2f}x faster")
    spark.stop()


if __name__ == "__main__":
    main()
