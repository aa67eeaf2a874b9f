"""Backtest sweeps and walk-forward optimization as Spark stages
(``mapInArrow``), against the same computations run locally."""

from __future__ import annotations

import os
import sys

import numpy as np
import pyarrow as pa
import pytest

import barrow
from barrow.backtest import sweep, walk_forward

pyspark = pytest.importorskip("pyspark")

GRID = {"fast": [5, 8, 13, 21], "slow": [10, 20, 40, 60]}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("barrow-backtest-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "97")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def bars():
    return barrow.generate(symbols=4, bars=700, seed=5)


@pytest.fixture(scope="module")
def bars_df(spark, bars):
    # Shuffle the rows: the stage must sort them itself.
    pdf = bars.to_pandas().sample(frac=1.0, random_state=1)
    return spark.createDataFrame(pdf)


def collect(df) -> pa.Table:
    """Rows of a Spark DataFrame as Arrow (Spark 3.5 has no ``toArrow``)."""
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)


def as_sorted(table: pa.Table, keys) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in keys])


def _missing(x) -> bool:
    # Spark 3.5 collects through pandas, which turns NaN into null.
    return x is None or (isinstance(x, float) and np.isnan(x))


def assert_tables_equal(got: pa.Table, ref: pa.Table) -> None:
    assert got.column_names == ref.column_names
    assert got.num_rows == ref.num_rows
    for name in ref.column_names:
        a, b = got.column(name).to_pylist(), ref.column(name).to_pylist()
        same = [x == y or (_missing(x) and _missing(y)) for x, y in zip(a, b)]
        assert all(same), (
            f"{name} differs first at row {same.index(False)}: {a[same.index(False)]} vs {b[same.index(False)]}"
        )


@pytest.mark.parametrize("chunk_size", [3, 256])
def test_spark_sweep_equals_local_sweep(bars, bars_df, chunk_size):
    from barrow.spark import sweep as spark_sweep

    opts = {"fees": 0.001, "sl_stop": 0.08, "direction": "both"}
    got = collect(spark_sweep(bars_df, "ma_cross", GRID, chunk_size=chunk_size, partitions=3, **opts))
    ref = sweep(bars, "ma_cross", GRID, **opts)
    keys = ["symbol", "fast", "slow"]
    assert_tables_equal(as_sorted(got.cast(ref.schema), keys), as_sorted(ref, keys))


def test_spark_sweep_signal_table(spark, bars):
    from barrow.spark import sweep as spark_sweep

    n = bars.num_rows
    table = bars.append_column("entries", pa.array(np.arange(n) % 40 == 0)).append_column(
        "exits", pa.array(np.arange(n) % 40 == 20)
    )
    grid = {"tp_stop": [0.01, 0.05], "sl_stop": [0.02]}
    got = collect(spark_sweep(spark.createDataFrame(table.to_pandas()), "signals", grid, chunk_size=1))
    ref = sweep(table, "signals", grid)
    keys = ["symbol", "tp_stop"]
    assert_tables_equal(as_sorted(got.cast(ref.schema), keys), as_sorted(ref, keys))


def test_spark_walk_forward_equals_local(bars, bars_df):
    from barrow.spark import walk_forward as spark_walk_forward

    opts = {"train": 300, "test": 100, "step": 150, "metric": "sharpe", "fees": 0.001}
    got = collect(spark_walk_forward(bars_df, "ma_cross", GRID, partitions=2, **opts))
    ref = walk_forward(bars, "ma_cross", GRID, **opts)
    assert ref.num_rows == 4 * 3
    keys = ["symbol", "window"]
    assert_tables_equal(as_sorted(got.cast(ref.schema), keys), as_sorted(ref, keys))


def test_spark_sweep_names_missing_columns(bars_df):
    from barrow.spark import sweep as spark_sweep

    with pytest.raises(ValueError, match="close"):
        spark_sweep(bars_df.drop("close"), "ma_cross", GRID)
    with pytest.raises(ValueError, match="entries"):
        spark_sweep(bars_df, "signals", {"sl_stop": [0.1]})
