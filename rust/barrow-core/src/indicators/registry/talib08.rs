//! Catalogue entries for the functions TA-Lib 0.8 added (HMA, ZLEMA, RMA,
//! channels, volume studies, rolling ranks and indices, ...).

use super::{period, FunctionInfo, HLCV, REAL};
use crate::indicators::math::{CumSum, Map2};
use crate::indicators::overlap::{Hma, Ma, MaIndicator, Rma, Zlema};
use crate::indicators::volume::{Pvt, VolumeIndex, VolumeIndexKind, Vwap};

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
];
