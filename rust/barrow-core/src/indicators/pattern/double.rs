//! Two-candle patterns: the current bar against the one before it.

use super::candle::{body_gap_down, body_gap_up, gap_down, gap_up, when, Bar, Ctx, Memo, Pattern, Setting::*};
use crate::indicators::fp::madd;

/// CDLENGULFING: the current real body engulfs the prior one of opposite
/// colour; ±100, or ±80 when one end of the bodies matches.
pub const CDLENGULFING: Pattern = Pattern::new(
    "CDLENGULFING",
    "Engulfing: body engulfs the prior opposite-colour body; ±100, ±80 when one end matches.",
    2,
    &[],
    cdlengulfing,
);

#[inline(always)]
fn cdlengulfing(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    let (aw, bw) = (a.white(), b.white());
    let bull = aw & !bw & (((a.c >= b.o) & (a.o < b.c)) | ((a.c > b.o) & (a.o <= b.c)));
    let bear = !aw & bw & (((a.o >= b.c) & (a.c < b.o)) | ((a.o > b.c) & (a.c <= b.o)));
    let full = (a.o != b.c) & (a.c != b.o);
    when(bull | bear, a.color() * std::hint::select_unpredictable(full, 100, 80))
}

/// CDLHARAMI: a long body followed by a short one inside it; sign opposite
/// to the first candle, ±80 when one end of the bodies matches.
pub const CDLHARAMI: Pattern = Pattern::new(
    "CDLHARAMI",
    "Harami: long body then a short body inside it; ±100, ±80 when one end matches.",
    1,
    &[(BodyLong, 1), (BodyShort, 0)],
    cdlharami,
);

#[inline(always)]
fn cdlharami(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    harami_code(
        &a,
        &b,
        (b.body() > x.avg(BodyLong, 1)) & (a.body() <= x.avg(BodyShort, 0)),
    )
}

/// Harami and harami cross share the containment test, applied when the
/// bodies' sizes (`sizes`) qualify.
#[inline(always)]
fn harami_code(a: &Bar, b: &Bar, sizes: bool) -> i32 {
    use std::hint::select_unpredictable as sel;
    let (at, ab) = (a.c.max(a.o), a.c.min(a.o));
    let (bt, bb) = (b.c.max(b.o), b.c.min(b.o));
    let inside = (at < bt) & (ab > bb);
    let touching = (at <= bt) & (ab >= bb);
    when(sizes & touching, -b.color() * sel(inside, 100, 80))
}

/// CDLHARAMICROSS: a long body followed by a doji inside it.
pub const CDLHARAMICROSS: Pattern = Pattern::new(
    "CDLHARAMICROSS",
    "Harami cross: long body then a doji inside it; ±100, ±80 when one end matches.",
    1,
    &[(BodyLong, 1), (BodyDoji, 0)],
    cdlharamicross,
);

#[inline(always)]
fn cdlharamicross(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    harami_code(
        &a,
        &b,
        (b.body() > x.avg(BodyLong, 1)) & (a.body() <= x.avg(BodyDoji, 0)),
    )
}

/// CDLDOJISTAR: a long body, then a doji whose body gaps away in the
/// direction of the first candle; sign opposite to the first candle.
pub const CDLDOJISTAR: Pattern = Pattern::new(
    "CDLDOJISTAR",
    "Doji star: long body, then a doji gapping in its direction.",
    1,
    &[(BodyLong, 1), (BodyDoji, 0)],
    cdldojistar,
);

#[inline(always)]
fn cdldojistar(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        (b.body() > x.avg(BodyLong, 1))
            & (a.body() <= x.avg(BodyDoji, 0))
            & ((b.white() & body_gap_up(&a, &b)) | (!b.white() & body_gap_down(&a, &b))),
        -b.color() * 100,
    )
}

