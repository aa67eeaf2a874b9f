//! MFI — money flow index.
//!
//! With `tp = (high + low + close) / 3` and money flow `tp * volume`, each
//! bar's flow is positive when `tp` did not fall from the previous bar,
//! negative when it fell, and zero when the move is within
//! `1e-14 (|tp| + |tp_prev|)`. Over the last `p` flows,
//! `mfi = 100 * (pos / (pos + neg))` with `pos` clamped into
//! `[0, pos + neg]`, 0 when the total is not positive. As in TA-Lib 0.8 the
//! sums slide by subtract-then-add and are reset to exactly zero after `p`
//! bars in a row without flow. Lookback `p`.

use super::super::{check_shapes, fp, in_local, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming money flow index; inputs are (high, low, close, volume).
#[derive(Clone, Debug)]
pub struct Mfi {
    period: usize,
    /// Positive and negative flows; bar `k` lives in slot `(k - 1) % period`.
    pos_flows: Box<[f64]>,
    neg_flows: Box<[f64]>,
    slot: usize,
    pos: f64,
    neg: f64,
    prev_tp: f64,
    /// Bars in a row that carried no money flow.
    null_run: usize,
    seen: usize,
}

impl Mfi {
    /// MFI over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            pos_flows: vec![0.0; period].into_boxed_slice(),
            neg_flows: vec![0.0; period].into_boxed_slice(),
            slot: 0,
            pos: 0.0,
            neg: 0.0,
            prev_tp: 0.0,
            null_run: 0,
            seen: 0,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let tp = (high + low + close) / 3.0;
        let t = self.seen;
        self.seen += 1;
        if t == 0 {
            self.prev_tp = tp;
            return f64::NAN;
        }
        if t > self.period {
            self.pos -= self.pos_flows[self.slot];
            self.neg -= self.neg_flows[self.slot];
        }
        let diff = tp - self.prev_tp;
        let dead_zone = (tp.abs() + self.prev_tp.abs()) * 1e-14;
        self.prev_tp = tp;
        let flow = if dead_zone >= diff.abs() { 0.0 } else { tp * volume };
        // Selects, not branches: the sign of the move is a coin toss.
        let falling = diff < 0.0;
        let up = std::hint::select_unpredictable(falling, 0.0, flow);
        let down = std::hint::select_unpredictable(falling, flow, 0.0);
        self.pos_flows[self.slot] = up;
        self.neg_flows[self.slot] = down;
        self.pos += up;
        self.neg += down;
        self.null_run = if flow == 0.0 { self.null_run + 1 } else { 0 };
        if self.null_run >= self.period {
            self.null_run = self.period;
            self.pos = 0.0;
            self.neg = 0.0;
        }
        self.slot += 1;
        if self.slot == self.period {
            self.slot = 0;
        }
        if t < self.period {
            return f64::NAN;
        }
        index(self.pos, self.neg)
    }

    /// The chunk by blocks, for bars after the first `period + 1` (where
    /// every bar slides the sums): the flows of a block first (their
    /// division and selects vectorize), then the sums bar by bar, then the
    /// index of the block. The operations are those of [`Mfi::step`], so
    /// the bits are too.
    #[inline(always)]
    fn run_blocks(&mut self, high: &[f64], low: &[f64], close: &[f64], volume: &[f64], out: &mut [f64]) {
        const BLOCK: usize = 64;
        let period = self.period;
        let (mut pos, mut neg, mut slot, mut null_run) = (self.pos, self.neg, self.slot, self.null_run);
        // The block's typical prices after the one before it.
        let mut tps = [0.0; BLOCK + 1];
        let mut prev_tp = self.prev_tp;
        let (mut ups, mut downs) = ([0.0; BLOCK], [0.0; BLOCK]);
        let (mut poss, mut negs) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut start = 0;
        while start < out.len() {
            let m = BLOCK.min(out.len() - start);
            let end = start + m;
            tps[0] = prev_tp;
            for (i, tp) in tps[1..=m].iter_mut().enumerate() {
                let k = start + i;
                *tp = (high[k] + low[k] + close[k]) / 3.0;
            }
            let flows = tps
                .windows(2)
                .zip(&volume[start..end])
                .zip(ups.iter_mut().zip(&mut downs));
            for ((pair, &v), (up, down)) in flows {
                let (prev, tp) = (pair[0], pair[1]);
                let diff = tp - prev;
                let dead_zone = (tp.abs() + prev.abs()) * 1e-14;
                let money = tp * v;
                let flow = if dead_zone >= diff.abs() { 0.0 } else { money };
                let falling = diff < 0.0;
                *up = if falling { 0.0 } else { flow };
                *down = if falling { flow } else { 0.0 };
            }
            for i in 0..m {
                let (up, down) = (ups[i], downs[i]);
                pos -= self.pos_flows[slot];
                neg -= self.neg_flows[slot];
                self.pos_flows[slot] = up;
                self.neg_flows[slot] = down;
                // Kept in their own registers (see `fp::opaque`).
                pos = fp::opaque(pos + up);
                neg = fp::opaque(neg + down);
                null_run = if (up == 0.0) & (down == 0.0) { null_run + 1 } else { 0 };
                if null_run >= period {
                    null_run = period;
                    pos = 0.0;
                    neg = 0.0;
                }
                slot += 1;
                if slot == period {
                    slot = 0;
                }
                (poss[i], negs[i]) = (pos, neg);
            }
            for ((o, &p), &n) in out[start..end].iter_mut().zip(&poss).zip(&negs) {
                *o = index(p, n);
            }
            prev_tp = tps[m];
            start = end;
        }
        self.prev_tp = prev_tp;
        (self.pos, self.neg, self.slot, self.null_run) = (pos, neg, slot, null_run);
        self.seen += out.len();
    }
}

