//! One-candle patterns: each judges the current bar against the average
//! ranges of the bars before it (plus, for hammers and stars, the bar
//! before). Output codes follow TA-Lib: +100 bullish, -100 bearish, +100
//! for neutral patterns such as the doji.

use super::candle::{body_gap_down, body_gap_up, when, Ctx, Memo, Pattern, Setting::*};

/// CDLDOJI: body <= 10% of the average high-low range of the 10 prior bars.
pub const CDLDOJI: Pattern = Pattern::new(
    "CDLDOJI",
    "Doji: real body <= BodyDoji average.",
    0,
    &[(BodyDoji, 0)],
    cdldoji,
);

#[inline(always)]
fn cdldoji(x: &Ctx, _: &mut Memo) -> i32 {
    if x.bar(0).body() <= x.avg(BodyDoji, 0) {
        100
    } else {
        0
    }
}

/// CDLHAMMER: small body, long lower shadow, very short upper shadow, body
/// near or below the prior bar's low.
pub const CDLHAMMER: Pattern = Pattern::new(
    "CDLHAMMER",
    "Hammer: small body, lower shadow > body, tiny upper shadow, body near the prior low.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0), (Near, 1)],
    cdlhammer,
);

#[inline(always)]
fn cdlhammer(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        (a.body() < x.avg(BodyShort, 0))
            & (a.lower() > x.avg(ShadowLong, 0))
            & (a.upper() < x.avg(ShadowVeryShort, 0))
            & (a.c.min(a.o) <= b.l + x.avg(Near, 1)),
        100,
    )
}

/// CDLSHOOTINGSTAR: small body gapping up, long upper shadow, very short
/// lower shadow.
pub const CDLSHOOTINGSTAR: Pattern = Pattern::new(
    "CDLSHOOTINGSTAR",
    "Shooting star: small body gapping up, upper shadow > body, tiny lower shadow.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0)],
    cdlshootingstar,
);

#[inline(always)]
fn cdlshootingstar(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    when(
        body_gap_up(&a, &x.bar(1))
            & (a.upper() > x.avg(ShadowLong, 0))
            & (a.body() < x.avg(BodyShort, 0))
            & (a.lower() < x.avg(ShadowVeryShort, 0)),
        -100,
    )
}

/// CDLMARUBOZU: long body with very short shadows on both ends.
pub const CDLMARUBOZU: Pattern = Pattern::new(
    "CDLMARUBOZU",
    "Marubozu: long body, tiny upper and lower shadows; sign of the candle colour.",
    0,
    &[(BodyLong, 0), (ShadowVeryShort, 0)],
    cdlmarubozu,
);

#[inline(always)]
fn cdlmarubozu(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let (long, vs) = (x.avg(BodyLong, 0), x.avg(ShadowVeryShort, 0));
    when((a.body() > long) & (a.upper() < vs) & (a.lower() < vs), a.color() * 100)
}

/// CDLDRAGONFLYDOJI: doji with a very short upper and a not very short
/// lower shadow.
pub const CDLDRAGONFLYDOJI: Pattern = Pattern::new(
    "CDLDRAGONFLYDOJI",
    "Dragonfly doji: doji, tiny upper shadow, lower shadow not tiny.",
    0,
    &[(BodyDoji, 0), (ShadowVeryShort, 0)],
    cdldragonflydoji,
);

#[inline(always)]
fn cdldragonflydoji(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let vs = x.avg(ShadowVeryShort, 0);
    when(
        (a.body() <= x.avg(BodyDoji, 0)) & (a.upper() < vs) & (a.lower() > vs),
        100,
    )
}

/// CDLGRAVESTONEDOJI: doji with a very short lower and a not very short
/// upper shadow.
pub const CDLGRAVESTONEDOJI: Pattern = Pattern::new(
    "CDLGRAVESTONEDOJI",
    "Gravestone doji: doji, tiny lower shadow, upper shadow not tiny.",
    0,
    &[(BodyDoji, 0), (ShadowVeryShort, 0)],
    cdlgravestonedoji,
);

