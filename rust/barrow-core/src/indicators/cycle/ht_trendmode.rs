//! HT_TRENDMODE — Hilbert transform trend vs cycle mode.
//!
//! 1 (trend) unless the market looks cyclical: 0 on a crossing of the sine
//! and lead sine lines, while fewer than half a smoothed period of bars have
//! passed since the last crossing, or while the phase advances by between
//! 0.67 and 1.5 times `360 / smooth_period` per bar; but 1 again whenever the
//! smoothed price is at least 1.5 % away from the instantaneous trendline.
//! Lookback 63; the output is an integer (0 during the lookback).

use super::hilbert::{CyclePhase, HilbertCore, Trendline, DEG2RAD, START_LONG};
use super::HT_LONG_LOOKBACK;

/// Streaming HT_TRENDMODE.
#[derive(Clone, Debug)]
pub struct HtTrendMode {
    core: HilbertCore,
    phase: CyclePhase,
    trendline: Trendline,
    prev_phase: f64,
    sine: f64,
    lead: f64,
    days_in_trend: i64,
}

impl HtTrendMode {
    /// A new HT_TRENDMODE.
    pub fn new() -> Self {
        Self {
            core: HilbertCore::new(START_LONG),
            phase: CyclePhase::new(),
            trendline: Trendline::new(),
            prev_phase: 0.0,
            sine: 0.0,
            lead: 0.0,
            days_in_trend: 0,
        }
    }

    /// Consumes one price; returns 1.0 (trend) or 0.0 (cycle, or lookback).
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        // The trendline averages raw prices, warm-up bars included.
        self.trendline.push(self.core.bars_seen(), x);
        let Some(bar) = self.core.step(x) else {
            return 0.0;
        };
        let sp = bar.smooth_period;
        let phase = self.phase.step(&bar);
        let (prev_sine, prev_lead) = (self.sine, self.lead);
        self.sine = (phase * DEG2RAD).sin();
        self.lead = ((phase + 45.0) * DEG2RAD).sin();
        let line = self.trendline.step(&bar);

        let mut trend = true;
        let (s, l) = (self.sine, self.lead);
        if (s > l && prev_sine <= prev_lead) || (s < l && prev_sine >= prev_lead) {
            self.days_in_trend = 0;
            trend = false;
        }
        self.days_in_trend += 1;
        if (self.days_in_trend as f64) < 0.5 * sp {
            trend = false;
        }
        let advance = phase - self.prev_phase;
        self.prev_phase = phase;
        if sp != 0.0 && advance > 0.67 * 360.0 / sp && advance < 1.5 * 360.0 / sp {
            trend = false;
        }
        if line != 0.0 && ((bar.smoothed - line) / line).abs() >= 0.015 {
            trend = true;
        }
        if bar.today >= HT_LONG_LOOKBACK && trend {
            1.0
        } else {
            0.0
        }
    }
}

crate::indicators::cycle::hilbert::hilbert_indicator!(HtTrendMode, HT_LONG_LOOKBACK, 1);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ht_trendmode_is_chunk_invariant() {
        let x = walk(500, 45);
        assert_chunk_invariant(&|| Box::new(HtTrendMode::new()), &[&x], 1, &[1, 10, 90]);
    }

    #[test]
    fn ht_trendmode_sees_a_steady_climb_as_trend() {
        let mut ind = HtTrendMode::new();
        let out: Vec<f64> = (0..300).map(|t| ind.step(100.0 * 1.01f64.powi(t))).collect();
        assert!(out[..HT_LONG_LOOKBACK].iter().all(|&v| v == 0.0));
        assert!(out[200..].iter().all(|&v| v == 1.0));
    }
}
