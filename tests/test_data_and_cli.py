"""Sample data generator and the command-line demo job."""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pytest

import barrow
from barrow.cli import main, run_demo


def test_generated_bars_are_consistent_and_seeded():
    a = barrow.generate(symbols=3, bars=300, seed=5)
    assert a.equals(barrow.generate(symbols=3, bars=300, seed=5))
    assert not a.equals(barrow.generate(symbols=3, bars=300, seed=6))
    assert a.schema.field("timestamp").type == pa.timestamp("us", tz="UTC")
    o, h, lo, c, v = (a[k].to_numpy() for k in ("open", "high", "low", "close", "volume"))
    assert (h >= np.maximum(o, c)).all() and (lo <= np.minimum(o, c)).all() and (lo > 0).all() and (v > 0).all()
    days = a["timestamp"].to_pandas().dt.dayofweek
    assert days.max() <= 4
    assert a["symbol"].to_pylist()[::300] == ["SYM0000", "SYM0001", "SYM0002"]


@pytest.mark.parametrize("kwargs", [{"symbols": 0}, {"bars": -1}, {"seed": -3}, {"symbols": 2.5}])
def test_generator_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError):
        barrow.generate(**kwargs)


def test_demo_job_writes_summary(tmp_path, capsys):
    out = tmp_path / "demo"
    code = main(["demo", "--symbols", "4", "--bars", "600", "--out", str(out)])
    assert code == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["symbols"] == 4 and summary["train_rows"] > 0 and summary["test_rows"] > 0
    assert 0.3 < summary["test_accuracy"] < 0.7
    assert (out / "metrics.parquet").exists()
    text = capsys.readouterr().out
    assert "buy&hold" in text and "SYM0003" in text


def test_demo_is_deterministic():
    a = run_demo(3, 500, 1, 0.001, 0.7, 4, None)
    b = run_demo(3, 500, 1, 0.001, 0.7, 4, None)
    assert a["per_symbol"] == b["per_symbol"]


def test_cli_reports_bad_arguments(capsys):
    assert main(["demo", "--symbols", "2", "--bars", "300", "--train-fraction", "1.5", "--out", ""]) == 2
    assert "train fraction" in capsys.readouterr().err
    assert main(["functions"]) == 0
    assert "BBANDS" in capsys.readouterr().out
