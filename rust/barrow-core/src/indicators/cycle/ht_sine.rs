//! HT_SINE — Hilbert transform sine wave.
//!
//! `sine = sin(φ)` and `leadsine = sin(φ + 45°)` of the dominant cycle phase
//! φ (see [`CyclePhase`]). Lookback 63.

use super::hilbert::{CyclePhase, HilbertCore, DEG2RAD, START_LONG};
use super::HT_LONG_LOOKBACK;

/// Streaming HT_SINE (outputs sine, leadsine).
#[derive(Clone, Debug)]
pub struct HtSine {
    core: HilbertCore,
    phase: CyclePhase,
}

impl HtSine {
    /// A new HT_SINE.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_LONG),
            phase: CyclePhase::new(),
        }
    }

    /// Consumes one price; returns `(sine, leadsine)`, NaN during the
    /// lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> (f64, f64) {
        let Some(bar) = self.core.step(x) else {
            return (f64::NAN, f64::NAN);
        };
        let phase = self.phase.step(&bar);
        if bar.today >= HT_LONG_LOOKBACK {
            ((phase * DEG2RAD).sin(), ((phase + 45.0) * DEG2RAD).sin())
        } else {
            (f64::NAN, f64::NAN)
        }
    }
}

crate::indicators::cycle::hilbert::hilbert_indicator!(HtSine, HT_LONG_LOOKBACK, 2);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ht_sine_is_chunk_invariant() {
        let x = walk(400, 44);
        assert_chunk_invariant(&|| Box::new(HtSine::new()), &[&x], 2, &[1, 9, 66]);
    }

    #[test]
    fn ht_sine_leads_by_45_degrees() {
        let mut ind = HtSine::new();
        let out: Vec<(f64, f64)> = walk(300, 4).into_iter().map(|x| ind.step(x)).collect();
        for &(s, l) in &out[HT_LONG_LOOKBACK..] {
            // sin(φ + 45°) = (sin φ + cos φ) / √2, so |l·√2 - s| = |cos φ| <= 1.
            assert!((l * std::f64::consts::SQRT_2 - s).abs() <= 1.0 + 1e-12);
        }
    }
}
