//! CVI — Chaikin volatility.
//!
//! With `e` the EMA (TA-Lib's, see `overlap::Ema`) of `high - low` over `p`
//! bars, `cvi = 100 * ((e - e_r) / e_r)` where `e_r` is the EMA `r` bars
//! earlier; 0 when `e_r` is zero. Lookback `p - 1 + r`.

use super::super::overlap::Ema;
use super::super::ring::Ring;
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming Chaikin volatility; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Cvi {
    period: usize,
    roc_period: usize,
    ema: Ema,
    /// EMA values of the last `roc_period` bars.
    past: Ring,
    seen: usize,
}

impl Cvi {
    /// EMA over `period >= 2` bars, change over `roc_period >= 1` bars.
    pub fn new(period: usize, roc_period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        if roc_period < 1 {
            return Err(BarrowError::bad_param("rocperiod", roc_period, "must be >= 1"));
        }
        Ok(Self {
            period,
            roc_period,
            ema: Ema::new(period)?,
            past: Ring::new(roc_period),
            seen: 0,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let e = self.ema.step(high - low);
        self.seen += 1;
        if self.seen < self.period {
            return f64::NAN;
        }
        let lagged = self.past.swap(e);
        if self.seen < self.period + self.roc_period {
            f64::NAN
        } else {
            change(e, lagged)
        }
    }
}

/// The percent change from `lagged` to `e`, 0 when `lagged` is zero.
#[inline(always)]
fn change(e: f64, lagged: f64) -> f64 {
    if lagged != 0.0 {
        100.0 * ((e - lagged) / lagged)
    } else {
        0.0
    }
}

impl Indicator for Cvi {
    fn lookback(&self) -> usize {
        self.period - 1 + self.roc_period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        fp::with_fma(
            #[inline(always)]
            || {
                let (h, l, out) = (inputs[0], inputs[1], &mut *outputs[0]);
                let n = out.len();
                let mut i = 0;
                while i < n && (self.ema.seeded().is_none() || self.seen < self.period + self.roc_period) {
                    out[i] = self.step(h[i], l[i]);
                    i += 1;
                }
                let Some((mut e, k)) = self.ema.seeded().filter(|_| i < n) else {
                    return;
                };
                // Past the lookback: `step` with the average and the ring
                // position in locals.
                let (past, pos) = self.past.parts();
                let mut at = *pos;
                for j in i..n {
                    e = fp::ema(e, h[j] - l[j], k);
                    let lagged = std::mem::replace(&mut past[at], e);
                    at += 1;
                    if at == past.len() {
                        at = 0;
                    }
                    out[j] = change(e, lagged);
                }
                *pos = at;
                self.ema.advance(e, n - i);
                self.seen += n - i;
            },
        );
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.roc_period).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn cvi_of_a_doubling_range() {
        // Ranges 1, 1, then 3: EMA(2) goes 1 -> 1 * (1 - 2/3) + 3 * 2/3.
        let mut c = Cvi::new(2, 1).unwrap();
        assert!(c.step(1.0, 0.0).is_nan());
        assert!(c.step(1.0, 0.0).is_nan());
        let k = 2.0 / 3.0;
        let e = 1.0f64.mul_add(1.0 - k, 3.0 * k);
        assert_eq!(c.step(3.0, 0.0), 100.0 * ((e - 1.0) / 1.0));
    }

    #[test]
    fn cvi_is_chunk_invariant() {
        let c = walk(300, 121);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Cvi::new(10, 10).unwrap()), &[&h, &l], 1, &[1, 13, 50]);
    }
}
