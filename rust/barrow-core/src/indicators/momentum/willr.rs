//! WILLR — Williams' %R.
//!
//! `((hh - close) / (hh - ll)) * -100`, clamped to [-100, 0], 0 when the
//! range is within `1e-14 (|hh| + |ll|)` of zero. The window extremes are
//! computed by blocks as TA-Lib 0.8 does (see `overlap::block`). Lookback
//! `p - 1`.

use super::super::overlap::BlockExtremes;
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming Williams' %R; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Willr {
    period: usize,
    block: BlockExtremes,
}

#[inline(always)]
fn value(hh: f64, ll: f64, close: f64) -> f64 {
    let range = hh - ll;
    if (hh.abs() + ll.abs()) * 1e-14 >= range.abs() {
        return 0.0;
    }
    // A NaN passes through the clamp, as in TA-Lib.
    (((hh - close) / range) * -100.0).clamp(-100.0, 0.0)
}

impl Willr {
    /// %R over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            block: BlockExtremes::new(period),
        })
    }

    /// Consumes one bar.
    /// Consumes one bar.
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let mut out = [0.0];
        self.update_chunk(&[high], &[low], &[close], &mut out);
        out[0]
    }

    #[inline(always)]
    fn update_chunk(&mut self, high: &[f64], low: &[f64], close: &[f64], out: &mut [f64]) {
        self.block.run_values::<true, true>(high, low, out, |i, v| {
            v.map_or(f64::NAN, |(hh, ll)| value(hh, ll, close[i]))
        });
    }
}

impl Indicator for Willr {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        self.update_chunk(inputs[0], inputs[1], inputs[2], outputs[0]);
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
    fn willr_spans_minus_100_to_0() {
        let mut w = Willr::new(2).unwrap();
        w.step(10.0, 8.0, 9.0);
        assert_eq!(w.step(11.0, 9.0, 8.0), -100.0);
        let mut w = Willr::new(2).unwrap();
        w.step(10.0, 8.0, 9.0);
        assert_eq!(w.step(11.0, 9.0, 11.0), 0.0);
    }

    #[test]
    fn willr_is_chunk_invariant() {
        let c = walk(300, 16);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Willr::new(14).unwrap()), &[&h, &l, &c], 1, &[1, 13, 50]);
    }
}
