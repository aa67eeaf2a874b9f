"""Command line: ``barrow demo`` runs the local research pipeline on
generated data (features -> tree -> backtest summary); ``barrow functions``
lists the indicator catalogue."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import __version__, functions
from .backtest import backtest
from .data import generate
from .table import compute, indicator, spec
from .tree import DecisionTreeClassifier

DEMO_SPEC = spec(
    [
        indicator("RSI", name="rsi_14", timeperiod=14),
        indicator("LOG_RETURN", name="ret_1", timeperiod=1),
        indicator("LOG_RETURN", name="ret_5", timeperiod=5),
        indicator("LOG_RETURN", name="ret_20", timeperiod=20),
        indicator("SMA", name="sma_50", timeperiod=50),
        indicator("EMA", name="ema_20", timeperiod=20),
        indicator("MACD", name="macd"),
        indicator("BBANDS", name="bb", timeperiod=20),
        indicator("ATR", name="atr_14", timeperiod=14),
    ]
)

FEATURES = ["rsi_14", "ret_1", "ret_5", "ret_20", "trend_50", "trend_20", "macd_rel", "bb_pos", "atr_rel"]


def _model_frame(table: pa.Table) -> pa.Table:
    """Scale-free model features and the next-bar-up label."""
    close = table["close"]
    feats = {
        "trend_50": pc.subtract(pc.divide(close, table["sma_50"]), 1.0),
        "trend_20": pc.subtract(pc.divide(close, table["ema_20"]), 1.0),
        "macd_rel": pc.divide(table["macd_macdhist"], close),
        "bb_pos": pc.divide(
            pc.subtract(close, table["bb_lowerband"]),
            pc.subtract(table["bb_upperband"], table["bb_lowerband"]),
        ),
        "atr_rel": pc.divide(table["atr_14"], close),
    }
    for name, col in feats.items():
        table = table.append_column(name, col)
    # Label: does the next bar of the same symbol close higher?
    sym = table["symbol"].to_numpy(zero_copy_only=False)
    nxt = np.empty(len(sym))
    nxt[:-1] = table["ret_1"].to_numpy()[1:]
    nxt[-1] = np.nan
    last_of_symbol = np.append(sym[1:] != sym[:-1], True)
    nxt[last_of_symbol] = np.nan
    table = table.append_column("next_ret", pa.array(nxt))
    return table


def run_demo(
    symbols: int, bars: int, seed: int, fee: float, train_fraction: float, max_depth: int, out: Optional[str]
) -> Dict[str, Any]:
    """Generates data, computes indicators, trains a pooled tree on the early
    part of every symbol's history and backtests its signal on the rest."""
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train fraction must be in (0, 1), got {train_fraction}")
    t0 = time.perf_counter()
    bars_table = generate(symbols=symbols, bars=bars, seed=seed)
    t1 = time.perf_counter()
    table = _model_frame(compute(bars_table, DEMO_SPEC))
    t2 = time.perf_counter()

    X = np.column_stack([table[f].to_numpy() for f in FEATURES])
    nxt = table["next_ret"].to_numpy()
    valid = np.isfinite(X).all(axis=1) & np.isfinite(nxt)
    days = table["timestamp"].to_numpy()
    cut = np.sort(np.unique(days))[int(len(np.unique(days)) * train_fraction)]
    train = valid & (days < cut)
    test = valid & (days >= cut)
    y = (nxt > 0).astype(np.int64)
    model = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=50).fit(X[train], y[train])
    t3 = time.perf_counter()
    proba = np.full(len(y), np.nan)
    proba[test] = model.predict_proba(X[test])[:, list(model.classes_).index(1)]
    accuracy = float(np.mean((proba[test] > 0.5) == y[test]))

    sym = table["symbol"].to_numpy(zero_copy_only=False)
    close = table["close"].to_numpy()
    rows: List[Dict[str, Any]] = []
    for s in np.unique(sym):
        idx = np.flatnonzero((sym == s) & test)
        if len(idx) < 2:
            continue
        position = (proba[idx] > 0.5).astype(np.float64)
        r = backtest(close[idx], position, fee=fee)
        rows.append(
            {
                "symbol": str(s),
                **{f"strategy_{k}": v for k, v in r.strategy.items()},
                **{f"buy_and_hold_{k}": v for k, v in r.buy_and_hold.items()},
            }
        )
    t4 = time.perf_counter()

    def mean(key: str) -> float:
        vals = np.array([row[key] for row in rows], dtype=np.float64)
        return float(np.nanmean(vals)) if np.isfinite(vals).any() else float("nan")

    summary = {
        "barrow_version": __version__,
        "symbols": symbols,
        "bars": bars,
        "rows": table.num_rows,
        "train_rows": int(train.sum()),
        "test_rows": int(test.sum()),
        "split_date": str(np.datetime64(cut, "D")) if hasattr(cut, "dtype") else str(cut),
        "fee": fee,
        "tree_depth": model.get_depth(),
        "test_accuracy": accuracy,
        "feature_importances": dict(zip(FEATURES, map(float, model.feature_importances_))),
        "mean_strategy": {k: mean(f"strategy_{k}") for k in ("total_return", "sharpe", "max_drawdown", "exposure")},
        "mean_buy_and_hold": {k: mean(f"buy_and_hold_{k}") for k in ("total_return", "sharpe", "max_drawdown")},
        "seconds": {"generate": t1 - t0, "indicators": t2 - t1, "fit": t3 - t2, "predict_backtest": t4 - t3},
    }
    if out:
        os.makedirs(out, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows), os.path.join(out, "metrics.parquet"))
        with open(os.path.join(out, "summary.json"), "w") as fh:
            json.dump(summary, fh, indent=2, default=_json_default)
    summary["per_symbol"] = rows
    return summary


