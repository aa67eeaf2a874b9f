//! Three-candle patterns (and three black crows, which also checks the
//! white candle before the three).

use super::candle::{body_gap_down, body_gap_up, gap_down, gap_up, when, Ctx, Memo, Pattern, Setting, Setting::*};
use crate::indicators::fp::madd;

/// CDLMORNINGSTAR: long black, short star gapping down, white closing above
/// `close[-2] + penetration * body[-2]` (TA-Lib computes this with one fma).
pub const CDLMORNINGSTAR: Pattern = Pattern::new(
    "CDLMORNINGSTAR",
    "Morning star: long black, short body gapping down, white closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyShort, 1), (BodyShort, 0)],
    cdlmorningstar,
);

#[inline(always)]
fn cdlmorningstar(x: &Ctx, _: &mut Memo) -> i32 {
    morning_star(x, BodyShort)
}

/// The morning star rule, the star (middle candle) judged against `star`:
/// BodyShort for the morning star, BodyDoji for the morning doji star.
#[inline(always)]
fn morning_star(x: &Ctx, star: Setting) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        !a.white()
            & c.white()
            & body_gap_down(&b, &a)
            & (c.c > madd(a.body(), x.pen, a.c))
            & (a.body() > x.avg(BodyLong, 2))
            & (b.body() <= x.avg(star, 1))
            & (c.body() > x.avg(BodyShort, 0)),
        100,
    )
}

/// CDLEVENINGSTAR: long white, short star gapping up, black closing below
/// `close[-2] - penetration * body[-2]`.
pub const CDLEVENINGSTAR: Pattern = Pattern::new(
    "CDLEVENINGSTAR",
    "Evening star: long white, short body gapping up, black closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyShort, 1), (BodyShort, 0)],
    cdleveningstar,
);

#[inline(always)]
fn cdleveningstar(x: &Ctx, _: &mut Memo) -> i32 {
    evening_star(x, BodyShort)
}

/// The evening star rule, the star (middle candle) judged against `star`:
/// BodyShort for the evening star, BodyDoji for the evening doji star.
#[inline(always)]
fn evening_star(x: &Ctx, star: Setting) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        a.white()
            & !c.white()
            & body_gap_up(&b, &a)
            & (c.c < a.c - a.body() * x.pen)
            & (a.body() > x.avg(BodyLong, 2))
            & (b.body() <= x.avg(star, 1))
            & (c.body() > x.avg(BodyShort, 0)),
        -100,
    )
}

/// CDL3WHITESOLDIERS: three white candles with higher closes, each opening
/// within or near the prior body, very short upper shadows, none far
/// shorter than the one before.
pub const CDL3WHITESOLDIERS: Pattern = Pattern::new(
    "CDL3WHITESOLDIERS",
    "Three advancing white soldiers: three rising white candles with tiny upper shadows.",
    2,
    &[
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
        (Near, 2),
        (Near, 1),
        (Far, 2),
        (Far, 1),
        (BodyShort, 0),
    ],
    cdl3whitesoldiers,
);

#[inline(always)]
fn cdl3whitesoldiers(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    let shape = a.white() & b.white() & c.white() & (c.c > b.c) & (b.c > a.c) & (b.o > a.o) & (c.o > b.o);
    if !shape {
        return 0;
    }
    when(
        (a.upper() < x.avg(ShadowVeryShort, 2))
            & (b.upper() < x.avg(ShadowVeryShort, 1))
            & (c.upper() < x.avg(ShadowVeryShort, 0))
            & (b.o <= a.c + x.avg(Near, 2))
            & (c.o <= b.c + x.avg(Near, 1))
            & (b.body() > a.body() - x.avg(Far, 2))
            & (c.body() > b.body() - x.avg(Far, 1))
            & (c.body() > x.avg(BodyShort, 0)),
        100,
    )
}

