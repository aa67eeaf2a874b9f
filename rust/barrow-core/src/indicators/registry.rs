//! The catalogue of indicator functions: names, inputs, parameters (with
//! TA-Lib's defaults and ranges) and outputs, plus a builder for each.
//!
//! The catalogue is what the JSON spec, the TA-Lib-style Python functions and
//! the Spark stage all resolve names against, so a function is reachable the
//! same way everywhere once it is listed here.

mod cycle;
mod directional;
mod moments;
mod momentum_extra;
mod oscillators;
mod pattern;
mod ranges;
mod sar;
mod statistic;
mod talib08;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use super::math::{Map1, Map2, Sum};
use super::momentum::{
    Aroon, Change, ChangeKind, Cmo, Macd, MacdExt, PriceOscillator, Rsi, StochRsi, Stochastic, Trix, Willr,
};
use super::overlap::{
    Bbands, BlockExtreme, Ema, ExtremeKind, Kama, Ma, MaIndicator, MaType, MidRange, MultiEma, Sma, Trima, Wma, T3,
};
use super::returns::{Feature, FeatureKind};
use super::statistic::Deviation;
use super::volatility::{Atr, Natr, Trange};
use super::volume::{Ad, Obv};
use super::Indicator;
use crate::error::{BarrowError, Result};

/// Kind of a numeric parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamKind {
    /// Must be integral.
    Int,
    /// Any finite number.
    Float,
}

/// One parameter of a function.
#[derive(Clone, Debug, Serialize)]
pub struct ParamInfo {
    /// Keyword name, as in TA-Lib's Python wrapper.
    pub name: &'static str,
    /// Integer or float.
    pub kind: ParamKind,
    /// Value used when the parameter is not given.
    pub default: f64,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
}

/// One indicator function.
#[derive(Clone, Debug, Serialize)]
pub struct FunctionInfo {
    /// Upper-case name, as in TA-Lib.
    pub name: &'static str,
    /// TA-Lib group (or `Returns` for barrow's own features).
    pub group: &'static str,
    /// One-line description with the formula.
    pub doc: &'static str,
    /// Input names in TA-Lib order (`real`, or `high`, `low`, `close`, ...).
    pub inputs: &'static [&'static str],
    /// Parameters in TA-Lib order.
    pub params: &'static [ParamInfo],
    /// Output names in TA-Lib order.
    pub outputs: &'static [&'static str],
    /// Builds the state machine from resolved parameters (TA-Lib order).
    #[serde(skip)]
    pub(crate) build: fn(&[f64]) -> Result<Box<dyn Indicator>>,
}

pub(crate) const MAX_PERIOD: f64 = 100_000.0;

pub(crate) const fn period(name: &'static str, default: f64, min: f64) -> ParamInfo {
    ParamInfo {
        name,
        kind: ParamKind::Int,
        default,
        min,
        max: MAX_PERIOD,
    }
}

pub(crate) const fn nbdev(name: &'static str) -> ParamInfo {
    ParamInfo {
        name,
        kind: ParamKind::Float,
        default: 2.0,
        min: -3e37,
        max: 3e37,
    }
}

pub(crate) const NBDEV1: ParamInfo = ParamInfo {
    name: "nbdev",
    kind: ParamKind::Float,
    default: 1.0,
    min: -3e37,
    max: 3e37,
};

pub(crate) const VFACTOR: ParamInfo = ParamInfo {
    name: "vfactor",
    kind: ParamKind::Float,
    default: 0.7,
    min: 0.0,
    max: 1.0,
};

pub(crate) const fn matype(name: &'static str) -> ParamInfo {
    ParamInfo {
        name,
        kind: ParamKind::Int,
        default: 0.0,
        min: 0.0,
        max: 13.0,
    }
}

pub(crate) const MATYPE_EMA: ParamInfo = ParamInfo {
    name: "matype",
    kind: ParamKind::Int,
    default: 1.0,
    min: 0.0,
    max: 13.0,
};

pub(crate) const MATYPE: ParamInfo = ParamInfo {
    name: "matype",
    kind: ParamKind::Int,
    default: 0.0,
    min: 0.0,
    max: 13.0,
};

