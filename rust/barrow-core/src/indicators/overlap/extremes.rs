//! MAX and MIN — extremes over the last `p` bars.
//!
//! TA-Lib's scan: the running extreme is kept with its index, replaced by a
//! new value that ties or beats it, and found again by scanning the window
//! when it leaves (which also fixes how NaNs behave). Lookback `p - 1`.

use super::super::{check_shapes, Indicator};
use super::history::History;
use crate::error::{BarrowError, Result};

/// Which extreme to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtremeKind {
    /// Highest value.
    Max,
    /// Lowest value.
    Min,
}

/// Streaming window extremes.
#[derive(Clone, Debug)]
pub struct Extremes {
    kind: ExtremeKind,
    period: usize,
    seen: usize,
    values: History,
    best: f64,
    best_index: Option<usize>,
}

impl Extremes {
    /// Extremes over `period >= 1` bars (TA-Lib's MAX and MIN take 2 or
    /// more; the stochastics' %K window may be a single bar).
    pub fn new(kind: ExtremeKind, period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            kind,
            period,
            seen: 0,
            values: History::new(period),
            best: 0.0,
            best_index: None,
        })
    }

    /// Number of values consumed.
    pub(crate) fn seen(&self) -> usize {
        self.seen
    }

    /// Consumes one value and returns the extreme (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, a: f64) -> f64 {
        match self.kind {
            ExtremeKind::Max => self.step_as::<true>(a),
            ExtremeKind::Min => self.step_as::<false>(a),
        }
    }

    /// [`Extremes::step`] for a kind known at compile time (`MAX` true for
    /// [`ExtremeKind::Max`]), so the window rescan is a plain loop.
    #[inline(always)]
    pub(crate) fn step_as<const MAX: bool>(&mut self, a: f64) -> f64 {
        debug_assert_eq!(MAX, self.kind == ExtremeKind::Max);
        let today = self.seen;
        self.seen += 1;
        self.values.put(today, a);
        if today + 1 < self.period {
            return f64::NAN;
        }
        let trailing = today + 1 - self.period;
        if self.best_index.is_none_or(|i| i < trailing) {
            let mut idx = trailing;
            let mut best = self.values.get(trailing);
            for i in trailing + 1..=today {
                let x = self.values.get(i);
                if if MAX { x > best } else { x < best } {
                    idx = i;
                    best = x;
                }
            }
            self.best = best;
            self.best_index = Some(idx);
        } else if if MAX { a >= self.best } else { a <= self.best } {
            self.best = a;
            self.best_index = Some(today);
        }
        self.best
    }

    /// The scan of [`Extremes::step_as`] over a chunk, calling
    /// `emit(i, extreme, position)` for each bar (NaN and `None` during
    /// the lookback). Windows that lie in the chunk are read from the
    /// slice, with the state in locals.
    #[inline(always)]
    pub(crate) fn scan<const MAX: bool>(&mut self, x: &[f64], mut emit: impl FnMut(usize, f64, Option<usize>)) {
        let n = x.len();
        let p = self.period;
        // Windows that reach into earlier chunks, or the lookback.
        let mut i = 0;
        while i < n && (i + 1 < p || self.seen + 1 < p) {
            let best = self.step_as::<MAX>(x[i]);
            emit(i, best, self.best_index);
            i += 1;
        }
        if i == n {
            return;
        }
        let base = self.seen - i;
        let (mut best, mut best_index) = (self.best, self.best_index);
        for (k, &a) in x[i..].iter().enumerate() {
            let (today, j) = (base + i + k, i + k);
            let trailing = today + 1 - p;
            if best_index.is_none_or(|b| b < trailing) {
                let window = &x[j + 1 - p..=j];
                let (mut at, mut value) = (0, window[0]);
                for (w, &v) in window.iter().enumerate().skip(1) {
                    if if MAX { v > value } else { v < value } {
                        (at, value) = (w, v);
                    }
                }
                (best, best_index) = (value, Some(trailing + at));
            } else if if MAX { a >= best } else { a <= best } {
                (best, best_index) = (a, Some(today));
            }
            emit(j, best, best_index);
        }
        (self.best, self.best_index) = (best, best_index);
        self.seen = base + n;
        for (k, &v) in x.iter().enumerate().skip(n - p) {
            self.values.put(base + k, v);
        }
    }

    /// [`Extremes::scan`] writing `value(extreme, position)` for each bar
    /// to `out` (as long as `x`).
    ///
    /// Long chunks are cut into parts run across rayon's threads. A cut
    /// follows a bar whose window holds no NaN and its extreme once: the
    /// scan's state there is that extreme and its position, whatever came
    /// before, so the part after the cut starts from it exactly. The last
    /// part runs on this state, which then goes on from there.
    pub(crate) fn scan_into<const MAX: bool, T: Send>(
        &mut self,
        x: &[f64],
        out: &mut [T],
        value: impl Fn(f64, Option<usize>) -> T + Sync,
    ) {
        let n = x.len();
        let p = self.period;
        if n < PARALLEL_MIN || rayon::current_num_threads() < 2 {
            self.scan::<MAX>(x, |i, best, at| out[i] = value(best, at));
            return;
        }
        let base = self.seen;
        // Parts end at the first bar from each multiple of `PART` on whose
        // window allows a cut; a stretch without one joins the next part.
        let mut parts = Vec::with_capacity(n / PART + 1);
        let (mut rest, mut start) = (out, 0);
        let mut state = self.clone();
        let mut target = PART.max(p);
        while target + PART < n {
            let cut = (target..(target + 8 * p + 64).min(n))
                .find_map(|e| unique_extreme::<MAX>(&x[e + 1 - p..=e]).map(|at| (e, e + 1 - p + at)));
            target += PART;
            if let Some((e, at)) = cut {
                let (part, tail) = std::mem::take(&mut rest).split_at_mut(e + 1 - start);
                rest = tail;
                let next = self.seated(x, base, e, at);
                parts.push((start..e + 1, part, std::mem::replace(&mut state, next)));
                start = e + 1;
                // The next cut comes after this one (long windows search
                // past `PART`).
                target = target.max(start + p);
            }
        }
        parts.push((start..n, rest, state));
        crate::par::for_each(&mut parts, |(range, part, state)| {
            state.scan::<MAX>(&x[range.clone()], |i, best, at| part[i] = value(best, at));
        });
        *self = parts.pop().expect("at least one part").2;
    }

    /// The state of the scan after bar `e` of a chunk whose first bar is
    /// bar `base` of the series, when the window ending at `e` has its
    /// extreme at `at` alone (and no NaN).
    fn seated(&self, x: &[f64], base: usize, e: usize, at: usize) -> Self {
        let mut values = History::new(self.period);
        for (i, &v) in x.iter().enumerate().take(e + 1).skip(e + 1 - self.period) {
            values.put(base + i, v);
        }
        Self {
            kind: self.kind,
            period: self.period,
            seen: base + e + 1,
            values,
            best: x[at],
            best_index: Some(base + at),
        }
    }

    /// Consumes a chunk into `out` (same length).
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        match self.kind {
            ExtremeKind::Max => self.run::<true>(x, out),
            ExtremeKind::Min => self.run::<false>(x, out),
        }
    }

    /// A chunk: by blocks where that gives the scan's bits, else by the scan.
    ///
    /// In a chunk without NaN and without zeros, a window's extreme is its
    /// value whichever copy of it the scan tracks, so the windows that lie
    /// in the chunk are computed by blocks ([`plain_window_extremes`]). The
    /// scan's state after them is rebuilt from the latest window whose
    /// extreme occurs once (the scan must track that copy), and the bars
    /// after it go through the scan again. With no such window near the
    /// end, the scan runs the whole chunk.
    #[inline(always)]
    pub(crate) fn run<const MAX: bool>(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len();
        let out = &mut out[..n];
        let p = self.period;
        if n < 2 * p + 64 || !plain_window_extremes::<MAX>(x, p, out) {
            self.scan::<MAX>(x, |i, best, _| out[i] = best);
            return;
        }
        // Bars whose window starts in an earlier chunk.
        let head = p - 1;
        for i in 0..head {
            out[i] = self.step_as::<MAX>(x[i]);
        }
        let start = self.seen - head;
        let oldest = n.saturating_sub(8 * p + 64).max(head);
        let single = (oldest..n).rev().find(|&e| {
            let w = &x[e + 1 - p..=e];
            w.iter().filter(|&&v| v == out[e]).count() == 1
        });
        let Some(e) = single else {
            self.scan::<MAX>(&x[head..], |i, best, _| out[head + i] = best);
            return;
        };
        for (i, &v) in x.iter().enumerate().take(e + 1).skip(e + 1 - p) {
            self.values.put(start + i, v);
        }
        let at = (e + 1 - p..=e)
            .find(|&i| x[i] == out[e])
            .expect("the extreme is in its window");
        (self.best, self.best_index) = (x[at], Some(start + at));
        self.seen = start + e + 1;
        self.scan::<MAX>(&x[e + 1..], |i, best, _| out[e + 1 + i] = best);
    }
}

