"""Spark stages and the process_data job under local Spark."""

from __future__ import annotations

import json
import os
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import barrow
from barrow.table import compute, indicator, spec

pyspark = pytest.importorskip("pyspark")

SPEC = spec(
    [
        indicator("RSI", name="rsi"),
        indicator("LOG_RETURN", name="r1"),
        indicator("LOG_RETURN", name="r5", timeperiod=5),
        indicator("MACD", name="macd"),
        indicator("BBANDS", name="bb", timeperiod=10),
        indicator("ATR", name="atr"),
    ]
)
MODEL = {"features": ["rsi", "r1", "r5"], "tree": {"max_depth": 3, "min_samples_leaf": 10}}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("barrow-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def bars():
    return barrow.generate(symbols=5, bars=420, seed=3)


@pytest.fixture(scope="module")
def bars_df(spark, bars):
    return spark.createDataFrame(bars.to_pandas())


def _sorted_arrow(df) -> pa.Table:
    pdf = df.toPandas().sort_values(["symbol", "timestamp"]).reset_index(drop=True)
    return pa.Table.from_pandas(pdf, preserve_index=False)


def test_indicator_stage_equals_table_api(bars, bars_df):
    from barrow.spark import add_indicators

    got = _sorted_arrow(add_indicators(bars_df, SPEC, partitions=3))
    ref = compute(bars, SPEC)
    for name in ref.column_names[bars.num_columns :]:
        a, b = got[name].to_numpy(), ref[name].to_numpy()
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), name


@pytest.mark.parametrize("batch", [1, 7, 10000])
@pytest.mark.parametrize("partitions", [1, 4])
def test_outputs_do_not_depend_on_batching_or_partitions(spark, bars_df, batch, partitions):
    from barrow.spark import run_models

    def run(records, parts):
        spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(records))
        try:
            out = run_models(bars_df, MODEL, spec_like=SPEC, partitions=parts)
            pdf = out.toPandas().sort_values(["record", "symbol", "timestamp"], na_position="last")
            return pdf.reset_index(drop=True)
        finally:
            spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")

    base = run(10000, 2)
    other = run(batch, partitions)
    assert (base["record"] == "metrics").sum() == 5
    assert base.equals(other)


def _run_job(args):
    from barrow.jobs.process_data import main

    return main([*args, "--partitions", "3"])


def test_job_on_a_folder_of_yahoo_csvs(tmp_path, spark, capsys):
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=3, bars=400)
    out = tmp_path / "out"
    assert _run_job([str(data), str(out), "--fee", "0.001"]) == 0
    assert sorted(p.name for p in (out / "predictions").iterdir() if p.name.startswith("symbol=")) == [
        "symbol=SYM0000",
        "symbol=SYM0001",
        "symbol=SYM0002",
    ]
    preds = pq.read_table(out / "predictions")
    assert preds.num_rows == 3 * (400 - 280)
    metrics = pq.read_table(out / "metrics").to_pylist()
    assert [m["symbol"] for m in sorted(metrics, key=lambda m: m["symbol"])] == ["SYM0000", "SYM0001", "SYM0002"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["symbols"] == 3 and summary["model"]["fee"] == 0.001
    text = capsys.readouterr().out
    assert "buy&hold" in text and "SYM0002" in text


def test_job_on_one_csv_and_on_a_symbol_column_csv(tmp_path, spark):
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=2, bars=300)
    single = data / "SYM0001.csv"
    out1 = tmp_path / "one"
    assert _run_job([str(single), str(out1)]) == 0
    assert [m["symbol"] for m in pq.read_table(out1 / "metrics").to_pylist()] == ["SYM0001"]
    # The same two symbols as one CSV with a Symbol column, rows interleaved.
    lines = []
    for name in ("SYM0000", "SYM0001"):
        body = (data / f"{name}.csv").read_text().splitlines()[1:]
        lines += [f"{name},{row}" for row in body]
    multi = tmp_path / "multi.csv"
    multi.write_text(
        "Symbol,Date,Open,High,Low,Close,Adj Close,Volume\n" + "\n".join(sorted(lines, key=lambda s: s[8:]))
    )
    out2 = tmp_path / "multi"
    assert _run_job([str(multi), str(out2)]) == 0
    both = pq.read_table(out2 / "predictions").to_pandas()
    from_folder = tmp_path / "folder"
    assert _run_job([str(data), str(from_folder)]) == 0
    ref = pq.read_table(from_folder / "predictions").to_pandas()
    cols = ["symbol", "timestamp", "proba_up", "position", "equity"]
    key = ["symbol", "timestamp"]
    a = both[cols].astype({"symbol": str}).sort_values(key).reset_index(drop=True)
    b = ref[cols].astype({"symbol": str}).sort_values(key).reset_index(drop=True)
    assert a.equals(b)


