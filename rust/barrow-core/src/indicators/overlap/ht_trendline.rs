//! HT_TRENDLINE — Hilbert transform instantaneous trendline.
//!
//! The raw price averaged over the dominant cycle period measured by the
//! [`hilbert`](crate::indicators::cycle) transform, then smoothed by a
//! 4-3-2-1 weighted average of the last four averages (see the cycle
//! module's `Trendline`). Lookback 63.

use super::super::cycle::hilbert::{HilbertCore, Trendline, START_LONG};
use super::super::cycle::HT_LONG_LOOKBACK;

/// Streaming HT_TRENDLINE.
#[derive(Clone, Debug)]
pub struct HtTrendline {
    core: HilbertCore,
    trendline: Trendline,
}

impl HtTrendline {
    /// A new HT_TRENDLINE.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_LONG),
            trendline: Trendline::new(),
        }
    }

    /// Consumes one price; NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        self.trendline.push(self.core.bars_seen(), x);
        let Some(bar) = self.core.step(x) else {
            return f64::NAN;
        };
        let line = self.trendline.step(&bar);
        if bar.today >= HT_LONG_LOOKBACK {
            line
        } else {
            f64::NAN
        }
    }
}

crate::indicators::cycle::hilbert::hilbert_indicator!(HtTrendline, HT_LONG_LOOKBACK, 1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ht_trendline_is_chunk_invariant() {
        let x = walk(400, 46);
        assert_chunk_invariant(&|| Box::new(HtTrendline::new()), &[&x], 1, &[1, 11, 64]);
    }

    #[test]
    fn ht_trendline_of_a_flat_price_is_the_price() {
        let mut ind = HtTrendline::new();
        let out: Vec<f64> = (0..200).map(|_| ind.step(7.0)).collect();
        assert!(out[..HT_LONG_LOOKBACK].iter().all(|v| v.is_nan()));
        assert!((out[199] - 7.0).abs() < 1e-12);
    }
}