/// Whether any value of `x` meets `test`; or-ed over blocks, so the scan
/// vectorizes.
#[inline(always)]
pub(crate) fn any_value(x: &[f64], test: impl Fn(f64) -> bool) -> bool {
    x.chunks(256).any(|c| c.iter().fold(false, |a, &v| a | test(v)))
}

/// Whether `x` holds neither NaN nor zero (-0 and +0 are the copies of one
/// value that differ in what the scan reports; +0 is turned away with it,
/// which only sends such a chunk to the scan).
// `!(|v| > 0)` is meant: it holds for NaN as well as for zeros.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(crate) fn plain_values(x: &[f64]) -> bool {
    !any_value(x, |v| !(v.abs() > 0.0))
}

/// Where the extreme (`MAX` the largest) of `w` lies, if `w` holds no NaN
/// and the extreme only once (`-0.0` and `0.0` count as one value).
fn unique_extreme<const MAX: bool>(w: &[f64]) -> Option<usize> {
    if any_value(w, f64::is_nan) {
        return None;
    }
    let mut at = 0;
    for (i, &v) in w.iter().enumerate().skip(1) {
        if if MAX { v > w[at] } else { v < w[at] } {
            at = i;
        }
    }
    (w.iter().filter(|&&v| v == w[at]).count() == 1).then_some(at)
}

