//! MASSI — Dorsey's mass index.
//!
//! With `e1` the EMA (TA-Lib's, see `overlap::Ema`) of `high - low` over the
//! fast period and `e2` the same EMA of `e1`, the sum of `e1 / e2` (1 when
//! `e2` is zero) over the slow period, as TA-Lib's running SUM. Lookback
//! `2 (fast - 1) + slow - 1`.

use super::super::math::Sum;
use super::super::overlap::Ema;
use super::super::{check_shapes, Indicator};
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
        // Block by block: both EMAs through their chunk loops, the ratios,
        // then the running sum; the operations of `step`, in its order.
        const BLOCK: usize = 2048;
        let (high, low, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let (mut e1, mut e2) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut start = 0;
        while start < high.len() {
            let end = (start + BLOCK).min(high.len());
            let m = end - start;
            let (e1, e2) = (&mut e1[..m], &mut e2[..m]);
            for ((d, &h), &l) in e2.iter_mut().zip(&high[start..end]).zip(&low[start..end]) {
                *d = h - l;
            }
            self.ema1.update_chunk(e2, e1);
            // The second EMA starts at bar `fast - 1`, the sum at `2 fast - 2`.
            let skip1 = (self.fast - 1).saturating_sub(self.seen).min(m);
            let skip2 = (2 * self.fast - 2).saturating_sub(self.seen).min(m);
            self.ema2.update_chunk(&e1[skip1..], &mut e2[skip1..]);
            for (r, &a) in e2[skip2..].iter_mut().zip(&e1[skip2..]) {
                *r = if *r == 0.0 { 1.0 } else { a / *r };
            }
            let out = &mut out[start..end];
            out[..skip2].fill(f64::NAN);
            self.sum.run_chunk(&e2[skip2..], &mut out[skip2..], |s| s);
            self.seen += m;
            start = end;
        }
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
