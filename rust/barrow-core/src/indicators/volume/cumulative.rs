//! NVI, PVI, PVT and VWAP — running totals over the whole series.
//!
//! * NVI / PVI start at 1000 and, on a bar whose volume fell (NVI) or rose
//!   (PVI) against the previous bar, grow by the close's rate of change:
//!   `idx += (c - c_prev) / c_prev * idx` (skipped when `c_prev` is 0 or
//!   the result is not finite).
//! * PVT starts at 0 and adds `(c - c_prev) / c_prev * volume` each bar.
//! * VWAP is `sum(typical price * volume) / sum(volume)` from the first bar,
//!   typical price `(h + l + c) / 3`; bars with a non-finite price or volume
//!   are left out, and the value stays 0 until some volume has traded.
//!
//! Lookback 0 for all four.

use super::super::{check_shapes, fp, Indicator};

/// Bars per block in the PVT and VWAP loops: each block's per-bar terms
/// (with their divisions, vectorized) are computed apart from the running
/// totals, and blocks this short let the divisions of one overlap the
/// additions of the next.
const BLOCK: usize = 32;

/// PVT's per-bar terms `(c - c_prev) / c_prev * volume`; `close` starts
/// one bar before `volume` and `out`.
#[inline(always)]
fn pvt_terms(close: &[f64], volume: &[f64], out: &mut [f64]) {
    let (prev, now) = (&close[..out.len()], &close[1..out.len() + 1]);
    for (((d, &pc), &c), &v) in out.iter_mut().zip(prev).zip(now).zip(volume) {
        *d = (c - pc) / pc * v;
    }
}

/// Replaces each term of `terms` by `total` plus the terms so far, and
/// leaves `total` at the last.
#[inline(always)]
pub(super) fn running_total(total: &mut f64, terms: &mut [f64]) {
    let mut t = *total;
    for x in terms.iter_mut() {
        t += *x;
        *x = t;
    }
    *total = t;
}

/// Which volume index [`VolumeIndex`] computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VolumeIndexKind {
    /// Negative volume index: moves on bars whose volume fell.
    Negative,
    /// Positive volume index: moves on bars whose volume rose.
    Positive,
}

/// Streaming NVI / PVI; inputs are (close, volume).
#[derive(Clone, Debug)]
pub struct VolumeIndex {
    kind: VolumeIndexKind,
    index: f64,
    prev: Option<(f64, f64)>,
}

impl VolumeIndex {
    /// A fresh index at 1000.
    pub fn new(kind: VolumeIndexKind) -> Self {
        Self {
            kind,
            index: 1000.0,
            prev: None,
        }
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, close: f64, volume: f64) -> f64 {
        if let Some((pc, pv)) = self.prev {
            let moved = match self.kind {
                VolumeIndexKind::Negative => volume < pv,
                VolumeIndexKind::Positive => volume > pv,
            };
            self.index = moved_index(self.index, moved, close, pc);
        }
        self.prev = Some((close, volume));
        self.index
    }
}

/// `index` after a bar closing at `close` after `prev_close`: moved by the
/// price change on the bars its volume direction selects (`moved`), kept
/// when the previous close is 0 or the move is not finite. A select, not a
/// branch: whether volume rose is a coin toss from bar to bar.
#[inline(always)]
fn moved_index(index: f64, moved: bool, close: f64, prev_close: f64) -> f64 {
    let mut next = index;
    next += (close - prev_close) / prev_close * next;
    let take = moved & (prev_close != 0.0) & next.is_finite();
    std::hint::select_unpredictable(take, next, index)
}

impl VolumeIndex {
    /// Bars `from..` once a previous bar exists: `step` with the index and
    /// the previous bar in locals, and the kind (`RISE`: PVI) a constant.
    #[inline(always)]
    fn run<const RISE: bool>(&mut self, close: &[f64], volume: &[f64], out: &mut [f64], from: usize) {
        let Some((mut pc, mut pv)) = self.prev else {
            unreachable!("the first bar sets the previous one")
        };
        let mut index = self.index;
        for j in from..out.len() {
            let (c, v) = (close[j], volume[j]);
            index = moved_index(index, if RISE { v > pv } else { v < pv }, c, pc);
            (pc, pv) = (c, v);
            out[j] = index;
        }
        self.index = index;
        self.prev = Some((pc, pv));
    }
}

impl Indicator for VolumeIndex {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n = check_shapes(inputs, outputs, 2, 1);
        let (close, volume, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        if n == 0 {
            return;
        }
        let mut from = 0;
        if self.prev.is_none() {
            out[0] = self.step(close[0], volume[0]);
            from = 1;
        }
        match self.kind {
            VolumeIndexKind::Negative => self.run::<false>(close, volume, out, from),
            VolumeIndexKind::Positive => self.run::<true>(close, volume, out, from),
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.kind);
    }
}

