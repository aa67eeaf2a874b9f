//! Catalogue entries for price and volume oscillators (CCI, MFI, ULTOSC,
//! ADOSC, ...).

use super::super::momentum::{Cci, Mfi};
use super::{period, FunctionInfo, HLC, HLCV};

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "CCI",
        group: "Momentum Indicators",
        doc: "Commodity channel index: (typical price - its mean) / (0.015 * mean absolute deviation) over timeperiod bars.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Cci::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MFI",
        group: "Momentum Indicators",
        doc: "Money flow index: 100 * positive / (positive + negative) typical-price money flow over timeperiod bars.",
        inputs: HLCV,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Mfi::new(p[0] as usize)?)),
    },
];
