//! HT_DCPHASE — Hilbert transform dominant cycle phase.
//!
//! The phase in degrees of a one-cycle DFT of the smoothed price over the
//! dominant cycle period (see [`CyclePhase`]). Lookback 63: 37 bars of
//! price-smoother warm-up plus 26 bars of transform.

use super::hilbert::{CyclePhase, HilbertCore, START_LONG};
use super::HT_LONG_LOOKBACK;

/// Streaming HT_DCPHASE.
#[derive(Clone, Debug)]
pub struct HtDcPhase {
    core: HilbertCore,
    phase: CyclePhase,
}

impl HtDcPhase {
    /// A new HT_DCPHASE.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_LONG),
            phase: CyclePhase::new(),
        }
    }

    /// Consumes one price; NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        let Some(bar) = self.core.step(x) else {
            return f64::NAN;
        };
        let phase = self.phase.step(&bar);
        if bar.today >= HT_LONG_LOOKBACK {
            phase
        } else {
            f64::NAN
        }
    }
}

crate::indicators::cycle::hilbert::hilbert_indicator!(HtDcPhase, HT_LONG_LOOKBACK, 1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ht_dcphase_is_chunk_invariant() {
        let x = walk(400, 43);
        assert_chunk_invariant(&|| Box::new(HtDcPhase::new()), &[&x], 1, &[1, 8, 70]);
    }

    #[test]
    fn ht_dcphase_stays_in_its_range() {
        let mut ind = HtDcPhase::new();
        let out: Vec<f64> = walk(600, 3).into_iter().map(|x| ind.step(x)).collect();
        assert!(out[..HT_LONG_LOOKBACK].iter().all(|v| v.is_nan()));
        assert!(out[HT_LONG_LOOKBACK..].iter().all(|v| (-45.0..=315.0).contains(v)));
    }
}
