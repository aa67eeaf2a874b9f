"""Every implemented TA-Lib function against TA-Lib, and the coverage table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import talib

import barrow.talib as bt
from barrow._coverage import EXTRA_PARAMS, TOLERANCE, TOLERANT, compare, inputs_for, table

DOC = Path(__file__).resolve().parents[1] / "docs" / "talib-coverage.md"


@pytest.mark.parametrize("name", bt.get_functions())
def test_function_matches_talib(name):
    # Bit-identical, or (for the few listed in TOLERANT) within TOLERANCE with equal NaN positions.
    for params in [{}, *EXTRA_PARAMS.get(name, [])]:
        exact, worst = compare(name, params)
        if name in TOLERANT:
            assert worst <= TOLERANCE, f"{name}{params}: max relative difference {worst:.3e} or NaN positions differ"
        else:
            assert exact, f"{name}{params}: max relative difference {worst:.3e} or NaN positions differ"


def assert_same(name, ours, ref):
    """Equal NaN positions and bits (or TOLERANCE for TOLERANT functions)."""
    a, b = np.asarray(ours, dtype=float), np.asarray(ref, dtype=float)
    assert np.array_equal(np.isnan(a), np.isnan(b)), f"{name}: NaN positions differ"
    if name in TOLERANT:
        m = ~np.isnan(b)
        assert np.all(np.abs(a[m] - b[m]) <= TOLERANCE * np.maximum(1.0, np.abs(b[m]))), name
    else:
        assert np.array_equal(a, b, equal_nan=True), name


@pytest.mark.parametrize("name", bt.get_functions())
def test_signature_matches_talib(name):
    import inspect

    ours = inspect.signature(getattr(bt, name))
    ref = inspect.signature(getattr(talib, name))
    assert list(ours.parameters) == list(ref.parameters)


@pytest.mark.parametrize("name", [n for n in bt.get_functions() if n not in ("MACD", "BBANDS")])
def test_nan_gaps_follow_talib(name):
    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    ins = [np.array(v) for v in inputs_for(name, info["inputs"], 300, 5)]
    for v in ins:
        v[:2] = np.nan
    ins[0][100] = np.nan
    ours = getattr(bt, name)(*ins)
    ref = getattr(talib, name)(*ins)
    ours = ours if isinstance(ours, tuple) else (ours,)
    ref = ref if isinstance(ref, tuple) else (ref,)
    for a, b in zip(ours, ref):
        assert np.asarray(a).dtype == np.asarray(b).dtype, (
            f"{name}: dtype {np.asarray(a).dtype} vs {np.asarray(b).dtype}"
        )
        assert_same(name, a, b)


def test_coverage_table_is_current():
    assert DOC.read_text() == table(), "docs/talib-coverage.md is stale: run python -m barrow._coverage"


@pytest.mark.parametrize(
    "name",
    [
        *("AROON", "AROONOSC", "MAX", "MIN", "WILLR", "STOCH", "STOCHF", "KAMA", "CMO", "MIDPOINT", "MIDPRICE"),
        *("MAMA", "HT_TRENDLINE", "HT_DCPERIOD", "HT_DCPHASE", "HT_PHASOR", "HT_SINE", "HT_TRENDMODE"),
        *(
            "MINMAX",
            "MINMAXINDEX",
            "MAXINDEX",
            "MININDEX",
            "DONCHIAN",
            "SUPERTREND",
            "KDJ",
            "PERCENTILE",
            "PERCENTRANK",
        ),
        *(
            "PLUS_DM",
            "MINUS_DM",
            "PLUS_DI",
            "MINUS_DI",
            "DX",
            "ADX",
            "ADXR",
            "CCI",
            "ULTOSC",
            "SAR",
            "SAREXT",
            "VORTEX",
            "WAD",
            "AVGDEV",
        ),
        *("FRACTAL", "VHF", "SMI", "ER", "CMOU"),
    ],
)
def test_ties_and_flat_stretches_follow_talib(name):
    # Prices rounded to 0.1 repeat often, so extremes tie and changes are exactly 0.
    rng = np.random.default_rng(11)
    close = np.round(100 * np.exp(np.cumsum(rng.normal(0, 0.01, 2000))), 1)
    close[500:560] = close[500]
    data = {"high": close + np.round(rng.random(2000), 1), "low": close - np.round(rng.random(2000), 1)}
    data.update(real=close, close=close)
    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    ins = [data[i] for i in info["inputs"]]
    ours = getattr(bt, name)(*ins)
    ref = getattr(talib, name)(*ins)
    ours = ours if isinstance(ours, tuple) else (ours,)
    ref = ref if isinstance(ref, tuple) else (ref,)
    for a, b in zip(ours, ref):
        assert_same(name, a, b)


def test_function_reference_is_current():
    from barrow._reference import reference

    path = DOC.parent / "functions.md"
    assert path.read_text() == reference(), "docs/functions.md is stale: run python -m barrow._reference"


@pytest.mark.parametrize("name", [n for n in bt.get_functions() if n.startswith("CDL")])
def test_candlestick_pattern_fires_on_test_data(name):
    # Parity is not vacuous: TA-Lib finds the pattern in the generated bars, and so does barrow.
    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    found = 0
    for seed in (1, 2, 3):
        ins = inputs_for(name, info["inputs"], 3000, seed)
        ref = getattr(talib, name)(*ins)
        assert_same(name, getattr(bt, name)(*ins), ref)
        found += int(np.count_nonzero(ref))
    assert found > 0, f"{name} never fires on the generated data"
