//! Catalogue entries for the regression and correlation statistics.

use super::super::statistic::{Beta, Correl, LinRegKind, LinearReg};
use super::{period, FunctionInfo, REAL, REAL01};

fn linreg(kind: LinRegKind, p: &[f64]) -> crate::error::Result<Box<dyn super::Indicator>> {
    Ok(Box::new(LinearReg::new(kind, p[0] as usize)?))
}

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "LINEARREG",
        group: "Statistic Functions",
        doc: "Linear regression: the least-squares line over timeperiod values, at the newest bar.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| linreg(LinRegKind::Line, p),
    },
    FunctionInfo {
        name: "LINEARREG_ANGLE",
        group: "Statistic Functions",
        doc: "Linear regression angle: atan(slope) in degrees, over timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| linreg(LinRegKind::Angle, p),
    },
    FunctionInfo {
        name: "LINEARREG_INTERCEPT",
        group: "Statistic Functions",
        doc: "Linear regression intercept: the least-squares line over timeperiod values, at the oldest bar.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| linreg(LinRegKind::Intercept, p),
    },
    FunctionInfo {
        name: "LINEARREG_SLOPE",
        group: "Statistic Functions",
        doc: "Linear regression slope per bar over timeperiod values.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| linreg(LinRegKind::Slope, p),
    },
    FunctionInfo {
        name: "TSF",
        group: "Statistic Functions",
        doc: "Time series forecast: the least-squares line over timeperiod values, one bar past the newest.",
        inputs: REAL,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| linreg(LinRegKind::Forecast, p),
    },
    FunctionInfo {
        name: "CORREL",
        group: "Statistic Functions",
        doc: "Pearson's correlation coefficient of real0 and real1 over timeperiod values (0 when either is flat).",
        inputs: REAL01,
        params: &[period("timeperiod", 30.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Correl::new(p[0] as usize)?)),
    },
    FunctionInfo {
        name: "BETA",
        group: "Statistic Functions",
        doc: "Beta: regression slope of real1's one-bar returns on real0's over timeperiod returns.",
        inputs: REAL01,
        params: &[period("timeperiod", 5.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Beta::new(p[0] as usize)?)),
    },
];
