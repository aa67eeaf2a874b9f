//! MAX and MIN — extremes over the last `p` bars.
//!
//! TA-Lib's scan: the running extreme is kept with its index, replaced by a
//! new value that ties or beats it, and found again by scanning the window
//! when it leaves (which also fixes how NaNs behave). Lookback `p - 1`.

use super::super::{check_shapes, Indicator};
use super::history::History;
use crate::error::{BarrowError, Result};

/// Which extreme to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtremeKind {
    /// Highest value.
    Max,
    /// Lowest value.
    Min,
}

/// Streaming window extremes.
#[derive(Clone, Debug)]
pub struct Extremes {
    kind: ExtremeKind,
    period: usize,
    seen: usize,
    values: History,
    best: f64,
    best_index: Option<usize>,
}

impl Extremes {
    /// Extremes over `period >= 1` bars (TA-Lib's MAX and MIN take 2 or
    /// more; the stochastics' %K window may be a single bar).
    pub fn new(kind: ExtremeKind, period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            kind,
            period,
            seen: 0,
            values: History::new(period),
            best: 0.0,
            best_index: None,
        })
    }

    /// Number of values consumed.
    pub(crate) fn seen(&self) -> usize {
        self.seen
    }

    /// Position (counted from this kernel's first value) of the extreme the
    /// last [`Extremes::step`] returned, once past the lookback.
    pub(crate) fn best_index(&self) -> Option<usize> {
        self.best_index
    }

    /// Consumes one value and returns the extreme (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, a: f64) -> f64 {
        match self.kind {
            ExtremeKind::Max => self.step_as::<true>(a),
            ExtremeKind::Min => self.step_as::<false>(a),
        }
    }

    /// [`Extremes::step`] for a kind known at compile time (`MAX` true for
    /// [`ExtremeKind::Max`]), so the window rescan is a plain loop.
    #[inline(always)]
    pub(crate) fn step_as<const MAX: bool>(&mut self, a: f64) -> f64 {
        debug_assert_eq!(MAX, self.kind == ExtremeKind::Max);
        let today = self.seen;
        self.seen += 1;
        self.values.put(today, a);
        if today + 1 < self.period {
            return f64::NAN;
        }
        let trailing = today + 1 - self.period;
        if self.best_index.is_none_or(|i| i < trailing) {
            let mut idx = trailing;
            let mut best = self.values.get(trailing);
            for i in trailing + 1..=today {
                let x = self.values.get(i);
                if if MAX { x > best } else { x < best } {
                    idx = i;
                    best = x;
                }
            }
            self.best = best;
            self.best_index = Some(idx);
        } else if if MAX { a >= self.best } else { a <= self.best } {
            self.best = a;
            self.best_index = Some(today);
        }
        self.best
    }

    /// Consumes a chunk into `out` (same length).
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        match self.kind {
            ExtremeKind::Max => out.iter_mut().zip(x).for_each(|(o, &a)| *o = self.step_as::<true>(a)),
            ExtremeKind::Min => out.iter_mut().zip(x).for_each(|(o, &a)| *o = self.step_as::<false>(a)),
        }
    }
}

impl Indicator for Extremes {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.update_chunk(inputs[0], outputs[0]);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.best_index = None;
        self.best = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn window_extremes() {
        let x = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0];
        let run = |k| {
            let mut e = Extremes::new(k, 3).unwrap();
            x.iter().map(|&v| e.step(v)).collect::<Vec<_>>()
        };
        assert_eq!(run(ExtremeKind::Max)[2..], [4.0, 4.0, 5.0, 9.0, 9.0]);
        assert_eq!(run(ExtremeKind::Min)[2..], [1.0, 1.0, 1.0, 1.0, 2.0]);
    }

    #[test]
    fn extremes_are_chunk_invariant() {
        let x = walk(300, 15);
        for k in [ExtremeKind::Max, ExtremeKind::Min] {
            assert_chunk_invariant(&|| Box::new(Extremes::new(k, 14).unwrap()), &[&x], 1, &[1, 5, 40]);
        }
    }
}