/// `100 * (pos / (pos + neg))` with `pos` clamped into `[0, pos + neg]`,
/// 0 when the total is not positive.
#[inline(always)]
fn index(pos: f64, neg: f64) -> f64 {
    let total = pos + neg;
    let clamped = if pos < 0.0 {
        0.0
    } else if total < pos {
        total
    } else {
        pos
    };
    if total <= 0.0 {
        0.0
    } else {
        (clamped / total) * 100.0
    }
}

impl Indicator for Mfi {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        // The state in a local through the chunk, so that the running sums
        // stay in registers (the stand-in's empty flow buffers do not
        // allocate).
        let stand_in = Self {
            pos_flows: Box::default(),
            neg_flows: Box::default(),
            ..*self
        };
        let out = &mut *outputs[0];
        let head = (self.period + 1).saturating_sub(self.seen).min(out.len());
        in_local(
            self,
            stand_in,
            #[inline(always)]
            |st| {
                for (i, o) in out.iter_mut().enumerate().take(head) {
                    *o = st.step(inputs[0][i], inputs[1][i], inputs[2][i], inputs[3][i]);
                }
            },
        );
        let [high, low, close, volume] = [0, 1, 2, 3].map(|k| &inputs[k][head..]);
        // With AVX where the CPU has it, for the vectorized parts (nothing
        // here is a multiply-add, so the bits do not depend on it).
        fp::with_fma(
            #[inline(always)]
            || self.run_blocks(high, low, close, volume, &mut out[head..]),
        );
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn mfi_splits_flow_by_direction() {
        let mut m = Mfi::new(2).unwrap();
        assert!(m.step(1.0, 1.0, 1.0, 10.0).is_nan());
        assert!(m.step(2.0, 2.0, 2.0, 10.0).is_nan());
        // Flows +20 then -10: 100 * 20 / 30.
        assert_eq!(m.step(1.0, 1.0, 1.0, 10.0), (20.0 / 30.0) * 100.0);
        // No movement for a whole window: exactly zero sums give 0.
        m.step(1.0, 1.0, 1.0, 10.0);
        assert_eq!(m.step(1.0, 1.0, 1.0, 10.0), 0.0);
    }

    #[test]
    fn the_block_path_gives_the_steps_bits_through_flat_stretches() {
        // Flat stretches longer than the period (the sums reset to zero),
        // zero volumes and a NaN, in one chunk long enough for blocks.
        let mut c = walk(1000, 43);
        let (a, b) = (c[300], c[600]);
        c[300..330].fill(a);
        c[600..605].fill(b);
        c[800] = f64::NAN;
        let mut v: Vec<f64> = walk(1000, 44).iter().map(|x| (x * 1000.0).round()).collect();
        v[400..420].fill(0.0);
        let (h, l): (Vec<f64>, Vec<f64>) = c.iter().map(|x| (x * 1.01, x * 0.99)).unzip();
        let mut steps = Mfi::new(14).unwrap();
        let want: Vec<f64> = (0..c.len()).map(|i| steps.step(h[i], l[i], c[i], v[i])).collect();
        let mut out = vec![0.0; c.len()];
        Mfi::new(14).unwrap().update(&[&h, &l, &c, &v], &mut [&mut out]);
        for (i, (a, b)) in out.iter().zip(&want).enumerate() {
            assert!(a.to_bits() == b.to_bits(), "bar {i}: {a} vs {b}");
        }
        assert!(out[320..330].iter().all(|&x| x == 0.0));
    }

    #[test]
    fn mfi_is_chunk_invariant() {
        let c = walk(300, 41);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        let v: Vec<f64> = walk(300, 42).iter().map(|x| (x * 1000.0).round()).collect();
        assert_chunk_invariant(&|| Box::new(Mfi::new(14).unwrap()), &[&h, &l, &c, &v], 1, &[1, 13, 50]);
    }
}
