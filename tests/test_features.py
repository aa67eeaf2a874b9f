"""barrow's own features (no TA-Lib equivalent) against pandas/numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import barrow.talib as bt
from barrow.table import compute, indicator
from conftest import assert_same


@pytest.fixture(scope="module")
def bars():
    rng = np.random.default_rng(3)
    n = 2000
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.01, n)))
    high = close * (1 + rng.random(n) * 0.01)
    low = close * (1 - rng.random(n) * 0.01)
    volume = np.round(rng.random(n) * 1e6)
    volume[100:130] = 0.0
    return high, low, close, volume


@pytest.mark.parametrize("n", [1, 5, 60])
def test_return_and_drawdown_are_exact(bars, n):
    close = bars[2]
    s = pd.Series(close)
    assert_same(bt.RETURN(close, n), (s / s.shift(n) - 1).to_numpy(), what="RETURN")
    assert_same(bt.DRAWDOWN(close), close / np.maximum.accumulate(close) - 1, what="DRAWDOWN")


def _rolling(x: np.ndarray, n: int, fn) -> np.ndarray:
    """fn over every full window (two-pass numpy), NaN before."""
    out = np.full(len(x), np.nan)
    windows = np.lib.stride_tricks.sliding_window_view(x, n)
    out[n - 1 :] = [fn(w) for w in windows]
    return out


@pytest.mark.parametrize("n", [2, 20, 100])
def test_rolling_vol_and_zscore_match_two_pass_references(bars, n):
    close = bars[2]
    logret = np.concatenate([[np.nan], np.log(close[1:] / close[:-1])])
    vol = _rolling(logret, n, lambda w: np.std(w, ddof=1)) * np.sqrt(252)
    assert_same(bt.ROLLING_VOL(close, n), vol, rel=1e-12, what="ROLLING_VOL")
    # pandas' online rolling std agrees too, where it does not cancel badly.
    pd_vol = pd.Series(logret).rolling(n).std(ddof=1).to_numpy() * np.sqrt(252)
    assert_same(bt.ROLLING_VOL(close, n), pd_vol, rel=1e-8, what="ROLLING_VOL vs pandas")
    z = _rolling(close, n, lambda w: (w[-1] - w.mean()) / np.std(w, ddof=1))
    assert_same(bt.ZSCORE(close, n), z, rel=1e-12, what="ZSCORE")


@pytest.mark.parametrize("n", [1, 20])
def test_rolling_vwap_matches_rolling_sums(bars, n):
    high, low, close, volume = bars
    typical = (high + low + close) / 3.0
    pv = pd.Series(typical * volume).rolling(n).sum()
    v = pd.Series(volume).rolling(n).sum()
    ref = (pv / v).where(v > 0).to_numpy()
    assert_same(bt.ROLLING_VWAP(high, low, close, volume, n), ref, rel=1e-12, what="ROLLING_VWAP")


def test_features_in_the_table_api_and_bad_parameters():
    import barrow

    table = barrow.generate(symbols=2, bars=100)
    out = compute(table, [indicator("ROLLING_VOL", name="vol", timeperiod=10), indicator("ROLLING_VWAP", name="vwap")])
    assert "vol" in out.column_names and "vwap" in out.column_names
    with pytest.raises(ValueError, match="timeperiod"):
        bt.ZSCORE(np.ones(10), 1)
    with pytest.raises(ValueError, match="periods_per_year"):
        bt.ROLLING_VOL(np.ones(10), 5, periods_per_year=0)
    assert "ROLLING_VOL" not in bt.get_functions()


@pytest.mark.parametrize("n", [3, 4, 20, 120])
def test_rolling_skew_and_kurt_match_scipy_and_pandas(bars, n):
    from scipy import stats

    close = bars[2]
    logret = np.concatenate([[np.nan], np.log(close[1:] / close[:-1])])
    for x in (close, logret[1:]):
        skew = _rolling(x, n, lambda w: stats.skew(w, bias=False))
        assert_same(bt.ROLLING_SKEW(x, n), skew, rel=1e-9, what="ROLLING_SKEW")
        # pandas' online moments lose digits on tiny windows; compare where they hold.
        pandas_rel = 1e-6 if n >= 20 else 1e-3
        assert_same(bt.ROLLING_SKEW(x, n), pd.Series(x).rolling(n).skew().to_numpy(), rel=pandas_rel, what="vs pandas")
        if n >= 4:
            kurt = _rolling(x, n, lambda w: stats.kurtosis(w, bias=False))
            assert_same(bt.ROLLING_KURT(x, n), kurt, rel=1e-9, what="ROLLING_KURT")
            assert_same(
                bt.ROLLING_KURT(x, n), pd.Series(x).rolling(n).kurt().to_numpy(), rel=pandas_rel, what="vs pandas"
            )


def test_rolling_moments_of_flat_windows_and_bad_periods():
    x = np.r_[np.full(30, 100.0), np.linspace(100, 101, 10)]
    skew = bt.ROLLING_SKEW(x, 5)
    assert np.isnan(skew[:30]).all() and np.isfinite(skew[34:]).all()
    with pytest.raises(ValueError, match="timeperiod"):
        bt.ROLLING_SKEW(x, 2)
    with pytest.raises(ValueError, match="timeperiod"):
        bt.ROLLING_KURT(x, 3)
