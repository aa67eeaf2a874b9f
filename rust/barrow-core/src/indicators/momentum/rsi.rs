//! RSI — Wilder's relative strength index.
//!
//! The first `p` price changes are averaged into `gain` and `loss`; after
//! that each change updates them by Wilder smoothing
//! (`avg = (avg * (p - 1) + change) / p`, written in TA-Lib's order).
//! `rsi = 100 * gain / (gain + loss)`, or 0 when `gain + loss` is within
//! TA-Lib's epsilon of zero. Lookback `p`.

use super::super::{check_shapes, ta_is_zero, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming relative strength index.
#[derive(Clone, Debug)]
pub struct Rsi {
    period: usize,
    seen: usize,
    prev_value: f64,
    gain: f64,
    loss: f64,
}

impl Rsi {
    /// Builds an RSI over `period` changes (`period >= 2`).
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            prev_value: 0.0,
            gain: 0.0,
            loss: 0.0,
        })
    }

    #[inline(always)]
    fn value(&self) -> f64 {
        let total = self.gain + self.loss;
        if ta_is_zero(total) {
            0.0
        } else {
            100.0 * (self.gain / total)
        }
    }

    /// Consumes one value and returns the RSI (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.prev_value = v;
            return f64::NAN;
        }
        let change = v - self.prev_value;
        self.prev_value = v;
        let p = self.period as f64;
        if seen < self.period {
            if change < 0.0 {
                self.loss -= change;
            } else {
                self.gain += change;
            }
            f64::NAN
        } else if seen == self.period {
            if change < 0.0 {
                self.loss -= change;
            } else {
                self.gain += change;
            }
            self.loss /= p;
            self.gain /= p;
            self.value()
        } else {
            self.loss *= p - 1.0;
            self.gain *= p - 1.0;
            if change < 0.0 {
                self.loss -= change;
            } else {
                self.gain += change;
            }
            self.loss /= p;
            self.gain /= p;
            self.value()
        }
    }
}

impl Indicator for Rsi {
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
        self.prev_value = 0.0;
        self.gain = 0.0;
        self.loss = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn rsi_of_a_rising_series_is_100_and_of_a_flat_series_is_0() {
        let mut up = Rsi::new(3).unwrap();
        let outs: Vec<f64> = (0..6).map(|i| up.step(i as f64)).collect();
        assert!(outs[..3].iter().all(|v| v.is_nan()));
        assert!(outs[3..].iter().all(|&v| v == 100.0));
        let mut flat = Rsi::new(3).unwrap();
        let outs: Vec<f64> = (0..6).map(|_| flat.step(5.0)).collect();
        assert_eq!(outs[5], 0.0);
    }

    #[test]
    fn rsi_first_value_averages_the_first_changes() {
        // changes: +2, -1, +1 -> gain 3/3, loss 1/3 -> 75
        let mut r = Rsi::new(3).unwrap();
        let outs: Vec<f64> = [10.0, 12.0, 11.0, 12.0].iter().map(|&v| r.step(v)).collect();
        assert_eq!(outs[3], 75.0);
    }

    #[test]
    fn rsi_rejects_period_below_two() {
        assert!(Rsi::new(1).is_err());
    }

    #[test]
    fn rsi_is_chunk_invariant() {
        let x = walk(300, 6);
        assert_chunk_invariant(&|| Box::new(Rsi::new(14).unwrap()), &[&x], 1, &[1, 2, 3, 50]);
    }
}
