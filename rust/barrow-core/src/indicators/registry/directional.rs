//! Catalogue entries for Wilder's directional movement family.

use super::super::momentum::{Directional, DirectionalKind};
use super::{period, FunctionInfo, HL, HLC};

pub(super) static ENTRIES: &[FunctionInfo] = &[
    FunctionInfo {
        name: "PLUS_DM",
        group: "Momentum Indicators",
        doc: "Plus directional movement: Wilder-smoothed sum of the up moves that exceed the down moves.",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::PlusDm, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MINUS_DM",
        group: "Momentum Indicators",
        doc: "Minus directional movement: Wilder-smoothed sum of the down moves that exceed the up moves.",
        inputs: HL,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::MinusDm, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "PLUS_DI",
        group: "Momentum Indicators",
        doc: "Plus directional indicator: 100 * smoothed +DM / smoothed true range.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::PlusDi, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "MINUS_DI",
        group: "Momentum Indicators",
        doc: "Minus directional indicator: 100 * smoothed -DM / smoothed true range.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 1.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::MinusDi, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "DX",
        group: "Momentum Indicators",
        doc: "Directional movement index: 100 * |-DI - +DI| / (-DI + +DI).",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::Dx, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ADX",
        group: "Momentum Indicators",
        doc: "Average directional movement index: Wilder-smoothed DX.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::Adx, p[0] as usize)?)),
    },
    FunctionInfo {
        name: "ADXR",
        group: "Momentum Indicators",
        doc: "ADX rating: (ADX + ADX timeperiod - 1 bars ago) / 2.",
        inputs: HLC,
        params: &[period("timeperiod", 14.0, 2.0)],
        outputs: &["real"],
        build: |p| Ok(Box::new(Directional::new(DirectionalKind::Adxr, p[0] as usize)?)),
    },
];
