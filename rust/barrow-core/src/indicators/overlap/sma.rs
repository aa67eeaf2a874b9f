//! SMA — simple moving average.
//!
//! `out[i] = (x[i-p+1] + ... + x[i]) / p`, lookback `p - 1`.
//!
//! The window sum is the running total of [`Sum`] (one addition per bar on
//! its chain; within a few ulps of TA-Lib's), divided by `p` a block at a
//! time.

use super::super::math::Sum;
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming simple moving average: the rolling [`Sum`] divided by `p`.
#[derive(Clone, Debug)]
pub struct Sma {
    period: usize,
    sum: Sum,
}

impl Sma {
    /// Builds an SMA over `period` values (`period >= 1`; 1 copies the input).
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            sum: Sum::new(period)?,
        })
    }

    /// Consumes one value and returns the average (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        self.sum.step(v) / self.period as f64
    }

    /// Consumes a chunk into `out` (same length).
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let p = self.period as f64;
        // With AVX where the CPU has it: wider divisions.
        fp::with_fma(
            #[inline(always)]
            || self.sum.run_chunk(x, out, |s| s / p),
        );
    }

    /// [`Sma::update_chunk`] over `value(0), value(1), ...` (one per output):
    /// the sum of `Sum::run_chunk_of`, divided by the period.
    #[inline(always)]
    pub(crate) fn run_chunk_of(&mut self, value: impl Fn(usize) -> f64, out: &mut [f64]) {
        let p = self.period as f64;
        fp::with_fma(
            #[inline(always)]
            || self.sum.run_chunk_of(value, out, |_, s| s / p),
        );
    }
}

impl Sma {
    /// Two averages of the same values in one loop (see
    /// [`Sum::run_pair`]), writing `finish(sma_a, sma_b)` to `out`.
    #[inline(always)]
    pub(crate) fn run_pair(a: &mut Sma, b: &mut Sma, x: &[f64], out: &mut [f64], finish: impl Fn(f64, f64) -> f64) {
        let (pa, pb) = (a.period as f64, b.period as f64);
        Sum::run_pair(&mut a.sum, &mut b.sum, x, out, |u, w| finish(u / pa, w / pb));
    }
}

impl Indicator for Sma {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.update_chunk(inputs[0], outputs[0]);
    }

    fn reset(&mut self) {
        self.sum.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn sma_matches_running_total_definition() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let mut out = [0.0; 5];
        Sma::new(3).unwrap().update_chunk(&x, &mut out);
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], &[2.0, 3.0, 4.0]);
    }

    #[test]
    fn sma_period_one_copies_input() {
        let x = walk(10, 1);
        let mut out = vec![0.0; 10];
        Sma::new(1).unwrap().update_chunk(&x, &mut out);
        assert_eq!(out, x);
    }

    #[test]
    fn sma_rejects_zero_period() {
        assert!(matches!(Sma::new(0), Err(crate::BarrowError::BadParameter { .. })));
    }

    #[test]
    fn sma_is_chunk_invariant() {
        let x = walk(500, 2);
        for sizes in [&[1][..], &[7, 3], &[64], &[499, 1]] {
            assert_chunk_invariant(&|| Box::new(Sma::new(20).unwrap()), &[&x], 1, sizes);
        }
    }
}