/// CDL3BLACKCROWS: a white candle, then three declining black candles each
/// opening within the prior body, with very short lower shadows.
pub const CDL3BLACKCROWS: Pattern = Pattern::new(
    "CDL3BLACKCROWS",
    "Three black crows: after a white candle, three declining black candles with tiny lower shadows.",
    3,
    &[(ShadowVeryShort, 2), (ShadowVeryShort, 1), (ShadowVeryShort, 0)],
    cdl3blackcrows,
);

#[inline(always)]
fn cdl3blackcrows(x: &Ctx, _: &mut Memo) -> i32 {
    let (w, a, b, c) = (x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    when(
        (w.color() == 1)
            & (a.color() == -1)
            & (b.color() == -1)
            & (c.color() == -1)
            & (b.o < a.o)
            & (b.o > a.c)
            & (c.o < b.o)
            & (c.o > b.c)
            & (w.h > a.c)
            & (a.c > b.c)
            & (b.c > c.c)
            & (a.lower() < x.avg(ShadowVeryShort, 2))
            & (b.lower() < x.avg(ShadowVeryShort, 1))
            & (c.lower() < x.avg(ShadowVeryShort, 0)),
        -100,
    )
}

/// CDLMORNINGDOJISTAR: morning star whose star is a doji.
pub const CDLMORNINGDOJISTAR: Pattern = Pattern::new(
    "CDLMORNINGDOJISTAR",
    "Morning doji star: long black, doji gapping down, white closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyDoji, 1), (BodyShort, 0)],
    cdlmorningdojistar,
);

#[inline(always)]
fn cdlmorningdojistar(x: &Ctx, _: &mut Memo) -> i32 {
    morning_star(x, BodyDoji)
}

/// CDLEVENINGDOJISTAR: evening star whose star is a doji.
pub const CDLEVENINGDOJISTAR: Pattern = Pattern::new(
    "CDLEVENINGDOJISTAR",
    "Evening doji star: long white, doji gapping up, black closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyDoji, 1), (BodyShort, 0)],
    cdleveningdojistar,
);

#[inline(always)]
fn cdleveningdojistar(x: &Ctx, _: &mut Memo) -> i32 {
    evening_star(x, BodyDoji)
}

/// CDLABANDONEDBABY: long body, doji gapping away (shadows apart), then an
/// opposite body gapping back and closing `penetration` into the first.
pub const CDLABANDONEDBABY: Pattern = Pattern::new(
    "CDLABANDONEDBABY",
    "Abandoned baby: long body, doji isolated by gaps, opposite body closing penetration into the first.",
    2,
    &[(BodyLong, 2), (BodyDoji, 1), (BodyShort, 0)],
    cdlabandonedbaby,
);

#[inline(always)]
fn cdlabandonedbaby(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        (a.body() > x.avg(BodyLong, 2))
            & (b.body() <= x.avg(BodyDoji, 1))
            & (c.body() > x.avg(BodyShort, 0))
            & ((a.white() & !c.white() & (c.c < a.c - a.body() * x.pen) & gap_up(&b, &a) & gap_down(&c, &b))
                | (!a.white() & c.white() & (c.c > madd(a.body(), x.pen, a.c)) & gap_down(&b, &a) & gap_up(&c, &b))),
        c.color() * 100,
    )
}

/// CDL2CROWS: long white, black gapping up, black opening in the second
/// body and closing in the first.
pub const CDL2CROWS: Pattern = Pattern::new(
    "CDL2CROWS",
    "Two crows: long white, black gapping up, black closing within the white body.",
    2,
    &[(BodyLong, 2)],
    cdl2crows,
);

#[inline(always)]
fn cdl2crows(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        a.white()
            & (a.body() > x.avg(BodyLong, 2))
            & !b.white()
            & body_gap_up(&b, &a)
            & !c.white()
            & (c.o < b.o)
            & (c.o > b.c)
            & (c.c > a.o)
            & (c.c < a.c),
        -100,
    )
}

