//! CMOU — the unsmoothed Chande momentum oscillator.
//!
//! Over the last `p` one-bar changes, `up` sums the rises and `down` the
//! falls (as magnitudes); `CMOU = 100 (up - down) / (up + down)`, 0 when
//! `|up + down| < 1e-14`. Both are running sums: each bar first drops the
//! change leaving the window, then adds the new one, as TA-Lib does.
//! Lookback `p`.

use std::hint::select_unpredictable as select;

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming unsmoothed CMO.
#[derive(Clone, Debug)]
pub struct Cmou {
    period: usize,
    seen: usize,
    prev: f64,
    trail: f64,
    up: f64,
    down: f64,
    window: Ring,
}

impl Cmou {
    /// CMOU over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            prev: 0.0,
            trail: 0.0,
            up: 0.0,
            down: 0.0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        // `old` is the price p bars back; the change leaving the window is
        // `old` minus the price before it.
        let old = self.window.swap(v);
        let trail = std::mem::replace(&mut self.trail, old);
        if t == 0 {
            self.prev = v;
            return f64::NAN;
        }
        // Branch-free (rises and falls alternate at random): a sum that is
        // not to move takes a +0, which leaves it as it is, since neither
        // sum is ever -0 (both start at +0, and a sum is -0 only when both
        // terms are).
        if t > self.period {
            let d = old - trail;
            self.up -= select(d > 0.0, d, 0.0);
            self.down += select(d < 0.0, d, 0.0);
        }
        let d = v - self.prev;
        self.prev = v;
        self.up += select(d > 0.0, d, 0.0);
        self.down -= select(d < 0.0, d, 0.0);
        if t < self.period {
            return f64::NAN;
        }
        let total = self.up + self.down;
        if -1e-14 < total && total < 1e-14 {
            0.0
        } else {
            100.0 * (self.up - self.down) / total
        }
    }
}

impl Indicator for Cmou {
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
    fn cmou_weighs_rises_against_falls() {
        let mut c = Cmou::new(2).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 4.0, 3.0, 3.0, 3.0].iter().map(|&v| c.step(v)).collect();
        assert!(out[1].is_nan());
        assert_eq!(out[2], 100.0);
        assert_eq!(out[3], 100.0 * (2.0 - 1.0) / 3.0);
        assert_eq!(out[4], -100.0);
        assert_eq!(out[5], 0.0);
    }

    #[test]
    fn cmou_is_chunk_invariant() {
        let x = walk(300, 53);
        assert_chunk_invariant(&|| Box::new(Cmou::new(14).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
