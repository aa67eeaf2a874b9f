//! Two-candle patterns: the current bar against the one before it.

use super::candle::{Pattern, Setting::*};

/// CDLENGULFING: the current real body engulfs the prior one of opposite
/// colour; ±100, or ±80 when one end of the bodies matches.
pub const CDLENGULFING: Pattern = Pattern::new(
    "CDLENGULFING",
    "Engulfing: body engulfs the prior opposite-colour body; ±100, ±80 when one end matches.",
    2,
    &[],
    |x, _| {
        let (a, b) = (x.bar(0), x.bar(1));
        let bull = a.color() == 1 && b.color() == -1 && ((a.c >= b.o && a.o < b.c) || (a.c > b.o && a.o <= b.c));
        let bear = a.color() == -1 && b.color() == 1 && ((a.o >= b.c && a.c < b.o) || (a.o > b.c && a.c <= b.o));
        if !(bull || bear) {
            0
        } else if a.o != b.c && a.c != b.o {
            a.color() * 100
        } else {
            a.color() * 80
        }
    },
);

/// CDLHARAMI: a long body followed by a short one inside it; sign opposite
/// to the first candle, ±80 when one end of the bodies matches.
pub const CDLHARAMI: Pattern = Pattern::new(
    "CDLHARAMI",
    "Harami: long body then a short body inside it; ±100, ±80 when one end matches.",
    1,
    &[(BodyLong, 1), (BodyShort, 0)],
    |x, _| {
        let (a, b) = (x.bar(0), x.bar(1));
        if !(b.body() > x.avg(BodyLong, 1) && a.body() <= x.avg(BodyShort, 0)) {
            return 0;
        }
        harami_code(&a, &b)
    },
);

/// Harami and harami cross share the containment test.
fn harami_code(a: &super::candle::Bar, b: &super::candle::Bar) -> i32 {
    let (at, ab) = (a.c.max(a.o), a.c.min(a.o));
    let (bt, bb) = (b.c.max(b.o), b.c.min(b.o));
    if at < bt && ab > bb {
        -b.color() * 100
    } else if at <= bt && ab >= bb {
        -b.color() * 80
    } else {
        0
    }
}
