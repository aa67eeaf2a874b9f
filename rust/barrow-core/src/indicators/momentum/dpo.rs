//! DPO — detrended price oscillator.
//!
//! `x[t - (p/2 + 1)] - SMA(x, p)[t]`: the price half a window back minus
//! the current average. The running sum starts where TA-Lib starts it.
//! Lookback `max(p - 1, p/2 + 1)`.

use super::super::math::Sum;
use super::super::{check_shapes, fp, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming detrended price oscillator.
#[derive(Clone, Debug)]
pub struct Dpo {
    period: usize,
    lookback: usize,
    seen: usize,
    sum: Sum,
    displaced: Ring,
}

impl Dpo {
    /// DPO over `period >= 2` values.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            lookback: (period - 1).max(period / 2 + 1),
            seen: 0,
            sum: Sum::new(period)?,
            displaced: Ring::new(period / 2 + 1),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        let back = self.displaced.swap(v);
        // The sum starts so that it first fills at the lookback.
        if t + self.period < self.lookback + 1 {
            return f64::NAN;
        }
        let total = self.sum.step(v);
        if t < self.lookback {
            return f64::NAN;
        }
        back - total / self.period as f64
    }
}

impl Indicator for Dpo {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n = check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        // Bar at which the sum starts (after the first for short periods).
        let start = self.lookback + 1 - self.period;
        let mut i = 0;
        while i < n && self.seen < start {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        // The rest of the chunk in the sum's own chunk loop, each bar's
        // displaced value read from the ring for the chunk's first bars and
        // from the chunk itself after. Same operations as `step`.
        let (x, out) = (&x[i..], &mut out[i..]);
        let m = x.len();
        let t0 = self.seen;
        let (p, d, lookback) = (self.period as f64, self.period / 2 + 1, self.lookback);
        let kept: Vec<f64> = self.displaced.iter().take(m.min(d)).collect();
        // The bars still in the lookback or whose displaced value is in the
        // ring, then the rest, whose arithmetic is the same on every bar (so
        // that it vectorizes, a block of sums at a time).
        let head = m.min(d.max(lookback.saturating_sub(t0)));
        self.sum.run_chunk_at(&x[..head], &mut out[..head], |j, total| {
            let back = if j < d { kept[j] } else { x[j - d] };
            if t0 + j < lookback {
                f64::NAN
            } else {
                back - total / p
            }
        });
        if head < m {
            // As long as the rest, so that `back[j]` needs no bounds check.
            let (rest, back) = (&x[head..], &x[head - d..m - d]);
            fp::with_fma(
                #[inline(always)]
                || {
                    self.sum
                        .run_chunk_at(rest, &mut out[head..], |j, total| back[j] - total / p)
                },
            );
        }
        if m >= d {
            self.displaced.load(&x[m - d..]);
        } else {
            for &v in x {
                self.displaced.swap(v);
            }
        }
        self.seen += m;
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
    fn dpo_subtracts_the_average_from_a_displaced_price() {
        // p = 4: lookback 3, displacement 3; SMA(4) of 1..4 is 2.5.
        let mut d = Dpo::new(4).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 4.0, 5.0].iter().map(|&v| d.step(v)).collect();
        assert!(out[2].is_nan());
        assert_eq!(out[3], 1.0 - 2.5);
        assert_eq!(out[4], 2.0 - 3.5);
        // p = 2: the displacement (2) exceeds the window, so the sum starts late.
        let mut d = Dpo::new(2).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 4.0].iter().map(|&v| d.step(v)).collect();
        assert_eq!(out[2], 1.0 - 3.0);
    }

    #[test]
    fn dpo_is_chunk_invariant() {
        let x = walk(300, 55);
        for p in [2, 3, 20] {
            assert_chunk_invariant(&|| Box::new(Dpo::new(p).unwrap()), &[&x], 1, &[1, 9, 100]);
        }
    }
}
