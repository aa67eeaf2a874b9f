//! Four- and five-candle patterns.

use super::candle::{body_gap_down, body_gap_up, when, Ctx, Memo, Pattern, Setting::*};

/// CDL3LINESTRIKE: three soldiers (crows), each opening within or near the
/// prior body, struck by a fourth opposite candle that wipes them out.
pub const CDL3LINESTRIKE: Pattern = Pattern::new(
    "CDL3LINESTRIKE",
    "Three-line strike: three same-colour advancing candles, then one opposite candle erasing them.",
    3,
    &[(Near, 3), (Near, 2)],
    cdl3linestrike,
);

#[inline(always)]
fn cdl3linestrike(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d) = (x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    let (n3, n2) = (x.avg(Near, 3), x.avg(Near, 2));
    when(
        (a.white() == b.white())
            & (b.white() == c.white())
            & (d.white() != c.white())
            & (b.o >= a.o.min(a.c) - n3)
            & (b.o <= a.o.max(a.c) + n3)
            & (c.o >= b.o.min(b.c) - n2)
            & (c.o <= b.o.max(b.c) + n2)
            & ((c.white() & (c.c > b.c) & (b.c > a.c) & (d.o > c.c) & (d.c < a.o))
                | (!c.white() & (c.c < b.c) & (b.c < a.c) & (d.o < c.c) & (d.c > a.o))),
        c.color() * 100,
    )
}

/// CDLCONCEALBABYSWALL: two black marubozu, a black gapping down whose upper
/// shadow reaches into the prior body, then a black engulfing it entirely.
pub const CDLCONCEALBABYSWALL: Pattern = Pattern::new(
    "CDLCONCEALBABYSWALL",
    "Concealing baby swallow: two black marubozu, a black gap-down with an upper shadow, a black engulfing it.",
    3,
    &[(ShadowVeryShort, 3), (ShadowVeryShort, 2), (ShadowVeryShort, 1)],
    cdlconcealbabyswall,
)
.fused();

#[inline(always)]
fn cdlconcealbabyswall(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d) = (x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    when(
        (!a.white()
            & !b.white()
            & !c.white()
            & !d.white()
            & body_gap_down(&c, &b)
            & (c.h > b.c)
            & (d.h > c.h)
            & (d.l < c.l))
            && (a.lower() < x.avg(ShadowVeryShort, 3))
                & (a.upper() < x.avg(ShadowVeryShort, 3))
                & (b.lower() < x.avg(ShadowVeryShort, 2))
                & (b.upper() < x.avg(ShadowVeryShort, 2))
                & (c.upper() > x.avg(ShadowVeryShort, 1)),
        100,
    )
}

/// CDLBREAKAWAY: long candle, a same-colour candle gapping away, two more
/// extending the move, then an opposite candle closing inside the gap.
pub const CDLBREAKAWAY: Pattern = Pattern::new(
    "CDLBREAKAWAY",
    "Breakaway: long candle, gap and three-candle extension, opposite candle closing inside the gap.",
    4,
    &[(BodyLong, 4)],
    cdlbreakaway,
);

#[inline(always)]
fn cdlbreakaway(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d, e) = (x.bar(4), x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    when(
        (a.white() == b.white())
            & (b.white() == d.white())
            & (d.white() != e.white())
            & ((!a.white()
                & body_gap_down(&b, &a)
                & (c.h < b.h)
                & (c.l < b.l)
                & (d.h < c.h)
                & (d.l < c.l)
                & (e.c > b.o)
                & (e.c < a.c))
                | (a.white()
                    & body_gap_up(&b, &a)
                    & (c.h > b.h)
                    & (c.l > b.l)
                    & (d.h > c.h)
                    & (d.l > c.l)
                    & (e.c < b.o)
                    & (e.c > a.c)))
            & (a.body() > x.avg(BodyLong, 4)),
        e.color() * 100,
    )
}