/// The larger (`MAX`) or smaller of two values that are not NaN.
#[inline(always)]
fn ext<const MAX: bool>(a: f64, b: f64) -> f64 {
    if MAX {
        if a > b {
            a
        } else {
            b
        }
    } else if a < b {
        a
    } else {
        b
    }
}

/// Windows up to this long go by doubling ([`doubling_extremes`]), longer
/// ones by van Herk–Gil-Werman blocks.
const DOUBLING_MAX: usize = 64;

/// Series at least this long are split across rayon's threads by
/// [`plain_window_extremes`].
const PARALLEL_MIN: usize = 1 << 17;

/// The window ends of one rayon task when a long series is split.
const PART: usize = 1 << 15;

/// [`window_extremes`] of `x` into `out[w - 1..]` (`out` as long as `x`),
/// if `x` holds neither NaN nor zero ([`plain_values`]); false, with `out`
/// partly written, otherwise. Long series are split into parts across
/// rayon's threads, each part reading the `w - 1` values before it: a
/// window's extreme depends on its values alone, so any split gives the
/// same bits.
pub(crate) fn plain_window_extremes<const MAX: bool>(x: &[f64], w: usize, out: &mut [f64]) -> bool {
    let n = x.len();
    if n < w {
        return plain_values(x);
    }
    let ends = &mut out[w - 1..n];
    if ends.len() < PARALLEL_MIN || rayon::current_num_threads() < 2 {
        if !plain_values(x) {
            return false;
        }
        window_extremes::<MAX>(x, w, ends);
        return true;
    }
    let plain = std::sync::atomic::AtomicBool::new(true);
    let mut parts: Vec<(usize, &mut [f64])> = ends.chunks_mut(PART).enumerate().collect();
    crate::par::for_each(&mut parts, |(k, part)| {
        let xs = &x[*k * PART..*k * PART + part.len() + w - 1];
        if !plain_values(xs) {
            plain.store(false, std::sync::atomic::Ordering::Relaxed);
        } else {
            window_extremes::<MAX>(xs, w, part);
        }
    });
    plain.into_inner()
}

