//! COPPOCK — the Coppock curve.
//!
//! `WMA(ROC(x, r1) + ROC(x, r2), w)` with `ROC = (x / x[t-r] - 1) · 100`
//! (0 after a zero price), the WMA being TA-Lib's running one started on
//! the first sum. Lookback `max(r1, r2) + w - 1`.

use super::super::overlap::{History, Wma};
use super::super::{check_shapes, step_while, Indicator};
use crate::error::Result;

/// Streaming Coppock curve.
#[derive(Clone, Debug)]
pub struct Coppock {
    periods: (usize, usize, usize),
    seen: usize,
    prices: History,
    wma: Wma,
}

/// Bars taken at a time once both rates of change have their base.
const BLOCK: usize = 1024;

#[inline(always)]
fn roc(v: f64, base: f64) -> f64 {
    if base != 0.0 {
        (v / base - 1.0) * 100.0
    } else {
        0.0
    }
}

impl Coppock {
    /// Coppock curve with a `wma >= 1` average of ROC(`roc1`) + ROC(`roc2`)
    /// (both `>= 1`).
    pub fn new(wma: usize, roc1: usize, roc2: usize) -> Result<Self> {
        Ok(Self {
            periods: (wma, roc1, roc2),
            seen: 0,
            prices: History::new(roc1.max(roc2) + 1),
            wma: Wma::new(wma)?,
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        let (_, r1, r2) = self.periods;
        let t = self.seen;
        self.seen += 1;
        self.prices.put(t, v);
        if t < r1.max(r2) {
            return f64::NAN;
        }
        let sum = roc(v, self.prices.get(t - r1)) + roc(v, self.prices.get(t - r2));
        self.wma.step(sum)
    }
}

impl Indicator for Coppock {
    fn lookback(&self) -> usize {
        let (w, r1, r2) = self.periods;
        r1.max(r2) + w - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let (_, r1, r2) = self.periods;
        let r = r1.max(r2);
        let i = step_while(self, x, out, |s| s.seen <= r, Coppock::step);
        if i == x.len() {
            return;
        }
        // Every later bar has both rates of change: a block's sums first
        // (vectorized), then the WMA's chunk loop over them. `ext` holds the
        // last r prices, then the block's.
        let t0 = self.seen;
        let mut ext: Vec<f64> = Vec::with_capacity(r + BLOCK);
        ext.extend((t0 - r..t0).map(|t| self.prices.get(t)));
        let mut sums = vec![0.0; BLOCK];
        for (xs, os) in x[i..].chunks(BLOCK).zip(out[i..].chunks_mut(BLOCK)) {
            let m = xs.len();
            ext.extend_from_slice(xs);
            let (now, base1, base2) = (&ext[r..r + m], &ext[r - r1..r - r1 + m], &ext[r - r2..r - r2 + m]);
            for (((s, &v), &b1), &b2) in sums[..m].iter_mut().zip(now).zip(base1).zip(base2) {
                *s = roc(v, b1) + roc(v, b2);
            }
            self.wma.update_chunk(&sums[..m], os);
            ext.drain(..m);
        }
        self.seen += x.len() - i;
        for (k, &v) in ext.iter().enumerate() {
            self.prices.put(self.seen - r + k, v);
        }
    }

    fn reset(&mut self) {
        let (w, r1, r2) = self.periods;
        *self = Self::new(w, r1, r2).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn coppock_weights_the_summed_rates_of_change() {
        // Doubling every bar: ROC(1) = 100, ROC(2) = 300, sum 400 each bar.
        let mut c = Coppock::new(2, 1, 2).unwrap();
        let out: Vec<f64> = (0..5).map(|t| c.step(2f64.powi(t))).collect();
        assert!(out[2].is_nan());
        assert_eq!(&out[3..], &[400.0, 400.0]);
        // A zero base gives 0, not infinity.
        assert_eq!(roc(5.0, 0.0), 0.0);
    }

    #[test]
    fn coppock_is_chunk_invariant() {
        let x = walk(400, 62);
        assert_chunk_invariant(&|| Box::new(Coppock::new(10, 11, 14).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
