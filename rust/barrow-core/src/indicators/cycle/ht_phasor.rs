//! HT_PHASOR — Hilbert transform phasor components.
//!
//! `inphase` is I1 (the detrended smoothed price delayed three bars of the
//! same parity) and `quadrature` is Q1, both from the
//! [`hilbert`](super::hilbert) transform. Lookback 32.

use super::hilbert::{HilbertCore, START_SHORT};
use super::HT_SHORT_LOOKBACK;
use crate::indicators::fp;
use crate::indicators::{check_shapes, Indicator};

/// Streaming HT_PHASOR (outputs inphase, quadrature).
#[derive(Clone, Debug)]
pub struct HtPhasor {
    core: HilbertCore,
}

impl HtPhasor {
    /// A new HT_PHASOR.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_SHORT),
        }
    }

    /// Consumes one price; returns `(inphase, quadrature)`, NaN during the
    /// lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> (f64, f64) {
        match self.core.step(x) {
            Some(bar) if bar.today >= HT_SHORT_LOOKBACK => (bar.i1, bar.q1),
            _ => (f64::NAN, f64::NAN),
        }
    }
}

impl Default for HtPhasor {
    fn default() -> Self {
        Self::new()
    }
}

impl fp::Kernel for HtPhasor {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (a, b) = outputs.split_at_mut(1);
        for ((i, q), &x) in a[0].iter_mut().zip(b[0].iter_mut()).zip(inputs[0]) {
            (*i, *q) = self.step(x);
        }
    }
}

impl Indicator for HtPhasor {
    fn lookback(&self) -> usize {
        HT_SHORT_LOOKBACK
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 2);
        fp::run_kernel(self, inputs, outputs);
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
    fn ht_phasor_is_chunk_invariant() {
        let x = walk(400, 42);
        assert_chunk_invariant(&|| Box::new(HtPhasor::new()), &[&x], 2, &[1, 6, 50]);
    }

    #[test]
    fn ht_phasor_is_zero_on_a_flat_price() {
        let mut ind = HtPhasor::new();
        let out: Vec<(f64, f64)> = (0..100).map(|_| ind.step(5.0)).collect();
        assert!(out[31].0.is_nan());
        let (i, q) = out[99];
        assert!(i.abs() < 1e-12 && q.abs() < 1e-12, "{i} {q}");
    }
}