/// Window maxima (`MAX`) or minima of `w` values: `ends[e + 1 - w]` for
/// every window ending at `e >= w - 1` (`ends` is `x.len() + 1 - w` long).
/// `x` must hold no NaN. A window's extreme is the value itself, whichever
/// order the comparisons take, so both methods give the same bits.
pub(crate) fn window_extremes<const MAX: bool>(x: &[f64], w: usize, ends: &mut [f64]) {
    if x.len() < w {
        return;
    }
    assert_eq!(ends.len(), x.len() + 1 - w, "one output per window");
    if w <= DOUBLING_MAX {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx") {
            // SAFETY: the CPU supports AVX, checked just above.
            unsafe { doubling_extremes_avx::<MAX>(x, w, ends) };
            return;
        }
        doubling_extremes::<MAX>(x, w, ends);
        return;
    }
    block_extremes::<MAX>(x, w, ends);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn doubling_extremes_avx<const MAX: bool>(x: &[f64], w: usize, ends: &mut [f64]) {
    doubling_extremes::<MAX>(x, w, ends);
}

/// [`window_extremes`] for `w <= DOUBLING_MAX` by doubling, a tile at a
/// time: the extremes of spans of 2, 4, 8, ... values, each level one
/// vectorized pass over the one before, until the span `s` is the largest
/// power of two within `w`; a window is then the extreme of the spans
/// starting at its first value and ending at its last.
#[inline(always)]
fn doubling_extremes<const MAX: bool>(x: &[f64], w: usize, ends: &mut [f64]) {
    const TILE: usize = 512;
    /// Extremes of spans `2 * span` long from the level of spans `span`
    /// long: `dst[i]` for every `i < len`.
    #[inline(always)]
    fn pass<const MAX: bool>(src: &[f64], span: usize, dst: &mut [f64], len: usize) {
        let (lo, hi) = (&src[..len], &src[span..span + len]);
        for ((d, &a), &b) in dst[..len].iter_mut().zip(lo).zip(hi) {
            *d = ext::<MAX>(a, b);
        }
    }
    let n = x.len();
    let (mut a, mut b) = ([0.0; TILE + DOUBLING_MAX], [0.0; TILE + DOUBLING_MAX]);
    let mut e0 = w - 1;
    while e0 < n {
        let e1 = (e0 + TILE).min(n);
        let xs = &x[e0 + 1 - w..e1];
        let len = xs.len();
        // Which array holds the current level: 0 the input, 1 `a`, 2 `b`.
        let (mut at, mut span) = (0, 1);
        while 2 * span <= w {
            let m = len + 1 - 2 * span;
            match at {
                0 => pass::<MAX>(xs, span, &mut a, m),
                1 => pass::<MAX>(&a, span, &mut b, m),
                _ => pass::<MAX>(&b, span, &mut a, m),
            }
            at = if at == 1 { 2 } else { 1 };
            span *= 2;
        }
        let level: &[f64] = match at {
            0 => xs,
            1 => &a,
            _ => &b,
        };
        let m = e1 - e0;
        let (first, last) = (&level[..m], &level[w - span..w - span + m]);
        for ((o, &p), &q) in ends[e0 + 1 - w..e1 + 1 - w].iter_mut().zip(first).zip(last) {
            *o = ext::<MAX>(p, q);
        }
        e0 = e1;
    }
}

