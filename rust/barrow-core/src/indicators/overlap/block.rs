//! Window highs and lows by blocks, as TA-Lib 0.8 computes them for WILLR,
//! MIDPOINT and MIDPRICE.
//!
//! Outputs come in blocks of `p`: at a block's first bar, suffix extremes of
//! its window are computed backwards; at the block's later bars, running
//! prefix extremes of the new bars are combined with those suffixes. With
//! `max(a, b) = if a > b { a } else { b }` (and likewise `min`), a NaN
//! propagates exactly as in TA-Lib.

use super::History;

#[inline(always)]
fn mx(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn mn(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// Highest high and lowest low of the last `p` bars, by blocks.
#[derive(Clone, Debug)]
pub(crate) struct BlockExtremes {
    period: usize,
    seen: usize,
    /// Position of the next output within its block (0 starts a block).
    k: usize,
    highs: History,
    lows: History,
    suffix_high: Vec<f64>,
    suffix_low: Vec<f64>,
    prefix_high: f64,
    prefix_low: f64,
}

impl BlockExtremes {
    pub(crate) fn new(period: usize) -> Self {
        Self {
            period,
            seen: 0,
            k: 0,
            highs: History::new(period),
            lows: History::new(period),
            suffix_high: vec![0.0; period],
            suffix_low: vec![0.0; period],
            prefix_high: 0.0,
            prefix_low: 0.0,
        }
    }

    /// Consumes one bar; `(highest high, lowest low)` once `p` bars are in.
    #[cfg(test)]
    pub(crate) fn push(&mut self, high: f64, low: f64) -> Option<(f64, f64)> {
        let mut got = None;
        self.run::<true, true>(&[high], &[low], |_, v| got = v);
        got
    }

    /// Consumes a chunk of highs and lows (equal lengths), calling
    /// `emit(i, Some((highest high, lowest low)))` for bar `i` of the chunk,
    /// or `emit(i, None)` during the lookback. Only the sides asked for
    /// (`HI`, `LO`) are computed; the other is returned as NaN. Windows
    /// inside the chunk are read from it directly; the history keeps the
    /// last `p` bars for windows that start in an earlier chunk.
    #[inline(always)]
    pub(crate) fn run<const HI: bool, const LO: bool>(
        &mut self,
        highs: &[f64],
        lows: &[f64],
        mut emit: impl FnMut(usize, Option<(f64, f64)>),
    ) {
        let n = highs.len();
        let lows = &lows[..n];
        let p = self.period;
        let first = self.seen;
        let mut k = self.k;
        let (mut prefix_high, mut prefix_low) = (self.prefix_high, self.prefix_low);
        let (suffix_high, suffix_low) = (&mut self.suffix_high[..p], &mut self.suffix_low[..p]);
        let pick = |h: f64, l: f64| (if HI { h } else { f64::NAN }, if LO { l } else { f64::NAN });
        let mut i = 0;
        while i < n {
            if k == 0 && i + 1 >= p && i + p <= n {
                // A whole block whose windows lie in this chunk: its suffix
                // pass, then its prefix pass, as plain loops over the chunk.
                let window = i + 1 - p..i + 1;
                if HI {
                    let xs = &highs[window.clone()];
                    let mut a = xs[p - 1];
                    suffix_high[p - 1] = a;
                    for (s, &x) in suffix_high[..p - 1].iter_mut().zip(&xs[..p - 1]).rev() {
                        a = mx(x, a);
                        *s = a;
                    }
                }
                if LO {
                    let xs = &lows[window];
                    let mut a = xs[p - 1];
                    suffix_low[p - 1] = a;
                    for (s, &x) in suffix_low[..p - 1].iter_mut().zip(&xs[..p - 1]).rev() {
                        a = mn(x, a);
                        *s = a;
                    }
                }
                emit(i, Some(pick(suffix_high[0], suffix_low[0])));
                (prefix_high, prefix_low) = (highs[i + 1], lows[i + 1]);
                emit(
                    i + 1,
                    Some(pick(mx(prefix_high, suffix_high[1]), mn(prefix_low, suffix_low[1]))),
                );
                for at in 2..p {
                    if HI {
                        prefix_high = mx(highs[i + at], prefix_high);
                    }
                    if LO {
                        prefix_low = mn(lows[i + at], prefix_low);
                    }
                    emit(
                        i + at,
                        Some(pick(mx(prefix_high, suffix_high[at]), mn(prefix_low, suffix_low[at]))),
                    );
                }
                i += p;
                continue;
            }
            // One bar at a time: the lookback, blocks that start in an
            // earlier chunk or end in a later one.
            let t = i;
            i += 1;
            if first + t + 1 < p {
                emit(t, None);
                continue;
            }
            let (high, low) = (highs[t], lows[t]);
            let at = k;
            k = if k + 1 == p { 0 } else { k + 1 };
            if at == 0 {
                // Suffix extremes of the window, newest to oldest; bars
                // before this chunk come from the history.
                let (mut ah, mut al) = (high, low);
                suffix_high[p - 1] = ah;
                suffix_low[p - 1] = al;
                let from_chunk = (p - 1).min(t);
                for j in (p - 1 - from_chunk..p - 1).rev() {
                    let x = t + 1 + j - p;
                    if HI {
                        ah = mx(highs[x], ah);
                        suffix_high[j] = ah;
                    }
                    if LO {
                        al = mn(lows[x], al);
                        suffix_low[j] = al;
                    }
                }
                for j in (0..p - 1 - from_chunk).rev() {
                    let g = first + t + 1 + j - p;
                    if HI {
                        ah = mx(self.highs.get(g), ah);
                        suffix_high[j] = ah;
                    }
                    if LO {
                        al = mn(self.lows.get(g), al);
                        suffix_low[j] = al;
                    }
                }
                emit(t, Some(pick(suffix_high[0], suffix_low[0])));
                continue;
            }
            if at == 1 {
                prefix_high = high;
                prefix_low = low;
            } else {
                if HI {
                    prefix_high = mx(high, prefix_high);
                }
                if LO {
                    prefix_low = mn(low, prefix_low);
                }
            }
            emit(
                t,
                Some(pick(mx(prefix_high, suffix_high[at]), mn(prefix_low, suffix_low[at]))),
            );
        }
        self.k = k;
        (self.prefix_high, self.prefix_low) = (prefix_high, prefix_low);
        // Keep the last `p` bars for the windows of later chunks.
        let keep = n.min(p);
        for i in n - keep..n {
            self.highs.put(first + i, highs[i]);
            self.lows.put(first + i, lows[i]);
        }
        self.seen += n;
    }
}

impl BlockExtremes {
    /// [`BlockExtremes::run`] writing the highest highs to `hi` and the
    /// lowest lows to `lo` (as long as the chunk), NaN during the lookback.
    ///
    /// Long chunks are cut at block starts into parts run across rayon's
    /// threads. A block's start reads nothing of the state but the `p - 1`
    /// bars before it, so a part whose blocks are seated on those bars
    /// computes what one pass would, NaNs and signed zeros included; the
    /// last part runs on this state, which then goes on from there.
    pub(crate) fn run_into(&mut self, highs: &[f64], lows: &[f64], hi: &mut [f64], lo: &mut [f64]) {
        self.run_split::<true, true, _>(highs, lows, (hi, lo), split_pair, |state, range, (hi, lo)| {
            state.run::<true, true>(&highs[range.clone()], &lows[range], |i, v| {
                (hi[i], lo[i]) = v.unwrap_or((f64::NAN, f64::NAN));
            })
        });
    }

    /// [`BlockExtremes::run`] writing one value per bar to `out`:
    /// `value(i, extremes)` for bar `i` of the chunk (`None` during the
    /// lookback), in parts as [`BlockExtremes::run_into`].
    pub(crate) fn run_values<const HI: bool, const LO: bool>(
        &mut self,
        highs: &[f64],
        lows: &[f64],
        out: &mut [f64],
        value: impl Fn(usize, Option<(f64, f64)>) -> f64 + Sync,
    ) {
        self.run_split::<HI, LO, _>(
            highs,
            lows,
            &mut out[..highs.len()],
            <[f64]>::split_at_mut,
            |state, range, o| {
                let from = range.start;
                state.run::<HI, LO>(&highs[range.clone()], &lows[range], |i, v| o[i] = value(from + i, v));
            },
        );
    }

    /// Cuts a chunk at block starts and calls `part(state, bars, outputs)`
    /// on each part (across rayon's threads for long chunks), with the
    /// outputs cut alike by `split(outputs, at)`; see
    /// [`BlockExtremes::run_into`].
    fn run_split<const HI: bool, const LO: bool, O: Send>(
        &mut self,
        highs: &[f64],
        lows: &[f64],
        outs: O,
        split: impl Fn(O, usize) -> (O, O),
        part: impl Fn(&mut Self, std::ops::Range<usize>, O) + Sync,
    ) {
        let n = highs.len();
        let p = self.period;
        let first = self.seen;
        // Bar `g >= p - 1` of the series starts a block when `g - (p - 1)`
        // is a multiple of `p`. The first cut is the first block start with
        // `p` bars of the chunk before it.
        let from = p.max((p - 1).saturating_sub(first));
        let cut = from + (p - (first + from - (p - 1)) % p) % p;
        let step = (PART / p).max(1) * p;
        if n < PARALLEL_MIN || rayon::current_num_threads() < 2 || cut + step >= n {
            part(self, 0..n, outs);
            return;
        }
        let (head, mut rest) = split(outs, cut);
        part(self, 0..cut, head);
        let mut parts = Vec::with_capacity((n - cut) / step + 1);
        let mut start = cut;
        while start < n {
            let end = if start + 2 * step > n { n } else { start + step };
            let (o, tail) = split(rest, end - start);
            rest = tail;
            let mut state = BlockExtremes::new(p);
            state.seen = first + start;
            for i in start - p..start {
                state.highs.put(first + i, highs[i]);
                state.lows.put(first + i, lows[i]);
            }
            parts.push((start..end, Some(o), state));
            start = end;
        }
        crate::par::for_each(&mut parts, |(range, o, state)| {
            part(state, range.clone(), o.take().expect("each part runs once"));
        });
        *self = parts.pop().expect("at least one part").2;
    }
}

/// Cuts the outputs of [`BlockExtremes::run_into`] at `at`.
#[allow(clippy::type_complexity)]
fn split_pair<'a>(
    (hi, lo): (&'a mut [f64], &'a mut [f64]),
    at: usize,
) -> ((&'a mut [f64], &'a mut [f64]), (&'a mut [f64], &'a mut [f64])) {
    let (h0, h1) = hi.split_at_mut(at);
    let (l0, l1) = lo.split_at_mut(at);
    ((h0, l0), (h1, l1))
}

/// Chunks at least this long are split across rayon's threads by
/// [`BlockExtremes::run_split`].
const PARALLEL_MIN: usize = 1 << 17;

/// About the bars of one rayon task when a long chunk is split.
const PART: usize = 1 << 15;

/// MAX or MIN over the last `p` values, by blocks (branch-free). Lookback
/// `p - 1`.
#[derive(Clone, Debug)]
pub struct BlockExtreme {
    kind: super::ExtremeKind,
    period: usize,
    block: BlockExtremes,
}

impl BlockExtreme {
    /// The highest or lowest of the last `period >= 2` values.
    pub fn new(kind: super::ExtremeKind, period: usize) -> crate::error::Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self {
            kind,
            period,
            block: BlockExtremes::new(period),
        })
    }
}

