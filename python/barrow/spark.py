"""Spark stages: barrow's Rust kernels inside ``mapInArrow``.

Rows are hash-partitioned by symbol and sorted by (symbol, timestamp) within
each partition, so every symbol's rows reach one Python worker in order,
possibly spread over several Arrow batches; the Rust state machines carry
each symbol's state from one batch to the next. The output schema is derived
from the spec, so Spark plans the stage without running it. Works with
Spark 3.5 (``mapInArrow``, no ``applyInArrow``) and Spark 4.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, List, Optional

import pyarrow as pa

from . import _native
from .table import Pipeline, SpecLike, output_columns, output_fields, to_json

__all__ = ["add_indicators", "model_config", "model_output_schema", "run_models"]


def _types():
    from pyspark.sql import types as T

    return T


def _check_columns(df: Any, names: List[str], what: str) -> None:
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {missing}; the DataFrame has columns {df.columns}")


def _partitioned(df: Any, symbol: str, timestamp: str, partitions: Optional[int]) -> Any:
    if partitions is not None:
        if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
            raise ValueError(f"partitions must be a positive integer, got {partitions!r}")
    else:
        # A few partitions per core; symbols are hashed into them.
        partitions = 2 * df.sparkSession.sparkContext.defaultParallelism
    return df.repartition(partitions, symbol).sortWithinPartitions(symbol, timestamp)


def add_indicators(df: Any, spec_like: SpecLike, partitions: Optional[int] = None) -> Any:
    """Appends the spec's indicator columns to a Spark DataFrame (DoubleType;
    IntegerType for integer outputs such as candlestick codes)."""
    T = _types()
    spec_json = to_json(spec_like)
    spec = json.loads(spec_json)
    symbol, timestamp = spec["symbol"], spec["timestamp"]
    _check_columns(df, [symbol, timestamp], "add_indicators")
    fields = output_fields(spec_json)
    new = [name for name, _ in fields]
    clash = [c for c in new if c in df.columns]
    if clash:
        raise ValueError(f"add_indicators: output column(s) {clash} already exist; name the indicators differently")
    kinds = {"double": T.DoubleType(), "int": T.IntegerType()}
    schema = T.StructType([*df.schema.fields, *(T.StructField(c, kinds[k], True) for c, k in fields)])

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pipeline = Pipeline(spec_json)
        for batch in batches:
            yield pipeline.process(batch)

    return _partitioned(df, symbol, timestamp, partitions).mapInArrow(run, schema)


def model_config(features: List[str], **options: Any) -> Dict[str, Any]:
    """A model-stage config: feature columns plus options (symbol, timestamp,
    close, split={"fraction": f} or {"time": t}, tree={...}, fee,
    periods_per_year, threshold, min_train_rows)."""
    config = {"features": list(features), **options}
    return json.loads(_native.ModelStage(json.dumps(config)).config_json)


def model_output_schema(time_type: Any) -> Any:
    """Spark schema of the model stage's output for a timestamp column of
    Spark type ``time_type``."""
    T = _types()
    kinds = {"string": T.StringType(), "double": T.DoubleType(), "long": T.LongType(), "int": T.IntegerType()}
    return T.StructType(
        [
            T.StructField(name, time_type if kind == "time" else kinds[kind], True)
            for name, kind in _native.ModelStage.output_columns()
        ]
    )


def run_models(
    df: Any, config: Dict[str, Any], spec_like: Optional[SpecLike] = None, partitions: Optional[int] = None
) -> Any:
    """Per-symbol train / predict / backtest. With ``spec_like``, indicators
    are computed first in the same stage (one shuffle). Returns prediction
    rows (``record = 'prediction'``) and one metrics row per symbol
    (``record = 'metrics'``)."""
    config_json = json.dumps(model_config(**config) if "features" in config else config)
    cfg = json.loads(config_json)
    spec_json = to_json(spec_like) if spec_like is not None else None
    symbol, timestamp = cfg["symbol"], cfg["timestamp"]
    _check_columns(df, [symbol, timestamp, cfg["close"]], "run_models")
    produced = output_columns(spec_json) if spec_json else []
    _check_columns(df, [f for f in cfg["features"] if f not in produced], "run_models features")
    schema = model_output_schema(df.schema[timestamp].dataType)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pipeline = Pipeline(spec_json) if spec_json else None
        stage = _native.ModelStage(config_json)
        for batch in batches:
            if pipeline is not None:
                batch = pipeline.process(batch)
            for out in stage.push(batch):
                yield pa.record_batch(out)
        for out in stage.finish():
            yield pa.record_batch(out)

    return _partitioned(df, symbol, timestamp, partitions).mapInArrow(run, schema)