/// CDLPIERCING: long black, then a long white opening below its low and
/// closing above its body's midpoint (TA-Lib: one fma) but below its open.
pub const CDLPIERCING: Pattern = Pattern::new(
    "CDLPIERCING",
    "Piercing: long black, long white opening below its low, closing above its midpoint.",
    1,
    &[(BodyLong, 1), (BodyLong, 0)],
    cdlpiercing,
);

#[inline(always)]
fn cdlpiercing(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        !b.white()
            & a.white()
            & (a.o < b.l)
            & (a.c < b.o)
            & (a.c > madd(b.body(), 0.5, b.c))
            & (b.body() > x.avg(BodyLong, 1))
            & (a.body() > x.avg(BodyLong, 0)),
        100,
    )
}

/// CDLDARKCLOUDCOVER: long white, then a black opening above its high and
/// closing `penetration` deep into its body.
pub const CDLDARKCLOUDCOVER: Pattern = Pattern::new(
    "CDLDARKCLOUDCOVER",
    "Dark cloud cover: long white, black opening above its high, closing penetration into its body.",
    1,
    &[(BodyLong, 1)],
    cdldarkcloudcover,
);

#[inline(always)]
fn cdldarkcloudcover(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        b.white()
            & (b.body() > x.avg(BodyLong, 1))
            & !a.white()
            & (a.o > b.h)
            & (a.c > b.o)
            & (a.c < b.c - b.body() * x.pen),
        -100,
    )
}

/// `v` within the Equal average of the prior bar around `target`.
#[inline(always)]
fn equal(x: &Ctx, v: f64, target: f64) -> bool {
    let eq = x.avg(Equal, 1);
    (v <= target + eq) & (v >= target - eq)
}

/// CDLCOUNTERATTACK: two long opposite candles closing at the same level.
pub const CDLCOUNTERATTACK: Pattern = Pattern::new(
    "CDLCOUNTERATTACK",
    "Counterattack: two long opposite-colour candles with equal closes.",
    1,
    &[(Equal, 1), (BodyLong, 1), (BodyLong, 0)],
    cdlcounterattack,
)
.fused();

#[inline(always)]
fn cdlcounterattack(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        (b.white() != a.white())
            & (b.body() > x.avg(BodyLong, 1))
            & (a.body() > x.avg(BodyLong, 0))
            & equal(x, a.c, b.c),
        a.color() * 100,
    )
}

/// CDLHOMINGPIGEON: long black, then a short black body inside it.
pub const CDLHOMINGPIGEON: Pattern = Pattern::new(
    "CDLHOMINGPIGEON",
    "Homing pigeon: long black, then a short black body inside it.",
    1,
    &[(BodyLong, 1), (BodyShort, 0)],
    cdlhomingpigeon,
);

#[inline(always)]
fn cdlhomingpigeon(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        !b.white()
            & !a.white()
            & (b.body() > x.avg(BodyLong, 1))
            & (a.body() <= x.avg(BodyShort, 0))
            & (a.o < b.o)
            & (a.c > b.c),
        100,
    )
}

/// Long black, then a white opening below its low: the start of the neck
/// patterns and thrusting.
#[inline(always)]
fn neck_setup(x: &Ctx, a: &Bar, b: &Bar) -> bool {
    !b.white() & a.white() & (a.o < b.l) & (b.body() > x.avg(BodyLong, 1))
}

/// CDLINNECK: long black, then a white opening below its low and closing
/// at or just above its close.
pub const CDLINNECK: Pattern = Pattern::new(
    "CDLINNECK",
    "In-neck: long black, white opening below its low, closing at or just into its body.",
    1,
    &[(Equal, 1), (BodyLong, 1)],
    cdlinneck,
);

#[inline(always)]
fn cdlinneck(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        neck_setup(x, &a, &b) & (a.c >= b.c) & (a.c <= b.c + x.avg(Equal, 1)),
        -100,
    )
}

/// CDLONNECK: long black, then a white opening below its low and closing
/// at its low.
pub const CDLONNECK: Pattern = Pattern::new(
    "CDLONNECK",
    "On-neck: long black, white opening below its low, closing equal to that low.",
    1,
    &[(Equal, 1), (BodyLong, 1)],
    cdlonneck,
);