/// [`window_extremes`] by van Herk–Gil-Werman blocks (suffix extremes
/// backward and prefix extremes forward in blocks of `w`, so each window
/// is one suffix and one prefix).
fn block_extremes<const MAX: bool>(x: &[f64], w: usize, ends: &mut [f64]) {
    const TILE: usize = 2048;
    let n = x.len();
    let ext = ext::<MAX>;
    let mut suf = vec![0.0; TILE + w];
    let mut e0 = w - 1;
    while e0 < n {
        let e1 = (e0 + TILE).min(n);
        let base = e0 + 1 - w;
        let xs = &x[base..e1];
        let len = xs.len();
        let suf = &mut suf[..len];
        for b in (0..len).step_by(w) {
            let end = (b + w).min(len);
            let mut a = xs[end - 1];
            suf[end - 1] = a;
            for k in (b..end - 1).rev() {
                a = ext(xs[k], a);
                suf[k] = a;
            }
        }
        // The tile's windows: `out[j + 1 - w]` ends at `xs[j]`.
        let out = &mut ends[base..e1 + 1 - w];
        // Block 0 holds only the first window's end; later blocks' bars end
        // windows that start in the block before.
        let first = w.min(len);
        out[0] = suf[0];
        for b in (first..len).step_by(w) {
            let end = (b + w).min(len);
            let mut a = xs[b];
            out[b + 1 - w] = ext(suf[b + 1 - w], a);
            for e in b + 1..end {
                a = ext(xs[e], a);
                out[e + 1 - w] = ext(suf[e + 1 - w], a);
            }
        }
        e0 = e1;
    }
}