/// CDLUPSIDEGAP2CROWS: long white, short black gapping up, black engulfing
/// it but closing above the white close.
pub const CDLUPSIDEGAP2CROWS: Pattern = Pattern::new(
    "CDLUPSIDEGAP2CROWS",
    "Upside gap two crows: long white, short black gapping up, black engulfing it above the white close.",
    2,
    &[(BodyLong, 2), (BodyShort, 1)],
    cdlupsidegap2crows,
);

#[inline(always)]
fn cdlupsidegap2crows(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        a.white()
            & (a.body() > x.avg(BodyLong, 2))
            & !b.white()
            & (b.body() <= x.avg(BodyShort, 1))
            & body_gap_up(&b, &a)
            & !c.white()
            & (c.o > b.o)
            & (c.c < b.c)
            & (c.c > a.c),
        -100,
    )
}

/// CDL3INSIDE: harami (long body, short body inside it) confirmed by a
/// third candle closing beyond the first open.
pub const CDL3INSIDE: Pattern = Pattern::new(
    "CDL3INSIDE",
    "Three inside up/down: harami, then a candle closing beyond the first open.",
    2,
    &[(BodyLong, 2), (BodyShort, 1)],
    cdl3inside,
);

#[inline(always)]
fn cdl3inside(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    let shape = (b.c.max(b.o) < a.c.max(a.o))
        & (b.c.min(b.o) > a.c.min(a.o))
        & ((a.white() & !c.white() & (c.c < a.o)) | (!a.white() & c.white() & (c.c > a.o)));
    when(
        shape & (a.body() > x.avg(BodyLong, 2)) & (b.body() <= x.avg(BodyShort, 1)),
        -a.color() * 100,
    )
}

/// CDL3OUTSIDE: engulfing confirmed by a third candle closing further.
pub const CDL3OUTSIDE: Pattern = Pattern::new(
    "CDL3OUTSIDE",
    "Three outside up/down: engulfing, then a candle closing beyond the engulfing close.",
    3,
    &[],
    cdl3outside,
);

#[inline(always)]
fn cdl3outside(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        ((b.color() == 1) & (a.color() == -1) & (b.c > a.o) & (b.o < a.c) & (c.c > b.c))
            | ((b.color() == -1) & (a.color() == 1) & (b.o > a.c) & (b.c < a.o) & (c.c < b.c)),
        b.color() * 100,
    )
}

/// CDL3STARSINSOUTH: long black with a long lower shadow, a smaller black
/// trading lower but holding the low, then a small black marubozu inside.
pub const CDL3STARSINSOUTH: Pattern = Pattern::new(
    "CDL3STARSINSOUTH",
    "Three stars in the south: three shrinking black candles holding above the first low.",
    2,
    &[
        (BodyLong, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
        (BodyShort, 0),
    ],
    cdl3starsinsouth,
);

#[inline(always)]
fn cdl3starsinsouth(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        (a.color() == -1)
            & (b.color() == -1)
            & (c.color() == -1)
            & (a.body() > x.avg(BodyLong, 2))
            & (a.lower() > x.avg(ShadowLong, 2))
            & (b.body() < a.body())
            & (b.o > a.c)
            & (b.o <= a.h)
            & (b.l < a.c)
            & (b.l >= a.l)
            & (b.lower() > x.avg(ShadowVeryShort, 1))
            & (c.body() < x.avg(BodyShort, 0))
            & (c.lower() < x.avg(ShadowVeryShort, 0))
            & (c.upper() < x.avg(ShadowVeryShort, 0))
            & (c.l > b.l)
            & (c.h < b.h),
        100,
    )
}

/// CDLADVANCEBLOCK: three rising white candles losing strength (shrinking
/// bodies and/or long upper shadows).
pub const CDLADVANCEBLOCK: Pattern = Pattern::new(
    "CDLADVANCEBLOCK",
    "Advance block: three rising white candles with shrinking bodies or growing upper shadows.",
    2,
    &[
        (ShadowShort, 2),
        (ShadowShort, 1),
        (ShadowShort, 0),
        (Near, 2),
        (Near, 1),
        (Far, 2),
        (Far, 1),
        (BodyLong, 2),
    ],
    cdladvanceblock,
);

