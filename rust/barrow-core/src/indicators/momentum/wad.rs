//! WAD — Williams' accumulation/distribution (Achelis' form, no volume).
//!
//! Running sum of `close - min(low, prev_close)` on up closes and
//! `close - max(high, prev_close)` on down closes (0 on equal closes); the
//! first bar contributes 0. Lookback 0.

use super::super::{check_shapes, Indicator};

/// Streaming Williams' A/D line; inputs are (high, low, close).
#[derive(Clone, Debug, Default)]
pub struct Wad {
    sum: f64,
    prev_close: Option<f64>,
}

impl Wad {
    /// A fresh line at 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let pc = self.prev_close.replace(close).unwrap_or(close);
        if close > pc {
            let true_low = if pc < low { pc } else { low };
            self.sum += close - true_low;
        } else if close < pc {
            let true_high = if pc > high { pc } else { high };
            self.sum += close - true_high;
        }
        self.sum
    }
}

impl Indicator for Wad {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        let (high, low, close) = (inputs[0], inputs[1], inputs[2]);
        let Some(&first) = close.first() else {
            return;
        };
        // The operations of `step`, with the direction as selects (it is a
        // coin toss). An unchanged close adds +0, which leaves the sum as it
        // is: every term is nonzero, so the sum is never -0.
        let mut pc = self.prev_close.unwrap_or(first);
        let mut sum = self.sum;
        for (((o, &h), &l), &c) in outputs[0].iter_mut().zip(high).zip(low).zip(close) {
            let true_low = if pc < l { pc } else { l };
            let true_high = if pc > h { pc } else { h };
            let down = std::hint::select_unpredictable(c < pc, c - true_high, 0.0);
            sum += std::hint::select_unpredictable(c > pc, c - true_low, down);
            *o = sum;
            pc = c;
        }
        (self.sum, self.prev_close) = (sum, Some(pc));
    }

    fn reset(&mut self) {
        *self = Self::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn wad_measures_closes_against_the_true_range() {
        let mut w = Wad::new();
        assert_eq!(w.step(11.0, 9.0, 10.0), 0.0);
        // Up close: 12 - min(11, 10) = 2.
        assert_eq!(w.step(13.0, 11.0, 12.0), 2.0);
        // Down close: 9 - max(13, 12) = -4.
        assert_eq!(w.step(13.0, 8.0, 9.0), -2.0);
        assert_eq!(w.step(10.0, 8.0, 9.0), -2.0);
    }

    #[test]
    fn wad_is_chunk_invariant() {
        let c = walk(300, 101);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Wad::new()), &[&h, &l, &c], 1, &[1, 13, 50]);
    }
}
