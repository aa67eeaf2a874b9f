//! AO and AC — Bill Williams' Awesome and Accelerator/Decelerator
//! oscillators.
//!
//! `median = (high + low) / 2`; `AO = SMA(median, fast) - SMA(median, slow)`
//! with both running sums started where the longer window first fills, as
//! TA-Lib does (an SMA started earlier would carry other rounding).
//! `AC = AO - SMA(AO, signal)`. Lookbacks `max(fast, slow) - 1` and that
//! plus `signal - 1`. Periods are not swapped: `fast > slow` gives `-AO`.

use super::super::math::Sum;
use super::super::{check_shapes, Indicator};
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
        let (fp, sp) = (self.fast.period, self.slow.period);
        let (mut fast, mut slow) = (self.fast.sum.cursor(), self.slow.sum.cursor());
        for j in i..high.len() {
            let median = (high[j] + low[j]) * 0.5;
            out[j] = fast.push(median) / fp - slow.push(median) / sp;
        }
        fast.finish();
        slow.finish();
        self.seen += high.len() - i;
    }

    fn reset(&mut self) {
        *self = Self::new(self.periods.0, self.periods.1).expect("valid periods");
    }
}

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
        let ao = &mut self.ao;
        let (fp, sp, gp) = (ao.fast.period, ao.slow.period, self.signal.period);
        let (mut fast, mut slow) = (ao.fast.sum.cursor(), ao.slow.sum.cursor());
        let mut signal = self.signal.sum.cursor();
        for j in i..high.len() {
            let median = (high[j] + low[j]) * 0.5;
            let ao = fast.push(median) / fp - slow.push(median) / sp;
            out[j] = ao - signal.push(ao) / gp;
        }
        fast.finish();
        slow.finish();
        signal.finish();
        self.ao.seen += high.len() - i;
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
}
