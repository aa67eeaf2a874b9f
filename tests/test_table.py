"""Table API: multi-symbol batches, state across batches, validation."""

from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import talib

import barrow
from barrow.table import Pipeline, compute, indicator, output_columns, spec
from conftest import assert_same, talib_rel

SPEC = spec(
    [
        indicator("SMA", timeperiod=10),
        indicator("EMA", timeperiod=12),
        indicator("RSI"),
        indicator("MACD"),
        indicator("BBANDS", name="bb", timeperiod=15, nbdevup=1.5),
        indicator("ATR"),
        indicator("LOG_RETURN", name="ret_5", timeperiod=5),
    ]
)


@pytest.fixture(scope="module")
def bars() -> pa.Table:
    return barrow.generate(symbols=12, bars=400, seed=11)


def _rows_of(table: pa.Table, symbol: str) -> pa.Table:
    import pyarrow.compute as pc

    return table.filter(pc.equal(table["symbol"], symbol))


def test_columns_equal_talib_per_symbol(bars):
    out = compute(bars, SPEC)
    assert out.column_names[: bars.num_columns] == bars.column_names
    assert out.column_names[bars.num_columns :] == output_columns(SPEC)
    for sym in ["SYM0000", "SYM0005", "SYM0011"]:
        part = _rows_of(out, sym)
        c = part["close"].to_numpy()
        h, lo = part["high"].to_numpy(), part["low"].to_numpy()
        assert_same(part["sma_10"].to_numpy(), talib.SMA(c, 10), rel=talib_rel("SMA"), what="sma")
        assert_same(part["ema_12"].to_numpy(), talib.EMA(c, 12), rel=talib_rel("EMA"), what="ema")
        assert_same(part["rsi_14"].to_numpy(), talib.RSI(c), rel=talib_rel("RSI"), what="rsi")
        for col, ref in zip(["macd", "macdsignal", "macdhist"], talib.MACD(c)):
            assert_same(part[f"macd_12_26_9_{col}"].to_numpy(), ref, rel=talib_rel("MACD"), what=col)
        for col, ref in zip(["upperband", "middleband", "lowerband"], talib.BBANDS(c, 15, 1.5, 2.0)):
            assert_same(part[f"bb_{col}"].to_numpy(), ref, rel=talib_rel("BBANDS"), what=col)
        assert_same(part["atr_14"].to_numpy(), talib.ATR(h, lo, c), rel=talib_rel("ATR"), what="atr")
        ret = np.full(len(c), np.nan)
        ret[5:] = np.log(c[5:] / c[:-5])
        assert_same(part["ret_5"].to_numpy(), ret, rel=1e-15, what="log return")


def _batches(table: pa.Table, sizes):
    out, off, k = [], 0, 0
    while off < table.num_rows:
        n = min(sizes[k % len(sizes)], table.num_rows - off)
        out.append(table.slice(off, n).combine_chunks().to_batches()[0])
        off += n
        k += 1
    return out


@pytest.mark.parametrize("seed", range(6))
def test_random_chunkings_are_bit_identical(bars, seed):
    whole = compute(bars, SPEC)
    rng = np.random.default_rng(seed)
    sizes = list(rng.integers(1, [3, 50, 400, 1000][seed % 4], size=200))
    pipe = Pipeline(SPEC)
    parts = pa.Table.from_batches([pipe.process(b) for b in _batches(bars, sizes)])
    for name in output_columns(SPEC):
        a = parts[name].to_numpy()
        b = whole[name].to_numpy()
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), f"{name} differs with chunk sizes {sizes[:5]}..."


def test_spec_json_round_trip_and_catalogue():
    from barrow.table import to_json

    text = to_json(SPEC)
    assert to_json(text) == text
    names = {f["name"] for f in barrow.functions()}
    assert {"SMA", "EMA", "RSI", "MACD", "BBANDS", "ATR", "LOG_RETURN"} <= names
    bb = next(f for f in barrow.functions() if f["name"] == "BBANDS")
    assert [p["name"] for p in bb["params"]] == ["timeperiod", "nbdevup", "nbdevdn", "matype"]
    assert bb["outputs"] == ["upperband", "middleband", "lowerband"]


def test_pandas_in_pandas_out(bars):
    df = bars.slice(0, 300).to_pandas()
    out = compute(df, [indicator("SMA", timeperiod=5)])
    assert isinstance(out, pd.DataFrame) and "sma_5" in out.columns


def test_window_longer_than_series_gives_nan_like_talib(bars):
    short = bars.slice(0, 30)
    out = compute(short, [indicator("SMA", timeperiod=50)])
    assert np.isnan(out["sma_50"].to_numpy()).all()


def _small(**overrides) -> pa.Table:
    cols = {
        "symbol": pa.array(["A", "A", "A", "B", "B"]),
        "timestamp": pa.array([1, 2, 3, 1, 2], pa.int64()),
        "close": pa.array([1.0, 2.0, 3.0, 4.0, 5.0]),
    }
    cols.update(overrides)
    return pa.table(cols)


SMA2 = [indicator("SMA", timeperiod=2)]


