//! QSTICK — Chande and Kroll's Qstick: the SMA of candle bodies.
//!
//! `SMA(close - open, p)` with the running sum of [`Sma`]. Lookback `p - 1`.

use super::super::overlap::Sma;
use super::super::{check_shapes, Indicator};
use crate::error::Result;

/// Streaming Qstick; inputs are (open, close).
#[derive(Clone, Debug)]
pub struct Qstick {
    period: usize,
    sma: Sma,
}

impl Qstick {
    /// Qstick over `period >= 1` bars.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            sma: Sma::new(period)?,
        })
    }
}

impl Indicator for Qstick {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        // Inputs as long as the output, so that the compiler can drop
        // bounds checks from the loop.
        let n = outputs[0].len();
        let (open, close) = (&inputs[0][..n], &inputs[1][..n]);
        self.sma.run_chunk_of(|i| close[i] - open[i], outputs[0]);
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
    fn qstick_averages_bodies() {
        let open = [1.0, 2.0, 3.0];
        let close = [2.0, 1.0, 6.0];
        let mut out = [0.0; 3];
        Qstick::new(2).unwrap().update(&[&open, &close], &mut [&mut out]);
        assert!(out[0].is_nan());
        assert_eq!(&out[1..], &[0.0, 1.0]);
    }

    #[test]
    fn qstick_is_chunk_invariant() {
        let c = walk(200, 52);
        let o: Vec<f64> = c.iter().map(|v| v * 1.003).collect();
        assert_chunk_invariant(&|| Box::new(Qstick::new(10).unwrap()), &[&o, &c], 1, &[1, 7, 60]);
    }
}
