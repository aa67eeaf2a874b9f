//! Catalogue entries for range and dispersion measures (AVGDEV, ADR, CVI,
//! MASSI, RVI).

use super::super::price::AvgDev;
use super::super::volatility::{Adr, Cvi, Massi, Rvi};
use super::{period, FunctionInfo, HL, REAL};

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "AVGDEV",
        group: "Price Transform",
        doc: "Average deviation: mean of |x - mean| over timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(AvgDev::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ADR",
        group: "Volatility Indicators",
        doc: "Average daily range: SMA of high - low over timeperiod bars.",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Adr::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "CVI",
        group: "Volatility Indicators",
        doc: "Chaikin volatility: percent change over rocperiod bars of the EMA(timeperiod) of high - low.",
        inputs: HL,
        params: &[period("timeperiod", 10.0, 2.0), period("rocperiod", 10.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Cvi::new(p[0] as usize, p[1] as usize)?)),
    },
    FunctionInfo {
        name: "MASSI",
        group: "Volatility Indicators",
        doc: "Mass index: sum over slowperiod of EMA(high - low) / EMA(EMA(high - low)), EMAs over fastperiod.",
        inputs: HL,
        params: &[period("fastperiod", 9.0, 2.0), period("slowperiod", 25.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Massi::new(p[0] as usize, p[1] as usize)?)),
    },
    FunctionInfo {
        name: "RVI",
        group: "Volatility Indicators",
        doc: "Relative volatility index: 100 * up / (up + down), the Wilder-smoothed (timeperiod) standard deviation (stddevperiod) of rising and falling bars.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 1.0), period("stddevperiod", 10.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Rvi::new(p[0] as usize, p[1] as usize)?)),
    },
];
