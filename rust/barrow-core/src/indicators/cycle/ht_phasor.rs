//! HT_PHASOR — Hilbert transform phasor components.
//!
//! `inphase` is I1 (the detrended smoothed price delayed three bars of the
//! same parity) and `quadrature` is Q1, both from the
//! [`hilbert`](super::hilbert) transform. Lookback 32.

use super::hilbert::{HilbertCore, START_SHORT};
use super::HT_SHORT_LOOKBACK;

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

crate::indicators::cycle::hilbert::hilbert_indicator!(HtPhasor, HT_SHORT_LOOKBACK, 2);

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
