//! ATR — Wilder's average true range.
//!
//! The first value, at index `p`, is the simple mean of the true ranges of
//! bars `1..=p`; then `atr = (atr * (p - 1) + tr) / p`, evaluated as TA-Lib
//! 0.8 does: `atr * a + tr * (1 - a)` with `a = (p - 1) / p`, the
//! multiply-add fused (see `fp`).
//! Period 1 is the true range itself. Lookback `p`.

use super::super::{check_shapes, fp, Indicator};
use super::{true_range, Trange};
use crate::error::{BarrowError, Result};

/// Streaming average true range; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Atr {
    period: usize,
    keep: f64,
    take: f64,
    tr: Trange,
    seen: usize,
    acc: f64,
}

impl Atr {
    /// Builds an ATR over `period` bars (`period >= 1`).
    pub fn new(period: usize) -> Result<Self> {
        if period < 1 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let keep = (period - 1) as f64 / period as f64;
        Ok(Self {
            period,
            keep,
            take: 1.0 - keep,
            tr: Trange::new(),
            seen: 0,
            acc: 0.0,
        })
    }

    /// Consumes one bar and returns the ATR (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let tr = self.tr.step(high, low, close);
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            return f64::NAN;
        }
        if self.period == 1 {
            return tr;
        }
        let p = self.period as f64;
        if seen < self.period {
            self.acc += tr;
            f64::NAN
        } else if seen == self.period {
            self.acc += tr;
            self.acc /= p;
            self.acc
        } else {
            self.acc = fp::madd(self.acc, self.keep, tr * self.take);
            self.acc
        }
    }
}

impl fp::Kernel for Atr {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run_mapped(inputs, outputs[0], |atr, _| atr);
    }
}

impl Atr {
    /// The smoothing state past the first average (period above 1):
    /// `(atr, keep, take, previous close)`, for composite kernels that run
    /// the recursion in their own loop and report back with
    /// [`Atr::advance`].
    #[inline(always)]
    pub(crate) fn steady(&self) -> Option<(f64, f64, f64, f64)> {
        if self.period == 1 || self.seen <= self.period {
            return None;
        }
        let prev_close = self.tr.prev_close()?;
        Some((self.acc, self.keep, self.take, prev_close))
    }

    /// Records that `count` bars were consumed outside `step`, ending at
    /// `atr` with `prev_close` the last close.
    #[inline(always)]
    pub(crate) fn advance(&mut self, atr: f64, prev_close: f64, count: usize) {
        self.acc = atr;
        self.tr.set_prev_close(prev_close);
        self.seen += count;
    }

    /// Runs a chunk, writing `map(atr, close)` for each bar past the
    /// lookback (NaN before). Applying `map` in the same loop lets its work
    /// overlap the latency of the ATR recursion.
    #[inline(always)]
    pub(crate) fn run_mapped(&mut self, inputs: &[&[f64]], out: &mut [f64], map: impl Fn(f64, f64) -> f64) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let mut i = 0;
        while i < out.len() && (self.seen <= self.period || self.period == 1) {
            let atr = self.step(h[i], l[i], c[i]);
            out[i] = if atr.is_nan() { atr } else { map(atr, c[i]) };
            i += 1;
        }
        if i == out.len() {
            return;
        }
        // Steady state: the same operations as `step`, without its branches.
        let Some(mut prev_close) = self.tr.prev_close() else {
            unreachable!("past the lookback a previous close exists")
        };
        let (mut acc, keep, take) = (self.acc, self.keep, self.take);
        // Zipped slices: no bounds checks in the loop.
        for (((o, &h), &l), &c) in out[i..].iter_mut().zip(&h[i..]).zip(&l[i..]).zip(&c[i..]) {
            let tr = true_range(h, l, prev_close);
            prev_close = c;
            acc = fp::madd(acc, keep, tr * take);
            *o = map(acc, c);
        }
        self.acc = acc;
        self.tr.set_prev_close(prev_close);
        self.seen += out.len() - i;
    }
}

impl Indicator for Atr {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.tr.reset();
        self.seen = 0;
        self.acc = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn atr_first_value_is_mean_true_range() {
        let h = [10.0, 11.0, 12.0, 13.0];
        let l = [9.0, 10.0, 10.0, 12.0];
        let c = [9.5, 10.5, 11.0, 12.5];
        let mut a = Atr::new(2).unwrap();
        let out: Vec<f64> = (0..4).map(|i| a.step(h[i], l[i], c[i])).collect();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], (1.5 + 2.0) / 2.0);
        assert_eq!(out[3], out[2] * 0.5 + 2.0 * 0.5);
    }

    #[test]
    fn atr_is_chunk_invariant() {
        let c = walk(300, 10);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        for period in [1, 14] {
            for sizes in [&[1usize, 13, 14, 15][..], &[299, 1], &[100]] {
                assert_chunk_invariant(&|| Box::new(Atr::new(period).unwrap()), &[&h, &l, &c], 1, sizes);
            }
        }
    }
}
