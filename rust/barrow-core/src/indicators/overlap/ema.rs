//! EMA — exponential moving average.
//!
//! `k = 2 / (p + 1)`; the seed at index `p - 1` is the SMA of the first `p`
//! values, then `ema = ema * (1 - k) + k * x`, one fused multiply-add on
//! the recursion's chain (`fp::ema`; TA-Lib 0.8 computes `(x - ema) * k +
//! ema`, which chains a subtraction too: values agree to a few ulps).
//! Lookback `p - 1` (TA-Lib's default unstable period of 0 and default
//! compatibility mode). Period 1 copies the input.

use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming exponential moving average.
#[derive(Clone, Debug)]
pub struct Ema {
    period: usize,
    k: f64,
    offset: usize,
    seen: usize,
    seed: f64,
    prev: f64,
}

impl Ema {
    /// Builds an EMA with TA-Lib's smoothing `k = 2 / (period + 1)`.
    pub fn new(period: usize) -> Result<Self> {
        Self::with_k(period, 2.0 / ((period + 1) as f64), 0)
    }

    /// Builds an EMA with an explicit smoothing factor that ignores its first
    /// `offset` inputs (outputs NaN for them). MACD uses the offset to seed
    /// its fast average where TA-Lib does.
    pub fn with_k(period: usize, k: f64, offset: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            k,
            offset,
            seen: 0,
            seed: 0.0,
            prev: f64::NAN,
        })
    }

    /// Number of leading NaN outputs, including the offset.
    pub fn lookback_total(&self) -> usize {
        self.offset + self.period - 1
    }

    /// Consumes one value and returns the average (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if seen < self.offset {
            return f64::NAN;
        }
        if self.period == 1 {
            return v;
        }
        let m = seen - self.offset + 1;
        if m < self.period {
            self.seed += v;
            f64::NAN
        } else if m == self.period {
            self.seed += v;
            self.prev = self.seed / self.period as f64;
            self.prev
        } else {
            self.prev = fp::ema(self.prev, v, self.k);
            self.prev
        }
    }

    /// The smoothing state once the average is seeded (and its period is
    /// above 1): `(current value, k)`. Lets composite kernels run a tight
    /// steady-state loop; they report back with [`Ema::advance`].
    #[inline(always)]
    pub(crate) fn seeded(&self) -> Option<(f64, f64)> {
        (self.period > 1 && self.seen >= self.offset + self.period).then_some((self.prev, self.k))
    }

    /// Records that `count` values were consumed outside `step`, ending at
    /// average `prev`.
    #[inline(always)]
    pub(crate) fn advance(&mut self, prev: f64, count: usize) {
        self.prev = prev;
        self.seen += count;
    }

    /// Consumes a chunk into `out` (same length).
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        fp::run_kernel(self, &[x], &mut [out]);
    }
}

impl fp::Kernel for Ema {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        for (o, &v) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = self.step(v);
        }
    }
}

impl Indicator for Ema {
    fn lookback(&self) -> usize {
        self.lookback_total()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.update_chunk(inputs[0], outputs[0]);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.seed = 0.0;
        self.prev = f64::NAN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ema_seeds_with_sma_then_smooths() {
        let x = [2.0, 4.0, 6.0, 8.0];
        let mut out = [0.0; 4];
        Ema::new(3).unwrap().update_chunk(&x, &mut out);
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 4.0);
        assert_eq!(out[3], ((8.0 - 4.0) * 0.5) + 4.0);
    }

    #[test]
    fn ema_offset_delays_the_seed() {
        let x = [100.0, 2.0, 4.0, 6.0];
        let mut out = [0.0; 4];
        Ema::with_k(3, 0.5, 1).unwrap().update_chunk(&x, &mut out);
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert_eq!(out[3], 4.0);
    }

    #[test]
    fn ema_is_chunk_invariant() {
        let x = walk(400, 3);
        for sizes in [&[1][..], &[5, 11], &[399]] {
            assert_chunk_invariant(&|| Box::new(Ema::new(30).unwrap()), &[&x], 1, sizes);
        }
    }
}
