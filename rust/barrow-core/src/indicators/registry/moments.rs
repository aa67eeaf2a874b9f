//! Catalogue entries for the rolling higher moments (barrow's own features).

use super::{period, FunctionInfo, REAL};
use crate::indicators::returns::{Moment, RollingMoment};

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "ROLLING_SKEW",
        group: "Returns",
        doc: "Rolling skewness over timeperiod values, bias-adjusted as pandas' rolling().skew() (NaN for a flat window).",
        inputs: REAL,
        params: &[period("timeperiod", 20.0, 3.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(RollingMoment::new(Moment::Skew, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ROLLING_KURT",
        group: "Returns",
        doc: "Rolling excess kurtosis over timeperiod values, bias-adjusted as pandas' rolling().kurt() (NaN for a flat window).",
        inputs: REAL,
        params: &[period("timeperiod", 20.0, 4.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(RollingMoment::new(Moment::Kurt, p[0] as usize)?)),
    },
];
