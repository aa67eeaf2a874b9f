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

import numpy as np
import pyarrow as pa

from . import _native
from .table import Pipeline, SpecLike, output_columns, output_fields, to_json

__all__ = [
    "add_indicators",
    "apply_model",
    "model_config",
    "model_output_schema",
    "next_bar_up",
    "run_models",
    "train_pooled",
]


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
    close, split={"fraction": f}, {"time": t} or
    {"walk_forward": {"train": w, "step": k}} (every k bars, refit on the
    trailing w bars and predict the next k), tree={criterion, max_depth,
    min_samples_split, min_samples_leaf, n_estimators (a random forest),
    random_state}, fee, periods_per_year, threshold, min_train_rows)."""
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


def next_bar_up(df: Any, symbol: str = "symbol", timestamp: str = "timestamp", close: str = "close") -> Any:
    """Adds ``label`` = 1 when the next bar of the same symbol closes higher,
    0 when not, null on each symbol's last bar (the model stage's label)."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    nxt = F.lead(F.col(close)).over(Window.partitionBy(symbol).orderBy(timestamp))
    return df.withColumn("label", F.when(nxt.isNull(), F.lit(None)).otherwise((nxt > F.col(close)).cast("int")))


def train_pooled(
    df: Any,
    features: List[str],
    label: str = "label",
    estimator: Any = None,
    fraction: Optional[float] = None,
    max_rows: int = 1_000_000,
    seed: int = 0,
) -> Any:
    """Fits one model on the driver from a sample of rows pooled across
    symbols: rows with a label are sampled (``fraction``, or enough for
    ``max_rows``), collected through Arrow and fitted with ``estimator``
    (default: ``barrow.ensemble.RandomForestClassifier(n_estimators=50,
    min_samples_leaf=20)``). Returns the fitted estimator, ready for
    :func:`apply_model`. Only the sampled rows are used: pick the rows
    (e.g. a date range) before calling, to keep later rows out of training."""
    from pyspark.sql import functions as F

    _check_columns(df, [*features, label], "train_pooled")
    rows = df.where(F.col(label).isNotNull()).select(*features, label)
    if fraction is None:
        total = rows.count()
        if total == 0:
            raise ValueError("train_pooled: no row has a label")
        fraction = min(1.0, max_rows / total)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"train_pooled: fraction must be in (0, 1], got {fraction!r}")
    sample = rows.sample(fraction=fraction, seed=seed) if fraction < 1.0 else rows
    table = sample.toArrow() if hasattr(sample, "toArrow") else pa.Table.from_pandas(sample.toPandas())
    if table.num_rows == 0:
        raise ValueError("train_pooled: the sample is empty; raise fraction")
    X = np.column_stack([table.column(f).to_numpy(zero_copy_only=False).astype(np.float64) for f in features])
    y = table.column(label).to_numpy(zero_copy_only=False)
    if estimator is None:
        from .ensemble import RandomForestClassifier

        estimator = RandomForestClassifier(n_estimators=50, min_samples_leaf=20, random_state=seed)
    return estimator.fit(X, y)


def apply_model(df: Any, model: Any, features: List[str], prefix: str = "") -> Any:
    """Applies a fitted barrow tree or forest (an estimator from
    :mod:`barrow.tree` / :mod:`barrow.ensemble`, or its ``to_json()``) to every
    row inside ``mapInArrow``: the model is broadcast as JSON once and
    deserialized once per task. Appends ``{prefix}prediction`` (class index
    for classifiers, into ``model.classes_``; the value for regressors) and,
    for classifiers, ``{prefix}proba_{k}``. Null or NaN features are missing
    values, routed as learned."""
    T = _types()
    model_json = model if isinstance(model, str) else model.to_json()
    native = _native.Model.from_json(model_json)
    if native.n_features != len(features):
        raise ValueError(f"apply_model: {len(features)} features given, the model was fitted with {native.n_features}")
    _check_columns(df, list(features), "apply_model")
    fields = native.prediction_fields(prefix)
    clash = [name for name, _ in fields if name in df.columns]
    if clash:
        raise ValueError(f"apply_model: output column(s) {clash} already exist; pass another prefix")
    kinds = {"double": T.DoubleType(), "int": T.IntegerType()}
    schema = T.StructType([*df.schema.fields, *(T.StructField(n, kinds[k], True) for n, k in fields)])
    shared = df.sparkSession.sparkContext.broadcast(model_json)
    features = list(features)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        local = _native.Model.from_json(shared.value)
        for batch in batches:
            yield pa.record_batch(local.predict_batch(batch, features, prefix))

    return df.mapInArrow(run, schema)
