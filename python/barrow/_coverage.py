"""TA-Lib coverage: compares every catalogue function with the TA-Lib
package on generated data and renders the table kept in
docs/talib-coverage.md. Used by tests/test_coverage.py and by
``python -m barrow._coverage`` (which rewrites the file)."""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Tuple

import numpy as np

# Extra parameter sets beyond the defaults, per function.
EXTRA_PARAMS: Dict[str, List[Dict[str, Any]]] = {
    "SMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 200}],
    "EMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 200}],
    "RSI": [{"timeperiod": 2}, {"timeperiod": 30}],
    "MACD": [{"fastperiod": 5, "slowperiod": 35, "signalperiod": 5}, {"fastperiod": 26, "slowperiod": 12}],
    "BBANDS": [
        {"timeperiod": 5},
        {"timeperiod": 10, "nbdevup": 1.5, "nbdevdn": 2.5},
        *({"timeperiod": 7, "matype": m} for m in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    ],
    "MA": [
        {"timeperiod": 1},
        {"timeperiod": 1, "matype": 7},
        *({"timeperiod": 9, "matype": m} for m in (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
        *({"timeperiod": p, "matype": 9} for p in (2, 3, 4, 30)),
    ],
    "WMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14}],
    "DEMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14}],
    "TEMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14}],
    "TRIMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 14}, {"timeperiod": 31}],
    "KAMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14}],
    "T3": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14, "vfactor": 0.3}, {"vfactor": 1.0}],
    "ATR": [{"timeperiod": 1}, {"timeperiod": 30}],
    "NATR": [{"timeperiod": 2}, {"timeperiod": 30}],
    "SUM": [{"timeperiod": 2}, {"timeperiod": 100}],
    "CMO": [{"timeperiod": 2}, {"timeperiod": 30}],
    "TRIX": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 14}],
    "APO": [
        {"fastperiod": 26, "slowperiod": 12},
        *({"fastperiod": 5, "slowperiod": 30, "matype": m} for m in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    ],
    "PPO": [
        {"fastperiod": 26, "slowperiod": 12},
        *({"fastperiod": 5, "slowperiod": 30, "matype": m} for m in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    ],
    "MACDFIX": [{"signalperiod": 1}, {"signalperiod": 30}],
    "STOCHF": [
        {"fastk_period": 1, "fastd_period": 1},
        {"fastk_period": 14, "fastd_period": 5, "fastd_matype": 2},
        {"fastk_period": 9, "fastd_period": 4, "fastd_matype": 8},
        *({"fastk_period": 9, "fastd_period": 4, "fastd_matype": m} for m in (7, 9, 10, 11, 12, 13)),
    ],
    "STOCH": [
        {"slowk_matype": 7, "slowd_matype": 7},
        {"fastk_period": 1, "slowk_period": 1, "slowd_period": 1},
        {"fastk_period": 14, "slowk_period": 3, "slowk_matype": 1, "slowd_period": 5, "slowd_matype": 2},
        {"fastk_period": 20, "slowk_period": 2, "slowk_matype": 6, "slowd_period": 4, "slowd_matype": 8},
        *(
            {"fastk_period": 9, "slowk_period": 4, "slowk_matype": m, "slowd_period": 5, "slowd_matype": m}
            for m in (9, 10, 11, 12, 13)
        ),
    ],
    "WILLR": [{"timeperiod": 2}, {"timeperiod": 31}],
    "MACDEXT": [
        {"fastmatype": 7, "slowmatype": 7, "signalmatype": 7},
        {"fastmatype": 1, "slowmatype": 1, "signalmatype": 1},
        {"fastperiod": 26, "fastmatype": 2, "slowperiod": 12, "slowmatype": 4, "signalperiod": 5, "signalmatype": 6},
        {"fastperiod": 3, "fastmatype": 1, "slowperiod": 30, "slowmatype": 6, "signalperiod": 30, "signalmatype": 8},
        {"fastperiod": 2, "fastmatype": 8, "slowperiod": 3, "slowmatype": 1, "signalperiod": 1},
        {"fastmatype": 9, "slowmatype": 12, "signalmatype": 13},
        {"fastmatype": 10, "slowmatype": 11, "signalmatype": 9},
        {"fastmatype": 13, "slowmatype": 10, "signalmatype": 12},
    ],
    "STOCHRSI": [
        {"timeperiod": 2, "fastk_period": 1, "fastd_period": 1},
        {"timeperiod": 30, "fastk_period": 9, "fastd_period": 4, "fastd_matype": 2},
        *({"timeperiod": 10, "fastk_period": 5, "fastd_period": 4, "fastd_matype": m} for m in (7, 9, 10, 11, 12, 13)),
    ],
    "AROON": [{"timeperiod": 2}, {"timeperiod": 25}],
    "AROONOSC": [{"timeperiod": 2}, {"timeperiod": 25}],
    "MIDPOINT": [{"timeperiod": 2}, {"timeperiod": 30}],
    "MIDPRICE": [{"timeperiod": 2}, {"timeperiod": 30}],
    "MOM": [{"timeperiod": 1}, {"timeperiod": 25}],
    "ROC": [{"timeperiod": 1}],
    "ROCP": [{"timeperiod": 1}],
    "ROCR": [{"timeperiod": 3}],
    "ROCR100": [{"timeperiod": 3}],
    "VAR": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 30}],
    "STDDEV": [{"timeperiod": 2}, {"timeperiod": 20, "nbdev": 2.0}],
    "MAX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MIN": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MAMA": [
        {"fastlimit": 0.01, "slowlimit": 0.01},
        {"fastlimit": 0.99, "slowlimit": 0.99},
        {"fastlimit": 0.3, "slowlimit": 0.2},
        {"fastlimit": 0.05, "slowlimit": 0.5},
    ],
    "HMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 4}, {"timeperiod": 200}],
    "ZLEMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 200}],
    "RMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 200}],
    "MINMAX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MINMAXINDEX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MAXINDEX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "MININDEX": [{"timeperiod": 2}, {"timeperiod": 7}],
    "VWMA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 100}],
    "CMF": [{"timeperiod": 2}, {"timeperiod": 50}],
    "EFI": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "RVOL": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 60}],
    "DONCHIAN": [{"timeperiod": 2}, {"timeperiod": 50}],
    "ACCBANDS": [{"timeperiod": 2}, {"timeperiod": 50}],
    "KC": [
        {"timeperiod": 2, "atrperiod": 1},
        {"timeperiod": 5, "atrperiod": 30, "nbdev": 1.5},
        {"timeperiod": 30, "atrperiod": 30},
        {"nbdev": -1.0},
    ],
    "SUPERTREND": [{"timeperiod": 2}, {"timeperiod": 50, "multiplier": 0.5}, {"multiplier": 0.0}],
    "KDJ": [
        {"fastk_period": 1, "slowk_period": 1, "slowd_period": 1},
        {"fastk_period": 14, "slowk_period": 5, "slowk_matype": 0, "slowd_period": 4, "slowd_matype": 1},
        {"slowk_matype": 11, "slowd_matype": 9},
        {"slowk_matype": 10, "slowd_matype": 12},
    ],
    "PERCENTILE": [
        {"timeperiod": 2},
        {"timeperiod": 2, "percentile": 0.0},
        {"timeperiod": 7, "percentile": 100.0},
        {"timeperiod": 10, "percentile": 10.0},
        {"timeperiod": 40, "percentile": 33.3},
        {"timeperiod": 200, "percentile": 95.0},
    ],
    "PERCENTRANK": [{"timeperiod": 2}, {"timeperiod": 30}],
    "MAVP": [
        {"minperiod": 1, "maxperiod": 1},
        {"minperiod": 5, "maxperiod": 12, "matype": 1},
        *({"minperiod": 2, "maxperiod": 20, "matype": m} for m in (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    ],
    "PVO": [
        {"fastperiod": 26, "slowperiod": 12},
        *({"fastperiod": 5, "slowperiod": 30, "matype": m} for m in (0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)),
    ],
    "PLUS_DM": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "MINUS_DM": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "PLUS_DI": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "MINUS_DI": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "DX": [{"timeperiod": 2}, {"timeperiod": 40}],
    "ADX": [{"timeperiod": 2}, {"timeperiod": 40}],
    "ADXR": [{"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 40}],
    "CCI": [{"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 40}],
    "MFI": [{"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 60}],
    "ULTOSC": [
        {"timeperiod1": 1, "timeperiod2": 1, "timeperiod3": 1},
        {"timeperiod1": 30, "timeperiod2": 5, "timeperiod3": 10},
        {"timeperiod3": 60},
    ],
    "ADOSC": [{"fastperiod": 2, "slowperiod": 2}, {"fastperiod": 10, "slowperiod": 3}, {"slowperiod": 60}],
    "AVGDEV": [{"timeperiod": 2}, {"timeperiod": 40}],
    "VORTEX": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 40}],
    "ADR": [{"timeperiod": 1}, {"timeperiod": 40}],
    "CVI": [{"timeperiod": 2, "rocperiod": 1}, {"timeperiod": 30, "rocperiod": 40}],
    "MASSI": [{"fastperiod": 2, "slowperiod": 2}, {"fastperiod": 20, "slowperiod": 40}],
    "RVI": [
        {"timeperiod": 1, "stddevperiod": 2},
        {"timeperiod": 2, "stddevperiod": 2},
        {"timeperiod": 30, "stddevperiod": 40},
    ],
    "SAR": [{"acceleration": 0.05, "maximum": 0.5}, {"acceleration": 0.3, "maximum": 0.2}, {"acceleration": 0.0}],
    "SAREXT": [
        {"startvalue": 90.0, "offsetonreverse": 0.01},
        {
            "startvalue": -150.0,
            "offsetonreverse": 0.02,
            "accelerationinitlong": 0.01,
            "accelerationlong": 0.03,
            "accelerationmaxlong": 0.25,
            "accelerationinitshort": 0.3,
            "accelerationshort": 0.4,
            "accelerationmaxshort": 0.1,
        },
    ],
    "LINEARREG": [{"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 60}],
    "LINEARREG_ANGLE": [{"timeperiod": 2}, {"timeperiod": 60}],
    "LINEARREG_INTERCEPT": [{"timeperiod": 2}, {"timeperiod": 60}],
    "LINEARREG_SLOPE": [{"timeperiod": 2}, {"timeperiod": 60}],
    "TSF": [{"timeperiod": 2}, {"timeperiod": 60}],
    "CORREL": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 90}],
    "BETA": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 60}],
    "AC": [
        {"fastperiod": 2, "slowperiod": 3, "signalperiod": 2},
        {"fastperiod": 34, "slowperiod": 5, "signalperiod": 40},
    ],
    "AO": [{"fastperiod": 2, "slowperiod": 3}, {"fastperiod": 34, "slowperiod": 5}, {"slowperiod": 100}],
    "CMOU": [{"timeperiod": 2}, {"timeperiod": 50}],
    "COPPOCK": [
        {"wmaperiod": 1, "roc1period": 1, "roc2period": 1},
        {"wmaperiod": 2, "roc1period": 20, "roc2period": 3},
        {"wmaperiod": 60, "roc1period": 30, "roc2period": 30},
    ],
    "DPO": [{"timeperiod": 2}, {"timeperiod": 3}, {"timeperiod": 51}],
    "ER": [{"timeperiod": 2}, {"timeperiod": 50}],
    "ERI": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 60}],
    "FOSC": [{"timeperiod": 2}, {"timeperiod": 60}],
    "FRACTAL": [{"leftbars": 1, "rightbars": 1}, {"leftbars": 7, "rightbars": 1}, {"leftbars": 1, "rightbars": 9}],
    "IMI": [{"timeperiod": 2}, {"timeperiod": 50}],
    "QSTICK": [{"timeperiod": 1}, {"timeperiod": 2}, {"timeperiod": 50}],
    "SMI": [
        {"timeperiod": 2, "fastperiod": 2, "slowperiod": 2, "signalperiod": 2},
        {"timeperiod": 30, "fastperiod": 5, "slowperiod": 3, "signalperiod": 12},
    ],
    "TSI": [{"firstperiod": 2, "secondperiod": 2}, {"firstperiod": 5, "secondperiod": 40}],
    "VHF": [{"timeperiod": 2}, {"timeperiod": 60}],
    **{
        name: [{"penetration": 0.0}, {"penetration": 0.7}]
        for name in (
            "CDLABANDONEDBABY",
            "CDLDARKCLOUDCOVER",
            "CDLEVENINGDOJISTAR",
            "CDLEVENINGSTAR",
            "CDLMATHOLD",
            "CDLMORNINGDOJISTAR",
            "CDLMORNINGSTAR",
        )
    },
}
LENGTHS = (0, 1, 5, 34, 500, 3000)

# Functions whose values are within TOLERANCE of TA-Lib but not bit-identical,
# with the reason: most loops are bound by the latency of one recursion, and
# barrow shortens that chain by reordering its arithmetic (see the module
# docs of the Rust kernels); LINEARREG_ANGLE computes its arctangent without
# the C library. Every other implemented function must be bit-identical.
_EMA = (
    "EMA step as one multiply-add, prev * (1 - k) + k * v (TA-Lib: (v - prev) * k + prev);"
    " EMA, DEMA, ZLEMA, ERI, KC and the EMA matype take two steps at a time after the seed"
)
_SUM = "running sum moved by (new - trailing) in one addition (TA-Lib: add, then subtract)"
_WILDER = "Wilder smoothing as one multiply-add, avg * ((p - 1) / p) + v / p"
_PAIR = "two smoothing steps at a time from the second value after the seed, rma[t] from rma[t-2]"
TOLERANT: Dict[str, str] = {
    **{n: _EMA for n in ("EMA", "DEMA", "TEMA", "TRIX", "MACD", "MACDFIX", "APO", "PPO", "PVO", "KC", "CVI")},
    **{n: _EMA for n in ("EFI", "ERI", "MASSI", "SMI", "TSI", "ZLEMA", "BBANDS")},
    **{n: _SUM for n in ("SMA", "SUM", "AO", "AC", "DPO", "VWMA", "ER")},
    **{n: f"{_SUM}; {_EMA}" for n in ("MA", "MAVP", "MACDEXT", "STOCH", "STOCHF", "STOCHRSI", "KDJ", "KAMA")},
    "RMA": _PAIR,
    "LINEARREG_ANGLE": "atan from Cephes' rational approximation with selects (vectorized), within 2 ulps of libm's",
    **{n: _WILDER for n in ("RSI", "CMO", "PLUS_DM", "MINUS_DM", "PLUS_DI", "MINUS_DI", "DX", "ADX", "ADXR")},
}
TOLERANCE = 1e-9


def input_family(name: str) -> str:
    """The family of generated inputs a function takes: functions of one
    family given the same input names get the same arrays."""
    if name in ("ACOS", "ASIN"):
        return "unit"
    if name in ("COSH", "SINH", "EXP", "TAN", "TANH"):
        return "small"
    return "candles" if name.startswith("CDL") else "prices"


def inputs_for(name: str, names: List[str], n: int, seed: int) -> List[np.ndarray]:
    """Generated inputs fitting the function's domain."""
    rng = np.random.default_rng(seed)
    family = input_family(name)
    if family == "unit":
        return [rng.uniform(-1.0, 1.0, n) for _ in names]
    if family == "small":
        return [rng.uniform(-3.0, 3.0, n) for _ in names]
    if family == "candles":
        return candles(rng, n, names)
    # Compounded by multiplication, not numpy's exp: its SIMD code differs
    # by CPU in the last bit, and the coverage table must not.
    close = 100.0 * np.cumprod(1.0 + rng.normal(0, 0.01, n))
    spread = rng.random((3, n)) * 0.01
    series = {
        "close": close,
        "open": close * (1 + spread[0] - 0.005),
        "high": close * (1 + spread[1]),
        "low": close * (1 - spread[2]),
        "real": close,
        "real0": close * (1 + spread[1]),
        "real1": close * (1 - spread[2]),
        "volume": np.round(rng.random(n) * 1e6),
        # MAVP's per-bar periods, below and above its default [2, 30] range.
        "periods": rng.uniform(-2.0, 40.0, n),
    }
    return [series[k] for k in names]


def _reverting_level(factors: np.ndarray) -> np.ndarray:
    """Prices compounded by `factors` and pulled back towards 100 by 2% of
    their distance from it at every bar: a plain compounded walk drifts
    towards zero over a million bars, where rounding to 0.1 leaves nearly
    every bar flat. Scalar products only, so the bits are the same on every
    CPU."""
    level = np.empty(len(factors))
    x = 100.0
    for t, f in enumerate(factors.tolist()):
        x = x * (f - 0.02 * (x / 100.0 - 1.0))
        level[t] = x
    return level


def candles(rng: np.random.Generator, n: int, names: List[str]) -> List[np.ndarray]:
    """OHLC bars on which candlestick patterns fire: trending stretches, real
    bodies of varied length (dojis from rounding to 0.1), gaps between bars
    or none (equal opens and closes), shadows often exactly zero."""
    drift = np.repeat(rng.normal(0, 0.01, n // 8 + 1), 8)[:n]
    ret = drift + rng.normal(0, 0.015, n) * rng.choice([0.1, 1.0, 2.0], n, p=[0.2, 0.6, 0.2])
    gap = rng.normal(0, 0.01, n) * (rng.random(n) < 0.4)
    level = _reverting_level(1.0 + ret + gap)
    open_ = level / (1.0 + ret)
    close = level
    top, bottom = np.maximum(open_, close), np.minimum(open_, close)
    upper = np.abs(rng.normal(0, 0.008, n)) * (rng.random(n) < 0.7) * level
    lower = np.abs(rng.normal(0, 0.008, n)) * (rng.random(n) < 0.7) * level
    series = {
        "open": np.round(open_, 1),
        "high": np.round(top + upper, 1),
        "low": np.round(bottom - lower, 1),
        "close": np.round(close, 1),
    }
    # Opens equal to the prior close now and then.
    same = np.flatnonzero(rng.random(n) < 0.15)
    same = same[same > 0]
    series["open"][same] = series["close"][same - 1]
    # Opens inside the prior real body now and then (crows, soldiers, ...).
    o, c = series["open"], series["close"]
    for i in np.flatnonzero(rng.random(n) < 0.3):
        if i > 0:
            o[i] = np.round(c[i - 1] + rng.uniform(0.2, 0.8) * (o[i - 1] - c[i - 1]), 1)
    # Now and then a hand-made motif for patterns too rare to arise by chance.
    for start in range(20, n - 6, 60):
        motif = MOTIFS[rng.integers(len(MOTIFS))]
        sign = rng.choice([1.0, -1.0])
        base, unit = c[start - 1], max(1.0, np.round(c[start - 1] / 100.0))
        for j, bar in enumerate(motif):
            o_, h_, l_, c_ = (sign * np.array(bar)) if sign > 0 else (-bar[0], -bar[2], -bar[1], -bar[3])
            for key, v in zip(("open", "high", "low", "close"), (o_, h_, l_, c_)):
                series[key][start + j] = np.round(base + unit * v, 1)
    series["high"] = np.maximum(series["high"], np.maximum(series["open"], series["close"]))
    series["low"] = np.minimum(series["low"], np.minimum(series["open"], series["close"]))
    return [series[k] for k in names]


# (open, high, low, close) in units of about 1% of the price, relative to the
# prior close; candles() also plants their mirror images (bearish versions).
MOTIFS = [
    # kicking: black marubozu, white marubozu gapping up
    [(3, 3, 0, 0), (4, 7, 4, 7)],
    # abandoned baby: long black, doji below a gap, white above a gap
    [(3, 3.2, -0.2, 0), (-1.5, -1, -2, -1.5), (-0.5, 2.2, -0.6, 2)],
    # two crows: long white, black gapping up, black closing in the white body
    [(0, 3.2, -0.2, 3), (5, 5.2, 3.8, 4), (4.5, 4.6, 1.3, 1.5)],
    # upside gap two crows: long white, short black gapping up, engulfing black
    [(0, 3.2, -0.2, 3), (4.3, 4.4, 3.9, 4), (4.6, 4.7, 3.4, 3.5)],
    # three stars in the south
    [(3, 3.1, -3.5, 0), (1.5, 1.6, -1.5, 0.5), (0.4, 0.4, 0.1, 0.1)],
    # concealing baby swallow
    [(6, 6, 3, 3), (3, 3, 0, 0), (-0.5, 0.5, -1.7, -1.5), (0.8, 0.9, -2.6, -2.5)],
    # ladder bottom
    [(3, 3.1, 1.9, 2), (2.5, 2.6, 0.9, 1), (1.5, 1.6, -0.1, 0), (-0.2, 0.8, -1.1, -1), (0, 2.1, -0.1, 2)],
    # breakaway
    [
        (3, 3.1, -0.1, 0),
        (-0.5, -0.4, -1.6, -1.5),
        (-1.2, -0.9, -2.1, -2),
        (-2.2, -2.1, -3.1, -3),
        (-2.9, -0.1, -3, -0.2),
    ],
    # rising three methods
    [(0, 3.1, -0.1, 3), (2.8, 2.9, 2.4, 2.5), (2.5, 2.6, 2.1, 2.2), (2.2, 2.3, 1.8, 1.9), (2, 5.1, 1.9, 5)],
    # mat hold
    [(0, 3.1, -0.1, 3), (3.6, 3.7, 3.2, 3.3), (3.2, 3.3, 2.8, 2.9), (3, 3.1, 2.6, 2.7), (2.8, 5.1, 2.7, 5)],
]


def compare(name: str, params: Dict[str, Any]) -> Tuple[bool, float]:
    """(identical NaN positions and bits everywhere, max relative difference)."""
    import talib

    import barrow.talib as bt

    info = next(f for f in bt._CATALOGUE if f["name"] == name)
    worst, exact = 0.0, True
    for n in LENGTHS:
        for seed in (1, 2):
            ins = inputs_for(name, info["inputs"], n, seed)
            ours = getattr(bt, name)(*ins, **params)
            ref = getattr(talib, name)(*ins, **params)
            ours = ours if isinstance(ours, tuple) else (ours,)
            ref = ref if isinstance(ref, tuple) else (ref,)
            for a, b in zip(ours, ref):
                a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
                if not np.array_equal(np.isnan(a), np.isnan(b)):
                    return False, float("inf")
                m = ~np.isnan(b)
                if m.any():
                    diff = np.abs(a[m] - b[m]) / np.maximum(1.0, np.abs(b[m]))
                    worst = max(worst, float(diff.max()))
                    exact = exact and bool(np.array_equal(a[m], b[m]))
    return exact, worst


def table() -> str:
    import talib

    import barrow.talib as bt

    ours = set(bt.get_functions())
    groups = talib.get_function_groups()
    lines = [
        "# TA-Lib coverage",
        "",
        "Generated by `python -m barrow._coverage` (and checked by tests/test_coverage.py) against the",
        f"`TA-Lib` package {talib.__version__}: every function in `talib.get_functions()`, whether barrow",
        "implements it, the parameter sets compared (defaults first) on series of lengths",
        f"{', '.join(map(str, LENGTHS))}, and the largest difference found relative to max(1, |value|).",
        "",
    ]
    done = sum(1 for g in groups.values() for f in g if f in ours)
    total = sum(len(g) for g in groups.values())
    lines.append(f"Implemented: {done} of {total}.")
    lines.append("")
    for group, names in groups.items():
        lines += [
            f"## {group}",
            "",
            "| function | barrow | parameter sets | bit-identical | max rel. diff |",
            "|---|---|---|---|---|",
        ]
        for name in names:
            if name not in ours:
                lines.append(f"| {name} | no | | | |")
                continue
            sets = [{}, *EXTRA_PARAMS.get(name, [])]
            results = [compare(name, p) for p in sets]
            exact = all(r[0] for r in results)
            worst = max(r[1] for r in results)
            shown = "; ".join(", ".join(f"{k}={v}" for k, v in p.items()) or "defaults" for p in sets)
            lines.append(f"| {name} | yes | {shown} | {'yes' if exact else 'no'} | {worst:.1e} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/talib-coverage.md"
    with open(path, "w") as fh:
        fh.write(table())
    print(f"wrote {path}")
