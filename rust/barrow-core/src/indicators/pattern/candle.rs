//! The streaming core every candlestick pattern runs on: TA-Lib's candle
//! settings, a ring of recent bars and the running range totals.
//!
//! TA-Lib judges "long", "short", "near" and so on against the average range
//! of the bars *before* the candle being judged: for a setting with period
//! `p` applied to the candle `k` bars back, the total covers bars
//! `t-k-p ..= t-k-1`. Each (setting, k) pair a pattern uses gets its own
//! total, summed from zero at the pattern's first output bar and then moved
//! one bar at a time (`total += range(new) - range(old)`), exactly as TA-Lib
//! does, so the averages have TA-Lib's bits.

use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// What a candle setting measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RangeType {
    /// `|close - open|`.
    RealBody,
    /// `high - low`.
    HighLow,
    /// Upper plus lower shadow (the average is halved).
    Shadows,
}

/// TA-Lib's candle settings with their default range type, averaging period
/// and factor (`TA_CandleDefaultSettings`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Setting {
    BodyLong,
    /// Part of TA-Lib's settings table, though no pattern uses it.
    #[allow(dead_code)]
    BodyVeryLong,
    BodyShort,
    BodyDoji,
    ShadowLong,
    ShadowVeryLong,
    ShadowShort,
    ShadowVeryShort,
    Near,
    Far,
    Equal,
}

impl Setting {
    /// (range type, averaging period, factor).
    pub(crate) const fn spec(self) -> (RangeType, usize, f64) {
        use RangeType::*;
        match self {
            Setting::BodyLong => (RealBody, 10, 1.0),
            Setting::BodyVeryLong => (RealBody, 10, 3.0),
            Setting::BodyShort => (RealBody, 10, 1.0),
            Setting::BodyDoji => (HighLow, 10, 0.1),
            Setting::ShadowLong => (RealBody, 0, 1.0),
            Setting::ShadowVeryLong => (RealBody, 0, 2.0),
            Setting::ShadowShort => (Shadows, 10, 1.0),
            Setting::ShadowVeryShort => (HighLow, 10, 0.1),
            Setting::Near => (HighLow, 5, 0.2),
            Setting::Far => (HighLow, 5, 0.6),
            Setting::Equal => (HighLow, 5, 0.05),
        }
    }

    pub(crate) const fn period(self) -> usize {
        self.spec().1
    }
}

/// One OHLC bar with TA-Lib's candle measures.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Bar {
    pub o: f64,
    pub h: f64,
    pub l: f64,
    pub c: f64,
}

impl Bar {
    /// `|close - open|`.
    #[inline(always)]
    pub fn body(&self) -> f64 {
        (self.c - self.o).abs()
    }
    /// `high - low`.
    #[inline(always)]
    pub fn hl(&self) -> f64 {
        self.h - self.l
    }
    /// Top of the real body: TA-Lib's `close >= open ? close : open`.
    ///
    /// Written as `c > o ? c : o`, which x86 computes with one `maxsd`
    /// instead of a branch on the candle's colour (the two differ only in
    /// the sign of a zero when close equals open; with a NaN both give
    /// open).
    #[inline(always)]
    pub fn top(&self) -> f64 {
        if self.c > self.o {
            self.c
        } else {
            self.o
        }
    }
    /// Bottom of the real body: TA-Lib's `close >= open ? open : close`,
    /// written as `o < c ? o : c` (one `minsd`; with a NaN both give close).
    #[inline(always)]
    pub fn bottom(&self) -> f64 {
        if self.o < self.c {
            self.o
        } else {
            self.c
        }
    }
    #[inline(always)]
    pub fn upper(&self) -> f64 {
        self.h - self.top()
    }
    #[inline(always)]
    pub fn lower(&self) -> f64 {
        self.bottom() - self.l
    }
    /// TA-Lib's candle colour: 1 (white, close >= open) or -1 (black).
    #[inline(always)]
    pub fn color(&self) -> i32 {
        if self.c >= self.o {
            1
        } else {
            -1
        }
    }
    #[inline(always)]
    pub fn white(&self) -> bool {
        self.c >= self.o
    }
    #[inline(always)]
    fn range(&self, t: RangeType) -> f64 {
        match t {
            RangeType::RealBody => self.body(),
            RangeType::HighLow => self.hl(),
            RangeType::Shadows => self.upper() + self.lower(),
        }
    }
}

