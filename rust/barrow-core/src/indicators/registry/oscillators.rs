//! Catalogue entries for price and volume oscillators (CCI, MFI, ULTOSC,
//! ADOSC, ...).

use super::super::momentum::{Cci, Mfi, Ultosc, Vortex, Wad};
use super::super::volume::Adosc;
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
    FunctionInfo {
        name: "ULTOSC",
        group: "Momentum Indicators",
        doc: "Ultimate oscillator: 100 * (4 A1/B1 + 2 A2/B2 + A3/B3) / 7, buying pressure over true range summed over three periods.",
        inputs: HLC,
        params: &[
            period("timeperiod1", 7.0, 1.0),
            period("timeperiod2", 14.0, 1.0),
            period("timeperiod3", 28.0, 1.0),
        ],
        outputs: &["real"],
        build: |p| Ok(Box::new(Ultosc::new(p[0] as usize, p[1] as usize, p[2] as usize)?)),
    },
    FunctionInfo {
        name: "ADOSC",
        group: "Volume Indicators",
        doc: "Chaikin A/D oscillator: EMA(fastperiod) - EMA(slowperiod) of the A/D line.",
        inputs: HLCV,
        params: &[period("fastperiod", 3.0, 2.0), period("slowperiod", 10.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Adosc::new(p[0] as usize, p[1] as usize)?)),
    },
    FunctionInfo {
        name: "VORTEX",
        group: "Momentum Indicators",
        doc: "Vortex indicator: sums over timeperiod of |high - previous low| and |low - previous high|, each over the summed true range.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["plusvi", "minusvi"],
        build: |p| Ok(Box::new(Vortex::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "WAD",
        group: "Momentum Indicators",
        doc: "Williams' A/D: running sum of close minus the true low (up closes) or true high (down closes).",
        inputs: HLC,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(Wad::new())),
    },
];