#[inline(always)]
fn cdladvanceblock(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    let (ab, bb, cb) = (a.body(), b.body(), c.body());
    let shape = a.white() & b.white() & c.white() & (c.c > b.c) & (b.c > a.c) & (b.o > a.o) & (c.o > b.o);
    when(
        shape
            & (b.o <= a.c + x.avg(Near, 2))
            & (c.o <= b.c + x.avg(Near, 1))
            & (ab > x.avg(BodyLong, 2))
            & (a.upper() < x.avg(ShadowShort, 2))
            & (((bb < ab - x.avg(Far, 2)) & (cb < bb + x.avg(Near, 1)))
                | (cb < bb - x.avg(Far, 1))
                | ((cb < bb)
                    & (bb < ab)
                    & ((c.upper() > x.avg(ShadowShort, 0)) | (b.upper() > x.avg(ShadowShort, 1))))
                | ((cb < bb) & (c.upper() > x.avg(ShadowLong, 0)))),
        -100,
    )
}

/// CDLGAPSIDESIDEWHITE: two similar white candles side by side after a gap
/// (up: +100, down: -100).
pub const CDLGAPSIDESIDEWHITE: Pattern = Pattern::new(
    "CDLGAPSIDESIDEWHITE",
    "Up/down-gap side-by-side white lines: two similar white candles with equal opens after a gap.",
    2,
    &[(Near, 1), (Equal, 1)],
    cdlgapsidesidewhite,
);

#[inline(always)]
fn cdlgapsidesidewhite(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        ((body_gap_up(&b, &a) & body_gap_up(&c, &a)) | (body_gap_down(&b, &a) & body_gap_down(&c, &a)))
            & b.white()
            & c.white()
            & (c.body() >= b.body() - x.avg(Near, 1))
            & (c.body() <= b.body() + x.avg(Near, 1))
            & (c.o >= b.o - x.avg(Equal, 1))
            & (c.o <= b.o + x.avg(Equal, 1)),
        std::hint::select_unpredictable(body_gap_up(&b, &a), 100, -100),
    )
}

/// CDLIDENTICAL3CROWS: three declining black candles, each opening at the
/// prior close, with very short lower shadows.
pub const CDLIDENTICAL3CROWS: Pattern = Pattern::new(
    "CDLIDENTICAL3CROWS",
    "Identical three crows: three declining black candles, each opening at the prior close.",
    2,
    &[
        (ShadowVeryShort, 2),
        (ShadowVeryShort, 1),
        (ShadowVeryShort, 0),
        (Equal, 2),
        (Equal, 1),
    ],
    cdlidentical3crows,
);

#[inline(always)]
fn cdlidentical3crows(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        (!a.white() & !b.white() & !c.white() & (a.c > b.c) & (b.c > c.c))
            && (a.lower() < x.avg(ShadowVeryShort, 2))
                & (b.lower() < x.avg(ShadowVeryShort, 1))
                & (c.lower() < x.avg(ShadowVeryShort, 0))
                & (b.o <= a.c + x.avg(Equal, 2))
                & (b.o >= a.c - x.avg(Equal, 2))
                & (c.o <= b.c + x.avg(Equal, 1))
                & (c.o >= b.c - x.avg(Equal, 1)),
        -100,
    )
}

/// CDLSTALLEDPATTERN: two long white candles, then a small white riding on
/// the second's shoulder.
pub const CDLSTALLEDPATTERN: Pattern = Pattern::new(
    "CDLSTALLEDPATTERN",
    "Stalled pattern: two long rising white candles, then a small white at the top of the second.",
    2,
    &[
        (BodyLong, 2),
        (BodyLong, 1),
        (BodyShort, 0),
        (ShadowVeryShort, 1),
        (Near, 2),
        (Near, 1),
    ],
    cdlstalledpattern,
);

