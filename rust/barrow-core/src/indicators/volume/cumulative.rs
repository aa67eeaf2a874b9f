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

use super::super::{check_shapes, Indicator};

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
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = self.step(inputs[0][i], inputs[1][i]);
        }
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
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = self.step(inputs[0][i], inputs[1][i], inputs[2][i], inputs[3][i]);
        }
    }

    fn reset(&mut self) {
        *self = Self::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

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
}
