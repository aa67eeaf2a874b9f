//! RSI — Wilder's relative strength index.
//!
//! The first `p` price changes are averaged into `gain` and `loss`; after
//! that each change updates them by Wilder smoothing,
//! `avg = (avg * (p - 1) + change) * (1 / p)`: TA-Lib's published build
//! multiplies by the reciprocal of the period rather than dividing, and so
//! does barrow, to give the same bits. `rsi = 100 * gain / (gain + loss)`,
//! or 0 when `gain + loss` is not positive. Lookback `p`.

use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming relative strength index.
#[derive(Clone, Debug)]
pub struct Rsi {
    period: usize,
    inv_period: f64,
    keep: f64,
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
            inv_period: 1.0 / period as f64,
            keep: (period - 1) as f64,
            seen: 0,
            prev_value: 0.0,
            gain: 0.0,
            loss: 0.0,
        })
    }

    #[inline(always)]
    fn value(&self) -> f64 {
        let total = self.gain + self.loss;
        if total > 0.0 {
            100.0 * (self.gain / total)
        } else {
            0.0
        }
    }

    /// Splits a price change into its gain part and adds both parts, as the
    /// published build does: `gain += max(change, 0)` (a NaN change adds
    /// nothing) and `loss += gain_part - change` (a NaN change poisons the
    /// loss, after which the RSI is 0, as in TA-Lib).
    #[inline(always)]
    fn accumulate(&mut self, change: f64) {
        let up = if 0.0 < change { change } else { 0.0 };
        self.gain += up;
        self.loss += up - change;
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
        if seen < self.period {
            self.accumulate(change);
            return f64::NAN;
        }
        if seen > self.period {
            self.loss *= self.keep;
            self.gain *= self.keep;
        }
        self.accumulate(change);
        self.loss *= self.inv_period;
        self.gain *= self.inv_period;
        self.value()
    }
}

impl Indicator for Rsi {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let mut i = 0;
        while i < x.len() && self.seen <= self.period {
            out[i] = self.step(x[i]);
            i += 1;
        }
        // Steady state: the same operations as `step`, without its branches.
        let (mut prev, mut gain, mut loss) = (self.prev_value, self.gain, self.loss);
        for j in i..x.len() {
            let v = x[j];
            let change = v - prev;
            prev = v;
            loss *= self.keep;
            gain *= self.keep;
            let up = if 0.0 < change { change } else { 0.0 };
            gain += up;
            loss += up - change;
            loss *= self.inv_period;
            gain *= self.inv_period;
            let total = gain + loss;
            out[j] = if total > 0.0 { 100.0 * (gain / total) } else { 0.0 };
        }
        self.seen += x.len() - i;
        (self.prev_value, self.gain, self.loss) = (prev, gain, loss);
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
        for sizes in [&[1usize, 2, 3, 50][..], &[299, 1], &[15]] {
            assert_chunk_invariant(&|| Box::new(Rsi::new(14).unwrap()), &[&x], 1, sizes);
        }
    }
}