#[inline(always)]
fn cdlstalledpattern(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        (a.white() & b.white() & c.white() & (c.c > b.c) & (b.c > a.c) & (b.o > a.o))
            && (a.body() > x.avg(BodyLong, 2))
                & (b.body() > x.avg(BodyLong, 1))
                & (b.upper() < x.avg(ShadowVeryShort, 1))
                & (b.o <= a.c + x.avg(Near, 2))
                & (c.body() < x.avg(BodyShort, 0))
                & (c.o >= b.c - c.body() - x.avg(Near, 1)),
        -100,
    )
}

/// CDLSTICKSANDWICH: black, white trading above the black close, black
/// closing where the first did.
pub const CDLSTICKSANDWICH: Pattern = Pattern::new(
    "CDLSTICKSANDWICH",
    "Stick sandwich: black, white above its close, black closing equal to the first.",
    2,
    &[(Equal, 2)],
    cdlsticksandwich,
);

#[inline(always)]
fn cdlsticksandwich(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    let eq = x.avg(Equal, 2);
    when(
        !a.white() & b.white() & !c.white() & (b.l > a.c) & (c.c <= a.c + eq) & (c.c >= a.c - eq),
        100,
    )
}

/// CDLTASUKIGAP: a gap, a candle in its direction, then an opposite candle
/// of similar size closing inside the gap.
pub const CDLTASUKIGAP: Pattern = Pattern::new(
    "CDLTASUKIGAP",
    "Tasuki gap: gap, a candle in its direction, an opposite similar candle closing inside the gap.",
    2,
    &[(Near, 1)],
    cdltasukigap,
);

#[inline(always)]
fn cdltasukigap(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    // The shape tests first, joined without branches: the average's
    // division only on the rare bars that pass them.
    let up =
        body_gap_up(&b, &a) & b.white() & !c.white() & (c.o < b.c) & (c.o > b.o) & (c.c < b.o) & (c.c > a.c.max(a.o));
    let down =
        body_gap_down(&b, &a) & !b.white() & c.white() & (c.o < b.o) & (c.o > b.c) & (c.c > b.o) & (c.c < a.c.min(a.o));
    when(
        (up | down) && ((b.body() - c.body()).abs() < x.avg(Near, 1)),
        b.color() * 100,
    )
}

/// CDLTRISTAR: three dojis, the middle one gapping away from the first
/// (all judged against the first doji's average).
pub const CDLTRISTAR: Pattern = Pattern::new(
    "CDLTRISTAR",
    "Tristar: three dojis, the middle one a star.",
    2,
    &[(BodyDoji, 2)],
    cdltristar,
);

#[inline(always)]
fn cdltristar(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    use std::hint::select_unpredictable as sel;
    let doji = x.avg(BodyDoji, 2);
    let dojis = (a.body() <= doji) & (b.body() <= doji) & (c.body() <= doji);
    let up = body_gap_up(&b, &a) & (c.o.max(c.c) < b.o.max(b.c));
    let down = body_gap_down(&b, &a) & (c.o.min(c.c) > b.o.min(b.c));
    // A later test overrides an earlier one, as in TA-Lib.
    when(dojis, sel(down, 100, sel(up, -100, 0)))
}

/// CDLUNIQUE3RIVER: long black, black harami with a lower low, small white
/// opening above that low.
pub const CDLUNIQUE3RIVER: Pattern = Pattern::new(
    "CDLUNIQUE3RIVER",
    "Unique three river: long black, black harami with a lower low, small white above that low.",
    2,
    &[(BodyLong, 2), (BodyShort, 0)],
    cdlunique3river,
);

#[inline(always)]
fn cdlunique3river(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        !a.white()
            & !b.white()
            & c.white()
            & (b.c > a.c)
            & (b.o <= a.o)
            & (b.l < a.l)
            & (c.o > b.l)
            & (a.body() > x.avg(BodyLong, 2))
            & (c.body() < x.avg(BodyShort, 0)),
        100,
    )
}

/// CDLXSIDEGAP3METHODS: two same-colour candles with a body gap, then an
/// opposite candle closing the gap.
pub const CDLXSIDEGAP3METHODS: Pattern = Pattern::new(
    "CDLXSIDEGAP3METHODS",
    "Upside/downside gap three methods: two candles gapping, an opposite one closing the gap.",
    2,
    &[],
    cdlxsidegap3methods,
)
.fused();

