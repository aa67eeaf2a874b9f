//! Catalogue entries for the Hilbert-transform family: MAMA, HT_TRENDLINE
//! (overlap studies) and the HT_* cycle indicators.

use super::{FunctionInfo, ParamInfo, ParamKind, REAL};
use crate::indicators::cycle::{HtDcPeriod, HtDcPhase, HtPhasor, HtSine, HtTrendMode};
use crate::indicators::overlap::{HtTrendline, Mama};

const fn limit(name: &'static str, default: f64) -> ParamInfo {
    ParamInfo {
        name,
        kind: ParamKind::Float,
        default,
        min: 0.01,
        max: 0.99,
    }
}

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "MAMA",
        group: "Overlap Studies",
        doc: "MESA adaptive moving average: EMA whose alpha follows the Hilbert-transform phase rate, \
              between slowlimit and fastlimit; fama follows mama at half the alpha.",
        inputs: REAL,
        params: &[limit("fastlimit", 0.5), limit("slowlimit", 0.05)],
        outputs: &["mama", "fama"],
        build: |p| Ok(Box::new(Mama::new(p[0], p[1])?)),
    },
    FunctionInfo {
        name: "HT_TRENDLINE",
        group: "Overlap Studies",
        doc: "Hilbert transform instantaneous trendline: price averaged over the dominant cycle, \
              4-3-2-1 weighted.",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(HtTrendline::new())),
    },
    FunctionInfo {
        name: "HT_DCPERIOD",
        group: "Cycle Indicators",
        doc: "Hilbert transform dominant cycle period (bars), smoothed.",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(HtDcPeriod::new())),
    },
    FunctionInfo {
        name: "HT_DCPHASE",
        group: "Cycle Indicators",
        doc: "Hilbert transform dominant cycle phase (degrees).",
        inputs: REAL,
        params: &[],
        outputs: &["real"],
        build: |_| Ok(Box::new(HtDcPhase::new())),
    },
    FunctionInfo {
        name: "HT_PHASOR",
        group: "Cycle Indicators",
        doc: "Hilbert transform phasor components: in-phase I1 and quadrature Q1.",
        inputs: REAL,
        params: &[],
        outputs: &["inphase", "quadrature"],
        build: |_| Ok(Box::new(HtPhasor::new())),
    },
    FunctionInfo {
        name: "HT_SINE",
        group: "Cycle Indicators",
        doc: "Hilbert transform sine wave: sin(phase) and sin(phase + 45°).",
        inputs: REAL,
        params: &[],
        outputs: &["sine", "leadsine"],
        build: |_| Ok(Box::new(HtSine::new())),
    },
    FunctionInfo {
        name: "HT_TRENDMODE",
        group: "Cycle Indicators",
        doc: "Hilbert transform trend vs cycle mode: 1 trend, 0 cycle.",
        inputs: REAL,
        params: &[],
        outputs: &["integer"],
        build: |_| Ok(Box::new(HtTrendMode::new())),
    },
];