/// `code` when `cond` holds, else 0.
#[inline(always)]
pub(crate) fn when(cond: bool, code: i32) -> i32 {
    // A select, not a branch: whether a rule holds is data-dependent.
    std::hint::select_unpredictable(cond, code, 0)
}

/// Real body of `a` entirely above that of `b` (TA-Lib's REALBODYGAPUP).
#[inline(always)]
pub(crate) fn body_gap_up(a: &Bar, b: &Bar) -> bool {
    a.o.min(a.c) > b.o.max(b.c)
}

/// Real body of `a` entirely below that of `b`.
#[inline(always)]
pub(crate) fn body_gap_down(a: &Bar, b: &Bar) -> bool {
    a.o.max(a.c) < b.o.min(b.c)
}

/// `a`'s low above `b`'s high.
#[inline(always)]
pub(crate) fn gap_up(a: &Bar, b: &Bar) -> bool {
    a.l > b.h
}

/// `a`'s high below `b`'s low.
#[inline(always)]
pub(crate) fn gap_down(a: &Bar, b: &Bar) -> bool {
    a.h < b.l
}

/// Bars kept from one chunk to the next: more than any offset a rule or a
/// running total reads (TA-Lib's largest pattern lookback is 14).
const HIST: usize = 32;
/// Most running totals one pattern keeps.
pub(crate) const MAX_TOTALS: usize = 8;
/// Bars per tile in [`Candles::run_bars`].
pub(crate) const TILE: usize = 256;

/// Per-pattern memory across bars: the hikkake patterns remember their
/// last setup (direction, the inside bar's high and low) for three bars.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Memo {
    /// Bars left in which a confirmation counts.
    pub count: u32,
    /// Direction of the setup: +100 or -100.
    pub result: i32,
    pub high: f64,
    pub low: f64,
}

/// Open, high, low and close columns of equal length.
#[derive(Clone, Copy)]
struct Columns<'a> {
    o: &'a [f64],
    h: &'a [f64],
    l: &'a [f64],
    c: &'a [f64],
}

impl<'a> Columns<'a> {
    /// The first `n` values of each column (panics if one is shorter).
    fn new(cols: [&'a [f64]; 4], n: usize) -> Self {
        let [o, h, l, c] = cols;
        Self {
            o: &o[..n],
            h: &h[..n],
            l: &l[..n],
            c: &c[..n],
        }
    }

    fn len(&self) -> usize {
        self.o.len()
    }

    /// The bar `back` bars before bar `i`, for `back < HIST`.
    ///
    /// Read without bounds checks: the checks, one per bar a rule reads,
    /// measured 7-34% of a pattern's time (CDL3INSIDE, CDLPIERCING,
    /// CDLUNIQUE3RIVER).
    #[inline(always)]
    fn before(&self, i: usize, back: usize) -> Bar {
        // Constant in every rule and total, so the check compiles away.
        assert!(back < HIST, "bars are kept {HIST} back");
        let at = i - back;
        debug_assert!(at < self.len());
        // SAFETY: the four columns have the same length (`new`), and
        // `run_bars` checks that every `i` it visits lies in `HIST..len`,
        // so `i - back` lies in `0..len`.
        unsafe {
            Bar {
                o: *self.o.get_unchecked(at),
                h: *self.h.get_unchecked(at),
                l: *self.l.get_unchecked(at),
                c: *self.c.get_unchecked(at),
            }
        }
    }
}

/// The bars and averages a pattern rule sees at bar `i`.
pub(crate) struct Ctx<'a> {
    cols: Columns<'a>,
    i: usize,
    /// The running totals of the pattern's (setting, offset) slots.
    totals: &'a [f64; MAX_TOTALS],
    slots: &'static [(Setting, usize)],
    /// The pattern's `penetration` parameter (0 if it has none).
    pub pen: f64,
}