/// Streaming price-volume trend; inputs are (close, volume).
#[derive(Clone, Debug, Default)]
pub struct Pvt {
    total: f64,
    prev: Option<f64>,
}

impl Pvt {
    /// A fresh PVT at 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, close: f64, volume: f64) -> f64 {
        if let Some(pc) = self.prev {
            self.total += (close - pc) / pc * volume;
        }
        self.prev = Some(close);
        self.total
    }
}

impl Indicator for Pvt {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (close, volume) = (inputs[0], inputs[1]);
        let out = &mut *outputs[0];
        let n = out.len();
        if n == 0 {
            return;
        }
        // The first bar through `step` (it may have no previous close);
        // every later bar's previous close is in the chunk.
        out[0] = self.step(close[0], volume[0]);
        if crate::par::worth_splitting(n) {
            // Long series: a helper thread writes the per-bar terms into
            // the output ahead of this one, which turns them into the
            // running total in place; the same operations in the same order.
            let mut total = self.total;
            crate::par::pipeline_chunks(
                &mut out[1..],
                crate::par::PIPELINE_TILE,
                |from, o| fp::with_fma(|| pvt_terms(&close[from..], &volume[from + 1..], o)),
                |_, o| running_total(&mut total, o),
            );
            self.total = total;
            self.prev = Some(close[n - 1]);
            return;
        }
        fp::with_fma(
            #[inline(always)]
            || {
                let mut total = self.total;
                let mut inc = [0.0; BLOCK];
                let mut i0 = 1;
                while i0 < n {
                    let m = BLOCK.min(n - i0);
                    pvt_terms(&close[i0 - 1..i0 + m], &volume[i0..i0 + m], &mut inc[..m]);
                    for (o, &d) in out[i0..i0 + m].iter_mut().zip(&inc[..m]) {
                        total += d;
                        *o = total;
                    }
                    i0 += m;
                }
                self.total = total;
            },
        );
        self.prev = Some(close[n - 1]);
    }

    fn reset(&mut self) {
        *self = Self::new();
    }
}

/// Streaming cumulative VWAP; inputs are (high, low, close, volume).
#[derive(Clone, Debug, Default)]
pub struct Vwap {
    sum_pv: f64,
    sum_v: f64,
    vwap: f64,
}

impl Vwap {
    /// A fresh VWAP.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let typical = (high + low + close) / 3.0;
        if typical.is_finite() && volume.is_finite() {
            self.sum_pv += typical * volume;
            self.sum_v += volume;
        }
        if self.sum_v > 0.0 {
            self.vwap = self.sum_pv / self.sum_v;
        }
        self.vwap
    }
}

