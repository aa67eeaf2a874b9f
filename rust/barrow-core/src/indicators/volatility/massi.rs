//! MASSI — Dorsey's mass index.
//!
//! With `e1` the EMA (TA-Lib's, see `overlap::Ema`) of `high - low` over the
//! fast period and `e2` the same EMA of `e1`, the sum of `e1 / e2` (1 when
//! `e2` is zero) over the slow period, as TA-Lib's running SUM. Lookback
//! `2 (fast - 1) + slow - 1`.

use super::super::math::Sum;
use super::super::overlap::Ema;
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming mass index; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Massi {
    fast: usize,
    slow: usize,
    ema1: Ema,
    ema2: Ema,
    sum: Sum,
    seen: usize,
}

impl Massi {
    /// Mass index with EMAs over `fast >= 2` bars summed over `slow >= 2`.
    pub fn new(fast: usize, slow: usize) -> Result<Self> {
        for (name, p) in [("fastperiod", fast), ("slowperiod", slow)] {
            if p < 2 {
                return Err(BarrowError::bad_param(name, p, "must be >= 2"));
            }
        }
        Ok(Self {
            fast,
            slow,
            ema1: Ema::new(fast)?,
            ema2: Ema::new(fast)?,
            sum: Sum::new(slow)?,
            seen: 0,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let e1 = self.ema1.step(high - low);
        self.seen += 1;
        if self.seen < self.fast {
            return f64::NAN;
        }
        let e2 = self.ema2.step(e1);
        if self.seen < 2 * self.fast - 1 {
            return f64::NAN;
        }
        let ratio = if e2 == 0.0 { 1.0 } else { e1 / e2 };
        self.sum.step(ratio)
    }
}

impl Indicator for Massi {
    fn lookback(&self) -> usize {
        2 * (self.fast - 1) + self.slow - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (high, low, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        fp::with_fma(
            #[inline(always)]
            || {
                let n = high.len();
                let mut i = 0;
                while i < n && !(self.sum.warmed_up() && self.ema2.seeded().is_some()) {
                    out[i] = self.step(high[i], low[i]);
                    i += 1;
                }
                if i == n {
                    return;
                }
                // Both EMAs and the sum in one loop on locals, as `step` computes them.
                let (mut a, ka) = self.ema1.seeded().expect("seeded");
                let (mut b, kb) = self.ema2.seeded().expect("seeded");
                let mut sum = self.sum.cursor();
                for j in i..n {
                    a = fp::ema(a, high[j] - low[j], ka);
                    b = fp::ema(b, a, kb);
                    out[j] = sum.push(if b == 0.0 { 1.0 } else { a / b });
                }
                sum.finish();
                self.ema1.advance(a, n - i);
                self.ema2.advance(b, n - i);
                self.seen += n - i;
            },
        );
    }

    fn reset(&mut self) {
        *self = Self::new(self.fast, self.slow).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn massi_of_a_constant_range_is_the_slow_period() {
        let h = [2.0; 8];
        let l = [1.0; 8];
        let out = run(&mut Massi::new(2, 3).unwrap(), &[&h, &l], 1);
        assert!(out[0][..4].iter().all(|v| v.is_nan()));
        assert!(out[0][4..].iter().all(|&v| v == 3.0), "{:?}", out[0]);
    }

    #[test]
    fn massi_is_chunk_invariant() {
        let c = walk(300, 131);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Massi::new(9, 25).unwrap()), &[&h, &l], 1, &[1, 13, 50]);
    }
}