impl Ctx<'_> {
    /// The bar `k` bars back (0 = current).
    #[inline(always)]
    pub fn bar(&self, k: usize) -> Bar {
        self.cols.before(self.i, k)
    }

    /// TA-Lib's `TA_CANDLEAVERAGE` of `setting` for the candle `k` bars
    /// back: factor * (average range of the `period` bars before it), halved
    /// for shadows; with period 0 the candle's own range.
    #[inline(always)]
    pub fn avg(&self, setting: Setting, k: usize) -> f64 {
        let (kind, period, factor) = setting.spec();
        if period == 0 {
            return halved(kind, factor * self.bar(k).range(kind));
        }
        let slot = self
            .slots
            .iter()
            .position(|&s| s == (setting, k))
            .expect("pattern declares every (setting, offset) it averages");
        average(setting, self.totals[slot])
    }
}

/// TA-Lib's average of `setting` from a running total of its ranges:
/// `(total / period) * factor`, halved for shadows.
#[inline(always)]
fn average(setting: Setting, total: f64) -> f64 {
    let (kind, period, factor) = setting.spec();
    halved(kind, (total / period as f64) * factor)
}

/// `base`, halved for the shadows range type.
#[inline(always)]
fn halved(kind: RangeType, base: f64) -> f64 {
    if kind == RangeType::Shadows {
        base * 0.5
    } else {
        base
    }
}

/// A pattern rule: the output (0, ±80, ±100, ±200) for the current bar.
pub(crate) type Rule = fn(&Ctx, &mut Memo) -> i32;

/// One candlestick pattern: its rule, the (setting, offset) averages it
/// uses and its lookback.
#[derive(Clone, Copy, Debug)]
pub struct Pattern {
    /// TA-Lib name.
    pub name: &'static str,
    /// One-line description.
    pub doc: &'static str,
    pub(crate) lookback: usize,
    /// Bars before the first output on which the rule already runs, for
    /// rules with memory (their output there is discarded), as TA-Lib does.
    pub(crate) warm: usize,
    pub(crate) slots: &'static [(Setting, usize)],
    pub(crate) rule: Rule,
    /// Whether the rule runs over tiles after the totals (see
    /// [`Candles::run_bars`]) rather than in the same loop as them.
    pub(crate) tiled: bool,
}

impl Pattern {
    /// Lookback `max(period) + extra` as TA-Lib computes it.
    pub(crate) const fn new(
        name: &'static str,
        doc: &'static str,
        extra: usize,
        slots: &'static [(Setting, usize)],
        rule: Rule,
    ) -> Self {
        let mut max = 0;
        let mut i = 0;
        while i < slots.len() {
            let p = slots[i].0.period();
            if p > max {
                max = p;
            }
            i += 1;
        }
        Self {
            name,
            doc,
            lookback: max + extra,
            warm: 0,
            slots,
            rule,
            tiled: true,
        }
    }

    /// The same pattern with its rule in the loop that moves the totals:
    /// for rules that do not vectorize (branches, memory across bars),
    /// where the tiles only add the totals' round trip through memory.
    pub(crate) const fn fused(mut self) -> Self {
        self.tiled = false;
        self
    }

    /// The same pattern whose rule runs `warm` bars before the first output.
    pub(crate) const fn with_warm(mut self, warm: usize) -> Self {
        self.warm = warm;
        self
    }

    /// Number of leading bars without output.
    pub fn lookback(&self) -> usize {
        self.lookback
    }
}

/// Runs a pattern over one chunk: `(state, [open, high, low, close], out)`.
pub type ChunkFn = fn(&mut Candles, [&[f64]; 4], &mut [f64]);

/// [`ChunkFn`] writing TA-Lib's int32 codes (0 during the lookback).
pub type CodesFn = fn(&mut Candles, [&[f64]; 4], &mut [i32]);

