//! Three-candle patterns (and three black crows, which also checks the
//! white candle before the three).

use super::candle::{body_gap_down, body_gap_up, Pattern, Setting::*};
use crate::indicators::fp::madd;

/// CDLMORNINGSTAR: long black, short star gapping down, white closing above
/// `close[-2] + penetration * body[-2]` (TA-Lib computes this with one fma).
pub const CDLMORNINGSTAR: Pattern = Pattern::new(
    "CDLMORNINGSTAR",
    "Morning star: long black, short body gapping down, white closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyShort, 1), (BodyShort, 0)],
    |x, _| {
        let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
        if a.color() == -1
            && c.color() == 1
            && body_gap_down(&b, &a)
            && c.c > madd(a.body(), x.pen, a.c)
            && a.body() > x.avg(BodyLong, 2)
            && b.body() <= x.avg(BodyShort, 1)
            && c.body() > x.avg(BodyShort, 0)
        {
            100
        } else {
            0
        }
    },
);

/// CDLEVENINGSTAR: long white, short star gapping up, black closing below
/// `close[-2] - penetration * body[-2]`.
pub const CDLEVENINGSTAR: Pattern = Pattern::new(
    "CDLEVENINGSTAR",
    "Evening star: long white, short body gapping up, black closing penetration into the first body.",
    2,
    &[(BodyLong, 2), (BodyShort, 1), (BodyShort, 0)],
    |x, _| {
        let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
        if a.color() == 1
            && c.color() == -1
            && body_gap_up(&b, &a)
            && c.c < a.c - a.body() * x.pen
            && a.body() > x.avg(BodyLong, 2)
            && b.body() <= x.avg(BodyShort, 1)
            && c.body() > x.avg(BodyShort, 0)
        {
            -100
        } else {
            0
        }
    },
);

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
    |x, _| {
        let (a, b, c) = (x.bar(2), x.bar(1), x.bar(0));
        if a.white()
            && a.upper() < x.avg(ShadowVeryShort, 2)
            && b.white()
            && b.upper() < x.avg(ShadowVeryShort, 1)
            && c.white()
            && c.upper() < x.avg(ShadowVeryShort, 0)
            && c.c > b.c
            && b.c > a.c
            && b.o > a.o
            && b.o <= a.c + x.avg(Near, 2)
            && c.o > b.o
            && c.o <= b.c + x.avg(Near, 1)
            && b.body() > a.body() - x.avg(Far, 2)
            && c.body() > b.body() - x.avg(Far, 1)
            && c.body() > x.avg(BodyShort, 0)
        {
            100
        } else {
            0
        }
    },
);

/// CDL3BLACKCROWS: a white candle, then three declining black candles each
/// opening within the prior body, with very short lower shadows.
pub const CDL3BLACKCROWS: Pattern = Pattern::new(
    "CDL3BLACKCROWS",
    "Three black crows: after a white candle, three declining black candles with tiny lower shadows.",
    3,
    &[(ShadowVeryShort, 2), (ShadowVeryShort, 1), (ShadowVeryShort, 0)],
    |x, _| {
        let (w, a, b, c) = (x.bar(3), x.bar(2), x.bar(1), x.bar(0));
        if w.color() == 1
            && a.color() == -1
            && b.color() == -1
            && c.color() == -1
            && b.o < a.o
            && b.o > a.c
            && c.o < b.o
            && c.o > b.c
            && w.h > a.c
            && a.c > b.c
            && b.c > c.c
            && a.lower() < x.avg(ShadowVeryShort, 2)
            && b.lower() < x.avg(ShadowVeryShort, 1)
            && c.lower() < x.avg(ShadowVeryShort, 0)
        {
            -100
        } else {
            0
        }
    },
);