#[inline(always)]
fn cdlonneck(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(neck_setup(x, &a, &b) & equal(x, a.c, b.l), -100)
}

/// CDLTHRUSTING: long black, then a white opening below its low and closing
/// into its body but not above the midpoint (TA-Lib: one fma).
pub const CDLTHRUSTING: Pattern = Pattern::new(
    "CDLTHRUSTING",
    "Thrusting: long black, white opening below its low, closing into its body below the midpoint.",
    1,
    &[(Equal, 1), (BodyLong, 1)],
    cdlthrusting,
);

#[inline(always)]
fn cdlthrusting(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        neck_setup(x, &a, &b) & (a.c > b.c + x.avg(Equal, 1)) & (a.c <= madd(b.body(), 0.5, b.c)),
        -100,
    )
}

/// Two opposite marubozu with a gap between them (kicking patterns).
#[inline(always)]
fn kicking(x: &Ctx, a: &Bar, b: &Bar) -> bool {
    #[inline(always)]
    fn maru(x: &Ctx, c: &Bar, k: usize) -> bool {
        let vs = x.avg(ShadowVeryShort, k);
        (c.body() > x.avg(BodyLong, k)) & (c.upper() < vs) & (c.lower() < vs)
    }
    (b.white() != a.white())
        & ((!b.white() & gap_up(a, b)) | (b.white() & gap_down(a, b)))
        & maru(x, b, 1)
        & maru(x, a, 0)
}

/// CDLKICKING: a marubozu, then an opposite marubozu gapping away; sign of
/// the second.
pub const CDLKICKING: Pattern = Pattern::new(
    "CDLKICKING",
    "Kicking: marubozu then an opposite marubozu across a gap; sign of the second.",
    1,
    &[(ShadowVeryShort, 1), (ShadowVeryShort, 0), (BodyLong, 1), (BodyLong, 0)],
    cdlkicking,
);

#[inline(always)]
fn cdlkicking(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(kicking(x, &a, &b), a.color() * 100)
}

/// CDLKICKINGBYLENGTH: kicking, signed by the longer of the two marubozu.
pub const CDLKICKINGBYLENGTH: Pattern = Pattern::new(
    "CDLKICKINGBYLENGTH",
    "Kicking by length: kicking, sign of the longer marubozu.",
    1,
    &[(ShadowVeryShort, 1), (ShadowVeryShort, 0), (BodyLong, 1), (BodyLong, 0)],
    cdlkickingbylength,
);

#[inline(always)]
fn cdlkickingbylength(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    let longer = std::hint::select_unpredictable(a.body() > b.body(), a.color(), b.color());
    when(kicking(x, &a, &b), longer * 100)
}

/// CDLMATCHINGLOW: two black candles with equal closes.
pub const CDLMATCHINGLOW: Pattern = Pattern::new(
    "CDLMATCHINGLOW",
    "Matching low: two black candles with equal closes.",
    1,
    &[(Equal, 1)],
    cdlmatchinglow,
);

#[inline(always)]
fn cdlmatchinglow(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(!b.white() & !a.white() & equal(x, a.c, b.c), 100)
}

/// CDLSEPARATINGLINES: opposite candles with the same open, the second a
/// belt hold.
pub const CDLSEPARATINGLINES: Pattern = Pattern::new(
    "CDLSEPARATINGLINES",
    "Separating lines: opposite candles with equal opens, the second a belt hold.",
    1,
    &[(ShadowVeryShort, 0), (BodyLong, 0), (Equal, 1)],
    cdlseparatinglines,
);

#[inline(always)]
fn cdlseparatinglines(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        (b.white() != a.white()) & equal(x, a.o, b.o) & (a.body() > x.avg(BodyLong, 0)) & {
            let vs = x.avg(ShadowVeryShort, 0);
            std::hint::select_unpredictable(a.white(), a.lower() < vs, a.upper() < vs)
        },
        a.color() * 100,
    )
}
