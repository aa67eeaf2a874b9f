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
import math
from typing import Any, Dict, Iterator, List, Optional, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import _native
from .table import Pipeline, SpecLike, output_columns, output_fields, to_json

__all__ = [
    "add_indicators",
    "apply_model",
    "model_config",
    "model_output_schema",
    "next_bar_up",
    "run_models",
    "sweep",
    "train_pooled",
    "walk_forward",
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


# ---- backtest sweeps and walk-forward ----

_CHUNK = "__barrow_chunk"


def _spark_schema(columns: List[Tuple[str, str]]) -> Any:
    T = _types()
    kinds = {"string": T.StringType(), "long": T.LongType(), "double": T.DoubleType()}
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in columns])


def _key_runs(batch: pa.RecordBatch, keys: List[str]) -> List[Tuple[int, int]]:
    """(start, end) of the runs of equal key values in a sorted batch."""
    n = batch.num_rows
    if n == 0:
        return []
    change = None
    for k in keys:
        col = batch.column(batch.schema.get_field_index(k))
        diff = pc.not_equal(col.slice(1), col.slice(0, n - 1))
        change = diff if change is None else pc.or_(change, diff)
    starts = [0] + [int(i) + 1 for i in pc.indices_nonzero(change).to_pylist()] if n > 1 else [0]
    return list(zip(starts, [*starts[1:], n]))


def _grouped(batches: Iterator[pa.RecordBatch], keys: List[str]) -> Iterator[pa.Table]:
    """Regroups a stream sorted by ``keys`` into one table per key value."""
    pending: List[pa.RecordBatch] = []
    last: Optional[tuple] = None
    for batch in batches:
        for start, end in _key_runs(batch, keys):
            part = batch.slice(start, end - start)
            key = tuple(part.column(part.schema.get_field_index(k))[0].as_py() for k in keys)
            if last is not None and key != last and pending:
                yield pa.Table.from_batches(pending)
                pending = []
            pending.append(part)
            last = key
    if pending:
        yield pa.Table.from_batches(pending)


def _input_columns(df: Any, spec: Dict[str, Any], timestamp: str) -> List[str]:
    cols = spec["columns"]
    need = [cols["symbol"], timestamp, cols["close"]]
    _check_columns(df, need, "sweep")
    optional = [cols[k] for k in ("open", "high", "low") if cols[k] in df.columns]
    signals = [cols["entries"], cols["exits"]] if spec["strategy"] == "signals" else []
    _check_columns(df, signals, "sweep (signals template)")
    return need + optional + signals


def sweep(
    df: Any,
    strategy: str,
    grid: Any,
    *,
    timestamp: str = "timestamp",
    chunk_size: int = 256,
    partitions: Optional[int] = None,
    **options: Any,
) -> Any:
    """:func:`barrow.backtest.sweep` over a Spark DataFrame of bars: the work
    is spread over executors as (symbol, parameter-chunk) tasks of at most
    ``chunk_size`` combinations through ``mapInArrow``; each task holds one
    symbol's history. Returns a DataFrame with one row per (symbol,
    combination): symbol, the parameters, and the metrics."""
    from .backtest import sweep_spec

    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    spec = sweep_spec(strategy, grid, timestamp=timestamp, **options)
    columns = _native.plan_sweep(json.dumps(spec))[1]
    combos = spec["combos"]
    chunks = math.ceil(len(combos) / chunk_size)
    chunk_specs = [json.dumps({**spec, "combos": combos[k * chunk_size : (k + 1) * chunk_size]}) for k in range(chunks)]
    symbol = spec["columns"]["symbol"]
    keep = _input_columns(df, spec, timestamp)
    ids = df.sparkSession.range(chunks).withColumnRenamed("id", _CHUNK)
    work = df.select(*keep).crossJoin(ids)
    if partitions is None:
        partitions = 2 * df.sparkSession.sparkContext.defaultParallelism
    elif isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise ValueError(f"partitions must be a positive integer, got {partitions!r}")
    work = work.repartition(partitions, symbol, _CHUNK).sortWithinPartitions(symbol, _CHUNK, timestamp)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for group in _grouped(batches, [symbol, _CHUNK]):
            chunk = group.column(_CHUNK)[0].as_py()
            out = pa.table(_native.sweep_table(chunk_specs[chunk], group.drop_columns([_CHUNK])))
            yield from out.to_batches()

    return work.mapInArrow(run, _spark_schema(columns))


def walk_forward(
    df: Any,
    strategy: str,
    grid: Any,
    *,
    train: int,
    test: int,
    step: Optional[int] = None,
    metric: str = "sharpe",
    maximize: bool = True,
    timestamp: str = "timestamp",
    partitions: Optional[int] = None,
    **options: Any,
) -> Any:
    """:func:`barrow.backtest.walk_forward` over a Spark DataFrame: one task
    per symbol (its combinations run in parallel inside the task). Returns a
    DataFrame with one row per (symbol, window): bar indices of the window,
    the chosen parameters, their in-sample metric and their out-of-sample
    metrics."""
    from .backtest import walk_forward_spec

    spec = walk_forward_spec(
        strategy,
        grid,
        train=train,
        test=test,
        step=step,
        metric=metric,
        maximize=maximize,
        timestamp=timestamp,
        **options,
    )
    spec_json = json.dumps(spec)
    columns = _native.plan_sweep(spec_json, True)[1]
    symbol = spec["sweep"]["columns"]["symbol"]
    keep = _input_columns(df, spec["sweep"], timestamp)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for group in _grouped(batches, [symbol]):
            yield from pa.table(_native.walk_forward_table(spec_json, group)).to_batches()

    work = _partitioned(df.select(*keep), symbol, timestamp, partitions)
    return work.mapInArrow(run, _spark_schema(columns))
