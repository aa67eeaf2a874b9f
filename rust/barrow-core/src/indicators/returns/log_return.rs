//! LOG_RETURN — log return over `n` bars.
//!
//! `out[i] = ln(x[i] / x[i-n])`; lookback `n`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming n-bar log return.
#[derive(Clone, Debug)]
pub struct LogReturn {
    period: usize,
    seen: usize,
    window: Ring,
}

impl LogReturn {
    /// Builds a log return over `period` bars (`period >= 1`).
    pub fn new(period: usize) -> Result<Self> {
        if period < 1 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            seen: 0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value and returns the log return (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let old = self.window.swap(v);
        let seen = self.seen;
        self.seen += 1;
        if seen < self.period {
            f64::NAN
        } else {
            (v / old).ln()
        }
    }
}

impl Indicator for LogReturn {
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
        self.seen = 0;
        self.window.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn log_return_over_two_bars() {
        let mut r = LogReturn::new(2).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 4.0, 8.0].iter().map(|&v| r.step(v)).collect();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 4.0f64.ln());
        assert_eq!(out[3], 4.0f64.ln());
    }

    #[test]
    fn log_return_is_chunk_invariant() {
        let x = walk(100, 11);
        assert_chunk_invariant(&|| Box::new(LogReturn::new(3).unwrap()), &[&x], 1, &[1, 2, 5]);
    }
}