impl Indicator for Vwap {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        let (high, low, close, volume) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        let out = &mut *outputs[0];
        let n = out.len();
        // By blocks, with `step`'s operations: the typical prices and their
        // products first, then the sums, then the ratios (vectorized) with
        // the value carried over bars without volume yet. A bar left out of
        // the sums adds -0.0 to them, which leaves every value unchanged.
        fp::with_fma(
            #[inline(always)]
            || {
                let (mut spv, mut sv, mut vwap) = (self.sum_pv, self.sum_v, self.vwap);
                let (mut pv, mut vol) = ([0.0; BLOCK], [0.0; BLOCK]);
                let mut i0 = 0;
                while i0 < n {
                    let m = BLOCK.min(n - i0);
                    let bars = high[i0..i0 + m]
                        .iter()
                        .zip(&low[i0..i0 + m])
                        .zip(&close[i0..i0 + m])
                        .zip(&volume[i0..i0 + m]);
                    for ((p, v), (((&h, &l), &c), &vo)) in pv.iter_mut().zip(vol.iter_mut()).zip(bars) {
                        let typical = (h + l + c) / 3.0;
                        let take = typical.is_finite() & vo.is_finite();
                        *p = if take { typical * vo } else { -0.0 };
                        *v = if take { vo } else { -0.0 };
                    }
                    for (p, v) in pv[..m].iter_mut().zip(vol[..m].iter_mut()) {
                        spv += *p;
                        sv += *v;
                        (*p, *v) = (spv, sv);
                    }
                    for (p, &v) in pv[..m].iter_mut().zip(&vol[..m]) {
                        *p /= v;
                    }
                    for ((o, &ratio), &v) in out[i0..i0 + m].iter_mut().zip(&pv[..m]).zip(&vol[..m]) {
                        if v > 0.0 {
                            vwap = ratio;
                        }
                        *o = vwap;
                    }
                    i0 += m;
                }
                (self.sum_pv, self.sum_v, self.vwap) = (spv, sv, vwap);
            },
        );
    }

    fn reset(&mut self) {
        *self = Self::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, assert_split_invariant, walk};

    #[test]
    fn volume_indices_move_only_on_their_volume_direction() {
        let bars = [(10.0, 100.0), (11.0, 50.0), (12.1, 80.0), (11.0, 80.0)];
        let mut nvi = VolumeIndex::new(VolumeIndexKind::Negative);
        let mut pvi = VolumeIndex::new(VolumeIndexKind::Positive);
        let n: Vec<f64> = bars.iter().map(|&(c, v)| nvi.step(c, v)).collect();
        let p: Vec<f64> = bars.iter().map(|&(c, v)| pvi.step(c, v)).collect();
        assert_eq!(n, vec![1000.0, 1100.0, 1100.0, 1100.0]);
        assert_eq!(p[..2], [1000.0, 1000.0]);
        assert!((p[2] - 1100.0).abs() < 1e-9 && p[3] == p[2]);
    }

    #[test]
    fn pvt_and_vwap_accumulate_from_the_first_bar() {
        let mut pvt = Pvt::new();
        assert_eq!(pvt.step(10.0, 5.0), 0.0);
        assert_eq!(pvt.step(12.0, 5.0), 1.0);
        let mut vwap = Vwap::new();
        assert_eq!(vwap.step(3.0, 3.0, 3.0, 0.0), 0.0);
        assert_eq!(vwap.step(3.0, 3.0, 3.0, 1.0), 3.0);
        assert_eq!(vwap.step(6.0, 6.0, 6.0, 2.0), 5.0);
        assert_eq!(vwap.step(f64::NAN, 6.0, 6.0, 2.0), 5.0);
    }

    #[test]
    fn block_loops_match_steps_over_gaps_and_idle_bars() {
        let n = 200;
        let c = walk(n, 33);
        let mut h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.99).collect();
        let mut v: Vec<f64> = walk(n, 34).iter().map(|x| (x * 10.0).round()).collect();
        // No volume for the first bars, then a NaN price, an infinite and a
        // NaN volume inside blocks.
        v[..40].fill(0.0);
        h[45] = f64::NAN;
        v[77] = f64::INFINITY;
        v[130] = f64::NAN;
        let (mut vwap, mut pvt) = (Vwap::new(), Pvt::new());
        let want_vwap: Vec<f64> = (0..n).map(|i| vwap.step(h[i], l[i], c[i], v[i])).collect();
        let want_pvt: Vec<f64> = (0..n).map(|i| pvt.step(c[i], v[i])).collect();
        let mut got = vec![0.0; n];
        Vwap::new().update(&[&h, &l, &c, &v], &mut [&mut got]);
        assert_eq!(
            got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want_vwap.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        assert_eq!(got[..40], [0.0; 40]);
        Pvt::new().update(&[&c, &v], &mut [&mut got]);
        assert_eq!(
            got.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want_pvt.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn cumulative_volume_studies_are_chunk_invariant() {
        let c = walk(300, 31);
        let v: Vec<f64> = walk(300, 32).iter().map(|x| (x * 10.0).round()).collect();
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.99).collect();
        let sizes = [1, 4, 70];
        assert_chunk_invariant(
            &|| Box::new(VolumeIndex::new(VolumeIndexKind::Negative)),
            &[&c, &v],
            1,
            &sizes,
        );
        assert_chunk_invariant(
            &|| Box::new(VolumeIndex::new(VolumeIndexKind::Positive)),
            &[&c, &v],
            1,
            &sizes,
        );
        assert_chunk_invariant(&|| Box::new(Pvt::new()), &[&c, &v], 1, &sizes);
        assert_chunk_invariant(&|| Box::new(Vwap::new()), &[&h, &l, &c, &v], 1, &sizes);
    }

    #[test]
    fn long_pvt_split_across_threads_gives_one_threads_bits() {
        let n = crate::par::SPLIT_MIN * 2 + 777;
        let mut c = walk(n, 41);
        let v: Vec<f64> = walk(n, 42).iter().map(|x| (x * 10.0).round()).collect();
        assert_split_invariant(&|| Box::new(Pvt::new()), &[&c, &v], 1);
        // A NaN close stays in the total from there on, at any split.
        c[n / 2 + 3] = f64::NAN;
        assert_split_invariant(&|| Box::new(Pvt::new()), &[&c, &v], 1);
    }
}