#[inline(always)]
fn cdlxsidegap3methods(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
    when(
        (a.white() == b.white())
            & (b.white() != c.white())
            & (c.o < b.c.max(b.o))
            & (c.o > b.c.min(b.o))
            & (c.c < a.c.max(a.o))
            & (c.c > a.c.min(a.o))
            & ((a.white() & body_gap_up(&b, &a)) | (!a.white() & body_gap_down(&b, &a))),
        a.color() * 100,
    )
}

/// The hikkake rules: a setup of direction `dir` found at this bar when
/// `setup` holds, or the confirmation of the last setup within three bars
/// (±200). Selects instead of branches: with setups on a few percent of
/// bars, whether a setup is pending is a coin toss for the branch
/// predictor, and the chain of selects the memory then carries from bar to
/// bar is a few cycles long.
#[inline(always)]
fn hikkake(x: &Ctx, m: &mut Memo, setup: bool, dir: i32) -> i32 {
    use std::hint::select_unpredictable as sel;
    let b = x.bar(1);
    let close = x.bar(0).c;
    let up = m.result > 0;
    let confirmed = (m.count != 0) & sel(up, close > m.high, (m.result < 0) & (close < m.low));
    let later = sel(confirmed, m.result + sel(up, 100, -100), 0);
    let count = sel(confirmed | (m.count == 0), 0, m.count.wrapping_sub(1));
    *m = Memo {
        count: sel(setup, 3, count),
        result: sel(setup, dir, m.result),
        high: sel(setup, b.h, m.high),
        low: sel(setup, b.l, m.low),
    };
    sel(setup, dir, later)
}

/// Direction of a breakout of an inside bar: +100 down (lower high and low),
/// -100 up (higher high and low), 0 for neither.
#[inline(always)]
fn breakout(x: &Ctx) -> i32 {
    use std::hint::select_unpredictable as sel;
    let (a, b) = (x.bar(0), x.bar(1));
    let down = (a.h < b.h) & (a.l < b.l);
    let up = (a.h > b.h) & (a.l > b.l);
    sel(down, 100, sel(up, -100, 0))
}

/// CDLHIKKAKE: inside bar then a breakout (±100), confirmed within three
/// bars by a close beyond the inside bar (±200).
pub const CDLHIKKAKE: Pattern = Pattern::new(
    "CDLHIKKAKE",
    "Hikkake: inside bar, false breakout (±100), confirmation within 3 bars (±200).",
    5,
    &[],
    cdlhikkake,
)
.with_warm(3)
.fused();

#[inline(always)]
fn cdlhikkake(x: &Ctx, m: &mut Memo) -> i32 {
    let (b, c) = (x.bar(1), x.bar(2));
    let dir = breakout(x);
    hikkake(x, m, (b.h < c.h) & (b.l > c.l) & (dir != 0), dir)
}

/// CDLHIKKAKEMOD: hikkake after two nested inside bars, the first closing
/// near its low (bullish) or high (bearish).
pub const CDLHIKKAKEMOD: Pattern = Pattern::new(
    "CDLHIKKAKEMOD",
    "Modified hikkake: two nested inside bars (the first closing near its extreme), breakout, confirmation.",
    5,
    &[(Near, 2)],
    cdlhikkakemod,
)
.with_warm(3)
.fused();

#[inline(always)]
fn cdlhikkakemod(x: &Ctx, m: &mut Memo) -> i32 {
    let (b, c, d) = (x.bar(1), x.bar(2), x.bar(3));
    let dir = breakout(x);
    let near = x.avg(Near, 2);
    let setup = (c.h < d.h)
        & (c.l > d.l)
        & (b.h < c.h)
        & (b.l > c.l)
        & (((dir == 100) & (c.c <= c.l + near)) | ((dir == -100) & (c.c >= c.h - near)));
    hikkake(x, m, setup, dir)
}
