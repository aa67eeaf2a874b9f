"""barrow.talib against the TA-Lib package from PyPI."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
import talib

import barrow.talib as bt
from conftest import assert_same, ohlc, random_walk, talib_rel

LENGTHS = [0, 1, 2, 5, 13, 14, 15, 19, 20, 25, 26, 33, 34, 35, 100, 3000]

# name -> (inputs kind, list of parameter dicts), default parameters first.
CASES = {
    "SMA": ("real", [{}, {"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 20}, {"timeperiod": 200}]),
    "EMA": ("real", [{}, {"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 12}, {"timeperiod": 200}]),
    "RSI": ("real", [{}, {"timeperiod": 2}, {"timeperiod": 5}, {"timeperiod": 30}]),
    "MACD": (
        "real",
        [
            {},
            {"fastperiod": 5, "slowperiod": 35, "signalperiod": 5},
            {"fastperiod": 26, "slowperiod": 12},
            {"fastperiod": 3, "slowperiod": 3, "signalperiod": 1},
            {"signalperiod": 1},
        ],
    ),
    "ATR": ("hlc", [{}, {"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 30}]),
}

# BBANDS has its own cases: matype and deviation multipliers change its arithmetic.
BBANDS_CASES = [
    {},
    {"timeperiod": 5},
    {"timeperiod": 2, "nbdevup": 1.0, "nbdevdn": 1.0},
    {"timeperiod": 10, "nbdevup": 1.5, "nbdevdn": 2.5},
    {"timeperiod": 10, "nbdevup": -1.0, "nbdevdn": 0.0},
    {"timeperiod": 7, "matype": 1},
]


def _inputs(kind: str, n: int, seed: int):
    if kind == "hlc":
        return ohlc(n, seed)
    return (random_walk(n, seed),)


# The window highs and lows (values or positions) of TA-Lib's blocks and scan.
WINDOW_EXTREMES = ["MAX", "MIN", "MINMAX", "MAXINDEX", "MININDEX", "MINMAXINDEX", "MIDPOINT", "MIDPRICE", "WILLR"]


def _bars_around(name: str, x: np.ndarray):
    """The inputs of `name` (as the catalogue lists them) built from one
    series: high `x + 1`, low `x - 1`, close and real `x`."""
    shift = {"high": 1.0, "low": -1.0}
    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    return tuple(x + shift.get(i, 0.0) for i in info["inputs"])


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("n", LENGTHS)
def test_matches_talib(name, n):
    kind, param_sets = CASES[name]
    for params in param_sets:
        for seed in (1, 2):
            inputs = _inputs(kind, n, seed)
            ours = _as_tuple(getattr(bt, name)(*inputs, **params))
            ref = _as_tuple(getattr(talib, name)(*inputs, **params))
            assert len(ours) == len(ref)
            for k, (a, b) in enumerate(zip(ours, ref)):
                assert_same(a, b, rel=talib_rel(name), what=f"{name}{params} n={n} output {k}")


@pytest.mark.parametrize("n", LENGTHS)
@pytest.mark.parametrize("params", BBANDS_CASES)
def test_bbands_matches_talib(n, params):
    for seed in (1, 2):
        x = random_walk(n, seed)
        for k, (a, b) in enumerate(zip(bt.BBANDS(x, **params), talib.BBANDS(x, **params))):
            assert_same(a, b, rel=talib_rel("BBANDS"), what=f"BBANDS{params} n={n} output {k}")


def test_bbands_on_high_prices_with_tiny_variance():
    x = 100_000.0 + 0.01 * np.sin(np.arange(2000) / 3.0)
    for a, b in zip(bt.BBANDS(x, 20), talib.BBANDS(x, 20)):
        assert_same(a, b, rel=talib_rel("BBANDS"), what="BBANDS high price")


def test_constant_series_give_talib_values():
    x = np.full(100, 42.0)
    assert_same(bt.RSI(x), talib.RSI(x), rel=talib_rel("RSI"), what="RSI flat")
    for a, b in zip(bt.BBANDS(x), talib.BBANDS(x)):
        assert_same(a, b, rel=talib_rel("BBANDS"), what="BBANDS flat")
    assert_same(bt.ATR(x, x, x), talib.ATR(x, x, x), rel=talib_rel("ATR"), what="ATR flat")


@pytest.mark.parametrize("name", ["SMA", "EMA", "RSI", "MACD", "ATR"])
def test_nan_gaps_follow_talib(name):
    kind, _ = CASES[name]
    inputs = [np.array(v) for v in _inputs(kind, 300, 7)]
    for v in inputs:
        v[:3] = np.nan  # leading NaNs are skipped by TA-Lib's wrapper
    inputs[0][150] = np.nan  # a gap later on propagates
    ours = _as_tuple(getattr(bt, name)(*inputs))
    ref = _as_tuple(getattr(talib, name)(*inputs))
    for k, (a, b) in enumerate(zip(ours, ref)):
        assert_same(a, b, rel=talib_rel(name), what=f"{name} with NaN gaps output {k}")


@pytest.mark.parametrize("name", [*WINDOW_EXTREMES, "DONCHIAN", "AROON", "AROONOSC"])
def test_window_extremes_with_many_nans_and_ties_follow_talib(name):
    # Whole-number prices tie often, and NaNs fall anywhere in the windows:
    # both decide which extreme a window reports. Half the series have no
    # NaN, where some kernels take a faster path.
    rng = np.random.default_rng(11)
    for trial in range(80):
        n = int(rng.integers(5, 300))
        x = np.round(np.cumsum(rng.normal(size=n)) + 100.0)
        if trial % 2:
            x[rng.random(n) < 0.05] = np.nan
        period = int(rng.integers(2, 40))
        args = _bars_around(name, x)
        ours = _as_tuple(getattr(bt, name)(*args, timeperiod=period))
        ref = _as_tuple(getattr(talib, name)(*args, timeperiod=period))
        for k, (a, b) in enumerate(zip(ours, ref)):
            assert_same(a, b, rel=talib_rel(name), what=f"{name}({period}) over {n} bars output {k}")


def _long_walk(seed, nans):
    """400,000 whole-number prices (they tie), with NaNs anywhere if `nans`."""
    rng = np.random.default_rng(seed)
    x = np.round(np.cumsum(rng.normal(size=400_000)) + 5000.0)
    if nans:
        x[rng.random(x.size) < 1e-4] = np.nan
    return x


def _assert_follows_talib(name, args, params):
    ours = _as_tuple(getattr(bt, name)(*args, **params))
    ref = _as_tuple(getattr(talib, name)(*args, **params))
    for k, (a, b) in enumerate(zip(ours, ref)):
        assert_same(a, b, rel=talib_rel(name), what=f"{name}{params} output {k}")


@pytest.mark.parametrize("name", [*WINDOW_EXTREMES, "STOCHF", "MOM", "ROC", "ROCR100"])
@pytest.mark.parametrize("nans", [False, True])
def test_long_series_split_across_threads_follow_talib(name, nans):
    # Series this long are cut into parts run on rayon's threads.
    args = _bars_around(name, _long_walk(17, nans))
    for period in (2, 30, 97):
        _assert_follows_talib(name, args, {"fastk_period": period} if name == "STOCHF" else {"timeperiod": period})


# Kernels whose long series take another path than short ones (two stages
# on two threads, a helper a tile ahead of the caller, or outputs given to
# different threads), and two that once did (CUMSUM, RVOL).
PIPELINED = ["PVT", "CUMSUM", "RVOL", "NATR", "AO", "AC", "ACCBANDS"]


@pytest.mark.parametrize("name", PIPELINED)
@pytest.mark.parametrize("nans", [False, True])
def test_long_pipelined_series_follow_talib(name, nans):
    args = _bars_around(name, _long_walk(19, nans))
    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    periods = [{}]
    if any(p["name"] == "timeperiod" for p in info["params"]):
        periods += [{"timeperiod": 2}, {"timeperiod": 97}]
    for params in periods:
        _assert_follows_talib(name, args, params)


@pytest.mark.parametrize("name", ["STOCH", "STOCHF", "SMI", "KDJ"])
def test_stochastics_on_ties_and_nans_follow_talib(name):
    # Long enough for the block path (chunks of 2,048 bars), with whole-number
    # prices that tie, a stretch of constant prices, and NaNs in some series.
    rng = np.random.default_rng(12)
    for trial in range(12):
        n = int(rng.integers(3000, 6000))
        x = np.round(np.cumsum(rng.normal(size=n)) + 200.0)
        x[1000:1400] = x[1000]
        if trial % 3 == 1:
            x[rng.random(n) < 0.001] = np.nan
        period = int(rng.integers(2, 40))
        args = (x + 1.0, x - 1.0, x)
        kwargs = {"timeperiod": period} if name == "SMI" else {"fastk_period": period}
        ours = _as_tuple(getattr(bt, name)(*args, **kwargs))
        ref = _as_tuple(getattr(talib, name)(*args, **kwargs))
        for k, (a, b) in enumerate(zip(ours, ref)):
            assert_same(a, b, rel=talib_rel(name), what=f"{name}({period}) over {n} bars output {k}")


def test_all_nan_input():
    x = np.full(50, np.nan)
    assert_same(bt.SMA(x, 5), talib.SMA(x, 5), rel=talib_rel("SMA"), what="all-NaN SMA")


def test_pandas_in_pandas_out_with_index():
    idx = pd.date_range("2024-01-01", periods=60, freq="D")
    s = pd.Series(random_walk(60, 3), index=idx)
    out = bt.EMA(s, 10)
    assert isinstance(out, pd.Series) and out.index.equals(idx)
    assert_same(out.to_numpy(), talib.EMA(s.to_numpy(), 10), rel=talib_rel("EMA"), what="pandas EMA")
    macd = bt.MACD(s)
    assert isinstance(macd, tuple) and all(isinstance(m, pd.Series) for m in macd)


def test_arrow_in_arrow_out_with_nulls_read_as_nan():
    x = random_walk(80, 4)
    arr = pa.array(x)
    out = bt.SMA(arr, 5)
    assert isinstance(out, pa.Array) and out.type == pa.float64()
    assert_same(out.to_numpy(zero_copy_only=False), talib.SMA(x, 5), rel=talib_rel("SMA"), what="arrow SMA")
    chunked = pa.chunked_array([x[:30], x[30:]])
    assert_same(
        bt.SMA(chunked, 5).to_numpy(zero_copy_only=False), talib.SMA(x, 5), rel=talib_rel("SMA"), what="chunked SMA"
    )
    with_null = pa.array([None, None, *x[2:]])
    expect = x.copy()
    expect[:2] = np.nan
    assert_same(
        bt.RSI(with_null).to_numpy(zero_copy_only=False), talib.RSI(expect), rel=talib_rel("RSI"), what="null-led RSI"
    )
    h, lo, c = ohlc(60, 5)
    out = bt.ATR(pa.array(h), pa.array(lo), pa.array(c))
    assert_same(out.to_numpy(zero_copy_only=False), talib.ATR(h, lo, c), rel=talib_rel("ATR"), what="arrow ATR")


def test_integer_inputs_are_converted():
    x = np.arange(50, dtype=np.int64) % 7 + 100
    assert_same(bt.SMA(x, 5), talib.SMA(x.astype(float), 5), rel=talib_rel("SMA"), what="int SMA")


@pytest.mark.parametrize(
    "call, needle",
    [
        (lambda x: bt.SMA(x, 0), "timeperiod"),
        (lambda x: bt.SMA(x, -3), "timeperiod"),
        (lambda x: bt.EMA(x, 100_001), "timeperiod"),
        (lambda x: bt.RSI(x, 1), "timeperiod"),
        (lambda x: bt.MACD(x, fastperiod=1), "fastperiod"),
        (lambda x: bt.MACD(x, signalperiod=0), "signalperiod"),
        (lambda x: bt.BBANDS(x, 1), "timeperiod"),
        (lambda x: bt.BBANDS(x, 5, matype=14), "matype"),
        (lambda x: bt.BBANDS(x, 5, nbdevup=float("nan")), "nbdevup"),
        (lambda x: bt.ATR(x, x, x, 0), "timeperiod"),
        (lambda x: bt.SMA(x, 2.5), "timeperiod"),
    ],
)
def test_bad_parameters_raise_value_error_naming_the_parameter(call, needle):
    x = random_walk(50, 1)
    with pytest.raises(ValueError, match=needle):
        call(x)


def test_talib_also_rejects_those_parameters():
    x = random_walk(50, 1)
    for call in (lambda: talib.SMA(x, 0), lambda: talib.RSI(x, 1), lambda: talib.BBANDS(x, 1)):
        with pytest.raises(Exception, match="Bad Parameter"):
            call()


def test_wrong_types_and_shapes():
    with pytest.raises(TypeError, match=r"'real'.*dtype"):
        bt.SMA(np.array(["1", "2", "3"]), 2)
    with pytest.raises(TypeError, match="'real'"):
        bt.SMA(np.array([decimal.Decimal("1.5"), decimal.Decimal("2")], dtype=object), 2)
    with pytest.raises(TypeError, match="'real'"):
        bt.SMA(pa.array(["a", "b"]), 2)
    with pytest.raises(TypeError, match="decimal"):
        bt.SMA(pa.array([decimal.Decimal("1.5")] * 5), 2)
    with pytest.raises(ValueError, match="1-dimensional"):
        bt.SMA(np.ones((3, 3)), 2)
    with pytest.raises(ValueError, match="'low'"):
        bt.ATR(np.ones(10), np.ones(9), np.ones(10))
    with pytest.raises(TypeError, match="timeperiod"):
        bt.SMA(np.ones(10), "5")
    with pytest.raises(TypeError, match="None"):
        bt.SMA(None)


def test_signatures_match_talib():
    import inspect

    for name in ["SMA", "EMA", "RSI", "MACD", "BBANDS", "ATR"]:
        ours = list(inspect.signature(getattr(bt, name)).parameters)
        ref = list(inspect.signature(getattr(talib, name)).parameters)
        assert ours == ref, name


def test_polars_in_polars_out():
    pl = pytest.importorskip("polars")
    x = random_walk(120, 9)
    out = bt.RSI(pl.Series("close", x))
    assert isinstance(out, pl.Series)
    assert_same(out.to_numpy(), talib.RSI(x), rel=talib_rel("RSI"), what="polars RSI")