impl crate::indicators::Indicator for BlockExtreme {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        crate::indicators::check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        if self.kind == super::ExtremeKind::Max {
            self.block
                .run_values::<true, false>(x, x, out, |_, v| v.map_or(f64::NAN, |(hh, _)| hh));
        } else {
            self.block
                .run_values::<false, true>(x, x, out, |_, v| v.map_or(f64::NAN, |(_, ll)| ll));
        }
    }

    fn reset(&mut self) {
        self.block = BlockExtremes::new(self.period);
    }
}

/// MINMAX: the lowest and the highest of the last `p` values, by blocks.
/// Lookback `p - 1`.
#[derive(Clone, Debug)]
pub struct BlockMinMax {
    period: usize,
    block: BlockExtremes,
}

impl BlockMinMax {
    /// Extremes over `period >= 2` values.
    pub fn new(period: usize) -> crate::error::Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self {
            period,
            block: BlockExtremes::new(period),
        })
    }
}

impl crate::indicators::Indicator for BlockMinMax {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        crate::indicators::check_shapes(inputs, outputs, 1, 2);
        let x = inputs[0];
        let (lo, hi) = outputs.split_at_mut(1);
        self.block.run_into(x, x, &mut *hi[0], &mut *lo[0]);
    }

    fn reset(&mut self) {
        self.block = BlockExtremes::new(self.period);
    }
}

