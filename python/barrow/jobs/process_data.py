"""``spark-submit process_data.py INPUT [OUTPUT] [options]``

Reads OHLCV bars (see :mod:`barrow.jobs.inputs`), validates them, computes
indicators, labels each bar by whether the next one closes higher, trains a
decision tree (or, with ``--trees N``, a random forest) per symbol on the
earlier part of its history (or walks forward, ``--walk-forward TRAIN,STEP``),
predicts the later part, backtests the prediction signal, and writes to
OUTPUT:

- ``predictions/``: Parquet partitioned by ``symbol=`` (Hive layout),
- ``metrics/``: Parquet, one row per symbol,
- ``summary.json``: the run's parameters and mean metrics,

then prints strategy against buy-and-hold. Without a cluster it runs on
``local[*]``. Bad input stops the job before anything is written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

from barrow import __version__
from barrow.jobs.inputs import InputError, load_bars, write_text
from barrow.table import indicator, output_columns, spec, to_json

DEFAULT_SPEC = spec(
    [
        indicator("RSI", name="rsi_14", timeperiod=14),
        indicator("RSI", name="rsi_5", timeperiod=5),
        indicator("LOG_RETURN", name="ret_1", timeperiod=1),
        indicator("LOG_RETURN", name="ret_5", timeperiod=5),
        indicator("LOG_RETURN", name="ret_20", timeperiod=20),
        indicator("SMA", name="sma_20", timeperiod=20),
        indicator("EMA", name="ema_20", timeperiod=20),
        indicator("MACD", name="macd"),
        indicator("BBANDS", name="bb", timeperiod=20),
        indicator("ATR", name="atr_14", timeperiod=14),
    ]
)
# Scale-free outputs of the default spec: usable across price levels.
DEFAULT_FEATURES = ["rsi_14", "rsi_5", "ret_1", "ret_5", "ret_20"]

PREDICTION_COLUMNS = ["symbol", "timestamp", "close", "label", "proba_up", "position", "strategy_return", "equity"]


def default_output(input_path: str) -> str:
    base = input_path.rstrip("/")
    stem, ext = os.path.splitext(base)
    return (stem if ext.lower() in (".csv", ".parquet") else base) + "_barrow"


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="process_data.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("input", help="CSV file, folder of CSVs, or Parquet (local path or s3://)")
    p.add_argument("output", nargs="?", help="output folder (default: INPUT without extension + '_barrow')")
    p.add_argument("--spec", help="indicator spec: a JSON file or inline JSON (default: RSI, returns, MAs, MACD, ...)")
    p.add_argument("--features", help=f"comma-separated feature columns (default: {','.join(DEFAULT_FEATURES)})")
    split = p.add_mutually_exclusive_group()
    split.add_argument("--train-fraction", type=float, default=None, help="share of each symbol's bars to train on")
    split.add_argument("--split-date", help="train on bars before this date (YYYY-MM-DD)")
    split.add_argument(
        "--walk-forward",
        metavar="TRAIN,STEP",
        help="every STEP bars, refit on the trailing TRAIN bars and predict the next STEP",
    )
    p.add_argument("--fee", type=float, default=0.0005, help="proportional fee per position change")
    p.add_argument("--max-depth", type=int, default=5)
    p.add_argument("--min-samples-leaf", type=int, default=20)
    p.add_argument("--trees", type=int, default=None, help="fit a random forest of this many trees per symbol")
    p.add_argument("--threshold", type=float, default=0.5, help="go long when P(up) exceeds this")
    p.add_argument("--partitions", type=int, default=None, help="Spark partitions for the symbol stage")
    p.add_argument("--master", default=None, help="Spark master when not set by spark-submit (default local[*])")
    return p.parse_args(argv)


def _spec_from(arg: Optional[str]) -> Any:
    if not arg:
        return DEFAULT_SPEC
    if os.path.exists(arg):
        with open(arg) as fh:
            return fh.read()
    return arg


def _session(master: Optional[str]) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("barrow-process-data")
    builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
    existing = SparkSession.getActiveSession()
    if existing is not None:
        return existing
    from pyspark import SparkConf

    if master or not SparkConf().contains("spark.master"):
        builder = builder.master(master or "local[*]")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("WARN")
    return session


def _split_rule(df: Any, args: argparse.Namespace) -> Dict[str, Any]:
    from pyspark.sql import types as T

    if args.walk_forward is not None:
        try:
            train, step = (int(v) for v in args.walk_forward.split(","))
        except ValueError:
            raise InputError(f"--walk-forward must be TRAIN,STEP (two integers), got {args.walk_forward!r}") from None
        return {"walk_forward": {"train": train, "step": step}}
    if args.split_date is None:
        fraction = 0.7 if args.train_fraction is None else args.train_fraction
        if not 0.0 < fraction < 1.0:
            raise InputError(f"--train-fraction must be in (0, 1), got {fraction}")
        return {"fraction": fraction}
    try:
        day = dt.date.fromisoformat(args.split_date)
    except ValueError:
        raise InputError(f"--split-date must be YYYY-MM-DD, got {args.split_date!r}") from None
    days = (day - dt.date(1970, 1, 1)).days
    if isinstance(df.schema["timestamp"].dataType, T.DateType):
        return {"time": days}
    return {"time": days * 86_400_000_000}


def run(spark: Any, args: argparse.Namespace) -> Dict[str, Any]:
    from pyspark.sql import functions as F

    from barrow.spark import run_models

    started = time.perf_counter()
    output = args.output or default_output(args.input)
    spec_json = to_json(_spec_from(args.spec))
    produced = output_columns(spec_json)
    features = [f.strip() for f in args.features.split(",")] if args.features else DEFAULT_FEATURES
    unknown = [f for f in features if f not in produced]
    if unknown:
        raise InputError(f"--features {unknown} are not produced by the spec, which produces {produced}")
    bars = load_bars(spark, args.input)
    config = {
        "features": features,
        "split": _split_rule(bars, args),
        "tree": {"max_depth": args.max_depth, "min_samples_leaf": args.min_samples_leaf, "n_estimators": args.trees},
        "fee": args.fee,
        "threshold": args.threshold,
    }
    result = run_models(bars, config, spec_like=spec_json, partitions=args.partitions).cache()
    try:
        predictions = result.filter(F.col("record") == "prediction").select(*PREDICTION_COLUMNS)
        metric_cols = [c for c in result.columns if c not in PREDICTION_COLUMNS[1:] and c != "record"]
        metrics = result.filter(F.col("record") == "metrics").select(*metric_cols)
        predictions.write.mode("overwrite").partitionBy("symbol").parquet(f"{output}/predictions")
        metrics.coalesce(1).write.mode("overwrite").parquet(f"{output}/metrics")
        # One row per symbol: aggregates, not raw data.
        rows = [r.asDict() for r in metrics.orderBy("symbol").collect()]
    finally:
        result.unpersist()
    summary = _summary(rows, args, config, spec_json, output, time.perf_counter() - started)
    write_text(spark, f"{output}/summary.json", json.dumps(summary, indent=2, default=str))
    summary["per_symbol"] = rows
    return summary


def _mean(rows: List[Dict[str, Any]], key: str) -> Optional[float]:
    vals = [r[key] for r in rows if r.get(key) is not None]
    return sum(vals) / len(vals) if vals else None


def _summary(rows, args, config, spec_json, output, seconds) -> Dict[str, Any]:
    keys = ["total_return", "cagr", "sharpe", "max_drawdown", "annual_volatility", "exposure"]
    return {
        "barrow_version": __version__,
        "input": args.input,
        "output": output,
        "symbols": len(rows),
        "test_bars": sum(r["n_test"] or 0 for r in rows),
        "model": config,
        "spec": json.loads(spec_json),
        "mean_accuracy": _mean(rows, "accuracy"),
        "mean_strategy": {k: _mean(rows, f"strategy_{k}") for k in keys},
        "mean_buy_and_hold": {k: _mean(rows, f"buy_and_hold_{k}") for k in keys},
        "seconds": round(seconds, 3),
    }


def _fmt(v: Any, pct: bool = True) -> str:
    if v is None:
        return "n/a"
    return f"{v:.2%}" if pct else f"{v:.2f}"


def print_table(summary: Dict[str, Any], limit: int = 25) -> None:
    rows = summary["per_symbol"]
    print(
        f"barrow {summary['barrow_version']}: {summary['symbols']} symbols, {summary['test_bars']:,} test bars "
        f"-> {summary['output']}"
    )
    head = f"{'symbol':<12}{'accuracy':>9}{'strategy':>11}{'buy&hold':>11}{'strat sharpe':>14}{'b&h sharpe':>12}"
    print(head)
    print("-" * len(head))
    for r in rows[:limit]:
        print(
            f"{r['symbol']:<12}{_fmt(r['accuracy'], False):>9}{_fmt(r['strategy_total_return']):>11}"
            f"{_fmt(r['buy_and_hold_total_return']):>11}{_fmt(r['strategy_sharpe'], False):>14}"
            f"{_fmt(r['buy_and_hold_sharpe'], False):>12}"
        )
    if len(rows) > limit:
        print(f"... {len(rows) - limit} more symbols")
    ms, mb = summary["mean_strategy"], summary["mean_buy_and_hold"]
    print(
        f"{'mean':<12}{_fmt(summary['mean_accuracy'], False):>9}{_fmt(ms['total_return']):>11}"
        f"{_fmt(mb['total_return']):>11}{_fmt(ms['sharpe'], False):>14}{_fmt(mb['sharpe'], False):>12}"
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    spark = _session(args.master)
    try:
        summary = run(spark, args)
    except (InputError, ValueError, TypeError) as exc:
        print(f"process_data: error: {exc}", file=sys.stderr)
        return 2
    print_table(summary)
    return 0
