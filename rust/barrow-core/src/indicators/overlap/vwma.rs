//! VWMA — volume-weighted moving average.
//!
//! `(sum(x * v) / p) / (sum(v) / p)` over the last `p` bars, both sums
//! running totals of [`Sum`], so the value is SMA(x * v) / SMA(v) to the
//! bit. Lookback `p - 1`; period 1 copies the
//! price.

use super::super::math::Sum;
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming VWMA; inputs are (real, volume).
#[derive(Clone, Debug)]
pub struct Vwma {
    period: usize,
    pv: Sum,
    v: Sum,
}

impl Vwma {
    /// A VWMA over `period >= 1` bars.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            pv: Sum::new(period)?,
            v: Sum::new(period)?,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, x: f64, volume: f64) -> f64 {
        if self.period == 1 {
            return x;
        }
        let p = self.period as f64;
        let pv = self.pv.step(x * volume);
        let v = self.v.step(volume);
        pv / p / (v / p)
    }
}

impl Indicator for Vwma {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (x, volume, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        if self.period == 1 {
            out.copy_from_slice(x);
            return;
        }
        // Both sums in one loop, their divisions per block (see `Sum::run_pair_of`).
        let p = self.period as f64;
        let (pv, v) = (&mut self.pv, &mut self.v);
        fp::with_fma(
            #[inline(always)]
            || Sum::run_pair_of(pv, v, |j| x[j] * volume[j], |j| volume[j], out, |a, b| a / p / (b / p)),
        );
    }

    fn reset(&mut self) {
        self.pv.reset();
        self.v.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn vwma_weights_prices_by_volume() {
        let mut w = Vwma::new(2).unwrap();
        assert!(w.step(10.0, 1.0).is_nan());
        assert_eq!(w.step(20.0, 3.0), 17.5);
        assert_eq!(Vwma::new(1).unwrap().step(3.0, 0.0), 3.0);
    }

    #[test]
    fn vwma_is_chunk_invariant() {
        let x = walk(300, 51);
        let v: Vec<f64> = walk(300, 52).iter().map(|x| (x * 100.0).round()).collect();
        assert_chunk_invariant(&|| Box::new(Vwma::new(9).unwrap()), &[&x, &v], 1, &[1, 8, 77]);
    }
}