#[inline(always)]
fn cdlgravestonedoji(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let vs = x.avg(ShadowVeryShort, 0);
    when(
        (a.body() <= x.avg(BodyDoji, 0)) & (a.lower() < vs) & (a.upper() > vs),
        100,
    )
}

/// CDLLONGLEGGEDDOJI: doji with at least one shadow longer than the body.
pub const CDLLONGLEGGEDDOJI: Pattern = Pattern::new(
    "CDLLONGLEGGEDDOJI",
    "Long legged doji: doji with one or two long shadows.",
    0,
    &[(BodyDoji, 0)],
    cdllongleggeddoji,
);

#[inline(always)]
fn cdllongleggeddoji(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let long = x.avg(ShadowLong, 0);
    when(
        (a.body() <= x.avg(BodyDoji, 0)) & ((a.lower() > long) | (a.upper() > long)),
        100,
    )
}

/// CDLRICKSHAWMAN: long legged doji whose body sits near the middle of the
/// high-low range.
pub const CDLRICKSHAWMAN: Pattern = Pattern::new(
    "CDLRICKSHAWMAN",
    "Rickshaw man: doji with two long shadows, body near the middle of the range.",
    0,
    &[(BodyDoji, 0), (Near, 0)],
    cdlrickshawman,
);

#[inline(always)]
fn cdlrickshawman(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let long = x.avg(ShadowLong, 0);
    let mid = a.l + a.hl() / 2.0;
    let near = x.avg(Near, 0);
    when(
        (a.body() <= x.avg(BodyDoji, 0))
            & (a.lower() > long)
            & (a.upper() > long)
            & (a.o.min(a.c) <= mid + near)
            & (a.o.max(a.c) >= mid - near),
        100,
    )
}

/// CDLHANGINGMAN: hammer shape with the body near or above the prior high.
pub const CDLHANGINGMAN: Pattern = Pattern::new(
    "CDLHANGINGMAN",
    "Hanging man: small body, long lower shadow, tiny upper shadow, body near the prior high.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0), (Near, 1)],
    cdlhangingman,
);

#[inline(always)]
fn cdlhangingman(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b) = (x.bar(0), x.bar(1));
    when(
        (a.body() < x.avg(BodyShort, 0))
            & (a.lower() > x.avg(ShadowLong, 0))
            & (a.upper() < x.avg(ShadowVeryShort, 0))
            & (a.c.min(a.o) >= b.h - x.avg(Near, 1)),
        -100,
    )
}

/// CDLINVERTEDHAMMER: small body gapping down, long upper shadow, very short
/// lower shadow.
pub const CDLINVERTEDHAMMER: Pattern = Pattern::new(
    "CDLINVERTEDHAMMER",
    "Inverted hammer: small body gapping down, upper shadow > body, tiny lower shadow.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0)],
    cdlinvertedhammer,
);

#[inline(always)]
fn cdlinvertedhammer(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    when(
        body_gap_down(&a, &x.bar(1))
            & (a.upper() > x.avg(ShadowLong, 0))
            & (a.body() < x.avg(BodyShort, 0))
            & (a.lower() < x.avg(ShadowVeryShort, 0)),
        100,
    )
}

/// CDLTAKURI: dragonfly doji with a very long lower shadow.
pub const CDLTAKURI: Pattern = Pattern::new(
    "CDLTAKURI",
    "Takuri: doji, tiny upper shadow, lower shadow > 2 x body.",
    0,
    &[(BodyDoji, 0), (ShadowVeryShort, 0)],
    cdltakuri,
);

#[inline(always)]
fn cdltakuri(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    when(
        (a.body() <= x.avg(BodyDoji, 0))
            & (a.upper() < x.avg(ShadowVeryShort, 0))
            & (a.lower() > x.avg(ShadowVeryLong, 0)),
        100,
    )
}

