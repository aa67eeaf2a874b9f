//! AO and AC — Bill Williams' Awesome and Accelerator/Decelerator
//! oscillators.
//!
//! `median = (high + low) / 2`; `AO = SMA(median, fast) - SMA(median, slow)`
//! with both running sums started where the longer window first fills, as
//! TA-Lib does (an SMA started earlier would carry other rounding).
//! `AC = AO - SMA(AO, signal)`. Lookbacks `max(fast, slow) - 1` and that
//! plus `signal - 1`. Periods are not swapped: `fast > slow` gives `-AO`.

use super::super::math::Sum;
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// A running sum that ignores its first `skip` inputs, so that it starts
/// on the bar TA-Lib starts it on.
#[derive(Clone, Debug)]
struct LateSum {
    skip: usize,
    period: f64,
    sum: Sum,
}

impl LateSum {
    fn new(period: usize, skip: usize) -> Result<Self> {
        Ok(Self {
            skip,
            period: period as f64,
            sum: Sum::new(period)?,
        })
    }

    /// The window average once the sum has started and filled, else NaN.
    #[inline(always)]
    fn step(&mut self, seen: usize, v: f64) -> f64 {
        if seen < self.skip {
            return f64::NAN;
        }
        self.sum.step(v) / self.period
    }
}

/// Streaming Awesome Oscillator; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Ao {
    periods: (usize, usize),
    lookback: usize,
    seen: usize,
    fast: LateSum,
    slow: LateSum,
}

impl Ao {
    /// AO with `fast >= 2` and `slow >= 2` (validated by the catalogue).
    pub fn new(fast: usize, slow: usize) -> Result<Self> {
        let longest = fast.max(slow);
        Ok(Self {
            periods: (fast, slow),
            lookback: longest.saturating_sub(1),
            seen: 0,
            fast: LateSum::new(fast, longest - fast)?,
            slow: LateSum::new(slow, longest - slow)?,
        })
    }

    /// Whether both sums give an output for every further bar.
    #[inline(always)]
    fn warmed_up(&self) -> bool {
        self.seen >= self.lookback && self.fast.sum.warmed_up() && self.slow.sum.warmed_up()
    }

    /// Bars past the lookback: both sums in one loop, with the operations
    /// of `step`.
    fn run_steady(&mut self, high: &[f64], low: &[f64], out: &mut [f64]) {
        let (fp, sp) = (self.fast.period, self.slow.period);
        let (mut fast, mut slow) = (self.fast.sum.cursor(), self.slow.sum.cursor());
        for ((o, &h), &l) in out.iter_mut().zip(high).zip(low) {
            let median = (h + l) * 0.5;
            *o = fast.push(median) / fp - slow.push(median) / sp;
        }
        fast.finish();
        slow.finish();
        self.seen += out.len();
    }

    /// Consumes one bar (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let median = (high + low) * 0.5;
        let seen = self.seen;
        self.seen += 1;
        let fast = self.fast.step(seen, median);
        let slow = self.slow.step(seen, median);
        if seen < self.lookback {
            return f64::NAN;
        }
        fast - slow
    }
}

impl Indicator for Ao {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (high, low, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let mut i = 0;
        while i < high.len() && !self.warmed_up() {
            out[i] = self.step(high[i], low[i]);
            i += 1;
        }
        if i == high.len() {
            return;
        }
        self.run_steady(&high[i..], &low[i..], &mut out[i..]);
    }

    fn reset(&mut self) {
        *self = Self::new(self.periods.0, self.periods.1).expect("valid periods");
    }
}

/// Bars per tile of AC's steady loop on one thread.
const AC_TILE: usize = 1024;

/// Streaming Accelerator/Decelerator oscillator; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Ac {
    ao: Ao,
    signal_period: usize,
    signal: LateSum,
}

impl Ac {
    /// AC with AO periods `fast`, `slow` and a `signal >= 2` average.
    pub fn new(fast: usize, slow: usize, signal: usize) -> Result<Self> {
        let ao = Ao::new(fast, slow)?;
        let skip = ao.lookback;
        Ok(Self {
            ao,
            signal_period: signal,
            signal: LateSum::new(signal, skip)?,
        })
    }