def _json_default(v: Any) -> Any:
    if isinstance(v, float) and not np.isfinite(v):
        return None
    return str(v)


def _print_summary(summary: Dict[str, Any], limit: int = 10) -> None:
    print(
        f"barrow {summary['barrow_version']}: {summary['symbols']} symbols x {summary['bars']} bars "
        f"({summary['rows']:,} rows); train < {summary['split_date']} ({summary['train_rows']:,} rows), "
        f"test {summary['test_rows']:,} rows"
    )
    print(f"tree depth {summary['tree_depth']}, out-of-sample accuracy {summary['test_accuracy']:.4f}")
    header = f"{'symbol':<10}{'strategy':>12}{'buy&hold':>12}{'strat sharpe':>14}{'b&h sharpe':>12}{'strat maxdd':>13}"
    print(header)
    print("-" * len(header))
    for row in summary["per_symbol"][:limit]:
        print(
            f"{row['symbol']:<10}{row['strategy_total_return']:>12.2%}{row['buy_and_hold_total_return']:>12.2%}"
            f"{row['strategy_sharpe']:>14.2f}{row['buy_and_hold_sharpe']:>12.2f}{row['strategy_max_drawdown']:>13.2%}"
        )
    if len(summary["per_symbol"]) > limit:
        print(f"... {len(summary['per_symbol']) - limit} more symbols")
    ms, mb = summary["mean_strategy"], summary["mean_buy_and_hold"]
    print(
        f"{'mean':<10}{ms['total_return']:>12.2%}{mb['total_return']:>12.2%}{ms['sharpe']:>14.2f}"
        f"{mb['sharpe']:>12.2f}{ms['max_drawdown']:>13.2%}"
    )
    secs = summary["seconds"]
    print("timings: " + ", ".join(f"{k} {v:.3f}s" for k, v in secs.items()))


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="barrow", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="features -> tree -> backtest on generated data")
    demo.add_argument("--symbols", type=int, default=20)
    demo.add_argument("--bars", type=int, default=2520)
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument("--fee", type=float, default=0.0005, help="proportional fee per position change")
    demo.add_argument("--train-fraction", type=float, default=0.7)
    demo.add_argument("--max-depth", type=int, default=5)
    demo.add_argument("--out", default="out/demo", help="folder for summary.json and metrics.parquet")
    sub.add_parser("functions", help="list the indicator catalogue")
    sample = sub.add_parser("sample-data", help="write generated bars as Yahoo-style CSV files")
    sample.add_argument("folder")
    sample.add_argument("--symbols", type=int, default=20)
    sample.add_argument("--bars", type=int, default=2520)
    sample.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    try:
        if args.command == "sample-data":
            from .data import write_yahoo_csvs

            paths = write_yahoo_csvs(args.folder, args.symbols, args.bars, args.seed)
            print(f"wrote {len(paths)} files to {args.folder}")
            return 0
        if args.command == "functions":
            for f in functions():
                params = ", ".join(f"{p['name']}={p['default']:g}" for p in f["params"])
                print(
                    f"{f['name']:<12}{f['group']:<24}({', '.join(f['inputs'])}; {params}) -> {', '.join(f['outputs'])}"
                )
            return 0
        summary = run_demo(args.symbols, args.bars, args.seed, args.fee, args.train_fraction, args.max_depth, args.out)
        _print_summary(summary)
        if args.out:
            print(f"wrote {os.path.join(args.out, 'summary.json')} and metrics.parquet")
        return 0
    except (ValueError, TypeError) as exc:
        print(f"barrow: error: {exc}", file=sys.stderr)
        return 2
