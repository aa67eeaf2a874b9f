//! Catalogue entries for the functions TA-Lib 0.8 added (HMA, ZLEMA, RMA,
//! channels, volume studies, rolling ranks and indices, ...).

use super::{period, FunctionInfo, REAL};
use crate::indicators::overlap::{Hma, Ma, MaIndicator, Rma, Zlema};

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
];