def test_parquet_input(tmp_path, spark, bars):
    path = tmp_path / "bars.parquet"
    pq.write_table(bars.slice(0, 840), path)
    out = tmp_path / "out"
    assert _run_job([str(path), str(out)]) == 0
    assert len(pq.read_table(out / "metrics")) == 2


@pytest.mark.parametrize(
    "content, needles",
    [
        ("Date,Open,High,Low,Volume\n2020-01-01,1,2,0.5,10\n", ["missing column(s) Close"]),
        ("Date,Open,High,Low,Close,Adj Close,Volume\n2020-13-45,1,2,0.5,1,1,10\n", ["'Date'", "unparseable date"]),
        (
            "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-01,1,2,0.5,null,1,10\n2020-01-02,1,2,0.5,1,1,10\n",
            ["'Close'", "unparseable number", "null"],
        ),
        (
            "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-01,1,2,0.5,1,1,10\n2020-01-01,1,2,0.5,1,1,10\n",
            ["duplicate date 2020-01-01", "BAD"],
        ),
        ("Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-01,1,2,0.5,-3,1,10\n", ["'Close'", "non-positive"]),
        ("Date,Open,High,Low,Close,Adj Close,Volume\n", ["no rows"]),
        ("", ["empty"]),
    ],
)
def test_bad_input_files_fail_clearly_and_write_nothing(tmp_path, spark, capsys, content, needles):
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=1, bars=100)
    (data / "BAD.csv").write_text(content)
    out = tmp_path / "out"
    assert _run_job([str(data), str(out)]) == 2
    err = capsys.readouterr().err
    assert "BAD.csv" in err, err
    for needle in needles:
        assert needle in err, err
    assert not out.exists()