/// CDLSPINNINGTOP: small body with both shadows longer than it.
pub const CDLSPINNINGTOP: Pattern = Pattern::new(
    "CDLSPINNINGTOP",
    "Spinning top: small body, both shadows longer than the body.",
    0,
    &[(BodyShort, 0)],
    cdlspinningtop,
);

#[inline(always)]
fn cdlspinningtop(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let body = a.body();
    when(
        (a.upper() > body) & (a.lower() > body) & (body < x.avg(BodyShort, 0)),
        a.color() * 100,
    )
}

/// CDLHIGHWAVE: short body with very long shadows on both ends.
pub const CDLHIGHWAVE: Pattern = Pattern::new(
    "CDLHIGHWAVE",
    "High-wave candle: short body, both shadows > 2 x body.",
    0,
    &[(BodyShort, 0)],
    cdlhighwave,
);

#[inline(always)]
fn cdlhighwave(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let vl = x.avg(ShadowVeryLong, 0);
    when(
        (a.body() < x.avg(BodyShort, 0)) & (a.upper() > vl) & (a.lower() > vl),
        a.color() * 100,
    )
}

/// CDLLONGLINE: long body with short shadows.
pub const CDLLONGLINE: Pattern = Pattern::new(
    "CDLLONGLINE",
    "Long line candle: long body, short upper and lower shadows.",
    0,
    &[(BodyLong, 0), (ShadowShort, 0)],
    cdllongline,
);

#[inline(always)]
fn cdllongline(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let short = x.avg(ShadowShort, 0);
    when(
        (a.body() > x.avg(BodyLong, 0)) & (a.upper() < short) & (a.lower() < short),
        a.color() * 100,
    )
}

/// CDLSHORTLINE: short body with short shadows.
pub const CDLSHORTLINE: Pattern = Pattern::new(
    "CDLSHORTLINE",
    "Short line candle: short body, short upper and lower shadows.",
    0,
    &[(BodyShort, 0), (ShadowShort, 0)],
    cdlshortline,
);

#[inline(always)]
fn cdlshortline(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let short = x.avg(ShadowShort, 0);
    when(
        (a.body() < x.avg(BodyShort, 0)) & (a.upper() < short) & (a.lower() < short),
        a.color() * 100,
    )
}

/// CDLBELTHOLD: long body opening at (near) its extreme: white with a very
/// short lower shadow, or black with a very short upper shadow.
pub const CDLBELTHOLD: Pattern = Pattern::new(
    "CDLBELTHOLD",
    "Belt hold: long body, tiny shadow on the opening side.",
    0,
    &[(BodyLong, 0), (ShadowVeryShort, 0)],
    cdlbelthold,
);

#[inline(always)]
fn cdlbelthold(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let vs = x.avg(ShadowVeryShort, 0);
    when(
        (a.body() > x.avg(BodyLong, 0)) & std::hint::select_unpredictable(a.white(), a.lower() < vs, a.upper() < vs),
        a.color() * 100,
    )
}

/// CDLCLOSINGMARUBOZU: long body closing at (near) its extreme.
pub const CDLCLOSINGMARUBOZU: Pattern = Pattern::new(
    "CDLCLOSINGMARUBOZU",
    "Closing marubozu: long body, tiny shadow on the closing side.",
    0,
    &[(BodyLong, 0), (ShadowVeryShort, 0)],
    cdlclosingmarubozu,
);

#[inline(always)]
fn cdlclosingmarubozu(x: &Ctx, _: &mut Memo) -> i32 {
    let a = x.bar(0);
    let vs = x.avg(ShadowVeryShort, 0);
    when(
        (a.body() > x.avg(BodyLong, 0)) & std::hint::select_unpredictable(a.white(), a.upper() < vs, a.lower() < vs),
        a.color() * 100,
    )
}
