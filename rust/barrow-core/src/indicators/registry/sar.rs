//! Catalogue entries for the parabolic SAR.

use super::super::overlap::{Sar, SarParams};
use super::{FunctionInfo, ParamInfo, ParamKind, HL};

const fn real(name: &'static str, default: f64, min: f64) -> ParamInfo {
    ParamInfo {
        name,
        kind: ParamKind::Float,
        default,
        min,
        max: 3e37,
    }
}

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "SAR",
        group: "Overlap Studies",
        doc: "Parabolic SAR: a stop that accelerates toward the trend's extreme by acceleration per new extreme, up to maximum.",
        inputs: HL,
        params: &[real("acceleration", 0.02, 0.0), real("maximum", 0.2, 0.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Sar::new(SarParams::sar(p[0], p[1]))?)),
    },
    FunctionInfo {
        name: "SAREXT",
        group: "Overlap Studies",
        doc: "Parabolic SAR with separate long/short accelerations, a forced start and an offset on reversal; short stops are negative.",
        inputs: HL,
        params: &[
            real("startvalue", 0.0, -3e37),
            real("offsetonreverse", 0.0, 0.0),
            real("accelerationinitlong", 0.02, 0.0),
            real("accelerationlong", 0.02, 0.0),
            real("accelerationmaxlong", 0.2, 0.0),
            real("accelerationinitshort", 0.02, 0.0),
            real("accelerationshort", 0.02, 0.0),
            real("accelerationmaxshort", 0.2, 0.0),
        ],
        outputs: &["real"],
        build: |p| {
            Ok(Box::new(Sar::new(SarParams {
                start: p[0],
                offset_on_reverse: p[1],
                long: (p[2], p[3], p[4]),
                short: (p[5], p[6], p[7]),
                signed: true,
            })?))
        },
    },
];