/// MIDPOINT (one series) or MIDPRICE (high, low): `(highest + lowest) / 2`
/// over the last `p` bars. Lookback `p - 1`.
#[derive(Clone, Debug)]
pub struct MidRange {
    period: usize,
    two_inputs: bool,
    block: BlockExtremes,
}

impl MidRange {
    /// MIDPOINT (`two_inputs = false`) or MIDPRICE over `period >= 2` bars.
    pub fn new(period: usize, two_inputs: bool) -> crate::error::Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self {
            period,
            two_inputs,
            block: BlockExtremes::new(period),
        })
    }
}

impl crate::indicators::Indicator for MidRange {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n_in = if self.two_inputs { 2 } else { 1 };
        crate::indicators::check_shapes(inputs, outputs, n_in, 1);
        let (hi, lo, out) = (inputs[0], inputs[n_in - 1], &mut *outputs[0]);
        self.block
            .run_values::<true, true>(hi, lo, out, |_, v| v.map_or(f64::NAN, |(hh, ll)| (hh + ll) / 2.0));
    }

    fn reset(&mut self) {
        self.block = BlockExtremes::new(self.period);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn block_extremes_match_a_naive_window_scan() {
        let x = walk(200, 25);
        let mut b = BlockExtremes::new(7);
        for (i, &v) in x.iter().enumerate() {
            let got = b.push(v, v);
            if i >= 6 {
                let w = &x[i - 6..=i];
                let hh = w.iter().cloned().fold(f64::MIN, f64::max);
                let ll = w.iter().cloned().fold(f64::MAX, f64::min);
                assert_eq!(got, Some((hh, ll)));
            }
        }
    }

    #[test]
    fn midrange_is_chunk_invariant() {
        let x = walk(300, 26);
        let y: Vec<f64> = x.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(MidRange::new(14, false).unwrap()), &[&x], 1, &[1, 9, 60]);
        assert_chunk_invariant(
            &|| Box::new(MidRange::new(14, true).unwrap()),
            &[&x, &y],
            1,
            &[1, 9, 60],
        );
    }

    #[test]
    fn split_chunks_give_the_blocks_bits_on_any_chunking() {
        // Long chunks (split across threads), short ones (bar by bar), ties,
        // zeros of both signs and NaNs: every chunking gives the bits of one
        // bar at a time.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let n = 300_000;
        for seed in 0..4u64 {
            let mut x: Vec<f64> = walk(n, 40 + seed).iter().map(|v| (v / 2.0).round() + 0.5).collect();
            if seed >= 2 {
                let mut rng = crate::data::rng::SplitMix64::new(seed);
                for _ in 0..20 {
                    let at = (rng.next_f64() * n as f64) as usize;
                    x[at] = [f64::NAN, 0.0, -0.0][at % 3];
                }
            }
            for p in [2, 9, 30, 100] {
                let mut one = BlockExtremes::new(p);
                let mut want = (vec![0.0; n], vec![0.0; n]);
                for (i, &v) in x.iter().enumerate() {
                    let (h, l) = one.push(v, v).unwrap_or((f64::NAN, f64::NAN));
                    (want.0[i], want.1[i]) = (h, l);
                }
                for sizes in [&[n][..], &[5000, 3, 140_000, 4097, 1][..]] {
                    let mut b = BlockExtremes::new(p);
                    let mut got = (vec![0.0; n], vec![0.0; n]);
                    let (mut start, mut k) = (0, 0);
                    while start < n {
                        let end = (start + sizes[k % sizes.len()]).min(n);
                        let (hi, lo) = (&mut got.0[start..end], &mut got.1[start..end]);
                        pool.install(|| b.run_into(&x[start..end], &x[start..end], hi, lo));
                        (start, k) = (end, k + 1);
                    }
                    for (side, (g, w)) in [(&got.0, &want.0), (&got.1, &want.1)].into_iter().enumerate() {
                        let bad = g.iter().zip(w.iter()).position(|(a, b)| a.to_bits() != b.to_bits());
                        assert_eq!(bad, None, "seed {seed} p {p} side {side} sizes {sizes:?}");
                    }
                }
            }
        }
    }
}
