//! Catalogue entries for the functions TA-Lib 0.8 added (HMA, ZLEMA, RMA,
//! channels, volume studies, rolling ranks and indices, ...).

use super::{matype, nbdev, period, FunctionInfo, ParamInfo, ParamKind, HL, HLC, HLCV, MATYPE_EMA, OHLC, REAL};
use crate::indicators::math::{CumSum, Map2, WindowExtremes, WindowExtremesKind};
use crate::indicators::momentum::{Kdj, PriceOscillator};
use crate::indicators::overlap::{
    AccBands, Donchian, Hma, Keltner, Ma, MaIndicator, MaType, Mavp, Rma, SuperTrend, Vwma, Zlema,
};
use crate::indicators::price::HeikinAshi;
use crate::indicators::statistic::{PercentRank, Percentile};
use crate::indicators::volume::{Cmf, Efi, Pvt, Rvol, VolumeIndex, VolumeIndexKind, Vwap};

const CLOSE_VOLUME: &[&str] = &["close", "volume"];

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "HMA",
        group: "Overlap Studies",
        doc: "Hull moving average: WMA(2 WMA(x, timeperiod/2) - WMA(x, timeperiod), floor(sqrt(timeperiod))).",
        inputs: REAL,
        params: &[period("timeperiod", 20.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Hma(Hma::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "ZLEMA",
        group: "Overlap Studies",
        doc: "Zero-lag EMA: EMA(timeperiod) of 2 x[t] - x[t - (timeperiod-1)/2].",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Zlema(Zlema::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "RMA",
        group: "Overlap Studies",
        doc: "Wilder's moving average: seeded with the mean, then ((timeperiod-1) rma + x) / timeperiod.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(MaIndicator(Ma::Rma(Rma::new(p[0] as usize)?)))),
    },
    FunctionInfo {
        name: "NVI",
        group: "Volume Indicators",
        doc: "Negative volume index: from 1000, grows by the close's rate of change on bars whose volume fell.",
        inputs: CLOSE_VOLUME,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(VolumeIndex::new(VolumeIndexKind::Negative))),
    },
    FunctionInfo {
        name: "PVI",
        group: "Volume Indicators",
        doc: "Positive volume index: from 1000, grows by the close's rate of change on bars whose volume rose.",
        inputs: CLOSE_VOLUME,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(VolumeIndex::new(VolumeIndexKind::Positive))),
    },
    FunctionInfo {
        name: "PVT",
        group: "Volume Indicators",
        doc: "Price volume trend: running sum of (close - previous close) / previous close * volume.",
        inputs: CLOSE_VOLUME,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Pvt::new())),
    },
    FunctionInfo {
        name: "VWAP",
        group: "Volume Indicators",
        doc: "Cumulative VWAP: sum((high + low + close) / 3 * volume) / sum(volume) from the first bar (0 until volume trades).",
        inputs: HLCV,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Vwap::new())),
    },
    FunctionInfo {
        name: "MARKETFI",
        group: "Volume Indicators",
        doc: "Market facilitation index: (high - low) / volume, 0 when volume is 0.",
        inputs: &["high", "low", "volume"],
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Map2::new(3, |v| if v[2] == 0.0 { 0.0 } else { (v[0] - v[1]) / v[2] }))),
    },
    FunctionInfo {
        name: "CUMSUM",
        group: "Math Operators",
        doc: "Cumulative sum from the first value.",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(CumSum::new())),
    },
    FunctionInfo {
        name: "MINMAX",
        group: "Math Operators",
        doc: "Lowest and highest values over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["min", "max"],
        build: |p| Ok(Box::new(crate::indicators::overlap::BlockMinMax::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MINMAXINDEX",
        group: "Math Operators",
        doc: "Bar positions (from the series start) of the lowest and highest values over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["minidx", "maxidx"],
        build: |p| Ok(Box::new(WindowExtremes::new(WindowExtremesKind::MinMaxIndex, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MAXINDEX",
        group: "Math Operators",
        doc: "Bar position (from the series start) of the highest value over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["integer"],
        build: |p| Ok(Box::new(WindowExtremes::new(WindowExtremesKind::MaxIndex, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MININDEX",
        group: "Math Operators",
        doc: "Bar position (from the series start) of the lowest value over timeperiod bars.",
        inputs: REAL,
        params: &[period("timeperiod", 30.0, 2.0)],
        outputs: &["integer"],
        build: |p| Ok(Box::new(WindowExtremes::new(WindowExtremesKind::MinIndex, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "VWMA",
        group: "Overlap Studies",
        doc: "Volume-weighted moving average: SMA(real * volume) / SMA(volume) over timeperiod bars.",
        inputs: &["real", "volume"],
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Vwma::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "CMF",
        group: "Volume Indicators",
        doc: "Chaikin money flow: sum of ((close - low) - (high - close)) / (high - low) * volume over sum of volume, timeperiod bars.",
        inputs: HLCV,
        params: &[period("timeperiod", 20.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Cmf::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "EFI",
        group: "Volume Indicators",
        doc: "Elder's force index: EMA(timeperiod) of (close - previous close) * volume.",
        inputs: CLOSE_VOLUME,
        params: &[period("timeperiod", 13.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Efi::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "RVOL",
        group: "Volume Indicators",
        doc: "Relative volume: volume / mean volume of the timeperiod previous bars.",
        inputs: &["volume"],
        params: &[period("timeperiod", 20.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Rvol::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "PVO",
        group: "Volume Indicators",
        doc: "Percentage volume oscillator: (MA(fastperiod) - MA(slowperiod)) / MA(slowperiod) * 100 of volume (matype 11: EMA).",
        inputs: &["volume"],
        params: &[period("fastperiod", 12.0, 2.0), period("slowperiod", 26.0, 2.0), MATYPE_EMA],
        outputs: &["real"],
        build: |p| {
            let matype = MaType::from_code_or(p[2] as i64, MaType::Ema)?;
            Ok(Box::new(PriceOscillator::new(p[0] as usize, p[1] as usize, matype, true)?))
        },
    },
    FunctionInfo {
        name: "DONCHIAN",
        group: "Overlap Studies",
        doc: "Donchian channels: highest high, midpoint and lowest low over timeperiod bars.",
        inputs: HL,
        params: &[period("timeperiod", 20.0, 2.0)],
        outputs: &["upperband", "middleband", "lowerband"],
        build: |p| Ok(Box::new(Donchian::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ACCBANDS",
        group: "Overlap Studies",
        doc: "Acceleration bands: SMAs of high (1 + r), close and low (1 - r), r = 4 (high - low) / (high + low).",
        inputs: HLC,
        params: &[period("timeperiod", 20.0, 2.0)],
        outputs: &["upperband", "middleband", "lowerband"],
        build: |p| Ok(Box::new(AccBands::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "KC",
        group: "Overlap Studies",
        doc: "Keltner channels: EMA(timeperiod) of the typical price plus/minus nbdev ATR(atrperiod).",
        inputs: HLC,
        params: &[period("timeperiod", 20.0, 2.0), period("atrperiod", 10.0, 1.0), nbdev("nbdev")],
        outputs: &["upperband", "middleband", "lowerband"],
        build: |p| Ok(Box::new(Keltner::new(p[0] as usize, p[1] as usize, p[2])?)),
    },
    FunctionInfo {
        name: "HA",
        group: "Price Transform",
        doc: "Heikin-Ashi candles: haclose = (o + h + l + c) / 4, haopen = mean of the previous haopen and haclose.",
        inputs: OHLC,
        params: &[],
        outputs: &["haopen", "hahigh", "halow", "haclose"],
        build: |_| Ok(Box::new(HeikinAshi::new())),
    },
    FunctionInfo {
        name: "SUPERTREND",
        group: "Overlap Studies",
        doc: "SuperTrend: ratcheting (high + low) / 2 plus/minus multiplier ATR(timeperiod) bands, and the trend (1 up, -1 down).",
        inputs: HLC,
        params: &[
            period("timeperiod", 10.0, 2.0),
            ParamInfo {
                name: "multiplier",
                kind: ParamKind::Float,
                default: 3.0,
                min: 0.0,
                max: 3e37,
            },
        ],
        outputs: &["supertrend", "trend"],
        build: |p| Ok(Box::new(SuperTrend::new(p[0] as usize, p[1])?)),
    },
    FunctionInfo {
        name: "KDJ",
        group: "Momentum Indicators",
        doc: "KDJ: STOCH's slow %K and %D (Wilder's RMA by default) and J = 3 K - 2 D.",
        inputs: HLC,
        params: &[
            period("fastk_period", 9.0, 1.0),
            period("slowk_period", 3.0, 1.0),
            MATYPE_RMA_K,
            period("slowd_period", 3.0, 1.0),
            MATYPE_RMA_D,
        ],
        outputs: &["k", "d", "j"],
        build: |p| {
            let t = |v: f64| MaType::from_code_or(v as i64, MaType::Rma);
            Ok(Box::new(Kdj::new(p[0] as usize, p[1] as usize, t(p[2])?, p[3] as usize, t(p[4])?)?))
        },
    },
    FunctionInfo {
        name: "PERCENTILE",
        group: "Statistic Functions",
        doc: "Nearest-rank percentile of the last timeperiod values: the ceil(percentile * timeperiod / 100)-th smallest.",
        inputs: REAL,
        params: &[
            period("timeperiod", 30.0, 2.0),
            ParamInfo {
                name: "percentile",
                kind: ParamKind::Float,
                default: 50.0,
                min: 0.0,
                max: 100.0,
            },
        ],
        outputs: &["real"],
        build: |p| Ok(Box::new(Percentile::new(p[0] as usize, p[1])?)),
    },
    FunctionInfo {
        name: "PERCENTRANK",
        group: "Statistic Functions",
        doc: "Percent rank: (number of the timeperiod previous values below the current one) / timeperiod * 100.",
        inputs: REAL,
        params: &[period("timeperiod", 100.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(PercentRank::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MAVP",
        group: "Overlap Studies",
        doc: "Moving average of type matype whose period is each bar's periods value, truncated and clamped to [minperiod, maxperiod].",
        inputs: &["real", "periods"],
        params: &[period("minperiod", 2.0, 1.0), period("maxperiod", 30.0, 1.0), matype("matype")],
        outputs: &["real"],
        build: |p| Ok(Box::new(Mavp::new(p[0] as usize, p[1] as usize, MaType::from_code(p[2] as i64)?)?)),
    },
];

const MATYPE_RMA_K: ParamInfo = ParamInfo {
    default: 13.0,
    ..matype("slowk_matype")
};

const MATYPE_RMA_D: ParamInfo = ParamInfo {
    default: 13.0,
    ..matype("slowd_matype")
};