/// Moves a pattern's running totals over one tile of bars: [`tile_totals`]
/// with the pattern, kept out of line (`#[inline(never)]`) so that the
/// loop gets registers of its own (see [`Candles::run_chunk`]).
pub(crate) type TotalsFn =
    fn(&'static Pattern, [&[f64]; 4], usize, &mut [f64; MAX_TOTALS], &mut [[f64; TILE]; MAX_TOTALS], usize);

/// An output element a pattern writes: its code, or the value of a bar
/// without one (NaN for floats, 0 for int32 codes as TA-Lib writes them).
pub trait CodeOut: Copy {
    /// The value of a bar during the lookback.
    const NONE: Self;
    /// The value of a code.
    fn code(c: i32) -> Self;
}

impl CodeOut for f64 {
    const NONE: f64 = f64::NAN;
    #[inline(always)]
    fn code(c: i32) -> f64 {
        c as f64
    }
}

impl CodeOut for i32 {
    const NONE: i32 = 0;
    #[inline(always)]
    fn code(c: i32) -> i32 {
        c
    }
}

/// Streaming recogniser for one [`Pattern`]; inputs (open, high, low,
/// close), one output with TA-Lib's integer codes as exact `f64`, or as
/// int32 through [`Indicator::update_i32`].
///
/// Rules read bars straight from the chunk's columns; only the first
/// `HIST` bars of a chunk read through a short buffer that prepends the
/// bars kept from earlier chunks.
#[derive(Clone, Debug)]
pub struct Candles {
    pattern: &'static Pattern,
    pen: f64,
    /// The last `HIST` bars seen, oldest first, as open/high/low/close
    /// columns (zeros before the first bar).
    hist: [[f64; HIST]; 4],
    seen: u64,
    totals: [f64; MAX_TOTALS],
    memo: Memo,
    chunk: ChunkFn,
    codes: CodesFn,
}

impl Candles {
    /// A recogniser for `pattern`; `penetration` is used by the patterns
    /// that take one and must be >= 0.
    pub fn new(pattern: &'static Pattern, penetration: f64) -> Result<Self> {
        Self::with_chunk(
            pattern,
            penetration,
            |s, cols, out| s.run_chunk(s.pattern, tile_totals, cols, out),
            |s, cols, out| s.run_chunk(s.pattern, tile_totals, cols, out),
        )
    }

    /// As [`Candles::new`], with `chunk` and `codes` running the chunks
    /// into float and int32 outputs. Passing functions that call
    /// [`Candles::run_chunk`] with the pattern constant compiles the rule
    /// and its averages into one loop for that pattern.
    pub(crate) fn with_chunk(
        pattern: &'static Pattern,
        penetration: f64,
        chunk: ChunkFn,
        codes: CodesFn,
    ) -> Result<Self> {
        if penetration.is_nan() || penetration < 0.0 {
            return Err(BarrowError::bad_param("penetration", penetration, "must be >= 0"));
        }
        debug_assert!(pattern.slots.len() <= MAX_TOTALS);
        debug_assert!(pattern.lookback + pattern.warm < HIST);
        Ok(Self {
            pattern,
            pen: penetration,
            hist: [[0.0; HIST]; 4],
            seen: 0,
            totals: [0.0; MAX_TOTALS],
            memo: Memo::default(),
            chunk,
            codes,
        })
    }

    /// Consumes one chunk of `pattern` (the recogniser's own pattern),
    /// moving the running totals by `totals` (which calls [`tile_totals`]).
    /// Inlined into the chunk loop, the totals loop shares its registers
    /// with the rule's and its running totals spill to memory, each bar's
    /// addition then waiting on a store and a reload; a `totals` of the
    /// pattern's own, out of line, keeps them in registers.
    #[inline(always)]
    pub(crate) fn run_chunk<O: CodeOut>(
        &mut self,
        pattern: &'static Pattern,
        totals: TotalsFn,
        cols: [&[f64]; 4],
        out: &mut [O],
    ) {
        let n = out.len();
        let head = n.min(HIST);
        // The chunk's first bars read earlier bars through `buf`: the kept
        // history followed by those first bars.
        let mut buf = [[0.0; 2 * HIST]; 4];
        for (b, (h, x)) in buf.iter_mut().zip(self.hist.iter().zip(cols)) {
            b[..HIST].copy_from_slice(h);
            b[HIST..HIST + head].copy_from_slice(&x[..head]);
        }
        let stitched = Columns::new([&buf[0], &buf[1], &buf[2], &buf[3]], HIST + head);
        self.run_bars(pattern, totals, stitched, HIST, &mut out[..head]);
        if n > head {
            let direct = Columns::new(cols, n);
            self.run_bars(pattern, totals, direct, head, &mut out[head..]);
        }
        for (k, (h, x)) in self.hist.iter_mut().zip(cols).enumerate() {
            if n >= HIST {
                h.copy_from_slice(&x[n - HIST..]);
            } else {
                h.copy_from_slice(&buf[k][n..n + HIST]);
            }
        }
    }

    /// Runs the rule on bars `from..from + out.len()` of `cols`, each of
    /// which has at least `HIST` bars before it in `cols` or in the kept
    /// history that `cols` starts with. Counters, totals and memory live
    /// in locals through the loop, so the running totals stay in registers
    /// instead of round-tripping through `self` at every bar.
    #[inline(always)]
    fn run_bars<O: CodeOut>(&mut self, p: &'static Pattern, tf: TotalsFn, cols: Columns, from: usize, out: &mut [O]) {
        // The bounds `Columns::before` relies on: every bar the loop visits
        // has `HIST` bars before it and lies within the columns.
        assert!(from >= HIST && from + out.len() <= cols.len());
        let lookback = p.lookback as u64;
        let warm = p.warm as u64;
        let mut seen = self.seen;
        let mut totals = self.totals;
        let mut memo = self.memo;
        let pen = self.pen;
        // Up to the first output bar: bars without output, the first bar
        // the rule sees (where the totals start) and the bars whose output
        // is discarded.
        let mut head = 0;
        while head < out.len() && seen <= lookback {
            let i = from + head;
            let t = seen;
            seen += 1;
            head += 1;
            if t + warm < lookback {
                out[head - 1] = O::NONE;
                continue;
            }
            if t + warm == lookback {
                totals = first_totals(p, cols, i);
            }
            let code = rule_at(p, cols, i, pen, &mut totals, &mut memo);
            out[head - 1] = if t < lookback { O::NONE } else { O::code(code) };
        }
        if !p.tiled {
            // Every later bar has an output: the loop without those checks.
            for (i, slot_out) in (from + head..).zip(&mut out[head..]) {
                *slot_out = O::code(rule_at(p, cols, i, pen, &mut totals, &mut memo));
            }
        } else {
            // Every later bar has an output, a tile at a time: first the
            // running totals each bar sees (one serial chain per total), then
            // the rule over the tile, which without the chains in its loop
            // the compiler can vectorize.
            let mut seen_totals = [[0.0; TILE]; MAX_TOTALS];
            for (t0, tile) in (from + head..).step_by(TILE).zip(out[head..].chunks_mut(TILE)) {
                tf(
                    p,
                    [cols.o, cols.h, cols.l, cols.c],
                    t0,
                    &mut totals,
                    &mut seen_totals,
                    tile.len(),
                );
                for (j, o) in tile.iter_mut().enumerate() {
                    let mut at = [0.0; MAX_TOTALS];
                    each_slot_written(
                        p,
                        #[inline(always)]
                        |slot, _, _| at[slot] = seen_totals[slot][j],
                    );
                    let ctx = Ctx {
                        cols,
                        i: t0 + j,
                        totals: &at,
                        slots: p.slots,
                        pen,
                    };
                    *o = O::code((p.rule)(&ctx, &mut memo));
                }
            }
        }
        seen += (out.len() - head) as u64;
        self.seen = seen;
        self.totals = totals;
        self.memo = memo;
    }
}

/// The rule's code at bar `i`, then the totals moved past it.
#[inline(always)]
fn rule_at(p: &Pattern, cols: Columns, i: usize, pen: f64, totals: &mut [f64; MAX_TOTALS], memo: &mut Memo) -> i32 {
    let ctx = Ctx {
        cols,
        i,
        totals,
        slots: p.slots,
        pen,
    };
    let code = (p.rule)(&ctx, memo);
    move_totals(p, cols, i, totals);
    code
}

/// Calls `f(slot, setting, offset)` for each of the pattern's slots. With
/// four or more slots the loop is written out: the pattern is a constant,
/// so each call compiles with its range type and period known instead of
/// reading them from the slot table at every bar (CDL3WHITESOLDIERS and
/// CDLSTALLEDPATTERN in about half the time). Patterns with up to three
/// slots measured slower written out in the fused loop, so they keep the
/// loop there.
#[inline(always)]
fn each_slot(p: &Pattern, mut f: impl FnMut(usize, Setting, usize)) {
    if p.slots.len() <= 3 {
        for (slot, &(s, k)) in p.slots.iter().enumerate() {
            f(slot, s, k);
        }
        return;
    }
    each_slot_written(p, f);
}

/// [`each_slot`] written out whatever the number of slots, with which the
/// tiles' rule loop gathers each bar's totals (each slot a constant).
#[inline(always)]
fn each_slot_written(p: &Pattern, mut f: impl FnMut(usize, Setting, usize)) {
    const _: () = assert!(MAX_TOTALS == 8, "each_slot_written writes out 8 slots");
    macro_rules! slots {
        ($($slot:literal)*) => {$(
            if let Some(&(s, k)) = p.slots.get($slot) {
                f($slot, s, k);
            }
        )*};
    }
    slots!(0 1 2 3 4 5 6 7);
}

/// Moves the totals past bar `i`, as TA-Lib does: each gains the range of
/// its candle and loses that of the bar leaving its window.
#[inline(always)]
fn move_totals(p: &Pattern, cols: Columns, i: usize, totals: &mut [f64; MAX_TOTALS]) {
    each_slot(
        p,
        #[inline(always)]
        |slot, s, k| totals[slot] += move_of(cols, i, s, k),
    );
}

/// The totals that bars `from..from + len` of the columns `cols` (open,
/// high, low, close, each with [`HIST`] bars before `from`) see:
/// `seen[slot][j]` for bar `from + j`; `totals` moves past them. The totals
/// are scalars through the loop, so that they can stay in registers.
#[inline(always)]
pub(crate) fn tile_totals(
    p: &'static Pattern,
    cols: [&[f64]; 4],
    from: usize,
    totals: &mut [f64; MAX_TOTALS],
    seen: &mut [[f64; TILE]; MAX_TOTALS],
    len: usize,
) {
    let n = cols[0].len();
    // The bounds `Columns::before` relies on.
    assert!(from >= HIST && from + len <= n && len <= TILE);
    let cols = Columns::new(cols, n);
    const _: () = assert!(MAX_TOTALS == 8, "tile_totals writes out 8 slots");
    let [mut t0, mut t1, mut t2, mut t3, mut t4, mut t5, mut t6, mut t7] = *totals;
    for (j, i) in (from..from + len).enumerate() {
        macro_rules! slots {
            ($($slot:literal $t:ident)*) => {$(
                if let Some(&(s, k)) = p.slots.get($slot) {
                    seen[$slot][j] = $t;
                    $t += move_of(cols, i, s, k);
                }
            )*};
        }
        slots!(0 t0 1 t1 2 t2 3 t3 4 t4 5 t5 6 t6 7 t7);
    }
    *totals = [t0, t1, t2, t3, t4, t5, t6, t7];
}

/// What the total of `setting` for the candle `k` bars back gains past bar
/// `i`: the range entering its window less the range leaving it.
#[inline(always)]
fn move_of(cols: Columns, i: usize, setting: Setting, k: usize) -> f64 {
    let (kind, period, _) = setting.spec();
    cols.before(i, k).range(kind) - cols.before(i, k + period).range(kind)
}

/// The totals at `i`, the first bar the rule sees: each window summed from
/// zero, oldest first.
#[inline(always)]
fn first_totals(p: &Pattern, cols: Columns, i: usize) -> [f64; MAX_TOTALS] {
    let mut totals = [0.0; MAX_TOTALS];
    each_slot(
        p,
        #[inline(always)]
        |slot, s, k| {
            let (kind, period, _) = s.spec();
            let mut total = 0.0;
            for back in (k + 1..=k + period).rev() {
                total += cols.before(i, back).range(kind);
            }
            totals[slot] = total;
        },
    );
    totals
}

impl Indicator for Candles {
    fn lookback(&self) -> usize {
        self.pattern.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        let cols = [inputs[0], inputs[1], inputs[2], inputs[3]];
        (self.chunk)(self, cols, outputs[0]);
    }

    fn update_i32(&mut self, inputs: &[&[f64]], out: &mut [i32]) {
        assert_eq!(inputs.len(), 4, "indicator expects 4 input(s)");
        assert!(
            inputs.iter().all(|s| s.len() == out.len()),
            "indicator inputs and outputs must have equal lengths"
        );
        let cols = [inputs[0], inputs[1], inputs[2], inputs[3]];
        (self.codes)(self, cols, out);
    }

    fn reset(&mut self) {
        *self = Self::with_chunk(self.pattern, self.pen, self.chunk, self.codes).expect("valid penetration");
    }
}
