//! TRANGE — true range.
//!
//! `max(high - low, |prev_close - high|, |prev_close - low|)`, compared in
//! TA-Lib's order (so a NaN distance never wins). Lookback 1.

use super::super::math::map_into;
use super::super::{check_shapes, Indicator};

/// True range of one bar given the previous close.
#[inline(always)]
pub fn true_range(high: f64, low: f64, prev_close: f64) -> f64 {
    let mut greatest = high - low;
    let d_high = (prev_close - high).abs();
    if d_high > greatest {
        greatest = d_high;
    }
    let d_low = (prev_close - low).abs();
    if d_low > greatest {
        greatest = d_low;
    }
    greatest
}

/// Streaming true range; inputs are (high, low, close).
#[derive(Clone, Debug, Default)]
pub struct Trange {
    prev_close: Option<f64>,
}

impl Trange {
    /// Builds a true-range stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// The close of the last bar consumed.
    #[inline(always)]
    pub(crate) fn prev_close(&self) -> Option<f64> {
        self.prev_close
    }

    /// Records the close of the last bar consumed outside `step`.
    #[inline(always)]
    pub(crate) fn set_prev_close(&mut self, close: f64) {
        self.prev_close = Some(close);
    }

    /// Consumes one bar and returns its true range (NaN for the first bar).
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let out = match self.prev_close {
            Some(pc) => true_range(high, low, pc),
            None => f64::NAN,
        };
        self.prev_close = Some(close);
        out
    }
}

impl Indicator for Trange {
    fn lookback(&self) -> usize {
        1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let out = &mut *outputs[0];
        let n = out.len();
        if n == 0 {
            return;
        }
        out[0] = self.step(h[0], l[0], c[0]);
        // Every later bar's previous close is in the chunk: an element-wise
        // loop over (high, low, the close before), which vectorizes.
        let f = |v: &[f64; 4]| true_range(v[0], v[1], v[2]);
        map_into(&f, &[&h[1..n], &l[1..n], &c[..n - 1]], &mut out[1..]);
        self.prev_close = Some(c[n - 1]);
    }

    fn reset(&mut self) {
        self.prev_close = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_range_uses_gaps_from_previous_close() {
        assert_eq!(true_range(10.0, 9.0, 9.5), 1.0);
        assert_eq!(true_range(10.0, 9.0, 12.0), 3.0);
        assert_eq!(true_range(10.0, 9.0, 7.0), 3.0);
    }
}
