//! HT_DCPERIOD — Hilbert transform dominant cycle period.
//!
//! The smoothed period of the [`hilbert`](super::hilbert) transform:
//! `0.33·period + 0.67·previous`, with `period` from the homodyne
//! discriminator. Lookback 32.

use super::hilbert::{HilbertCore, START_SHORT};
use super::HT_SHORT_LOOKBACK;

/// Streaming HT_DCPERIOD.
#[derive(Clone, Debug)]
pub struct HtDcPeriod {
    core: HilbertCore,
}

impl HtDcPeriod {
    /// A new HT_DCPERIOD.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_SHORT),
        }
    }

    /// Consumes one price; NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        match self.core.step(x) {
            Some(bar) if bar.today >= HT_SHORT_LOOKBACK => bar.smooth_period,
            _ => f64::NAN,
        }
    }
}

crate::indicators::cycle::hilbert::hilbert_indicator!(HtDcPeriod, HT_SHORT_LOOKBACK, 1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ht_dcperiod_is_chunk_invariant() {
        let x = walk(400, 41);
        assert_chunk_invariant(&|| Box::new(HtDcPeriod::new()), &[&x], 1, &[1, 5, 77]);
    }

    #[test]
    fn ht_dcperiod_finds_a_20_bar_cycle() {
        let mut ind = HtDcPeriod::new();
        let out: Vec<f64> = (0..400)
            .map(|t| ind.step(100.0 + (t as f64 * std::f64::consts::TAU / 20.0).sin()))
            .collect();
        assert!(out[..HT_SHORT_LOOKBACK].iter().all(|v| v.is_nan()));
        assert!((out[399] - 20.0).abs() < 1.0, "period {}", out[399]);
    }
}
