//! IMI — intraday momentum index.
//!
//! Over the last `p` bars, `up` sums `close - open` of rising candles and
//! `down` sums `open - close` of the others; `IMI = 100 (up / (up + down))`,
//! 50 when `up + down` is exactly 0 (a window of doji), as in TA-Lib 0.8.
//! Summed afresh over the window each bar, as TA-Lib does. Lookback `p - 1`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming intraday momentum index; inputs are (open, close).
#[derive(Clone, Debug)]
pub struct Imi {
    period: usize,
    seen: usize,
    opens: Ring,
    closes: Ring,
}

impl Imi {
    /// IMI over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            opens: Ring::new(period),
            closes: Ring::new(period),
        })
    }

    /// Consumes one bar (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, open: f64, close: f64) -> f64 {
        self.opens.swap(open);
        self.closes.swap(close);
        self.seen += 1;
        if self.seen < self.period {
            return f64::NAN;
        }
        let (mut up, mut down) = (0.0, 0.0);
        for (o, c) in self.opens.iter().zip(self.closes.iter()) {
            if c > o {
                up += c - o;
            } else {
                down += o - c;
            }
        }
        let total = up + down;
        if total == 0.0 {
            50.0
        } else {
            100.0 * (up / total)
        }
    }
}

impl Indicator for Imi {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = self.step(inputs[0][i], inputs[1][i]);
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
    fn imi_is_the_share_of_rising_bodies() {
        let mut m = Imi::new(2).unwrap();
        assert!(m.step(1.0, 4.0).is_nan());
        assert_eq!(m.step(3.0, 2.0), 75.0);
        assert_eq!(m.step(2.0, 2.0), 0.0);
        // Two doji: no body at all.
        assert_eq!(m.step(2.0, 2.0), 50.0);
    }

    #[test]
    fn imi_is_chunk_invariant() {
        let c = walk(300, 57);
        let o: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(i, v)| v * (1.0 + 0.002 * ((i % 5) as f64 - 2.0)))
            .collect();
        assert_chunk_invariant(&|| Box::new(Imi::new(14).unwrap()), &[&o, &c], 1, &[1, 9, 100]);
    }
}