/// CDLLADDERBOTTOM: three falling black candles, a black with an upper
/// shadow, then a white opening above its open and closing above its high.
pub const CDLLADDERBOTTOM: Pattern = Pattern::new(
    "CDLLADDERBOTTOM",
    "Ladder bottom: three falling blacks, a black with an upper shadow, a white closing above its high.",
    4,
    &[(ShadowVeryShort, 1)],
    cdlladderbottom,
);

#[inline(always)]
fn cdlladderbottom(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d, e) = (x.bar(4), x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    when(
        !a.white()
            & !b.white()
            & !c.white()
            & (a.o > b.o)
            & (b.o > c.o)
            & (a.c > b.c)
            & (b.c > c.c)
            & !d.white()
            & (d.upper() > x.avg(ShadowVeryShort, 1))
            & e.white()
            & (e.o > d.o)
            & (e.c > d.h),
        100,
    )
}

/// CDLMATHOLD: long white, small black gapping up, two small falling
/// candles holding within the first body (penetrating it by less than
/// `penetration`), then a white closing above their highs.
pub const CDLMATHOLD: Pattern = Pattern::new(
    "CDLMATHOLD",
    "Mat hold: long white, three small reaction candles above penetration of its body, white breaking out.",
    4,
    &[(BodyShort, 3), (BodyShort, 2), (BodyShort, 1), (BodyLong, 4)],
    cdlmathold,
);

#[inline(always)]
fn cdlmathold(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d, e) = (x.bar(4), x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    let floor = a.c - a.body() * x.pen;
    when(
        (a.color() == 1)
            & (b.color() == -1)
            & (e.color() == 1)
            & (body_gap_up(&b, &a))
            & (c.o.min(c.c) < a.c)
            & (d.o.min(d.c) < a.c)
            & (c.o.min(c.c) > floor)
            & (d.o.min(d.c) > floor)
            & (c.c.max(c.o) < b.o)
            & (d.c.max(d.o) < c.c.max(c.o))
            & (e.o > d.c)
            & (e.c > b.h.max(c.h).max(d.h))
            & (a.body() > x.avg(BodyLong, 4))
            & (b.body() < x.avg(BodyShort, 3))
            & (c.body() < x.avg(BodyShort, 2))
            & (d.body() < x.avg(BodyShort, 1)),
        100,
    )
}

/// CDLRISEFALL3METHODS: long candle, three small opposite candles moving
/// against it within its range, then a long candle resuming the move.
pub const CDLRISEFALL3METHODS: Pattern = Pattern::new(
    "CDLRISEFALL3METHODS",
    "Rising/falling three methods: long candle, three small counter candles within its range, long continuation.",
    4,
    &[
        (BodyShort, 3),
        (BodyShort, 2),
        (BodyShort, 1),
        (BodyLong, 4),
        (BodyLong, 0),
    ],
    cdlrisefall3methods,
);

#[inline(always)]
fn cdlrisefall3methods(x: &Ctx, _: &mut Memo) -> i32 {
    let (a, b, c, d, e) = (x.bar(4), x.bar(3), x.bar(2), x.bar(1), x.bar(0));
    let s = a.color() as f64;
    let within = |k: &super::candle::Bar| (k.o.min(k.c) < a.h) & (k.o.max(k.c) > a.l);
    when(
        (a.color() == -b.color())
            & (b.color() == c.color())
            & (c.color() == d.color())
            & (d.color() == -e.color())
            & (within(&b))
            & (within(&c))
            & (within(&d))
            & (c.c * s < b.c * s)
            & (d.c * s < c.c * s)
            & (e.o * s > d.c * s)
            & (e.c * s > a.c * s)
            & (a.body() > x.avg(BodyLong, 4))
            & (b.body() < x.avg(BodyShort, 3))
            & (c.body() < x.avg(BodyShort, 2))
            & (d.body() < x.avg(BodyShort, 1))
            & (e.body() > x.avg(BodyLong, 0)),
        100 * a.color(),
    )
}