pub(crate) const REAL: &[&str] = &["real"];
pub(crate) const HLC: &[&str] = &["high", "low", "close"];
pub(crate) const HL: &[&str] = &["high", "low"];
pub(crate) const OHLC: &[&str] = &["open", "high", "low", "close"];
pub(crate) const REAL01: &[&str] = &["real0", "real1"];
pub(crate) const HLCV: &[&str] = &["high", "low", "close", "volume"];

// Parameters are validated (integral, in range) before a builder runs, so
// the casts below are exact.
static FUNCTIONS: &[FunctionInfo] = &[
    FunctionInfo {
        name: "SMA",
        group: "Overlap Studies",
        doc: "Simple moving average: mean of the last timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Sma::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "EMA",
        group: "Overlap Studies",
        doc: "Exponential moving average, k = 2/(timeperiod+1), seeded with the SMA of the first timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Ema::new(p[0] as usize)?.in_pairs())),
    },
    FunctionInfo {
        name: "BBANDS",
        group: "Overlap Studies",
        doc: "Bollinger Bands: MA(timeperiod, matype) plus/minus nbdevup/nbdevdn population standard deviations.",
        inputs: REAL,
        params: &[
            period("timeperiod", 20.0, 2.0),
            nbdev("nbdevup"),
            nbdev("nbdevdn"),
            MATYPE,
        ],
        outputs: &["upperband", "middleband", "lowerband"],
        build: |p| {
            Ok(Box::new(Bbands::new(
                p[0] as usize,
                p[1],
                p[2],
                MaType::from_code(p[3] as i64)?,
            )?))
        },
    },
    FunctionInfo {
        name: "WMA",
        group: "Overlap Studies",
        doc: "Weighted moving average, weights 1..timeperiod (newest heaviest).",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Wma(Wma::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "DEMA",
        group: "Overlap Studies",
        doc: "Double exponential moving average: 2 EMA - EMA(EMA).",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Multi(MultiEma::new(p[0] as usize, 2)?)))),
    },
    FunctionInfo {
        name: "TEMA",
        group: "Overlap Studies",
        doc: "Triple exponential moving average: 3 EMA - 3 EMA(EMA) + EMA(EMA(EMA)).",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Multi(MultiEma::new(p[0] as usize, 3)?)))),
    },
    FunctionInfo {
        name: "TRIMA",
        group: "Overlap Studies",
        doc: "Triangular moving average.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Trima(Trima::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "KAMA",
        group: "Overlap Studies",
        doc: "Kaufman adaptive moving average.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Kama(Kama::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "T3",
        group: "Overlap Studies",
        doc: "Tillson T3 moving average with volume factor vfactor.",
        inputs: REAL,
        params: &[period("timeperiod", 5.0, 1.0), VFACTOR],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::T3(T3::new(p[0] as usize, p[1])?)))),
    },
    FunctionInfo {
        name: "MA",
        group: "Overlap Studies",
        doc: "Moving average of type matype (0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA, 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3, 9 HMA, 10 none, 11 default (SMA), 12 ZLEMA, 13 RMA).",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0), MATYPE],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::new(p[0] as usize, MaType::from_code(p[1] as i64)?)?))),
    },
    FunctionInfo {
        name: "MIDPOINT",
        group: "Overlap Studies",
        doc: "Midpoint over timeperiod values: (highest + lowest) / 2.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MidRange::new(p[0] as usize, false)?)),
    },
    FunctionInfo {
        name: "MIDPRICE",
        group: "Overlap Studies",
        doc: "Midpoint price over timeperiod bars: (highest high + lowest low) / 2.",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MidRange::new(p[0] as usize, true)?)),
    },
    FunctionInfo {
        name: "RSI",
        group: "Momentum Indicators",
        doc: "Relative strength index with Wilder smoothing: 100*gain/(gain+loss).",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Rsi::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MACD",
        group: "Momentum Indicators",
        doc: "EMA(fastperiod) - EMA(slowperiod), its EMA(signalperiod), and their difference.",
        inputs: REAL,
        params: &[
            period("fastperiod", 12.0, 2.0),
            period("slowperiod", 26.0, 2.0),
            period("signalperiod", 9.0, 1.0),
        ],
        outputs: &["macd", "macdsignal", "macdhist"],
        build: |p| Ok(Box::new(Macd::new(p[0] as usize, p[1] as usize, p[2] as usize)?)),
    },
    FunctionInfo {
        name: "CMO",
        group: "Momentum Indicators",
        doc: "Chande momentum oscillator: 100 * (gain - loss) / (gain + loss), Wilder-smoothed.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Cmo::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "TRIX",
        group: "Momentum Indicators",
        doc: "1-bar rate of change (percent) of a triple EMA.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Trix::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "APO",
        group: "Momentum Indicators",
        doc: "Absolute price oscillator: MA(fastperiod) - MA(slowperiod), both of type matype.",
        inputs: REAL,
        params: &[period("fastperiod", 12.0, 2.0), period("slowperiod", 26.0, 2.0), MATYPE_EMA],
        outputs: &["real"],
        build: |p| Ok(Box::new(PriceOscillator::new(p[0] as usize, p[1] as usize, MaType::from_code_or(p[2] as i64, MaType::Ema)?, false)?)),
    },
    FunctionInfo {
        name: "PPO",
        group: "Momentum Indicators",
        doc: "Percentage price oscillator: (MA(fastperiod) - MA(slowperiod)) / MA(slowperiod) * 100.",
        inputs: REAL,
        params: &[period("fastperiod", 12.0, 2.0), period("slowperiod", 26.0, 2.0), MATYPE_EMA],
        outputs: &["real"],
        build: |p| Ok(Box::new(PriceOscillator::new(p[0] as usize, p[1] as usize, MaType::from_code_or(p[2] as i64, MaType::Ema)?, true)?)),
    },
    FunctionInfo {
        name: "MACDFIX",
        group: "Momentum Indicators",
        doc: "MACD with TA-Lib's fixed 12/26 smoothing (k = 0.15 and 0.075) and an EMA(signalperiod) signal.",
        inputs: REAL,
        params: &[period("signalperiod", 9.0, 1.0)],
        outputs: &["macd", "macdsignal", "macdhist"],
        build: |p| Ok(Box::new(Macd::fixed(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "STOCHF",
        group: "Momentum Indicators",
        doc: "Fast stochastic: raw %K over fastk_period bars and its MA(fastd_period, fastd_matype).",
        inputs: HLC,
        params: &[period("fastk_period", 5.0, 1.0), period("fastd_period", 3.0, 1.0), matype("fastd_matype")],
        outputs: &["fastk", "fastd"],
        build: |p| Ok(Box::new(Stochastic::fast(p[0] as usize, p[1] as usize, MaType::from_code(p[2] as i64)?)?)),
    },
    FunctionInfo {
        name: "STOCH",
        group: "Momentum Indicators",
        doc: "Slow stochastic: MA of raw %K (slow %K) and the MA of that (slow %D).",
        inputs: HLC,
        params: &[
            period("fastk_period", 5.0, 1.0),
            period("slowk_period", 3.0, 1.0),
            matype("slowk_matype"),
            period("slowd_period", 3.0, 1.0),
            matype("slowd_matype"),
        ],
        outputs: &["slowk", "slowd"],
        build: |p| {
            Ok(Box::new(Stochastic::slow(
                p[0] as usize,
                p[1] as usize,
                MaType::from_code(p[2] as i64)?,
                p[3] as usize,
                MaType::from_code(p[4] as i64)?,
            )?))
        },
    },
    FunctionInfo {
        name: "WILLR",
        group: "Momentum Indicators",
        doc: "Williams' %R: (highest high - close) / (highest high - lowest low) * -100.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Willr::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MACDEXT",
        group: "Momentum Indicators",
        doc: "MACD with a moving-average type for the fast, slow and signal lines.",
        inputs: REAL,
        params: &[
            period("fastperiod", 12.0, 2.0),
            matype("fastmatype"),
            period("slowperiod", 26.0, 2.0),
            matype("slowmatype"),
            period("signalperiod", 9.0, 1.0),
            matype("signalmatype"),
        ],
        outputs: &["macd", "macdsignal", "macdhist"],
        build: |p| {
            let t = |v: f64| MaType::from_code(v as i64);
            Ok(Box::new(MacdExt::new(
                (p[0] as usize, t(p[1])?),
                (p[2] as usize, t(p[3])?),
                (p[4] as usize, t(p[5])?),
            )?))
        },
    },
    FunctionInfo {
        name: "STOCHRSI",
        group: "Momentum Indicators",
        doc: "Stochastic RSI: STOCHF applied to RSI(timeperiod).",
        inputs: REAL,
        params: &[
            period("timeperiod", 14.0, 2.0),
            period("fastk_period", 5.0, 1.0),
            period("fastd_period", 3.0, 1.0),
            matype("fastd_matype"),
        ],
        outputs: &["fastk", "fastd"],
        build: |p| {
            Ok(Box::new(StochRsi::new(
                p[0] as usize,
                p[1] as usize,
                p[2] as usize,
                MaType::from_code(p[3] as i64)?,
            )?))
        },
    },
    FunctionInfo {
        name: "AROON",
        group: "Momentum Indicators",
        doc: "Aroon: 100 / timeperiod * (timeperiod - bars since the lowest low / highest high).",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["aroondown", "aroonup"],
        build: |p| Ok(Box::new(Aroon::new(p[0] as usize, false)?)),
    },
    FunctionInfo {
        name: "AROONOSC",
        group: "Momentum Indicators",
        doc: "Aroon oscillator: 100 / timeperiod * (index of the highest high - index of the lowest low).",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Aroon::new(p[0] as usize, true)?)),
    },
    FunctionInfo {
        name: "ATR",
        group: "Volatility Indicators",
        doc: "Average true range with Wilder smoothing, seeded with the mean of the first timeperiod true ranges.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Atr::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ACOS",
        group: "Math Transform",
        doc: "Vector trigonometric ACos: acos(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::acos))),
    },
    FunctionInfo {
        name: "ASIN",
        group: "Math Transform",
        doc: "Vector trigonometric ASin: asin(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::asin))),
    },
    FunctionInfo {
        name: "ATAN",
        group: "Math Transform",
        doc: "Vector trigonometric ATan: atan(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::atan))),
    },
    FunctionInfo {
        name: "CEIL",
        group: "Math Transform",
        doc: "Vector ceiling: ceil(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::ceil))),
    },
    FunctionInfo {
        name: "COS",
        group: "Math Transform",
        doc: "Vector trigonometric cosine: cos(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::cos))),
    },
    FunctionInfo {
        name: "COSH",
        group: "Math Transform",
        doc: "Vector trigonometric cosh: cosh(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::cosh))),
    },
    FunctionInfo {
        name: "EXP",
        group: "Math Transform",
        doc: "Vector arithmetic exp: e^x.",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::exp))),
    },
    FunctionInfo {
        name: "FLOOR",
        group: "Math Transform",
        doc: "Vector floor: floor(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::floor))),
    },
    FunctionInfo {
        name: "LN",
        group: "Math Transform",
        doc: "Vector natural log: ln(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::ln))),
    },
    FunctionInfo {
        name: "LOG10",
        group: "Math Transform",
        doc: "Vector base-10 log: log10(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::log10))),
    },
    FunctionInfo {
        name: "SIN",
        group: "Math Transform",
        doc: "Vector trigonometric sine: sin(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::sin))),
    },
    FunctionInfo {
        name: "SINH",
        group: "Math Transform",
        doc: "Vector trigonometric sinh: sinh(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::sinh))),
    },
    FunctionInfo {
        name: "SQRT",
        group: "Math Transform",
        doc: "Vector square root: sqrt(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::sqrt))),
    },
    FunctionInfo {
        name: "TAN",
        group: "Math Transform",
        doc: "Vector trigonometric tangent: tan(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::tan))),
    },
    FunctionInfo {
        name: "TANH",
        group: "Math Transform",
        doc: "Vector trigonometric tanh: tanh(x).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map1::new(f64::tanh))),
    },
    FunctionInfo {
        name: "ADD",
        group: "Math Operators",
        doc: "Vector arithmetic add: real0 + real1.",
        inputs: REAL01,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(2, |v| v[0] + v[1]))),
    },
    FunctionInfo {
        name: "SUB",
        group: "Math Operators",
        doc: "Vector arithmetic subtraction: real0 - real1.",
        inputs: REAL01,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(2, |v| v[0] - v[1]))),
    },
    FunctionInfo {
        name: "MULT",
        group: "Math Operators",
        doc: "Vector arithmetic multiply: real0 * real1.",
        inputs: REAL01,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(2, |v| v[0] * v[1]))),
    },
    FunctionInfo {
        name: "DIV",
        group: "Math Operators",
        doc: "Vector arithmetic division: real0 / real1.",
        inputs: REAL01,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(2, |v| v[0] / v[1]))),
    },
    FunctionInfo {
        name: "SUM",
        group: "Math Operators",
        doc: "Rolling sum of the last timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Sum::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "AVGPRICE",
        group: "Price Transform",
        doc: "Average price: (high + low + close + open) / 4, summed in that order as TA-Lib does.",
        inputs: OHLC,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(4, |v| (v[1] + v[2] + v[3] + v[0]) / 4.0))),
    },
    FunctionInfo {
        name: "MEDPRICE",
        group: "Price Transform",
        doc: "Median price: (high + low) / 2.",
        inputs: HL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(2, |v| (v[0] + v[1]) / 2.0))),
    },
    FunctionInfo {
        name: "TYPPRICE",
        group: "Price Transform",
        doc: "Typical price: (high + low + close) / 3.",
        inputs: HLC,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(3, |v| (v[0] + v[1] + v[2]) / 3.0))),
    },
    FunctionInfo {
        name: "WCLPRICE",
        group: "Price Transform",
        doc: "Weighted close price: (high + low + 2 * close) / 4.",
        inputs: HLC,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(3, |v| (v[0] + v[1] + v[2] * 2.0) / 4.0))),
    },
    FunctionInfo {
        name: "MOM",
        group: "Momentum Indicators",
        doc: "Momentum: x[t] - x[t-timeperiod].",
        inputs: REAL,
        params: &[period("timeperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Mom, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROC",
        group: "Momentum Indicators",
        doc: "Rate of change: (x[t] / x[t-timeperiod] - 1) * 100.",
        inputs: REAL,
        params: &[period("timeperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Roc, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROCP",
        group: "Momentum Indicators",
        doc: "Rate of change percentage: (x[t] - x[t-timeperiod]) / x[t-timeperiod].",
        inputs: REAL,
        params: &[period("timeperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Rocp, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROCR",
        group: "Momentum Indicators",
        doc: "Rate of change ratio: x[t] / x[t-timeperiod].",
        inputs: REAL,
        params: &[period("timeperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Rocr, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROCR100",
        group: "Momentum Indicators",
        doc: "Rate of change ratio times 100.",
        inputs: REAL,
        params: &[period("timeperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Rocr100, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MAX",
        group: "Math Operators",
        doc: "Highest value over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(BlockExtreme::new(ExtremeKind::Max, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MIN",
        group: "Math Operators",
        doc: "Lowest value over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(BlockExtreme::new(ExtremeKind::Min, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "VAR",
        group: "Statistic Functions",
        doc: "Rolling population variance over timeperiod values (nbdev is accepted and ignored, as in TA-Lib).",
        inputs: REAL,
        params: &[period("timeperiod", 5.0, 1.0), NBDEV1],
        outputs: &["real"],
        build: |p| Ok(Box::new(Deviation::var(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "STDDEV",
        group: "Statistic Functions",
        doc: "Rolling population standard deviation over timeperiod values, times nbdev.",
        inputs: REAL,
        params: &[period("timeperiod", 5.0, 2.0), NBDEV1],
        outputs: &["real"],
        build: |p| Ok(Box::new(Deviation::stddev(p[0] as usize, p[1])?)),
    },
    FunctionInfo {
        name: "TRANGE",
        group: "Volatility Indicators",
        doc: "True range: max(high - low, |previous close - high|, |previous close - low|).",
        inputs: HLC,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Trange::new())),
    },
    FunctionInfo {
        name: "BOP",
        group: "Momentum Indicators",
        doc: "Balance of power: (close - open) / (high - low), 0 when the range is below 1e-14.",
        inputs: OHLC,
        params: &[],
        outputs: &["real"],
        build: |_| {
            Ok(Box::new(Map2::new(4, |v| {
                if v[1] - v[2] < 1e-14 {
                    0.0
                } else {
                    (v[3] - v[0]) / (v[1] - v[2])
                }
            })))
        },
    },
    FunctionInfo {
        name: "OBV",
        group: "Volume Indicators",
        doc: "On-balance volume: running sum of volume signed by the price's direction.",
        inputs: &["real", "volume"],
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Obv::new())),
    },
    FunctionInfo {
        name: "AD",
        group: "Volume Indicators",
        doc: "Chaikin A/D line: running sum of ((close - low) - (high - close)) / (high - low) * volume.",
        inputs: HLCV,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Ad::new())),
    },
    FunctionInfo {
        name: "NATR",
        group: "Volatility Indicators",
        doc: "Normalized average true range: ATR / close * 100 (timeperiod 1, which TA-Lib accepts, is not supported yet).",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Natr::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "RETURN",
        group: "Returns",
        doc: "Simple return over timeperiod bars: x[t] / x[t-timeperiod] - 1.",
        inputs: REAL,
        params: &[period("timeperiod", 1.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Feature::new(FeatureKind::Return, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROLLING_VOL",
        group: "Returns",
        doc: "Annualized volatility: sample std (ddof 1) of the last timeperiod one-bar log returns * sqrt(periods_per_year).",
        inputs: REAL,
        params: &[
            period("timeperiod", 20.0, 2.0),
            ParamInfo {
                name: "periods_per_year",
                kind: ParamKind::Float,
                default: 252.0,
                min: 1e-9,
                max: 1e9,
            },
        ],
        outputs: &["real"],
        build: |p| Ok(Box::new(Feature::new(FeatureKind::RollingVol(p[1]), p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ZSCORE",
        group: "Returns",
        doc: "Rolling z-score: (x - mean) / std over timeperiod values (ddof 1; NaN for a constant window).",
        inputs: REAL,
        params: &[period("timeperiod", 20.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Feature::new(FeatureKind::ZScore, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "DRAWDOWN",
        group: "Returns",
        doc: "Drawdown from the running peak: x / max(x so far) - 1.",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Feature::new(FeatureKind::Drawdown, 1)?)),
    },
    FunctionInfo {
        name: "ROLLING_VWAP",
        group: "Returns",
        doc: "Rolling VWAP: sum((high + low + close) / 3 * volume) / sum(volume) over timeperiod bars.",
        inputs: HLCV,
        params: &[period("timeperiod", 20.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Feature::new(FeatureKind::RollingVwap, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "LOG_RETURN",
        group: "Returns",
        doc: "Log return over timeperiod bars: ln(x[t] / x[t-timeperiod]).",
        inputs: REAL,
        params: &[period("timeperiod", 1.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Change::new(ChangeKind::Log, p[0] as usize)?)),
    },
];

/// The catalogue's parts: this file's entries, then each family's own
/// `ENTRIES` slice.
static PARTS: &[&[FunctionInfo]] = &[
    FUNCTIONS,
    moments::ENTRIES,
    cycle::ENTRIES,
    talib08::ENTRIES,
    directional::ENTRIES,
    oscillators::ENTRIES,
    sar::ENTRIES,
    ranges::ENTRIES,
    statistic::ENTRIES,
    momentum_extra::ENTRIES,
    pattern::ENTRIES,
];

/// Every function barrow implements.
pub fn functions() -> &'static [FunctionInfo] {
    static ALL: OnceLock<Vec<FunctionInfo>> = OnceLock::new();
    ALL.get_or_init(|| PARTS.iter().flat_map(|part| part.iter().cloned()).collect())
}

/// Looks a function up by name (case-insensitive).
pub fn find_function(name: &str) -> Result<&'static FunctionInfo> {
    functions()
        .iter()
        .find(|f| f.name.eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let known: Vec<&str> = functions().iter().map(|f| f.name).collect();
            BarrowError::Spec(format!(
                "unknown function '{name}'; known functions: {}",
                known.join(", ")
            ))
        })
}

impl FunctionInfo {
    /// Resolves given parameters against defaults and ranges, in TA-Lib order.
    pub fn resolve(&self, given: &BTreeMap<String, f64>) -> Result<Vec<f64>> {
        for key in given.keys() {
            if !self.params.iter().any(|p| p.name == key) {
                let names: Vec<&str> = self.params.iter().map(|p| p.name).collect();
                return Err(BarrowError::bad_param(
                    key,
                    given[key],
                    format!("{} takes no such parameter; it takes: {}", self.name, names.join(", ")),
                ));
            }
        }
        self.params
            .iter()
            .map(|p| {
                let v = given.get(p.name).copied().unwrap_or(p.default);
                let what = match p.kind {
                    ParamKind::Int => "an integer",
                    ParamKind::Float => "a number",
                };
                if !v.is_finite() || (p.kind == ParamKind::Int && v.fract() != 0.0) || v < p.min || v > p.max {
                    return Err(BarrowError::bad_param(
                        p.name,
                        v,
                        format!("{} needs {what} in [{}, {}]", self.name, p.min, p.max),
                    ));
                }
                Ok(v)
            })
            .collect()
    }

    /// Whether output `k` holds integers (TA-Lib's `integer`, `minidx`,
    /// `maxidx`, `trend`, `swinghigh` and `swinglow` outputs: pattern codes,
    /// bar indices, trend mode, SUPERTREND's direction, fractal flags). Kernels
    /// write them as exact `f64` values; the Arrow and numpy layers hand them
    /// out as int32, with 0 where TA-Lib has no value.
    pub fn integer_output(&self, k: usize) -> bool {
        matches!(
            self.outputs.get(k),
            Some(&("integer" | "minidx" | "maxidx" | "trend" | "swinghigh" | "swinglow"))
        )
    }

    /// Builds a fresh state machine from resolved parameters.
    pub fn build(&self, params: &[f64]) -> Result<Box<dyn Indicator>> {
        (self.build)(params)
    }

    /// Resolves `given` and builds the indicator.
    pub fn build_with(&self, given: &BTreeMap<String, f64>) -> Result<Box<dyn Indicator>> {
        self.build(&self.resolve(given)?)
    }
}

/// The column an input reads when a spec does not map it, as in TA-Lib's
/// abstract API: `real` reads `close`, `real0`/`real1` read `high`/`low`,
/// every other input reads the column of its own name.
pub fn default_column(input: &str) -> &str {
    match input {
        "real" => "close",
        "real0" => "high",
        "real1" => "low",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_applies_defaults_and_checks_ranges() {
        let f = find_function("macd").unwrap();
        assert_eq!(f.resolve(&BTreeMap::new()).unwrap(), vec![12.0, 26.0, 9.0]);
        let bad = BTreeMap::from([("fastperiod".to_string(), 1.0)]);
        let err = f.resolve(&bad).unwrap_err().to_string();
        assert!(err.contains("fastperiod") && err.contains("[2, 100000]"), "{err}");
        let frac = BTreeMap::from([("signalperiod".to_string(), 2.5)]);
        assert!(f.resolve(&frac).is_err());
        let unknown = BTreeMap::from([("period".to_string(), 3.0)]);
        assert!(f
            .resolve(&unknown)
            .unwrap_err()
            .to_string()
            .contains("no such parameter"));
    }

    #[test]
    fn names_are_unique_across_parts() {
        let mut names: Vec<&str> = functions().iter().map(|f| f.name).collect();
        names.sort_unstable();
        let n = names.len();
        names.dedup();
        assert_eq!(n, names.len(), "a function is listed twice");
    }

    #[test]
    fn unknown_function_lists_known_ones() {
        let err = find_function("FOO").unwrap_err().to_string();
        assert!(err.contains("SMA") && err.contains("FOO"));
    }

    #[test]
    fn every_function_builds_with_defaults_and_reports_its_lookback() {
        for f in functions() {
            let ind = f.build_with(&BTreeMap::new()).unwrap();
            assert!(ind.lookback() <= 100, "{}", f.name);
        }
    }

    /// Generated OHLCV-style inputs for any catalogue function, with NaN
    /// gaps after the start (leading NaNs are the wrapper's business).
    fn inputs_for(f: &FunctionInfo, n: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = crate::data::rng::SplitMix64::new(seed);
        let mut close = 100.0;
        let mut rows: Vec<[f64; 6]> = Vec::with_capacity(n);
        for _ in 0..n {
            let open = close;
            close *= 1.0 + 0.02 * (rng.next_f64() - 0.5);
            let high = open.max(close) * (1.0 + 0.01 * rng.next_f64());
            let low = open.min(close) * (1.0 - 0.01 * rng.next_f64());
            let volume = (rng.next_f64() * 1e6).round();
            let period = 2.0 + (rng.next_f64() * 20.0).floor();
            rows.push([open, high, low, close, volume, period]);
        }
        f.inputs
            .iter()
            .map(|name| {
                let k = match *name {
                    "open" => 0,
                    "high" | "real0" => 1,
                    "low" | "real1" => 2,
                    "volume" => 4,
                    "periods" => 5,
                    _ => 3,
                };
                rows.iter()
                    .enumerate()
                    .map(|(i, r)| {
                        // A few mid-series NaN gaps (not in MAVP's periods).
                        if k != 5 && i > 40 && i % 97 == 0 {
                            f64::NAN
                        } else if ["ACOS", "ASIN"].contains(&f.name) {
                            (r[k] / 100.0 - 1.0).clamp(-1.0, 1.0)
                        } else {
                            r[k]
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Runs `f` on `inputs` in chunks of the lengths `sizes` yields (until
    /// the series ends) and asserts the same bits as one call on it all.
    fn assert_chunking_gives_the_same_bits(f: &FunctionInfo, inputs: &[Vec<f64>], mut sizes: impl FnMut() -> usize) {
        let views: Vec<&[f64]> = inputs.iter().map(Vec::as_slice).collect();
        let (n, n_out) = (views[0].len(), f.outputs.len());
        let whole = crate::indicators::run(f.build_with(&BTreeMap::new()).unwrap().as_mut(), &views, n_out);
        let mut ind = f.build_with(&BTreeMap::new()).unwrap();
        let mut outs = vec![vec![0.0; n]; n_out];
        let mut start = 0;
        while start < n {
            let len = sizes().clamp(1, n - start);
            let ins: Vec<&[f64]> = views.iter().map(|s| &s[start..start + len]).collect();
            let mut o: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[start..start + len]).collect();
            ind.update(&ins, &mut o);
            start += len;
        }
        for (k, (a, b)) in whole.iter().zip(&outs).enumerate() {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert!(
                    x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
                    "{} output {k} differs at {i} across chunkings: {x} vs {y}",
                    f.name
                );
            }
        }
    }

    #[test]
    fn every_function_gives_the_same_bits_in_chunks_longer_than_its_blocks() {
        // Kernels that work a block at a time (1,024 or 4,096 bars) carry
        // their window across blocks inside a call and across calls.
        for f in functions() {
            let mut sizes = [1, 4_100, 3, 1_030, 9_000].into_iter();
            assert_chunking_gives_the_same_bits(f, &inputs_for(f, 9_000, 11), || sizes.next().unwrap_or(9_000));
        }
    }

    #[test]
    fn every_function_gives_the_same_bits_in_any_chunking() {
        let mut rng = crate::data::rng::SplitMix64::new(99);
        for f in functions() {
            let inputs = inputs_for(f, 700, 7);
            for _ in 0..3 {
                assert_chunking_gives_the_same_bits(f, &inputs, || 1 + rng.below(120));
            }
        }
    }
}