    /// Consumes one bar (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let seen = self.ao.seen;
        let ao = self.ao.step(high, low);
        ao - self.signal.step(seen, ao)
    }
}

impl Indicator for Ac {
    fn lookback(&self) -> usize {
        self.ao.lookback + self.signal_period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (high, low, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let mut i = 0;
        while i < high.len() && !(self.ao.warmed_up() && self.signal.sum.warmed_up()) {
            out[i] = self.step(high[i], low[i]);
            i += 1;
        }
        if i == high.len() {
            return;
        }
        let (high, low, out) = (&high[i..], &low[i..], &mut out[i..]);
        // Past the lookback, by tiles: AO's sums and divisions into the
        // tile, then the signal's sum over those values and the last
        // division. A long series puts AO on a helper thread, a tile ahead.
        let (ao, signal) = (&mut self.ao, &mut self.signal);
        let gp = signal.period;
        let mut values = Vec::with_capacity(crate::par::PIPELINE_TILE.min(out.len()));
        let oscillator = |from: usize, tile: &mut [f64]| {
            let to = from + tile.len();
            ao.run_steady(&high[from..to], &low[from..to], tile)
        };
        let mut accelerate = |_: usize, tile: &mut [f64]| {
            values.clear();
            values.extend_from_slice(tile);
            fp::with_fma(
                #[inline(always)]
                || signal.sum.run_chunk_at(&values, tile, |j, s| values[j] - s / gp),
            );
        };
        if crate::par::worth_splitting(out.len()) {
            crate::par::pipeline_chunks(out, crate::par::PIPELINE_TILE, oscillator, accelerate);
        } else {
            let mut oscillator = oscillator;
            for (k, tile) in out.chunks_mut(AC_TILE).enumerate() {
                oscillator(k * AC_TILE, tile);
                accelerate(k * AC_TILE, tile);
            }
        }
    }

    fn reset(&mut self) {
        let (fast, slow) = self.ao.periods;
        *self = Self::new(fast, slow, self.signal_period).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ao_is_the_spread_of_two_median_averages() {
        // Medians 1, 2, 3, 4: SMA(2) = 3.5, SMA(3) = 3 at the last bar.
        let mut ao = Ao::new(2, 3).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 4.0]
            .iter()
            .map(|&m| ao.step(m + 1.0, m - 1.0))
            .collect();
        assert!(out[1].is_nan());
        assert_eq!(out[2], 2.5 - 2.0);
        assert_eq!(out[3], 3.5 - 3.0);
        // AC of a constant AO is 0.
        let mut ac = Ac::new(2, 3, 2).unwrap();
        let out: Vec<f64> = (0..6).map(|t| ac.step(t as f64 + 1.0, t as f64 - 1.0)).collect();
        assert!(out[2].is_nan());
        assert_eq!(&out[3..], &[0.0; 3]);
    }

    #[test]
    fn ao_and_ac_are_chunk_invariant() {
        let c = walk(300, 51);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Ao::new(5, 34).unwrap()), &[&h, &l], 1, &[1, 13, 50]);
        assert_chunk_invariant(&|| Box::new(Ac::new(34, 5, 7).unwrap()), &[&h, &l], 1, &[1, 13, 50]);
    }

    #[test]
    fn long_ao_and_ac_split_across_threads_give_one_threads_bits() {
        let n = crate::par::SPLIT_MIN * 2 + 777;
        let c = walk(n, 52);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        use crate::indicators::testutil::assert_split_invariant;
        assert_split_invariant(&|| Box::new(Ao::new(5, 34).unwrap()), &[&h, &l], 1);
        for (fast, slow, signal) in [(5, 34, 5), (34, 5, 7), (2, 3, 300)] {
            assert_split_invariant(&|| Box::new(Ac::new(fast, slow, signal).unwrap()), &[&h, &l], 1);
        }
    }
}
