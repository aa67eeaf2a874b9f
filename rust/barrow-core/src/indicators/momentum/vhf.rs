//! VHF — vertical horizontal filter.
//!
//! `(highest - lowest) / Σ|Δx|`: the range of the last `p` values over the
//! path of the last `p` one-bar changes (which reach one bar further back);
//! 0 when the path is not positive. Recomputed from the window each bar,
//! as TA-Lib does. Lookback `p`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming vertical horizontal filter.
#[derive(Clone, Debug)]
pub struct Vhf {
    period: usize,
    seen: usize,
    window: Ring,
}

impl Vhf {
    /// VHF over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            window: Ring::new(period + 1),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        self.window.swap(v);
        self.seen += 1;
        if self.seen <= self.period {
            return f64::NAN;
        }
        let (mut highest, mut lowest) = (v, v);
        let mut path = 0.0;
        let mut values = self.window.iter();
        let mut prev = values.next().expect("window holds p + 1 values");
        for x in values {
            path += (x - prev).abs();
            if x > highest {
                highest = x;
            }
            if x < lowest {
                lowest = x;
            }
            prev = x;
        }
        if path > 0.0 {
            (highest - lowest) / path
        } else {
            0.0
        }
    }
}

impl Indicator for Vhf {
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
    fn vhf_is_range_over_path() {
        let mut f = Vhf::new(2).unwrap();
        let out: Vec<f64> = [5.0, 1.0, 2.0, 4.0, 4.0, 4.0].iter().map(|&v| f.step(v)).collect();
        assert!(out[1].is_nan());
        // Changes -4, +1; range of the last two values (1, 2) is 1.
        assert_eq!(out[2], 1.0 / 5.0);
        assert_eq!(out[3], 2.0 / 3.0);
        assert_eq!(out[5], 0.0);
    }

    #[test]
    fn vhf_is_chunk_invariant() {
        let x = walk(300, 56);
        assert_chunk_invariant(&|| Box::new(Vhf::new(28).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