impl Indicator for Extremes {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.update_chunk(inputs[0], outputs[0]);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.best_index = None;
        self.best = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn window_extremes() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0];
        let run = |k| {
            let mut e = Extremes::new(k, 3).unwrap();
            x.iter().map(|&v| e.step(v)).collect::<Vec<_>>()
        };
        assert_eq!(run(ExtremeKind::Max)[2..], [4.0, 4.0, 5.0, 9.0, 9.0]);
        assert_eq!(run(ExtremeKind::Min)[2..], [1.0, 1.0, 1.0, 1.0, 2.0]);
    }

    #[test]
    fn doubling_and_blocks_give_every_windows_extreme() {
        let x: Vec<f64> = walk(5000, 3).iter().map(|v| (v * 4.0).round() / 4.0).collect();
        for w in (1..=70).chain([127, 300]) {
            for n in [w, w + 1, 2 * w + 3, 2047 + w, 2048 + w, 5000] {
                let x = &x[..n];
                let naive = |max: bool| -> Vec<f64> {
                    (w - 1..n)
                        .map(|e| {
                            let win = x[e + 1 - w..=e].iter().copied();
                            if max {
                                win.fold(f64::MIN, f64::max)
                            } else {
                                win.fold(f64::MAX, f64::min)
                            }
                        })
                        .collect()
                };
                for max in [true, false] {
                    let want = naive(max);
                    let mut got = vec![0.0; n + 1 - w];
                    if max {
                        block_extremes::<true>(x, w, &mut got);
                    } else {
                        block_extremes::<false>(x, w, &mut got);
                    }
                    assert_eq!(got, want, "blocks max {max} w {w} n {n}");
                    if w <= DOUBLING_MAX {
                        if max {
                            doubling_extremes::<true>(x, w, &mut got);
                        } else {
                            doubling_extremes::<false>(x, w, &mut got);
                        }
                        assert_eq!(got, want, "doubling max {max} w {w} n {n}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_series_split_across_threads_give_the_scans_bits() {
        let n = 2 * PARALLEL_MIN + 3 * PART + 11;
        let mut x: Vec<f64> = walk(n, 7).iter().map(|v| (v * 8.0).round() / 8.0 + 0.0625).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        for with_nan in [false, true] {
            if with_nan {
                x[n / 2 + 5] = f64::NAN;
            }
            for kind in [ExtremeKind::Max, ExtremeKind::Min] {
                for p in [2, 30, 100] {
                    let mut scan = Extremes::new(kind, p).unwrap();
                    let want: Vec<f64> = x.iter().map(|&v| scan.step(v)).collect();
                    let mut out = vec![0.0; n];
                    let mut ind = Extremes::new(kind, p).unwrap();
                    pool.install(|| ind.update_chunk(&x, &mut out));
                    let same = out.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "{kind:?}({p}) nan {with_nan}");
                    // The state after the split goes on as the scan's.
                    let tail = [x[n - 1] + 1.0, x[n - 1] - 1.0];
                    for &v in &tail {
                        assert_eq!(ind.step(v).to_bits(), scan.step(v).to_bits());
                    }
                }
            }
        }
    }

    #[test]
    fn split_scans_give_the_positions_of_one_scan() {
        // Few distinct values (ties), NaNs in some runs, chunks long enough
        // to be split and short ones: the positions of a bar-by-bar scan.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let n = 3 * PARALLEL_MIN + 5;
        for seed in 0..3u64 {
            let mut x: Vec<f64> = walk(n, 60 + seed).iter().map(|v| (v / 2.0).round()).collect();
            if seed > 0 {
                let mut rng = crate::data::rng::SplitMix64::new(seed);
                for _ in 0..30 * seed {
                    x[(rng.next_f64() * n as f64) as usize] = f64::NAN;
                }
            }
            for kind in [ExtremeKind::Max, ExtremeKind::Min] {
                for p in [2, 14, 90] {
                    let mut one = Extremes::new(kind, p).unwrap();
                    let want: Vec<f64> = x
                        .iter()
                        .map(|&v| {
                            let best = one.step(v);
                            best + one.best_index.map_or(0.5, |i| i as f64 * 1e-7)
                        })
                        .collect();
                    for size in [n, 140_000, 1000] {
                        let mut ind = Extremes::new(kind, p).unwrap();
                        let mut got = vec![0.0; n];
                        for (xs, out) in x.chunks(size).zip(got.chunks_mut(size)) {
                            pool.install(|| match kind {
                                ExtremeKind::Max => {
                                    ind.scan_into::<true, _>(xs, out, |b, i| b + i.map_or(0.5, |i| i as f64 * 1e-7))
                                }
                                ExtremeKind::Min => {
                                    ind.scan_into::<false, _>(xs, out, |b, i| b + i.map_or(0.5, |i| i as f64 * 1e-7))
                                }
                            });
                        }
                        let bad = got.iter().zip(&want).position(|(a, b)| a.to_bits() != b.to_bits());
                        assert_eq!(bad, None, "{kind:?}({p}) seed {seed} size {size}");
                    }
                }
            }
        }
    }

    #[test]
    fn extremes_are_chunk_invariant() {
        let x = walk(300, 15);
        for k in [ExtremeKind::Max, ExtremeKind::Min] {
            assert_chunk_invariant(&|| Box::new(Extremes::new(k, 14).unwrap()), &[&x], 1, &[1, 5, 40]);
        }
    }

    #[test]
    fn the_block_path_leaves_the_scans_state_on_ties_and_nans() {
        // Few distinct values, so windows tie; chunks long enough for the
        // block path, and NaNs early in some chunks, where the scan resumes
        // from the state the block path rebuilt.
        let sizes = [150, 97, 230, 81];
        for seed in 0..40 {
            let mut x: Vec<f64> = walk(3000, seed).iter().map(|v| (v / 3.0).round()).collect();
            let mut rng = crate::data::rng::SplitMix64::new(seed + 100);
            let (mut b, mut k) = (0, 0);
            while b < x.len() {
                if rng.next_f64() < 0.4 {
                    let at = (b + 1 + (rng.next_f64() * 12.0) as usize).min(x.len() - 1);
                    x[at] = f64::NAN;
                }
                b += sizes[k % sizes.len()];
                k += 1;
            }
            for kind in [ExtremeKind::Max, ExtremeKind::Min] {
                for p in [3, 5, 9] {
                    let mut scan = Extremes::new(kind, p).unwrap();
                    let bars: Vec<f64> = x.iter().map(|&v| scan.step(v)).collect();
                    let mut ind = Extremes::new(kind, p).unwrap();
                    let mut out = vec![0.0; x.len()];
                    let (mut start, mut k) = (0, 0);
                    while start < x.len() {
                        let len = sizes[k % sizes.len()].min(x.len() - start);
                        ind.update_chunk(&x[start..start + len], &mut out[start..start + len]);
                        start += len;
                        k += 1;
                    }
                    for (i, (a, b)) in out.iter().zip(&bars).enumerate() {
                        assert!(
                            a.to_bits() == b.to_bits(),
                            "{kind:?}({p}) seed {seed} bar {i}: {a} vs {b}"
                        );
                    }
                }
            }
        }
    }
}