@pytest.mark.parametrize(
    "table, exc, needles",
    [
        (_small().drop_columns(["close"]), ValueError, ["missing column 'close'", "SMA"]),
        (_small().drop_columns(["timestamp"]), ValueError, ["missing column 'timestamp'"]),
        (_small(close=pa.array(["1", "2", "3", "4", "5"])), TypeError, ["'close'", "string"]),
        (_small(close=pa.array([decimal.Decimal(i) for i in "12345"])), TypeError, ["'close'", "decimal"]),
        (_small(close=pa.array([1.0, None, 3.0, 4.0, 5.0])), ValueError, ["'close'", "null", "row 1", "'A'"]),
        (_small(close=pa.array([1.0, 2.0, 3.0, np.nan, 5.0])), ValueError, ["'close'", "NaN", "row 3", "'B'"]),
        (_small(close=pa.array([1.0, 2.0, np.inf, 4.0, 5.0])), ValueError, ["'close'", "infinite"]),
        (_small(timestamp=pa.array([1, 3, 2, 1, 2])), ValueError, ["'timestamp'", "comes after", "'A'", "row 2"]),
        (_small(timestamp=pa.array([1, 2, 2, 1, 2])), ValueError, ["duplicate timestamp", "'A'", "row 2"]),
        (_small(symbol=pa.array(["A", "B", "A", "B", "B"])), ValueError, ["appears again", "'A'"]),
        (_small(symbol=pa.array(["A", None, "A", "B", "B"])), ValueError, ["'symbol'", "null"]),
        (_small(symbol=pa.array([1, 1, 1, 2, 2])), TypeError, ["'symbol'", "string"]),
        (_small(timestamp=pa.array(["a", "b", "c", "d", "e"])), TypeError, ["'timestamp'"]),
        (_small().slice(0, 0), ValueError, ["empty"]),
    ],
)
def test_bad_tables_raise_clear_errors(table, exc, needles):
    with pytest.raises(exc) as info:
        compute(table, SMA2)
    for needle in needles:
        assert needle in str(info.value), f"{needle!r} not in {info.value}"


@pytest.mark.parametrize(
    "bad_spec, needle",
    [
        ([indicator("SMA", timeperiod=0)], "timeperiod"),
        ([indicator("SMA", timeperiod=-5)], "timeperiod"),
        ([indicator("NOPE")], "unknown function 'NOPE'"),
        ([indicator("SMA", window=3)], "no such parameter"),
        ([indicator("SMA", name="close")], "already exists"),
        ([], "no indicators"),
        ('{"indicators": [{"fn": "SMA"}], "extra": 1}', "unknown field"),
        ("not json", "invalid spec"),
    ],
)
def test_bad_specs_raise_value_error(bad_spec, needle):
    with pytest.raises(ValueError, match=needle):
        compute(_small(), bad_spec)


def test_timestamps_of_any_unit_and_dates_are_accepted():
    days = [dt.date(2024, 1, d) for d in (2, 3, 4)]
    t = pa.table({"symbol": ["A"] * 3, "timestamp": pa.array(days, pa.date32()), "close": [1.0, 2.0, 4.0]})
    assert compute(t, SMA2)["sma_2"].to_pylist()[1:] == [1.5, 3.0]
    ns = pa.array([1, 2, 3], pa.timestamp("ns", tz="America/New_York"))
    t2 = t.set_column(1, "timestamp", ns)
    assert compute(t2, SMA2)["sma_2"].to_pylist()[2] == 3.0


def test_state_carries_across_batches_and_survives_errors():
    pipe = Pipeline(SMA2)
    b1 = pa.record_batch({"symbol": ["A", "A"], "timestamp": pa.array([1, 2]), "close": [1.0, 3.0]})
    pipe.process(b1)
    bad = pa.record_batch({"symbol": ["A"], "timestamp": pa.array([2]), "close": [5.0]})
    with pytest.raises(ValueError, match="duplicate timestamp"):
        pipe.process(bad)
    good = pa.record_batch({"symbol": ["A", "B"], "timestamp": pa.array([3, 1]), "close": [5.0, 7.0]})
    out = pipe.process(good)
    assert out["sma_2"].to_pylist()[0] == 4.0
    assert np.isnan(out["sma_2"].to_pylist()[1])
    late = pa.record_batch({"symbol": ["A"], "timestamp": pa.array([9]), "close": [1.0]})
    with pytest.raises(ValueError, match="appears again"):
        pipe.process(late)


def test_input_columns_can_be_mapped():
    t = _small().rename_columns(["symbol", "timestamp", "adj_close"])
    out = compute(t, [indicator("SMA", name="s", inputs={"real": "adj_close"}, timeperiod=2)])
    assert out["s"].to_pylist()[1] == 1.5


def test_polars_dataframe_in_polars_out(bars):
    pl = pytest.importorskip("polars")
    df = pl.from_arrow(bars.slice(0, 800))
    out = compute(df, [indicator("EMA", timeperiod=5)])
    assert isinstance(out, pl.DataFrame)
    ref = compute(bars.slice(0, 800), [indicator("EMA", timeperiod=5)])
    assert_same(out["ema_5"].to_numpy(), ref["ema_5"].to_numpy(), what="polars EMA")


def test_integer_outputs_are_int32_columns_equal_to_talib(bars):
    table = compute(
        bars,
        spec(
            [
                indicator("CDLENGULFING", name="engulf"),
                indicator("MAXINDEX", name="argmax", timeperiod=10),
                indicator("HT_TRENDMODE", name="mode"),
            ]
        ),
    )
    for name in ("engulf", "argmax", "mode"):
        assert table.schema.field(name).type == pa.int32()
    df = table.to_pandas()
    one = df[df["symbol"] == df["symbol"].iloc[0]]
    o, h, lo, c = (one[k].to_numpy() for k in ("open", "high", "low", "close"))
    assert np.array_equal(one["engulf"].to_numpy(), talib.CDLENGULFING(o, h, lo, c))
    assert np.array_equal(one["mode"].to_numpy(), talib.HT_TRENDMODE(c))
    # Bar indices count within the symbol's own series, as TA-Lib's do.
    assert np.array_equal(one["argmax"].to_numpy(), talib.MAXINDEX(c, 10))
