//! ADR — average daily range.
//!
//! The simple moving average of `high - low` over `p` bars, with TA-Lib's
//! running-sum order (see `math::Sum`). Lookback `p - 1`.

use super::super::overlap::Sma;
use super::super::{check_shapes, Indicator};
use crate::error::Result;

/// Streaming average range; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Adr {
    period: usize,
    sma: Sma,
}

impl Adr {
    /// Average range over `period >= 1` bars.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            sma: Sma::new(period)?,
        })
    }
}

impl Indicator for Adr {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        // Inputs as long as the output, so that the compiler can drop
        // bounds checks from the loop.
        let n = outputs[0].len();
        let (high, low) = (&inputs[0][..n], &inputs[1][..n]);
        self.sma.run_chunk_of(|i| high[i] - low[i], outputs[0]);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn adr_averages_the_ranges() {
        let out = run(&mut Adr::new(2).unwrap(), &[&[3.0, 5.0, 9.0], &[2.0, 2.0, 4.0]], 1);
        assert!(out[0][0].is_nan());
        assert_eq!(&out[0][1..], &[2.0, 4.0]);
    }

    #[test]
    fn adr_is_chunk_invariant() {
        let c = walk(300, 111);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Adr::new(14).unwrap()), &[&h, &l], 1, &[1, 13, 50]);
    }
}