def test_missing_input_and_bad_options(tmp_path, spark, capsys):
    assert _run_job([str(tmp_path / "nope.csv"), str(tmp_path / "out")]) == 2
    assert "no such file" in capsys.readouterr().err
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=1, bars=100)
    assert _run_job([str(data), str(tmp_path / "o"), "--split-date", "2020/01/01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert _run_job([str(data), str(tmp_path / "o"), "--features", "nope"]) == 2
    assert "not produced by the spec" in capsys.readouterr().err


def test_predictions_do_not_read_future_rows(tmp_path, spark):
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=1, bars=500)
    out_a = tmp_path / "a"
    assert _run_job([str(data), str(out_a), "--split-date", "2016-06-01"]) == 0
    # Rewrite every row after 2016-09-01 with different prices.
    path = data / "SYM0000.csv"
    rows = path.read_text().splitlines()
    changed = [rows[0]]
    for row in rows[1:]:
        fields = row.split(",")
        if fields[0] > "2016-09-01":
            fields[1:6] = [f"{float(v) * 1.7:.6f}" for v in fields[1:6]]
        changed.append(",".join(fields))
    path.write_text("\n".join(changed) + "\n")
    out_b = tmp_path / "b"
    assert _run_job([str(data), str(out_b), "--split-date", "2016-06-01"]) == 0
    a = pq.read_table(out_a / "predictions").to_pandas().sort_values("timestamp")
    b = pq.read_table(out_b / "predictions").to_pandas().sort_values("timestamp")
    cutoff = np.datetime64("2016-09-01")
    pa_, pb_ = a[a["timestamp"] <= cutoff], b[b["timestamp"] <= cutoff]
    assert len(pa_) > 50
    assert np.array_equal(pa_["proba_up"].to_numpy(), pb_["proba_up"].to_numpy(), equal_nan=True)
    later = a["timestamp"] > cutoff
    assert not np.array_equal(a[later]["close"].to_numpy(), b[later]["close"].to_numpy())


def test_walk_forward_predictions_do_not_read_future_rows(tmp_path, spark):
    data = tmp_path / "data"
    barrow.data.write_yahoo_csvs(str(data), symbols=2, bars=600)
    options = ["--walk-forward", "150,20", "--trees", "5", "--min-samples-leaf", "5"]
    out_a = tmp_path / "a"
    assert _run_job([str(data), str(out_a), *options]) == 0
    cutoff = "2016-09-01"
    for path in data.glob("*.csv"):
        rows = path.read_text().splitlines()
        changed = [rows[0]]
        for row in rows[1:]:
            fields = row.split(",")
            if fields[0] > cutoff:
                fields[1:6] = [f"{float(v) * 0.6:.6f}" for v in fields[1:6]]
            changed.append(",".join(fields))
        path.write_text("\n".join(changed) + "\n")
    out_b = tmp_path / "b"
    assert _run_job([str(data), str(out_b), *options]) == 0
    key = ["symbol", "timestamp"]
    a = pq.read_table(out_a / "predictions").to_pandas().sort_values(key).reset_index(drop=True)
    b = pq.read_table(out_b / "predictions").to_pandas().sort_values(key).reset_index(drop=True)
    # Walk-forward predicts from bar 150 on, one refit every 20 bars.
    assert len(a) == 2 * (600 - 150)
    early = a["timestamp"] <= np.datetime64(cutoff)
    assert early.sum() > 100 and a.loc[early, "proba_up"].notna().sum() > 100
    assert np.array_equal(a.loc[early, "proba_up"].to_numpy(), b.loc[early, "proba_up"].to_numpy(), equal_nan=True)
    assert not np.array_equal(a.loc[~early, "proba_up"].to_numpy(), b.loc[~early, "proba_up"].to_numpy())


def test_walk_forward_refits_match_local_models(spark, bars, bars_df):
    from barrow.spark import run_models
    from barrow.tree import DecisionTreeClassifier

    config = dict(MODEL, split={"walk_forward": {"train": 120, "step": 50}}, min_train_rows=20)
    out = run_models(bars_df, config, spec_like=SPEC).toPandas()
    pred = out[(out["record"] == "prediction") & (out["symbol"] == "SYM0002")].sort_values("timestamp")
    feats = compute(bars, SPEC).to_pandas()
    one = feats[feats["symbol"] == "SYM0002"].reset_index(drop=True)
    X = one[MODEL["features"]].to_numpy()
    y = (one["close"].shift(-1) > one["close"]).astype(int).to_numpy()
    # The window predicting bars 170..219 trains on bars 50..169 (finite features only).
    train = np.arange(50, 170)
    train = train[np.isfinite(X[train]).all(axis=1)]
    local = DecisionTreeClassifier(max_depth=3, min_samples_leaf=10).fit(X[train], y[train])
    expected = local.predict_proba(X[170:220])[:, 1]
    got = pred["proba_up"].to_numpy()[170 - 120 : 220 - 120]
    assert np.array_equal(got, expected)


def test_pooled_model_trained_on_the_driver_and_applied_in_map_in_arrow(spark, bars, bars_df):
    from barrow.ensemble import RandomForestClassifier
    from barrow.spark import add_indicators, apply_model, next_bar_up, train_pooled

    features = ["rsi", "r1", "r5"]
    feats = next_bar_up(add_indicators(bars_df, SPEC)).cache()
    model = train_pooled(feats, features, estimator=RandomForestClassifier(n_estimators=10, random_state=0))
    assert list(model.classes_) == [0, 1]
    scored = apply_model(feats, model, features, prefix="m_").toPandas()
    assert {"m_prediction", "m_proba_0", "m_proba_1"} <= set(scored.columns)
    X = scored[features].to_numpy(dtype=float)
    assert np.allclose(scored["m_proba_1"].to_numpy(), model.predict_proba(X)[:, 1], rtol=0, atol=0)
    assert (scored["m_prediction"].to_numpy() == model.predict(X)).all()
    with pytest.raises(ValueError, match="features"):
        apply_model(feats, model, features[:2])
    once = apply_model(feats, model, features, prefix="m_")
    with pytest.raises(ValueError, match="already exist"):
        apply_model(once, model, features, prefix="m_")


def test_integer_outputs_are_integer_columns_in_spark(spark, bars, bars_df):
    from pyspark.sql import types as T

    from barrow.spark import add_indicators

    s = spec([indicator("CDLDOJI", name="doji"), indicator("MININDEX", name="argmin", timeperiod=5)])
    out = add_indicators(bars_df, s)
    assert out.schema["doji"].dataType == T.IntegerType()
    got = _sorted_arrow(out)
    ref = compute(bars, s)
    assert got.column("doji").to_pylist() == ref.column("doji").to_pylist()
    assert got.column("argmin").to_pylist() == ref.column("argmin").to_pylist()
