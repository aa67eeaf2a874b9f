//! ER — Kaufman's efficiency ratio.
//!
//! `|x[t] - x[t-p]| / Σ|Δx|` over the last `p` one-bar changes, the path
//! length a running sum (drop the leaving change, add the new one) reset
//! to 0 after `p` exactly flat changes. 1 when the path is not positive or
//! the signed change reaches it, and at most 1, as in TA-Lib 0.8 (the same
//! ratio as KAMA's). Lookback `p`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming efficiency ratio.
#[derive(Clone, Debug)]
pub struct Er {
    period: usize,
    seen: usize,
    prev: f64,
    trail: f64,
    path: f64,
    flat: usize,
    window: Ring,
}

impl Er {
    /// ER over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            prev: 0.0,
            trail: 0.0,
            path: 0.0,
            flat: 0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        let old = self.window.swap(v);
        let prev = std::mem::replace(&mut self.prev, v);
        if t == 0 {
            return f64::NAN;
        }
        if t <= self.period {
            let d = prev - v;
            self.path += d.abs();
            self.flat = if d == 0.0 { self.flat + 1 } else { 0 };
            if t < self.period {
                return f64::NAN;
            }
        } else {
            self.path -= (self.trail - old).abs();
            self.path += (v - prev).abs();
            self.flat = if v - prev == 0.0 { self.flat + 1 } else { 0 };
            if self.flat >= self.period {
                self.flat = self.period;
                self.path = 0.0;
            }
        }
        self.trail = old;
        let change = v - old;
        if self.path <= 0.0 || self.path <= change {
            return 1.0;
        }
        // Clamped to 1 (a falling window can exceed it by a few ulps); a
        // NaN passes through, as in TA-Lib.
        let ratio = (change / self.path).abs();
        if 1.0 < ratio {
            1.0
        } else {
            ratio
        }
    }
}

impl Indicator for Er {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        for (o, &v) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = self.step(v);
        }
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
    fn er_is_one_on_a_straight_path_and_falls_with_noise() {
        let mut e = Er::new(2).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 2.0, 2.0, 2.0].iter().map(|&v| e.step(v)).collect();
        assert!(out[1].is_nan());
        assert_eq!(out[2], 1.0);
        assert_eq!(out[3], 0.0);
        assert_eq!(out[4], 1.0);
        // A flat window: the path is reset to 0 and the ratio is 1.
        assert_eq!(out[5], 1.0);
    }

    #[test]
    fn er_is_clamped_to_one_on_a_falling_path() {
        // |1.4 - 7.2| / (|7.2 - 6.1| + |6.1 - 1.4|) rounds to 1 + 2^-52.
        let mut e = Er::new(2).unwrap();
        let out: Vec<f64> = [7.2, 6.1, 1.4].iter().map(|&v| e.step(v)).collect();
        assert_eq!(out[2], 1.0);
    }

    #[test]
    fn er_is_chunk_invariant() {
        let x = walk(300, 54);
        assert_chunk_invariant(&|| Box::new(Er::new(10).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
