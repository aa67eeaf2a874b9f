//! FOSC — forecast oscillator.
//!
//! `100 (x[t] - TSF[t-1]) / x[t]`: how far the price lands from the time
//! series forecast made one bar earlier (0 when the price is 0). The
//! forecast is TSF's kernel (see `statistic::linearreg`), so the two share
//! their bits. Lookback `p`.

use super::super::statistic::linearreg::{LinRegCore, Line};
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming forecast oscillator.
#[derive(Clone, Debug)]
pub struct Fosc {
    period: usize,
    core: LinRegCore,
    forecast: Option<f64>,
}

impl Fosc {
    /// FOSC over a regression of `period >= 2` values.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            core: LinRegCore::new(period)?,
            forecast: None,
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let out = match self.forecast {
            Some(f) if v != 0.0 => 100.0 * (v - f) / v,
            Some(_) => 0.0,
            None => f64::NAN,
        };
        self.forecast = self
            .core
            .step(v)
            .map(|Line { m, b }| fp::madd(m, self.period as f64, b));
        out
    }
}

impl fp::Kernel for Fosc {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        for (o, &v) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = self.step(v);
        }
    }
}

impl Indicator for Fosc {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.core.reset();
        self.forecast = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn fosc_is_zero_on_a_straight_line() {
        let mut f = Fosc::new(3).unwrap();
        let out: Vec<f64> = (1..8).map(|t| f.step(t as f64)).collect();
        assert!(out[2].is_nan());
        assert!(out[3..].iter().all(|&v| v == 0.0), "{out:?}");
        // The forecast continues the line 1, 2, 3 to 4; a 5 is 20% above it.
        let mut f = Fosc::new(3).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 5.0].iter().map(|&v| f.step(v)).collect();
        assert!((out[3] - 20.0).abs() < 1e-12);
    }

    #[test]
    fn fosc_is_chunk_invariant() {
        let x = walk(800, 61);
        assert_chunk_invariant(&|| Box::new(Fosc::new(5).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
