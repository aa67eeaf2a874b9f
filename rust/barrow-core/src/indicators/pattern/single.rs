//! One-candle patterns: each judges the current bar against the average
//! ranges of the bars before it (plus, for hammers and stars, the bar
//! before). Output codes follow TA-Lib: +100 bullish, -100 bearish, +100
//! for neutral patterns such as the doji.

use super::candle::{body_gap_up, Pattern, Setting::*};

/// CDLDOJI: body <= 10% of the average high-low range of the 10 prior bars.
pub const CDLDOJI: Pattern = Pattern::new(
    "CDLDOJI",
    "Doji: real body <= BodyDoji average.",
    0,
    &[(BodyDoji, 0)],
    |x, _| {
        if x.bar(0).body() <= x.avg(BodyDoji, 0) {
            100
        } else {
            0
        }
    },
);

/// CDLHAMMER: small body, long lower shadow, very short upper shadow, body
/// near or below the prior bar's low.
pub const CDLHAMMER: Pattern = Pattern::new(
    "CDLHAMMER",
    "Hammer: small body, lower shadow > body, tiny upper shadow, body near the prior low.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0), (Near, 1)],
    |x, _| {
        let (a, b) = (x.bar(0), x.bar(1));
        if a.body() < x.avg(BodyShort, 0)
            && a.lower() > x.avg(ShadowLong, 0)
            && a.upper() < x.avg(ShadowVeryShort, 0)
            && a.c.min(a.o) <= b.l + x.avg(Near, 1)
        {
            100
        } else {
            0
        }
    },
);

/// CDLSHOOTINGSTAR: small body gapping up, long upper shadow, very short
/// lower shadow.
pub const CDLSHOOTINGSTAR: Pattern = Pattern::new(
    "CDLSHOOTINGSTAR",
    "Shooting star: small body gapping up, upper shadow > body, tiny lower shadow.",
    1,
    &[(BodyShort, 0), (ShadowVeryShort, 0)],
    |x, _| {
        let a = x.bar(0);
        if body_gap_up(&a, &x.bar(1))
            && a.body() < x.avg(BodyShort, 0)
            && a.upper() > x.avg(ShadowLong, 0)
            && a.lower() < x.avg(ShadowVeryShort, 0)
        {
            -100
        } else {
            0
        }
    },
);

/// CDLMARUBOZU: long body with very short shadows on both ends.
pub const CDLMARUBOZU: Pattern = Pattern::new(
    "CDLMARUBOZU",
    "Marubozu: long body, tiny upper and lower shadows; sign of the candle colour.",
    0,
    &[(BodyLong, 0), (ShadowVeryShort, 0)],
    |x, _| {
        let a = x.bar(0);
        if a.body() > x.avg(BodyLong, 0)
            && a.upper() < x.avg(ShadowVeryShort, 0)
            && a.lower() < x.avg(ShadowVeryShort, 0)
        {
            a.color() * 100
        } else {
            0
        }
    },
);
