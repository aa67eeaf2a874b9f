//! RSI — Wilder's relative strength index.
//!
//! The first `p` price changes are averaged into `gain` and `loss` (their
//! sums times `1 / p`); after that each change updates them by Wilder
//! smoothing, `avg = (avg * (p - 1) + change) / p`, computed as
//! `avg * ((p - 1) / p) + change * (1 / p)` with the multiply-add fused:
//! one multiply-add per bar on each chain, where TA-Lib chains a multiply,
//! an addition and a multiply (the smoothing contracts rounding errors, so
//! values stay within a few ulps of TA-Lib's; STOCHRSI's RSI keeps TA-Lib's
//! operations, see [`Rsi::in_talib_order`]). `rsi = 100 * gain / (gain +
//! loss)`, or 0 when `gain + loss` is not positive. Lookback `p`.

use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming relative strength index.
#[derive(Clone, Debug)]
pub struct Rsi {
    period: usize,
    smooth: Wilder,
    seen: usize,
    prev_value: f64,
    gain: f64,
    loss: f64,
}

/// Wilder's smoothing of a pair of running averages (gains and losses).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Wilder {
    /// `(p - 1) / p`.
    keep: f64,
    /// `1 / p`.
    take: f64,
    /// `p - 1`.
    lag: f64,
    /// Whether [`Wilder::step`] uses TA-Lib's operations.
    talib_order: bool,
}

impl Wilder {
    /// The smoothing over `period` values.
    pub(crate) fn new(period: usize) -> Self {
        let p = period as f64;
        Self {
            keep: (p - 1.0) / p,
            take: 1.0 / p,
            lag: p - 1.0,
            talib_order: false,
        }
    }

    /// The smoothing with TA-Lib's operations in TA-Lib's order,
    /// `(avg * (p - 1) + v) * (1 / p)`: bit for bit, with a longer chain.
    pub(crate) fn in_talib_order(period: usize) -> Self {
        Self {
            talib_order: true,
            ..Self::new(period)
        }
    }

    /// `(p - 1) / p`.
    #[inline(always)]
    pub(crate) fn keep(self) -> f64 {
        self.keep
    }

    /// `avg * (p - 1) / p + v / p`.
    #[inline(always)]
    pub(crate) fn next(self, avg: f64, v: f64) -> f64 {
        fp::madd(avg, self.keep, v * self.take)
    }

    /// TA-Lib's step, `(avg * (p - 1) + v) * (1 / p)`.
    #[inline(always)]
    fn next_in_talib_order(self, avg: f64, v: f64) -> f64 {
        (avg * self.lag + v) * self.take
    }

    /// [`Wilder::next`], or TA-Lib's step for a smoothing made by
    /// [`Wilder::in_talib_order`].
    #[inline(always)]
    fn step(self, avg: f64, v: f64) -> f64 {
        if self.talib_order {
            self.next_in_talib_order(avg, v)
        } else {
            self.next(avg, v)
        }
    }

    /// The smoothed averages over the changes of `x` (`prev` the value
    /// before it), each change split by `split` into its (gain, loss)
    /// parts, writing `finish(gain, loss)` to `out`. By blocks: the two
    /// chains first, then `finish` over the block, so that its division
    /// vectorizes. Returns the last value and the averages.
    #[inline(always)]
    pub(crate) fn run(
        self,
        state: (f64, f64, f64),
        x: &[f64],
        out: &mut [f64],
        split: impl Fn(f64) -> (f64, f64),
        finish: impl Fn(f64, f64) -> f64,
    ) -> (f64, f64, f64) {
        // The order tested once, outside the loops.
        if self.talib_order {
            self.run_by(state, x, out, split, |avg, v| self.next_in_talib_order(avg, v), finish)
        } else {
            self.run_by(state, x, out, split, |avg, v| self.next(avg, v), finish)
        }
    }

    /// [`Wilder::run`] with the smoothing step `next`.
    #[inline(always)]
    fn run_by(
        self,
        (mut prev, mut gain, mut loss): (f64, f64, f64),
        x: &[f64],
        out: &mut [f64],
        split: impl Fn(f64) -> (f64, f64),
        next: impl Fn(f64, f64) -> f64,
        finish: impl Fn(f64, f64) -> f64,
    ) -> (f64, f64, f64) {
        const BLOCK: usize = 64;
        let (mut gains, mut losses) = ([0.0; BLOCK], [0.0; BLOCK]);
        for (xs, outs) in x.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            for ((&v, g), l) in xs.iter().zip(&mut gains).zip(&mut losses) {
                let (up, down) = split(v - prev);
                prev = v;
                gain = next(gain, up);
                loss = next(loss, down);
                (*g, *l) = (gain, loss);
            }
            for ((o, &g), &l) in outs.iter_mut().zip(&gains).zip(&losses) {
                *o = finish(g, l);
            }
        }
        (prev, gain, loss)
    }
}

impl Rsi {
    /// Builds an RSI over `period` changes (`period >= 2`).
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            smooth: Wilder::new(period),
            seen: 0,
            prev_value: 0.0,
            gain: 0.0,
            loss: 0.0,
        })
    }

    /// An RSI that smooths with TA-Lib's operations in TA-Lib's order
    /// (`(avg * (p - 1) + change) * (1 / p)`), bit for bit, for STOCHRSI:
    /// its fast %D may be a MAMA, whose adaptive speed turns differences
    /// in the last bit of its input into different outputs.
    pub(crate) fn in_talib_order(period: usize) -> Result<Self> {
        Ok(Self {
            smooth: Wilder::in_talib_order(period),
            ..Self::new(period)?
        })
    }

    /// `100 * gain / (gain + loss)`, 0 when the sum is not positive.
    #[inline(always)]
    fn value(gain: f64, loss: f64) -> f64 {
        let total = gain + loss;
        if total > 0.0 {
            100.0 * (gain / total)
        } else {
            0.0
        }
    }

    /// A price change's gain and loss parts, as TA-Lib splits them:
    /// `max(change, 0)` (nothing for a NaN change) and `gain_part - change`
    /// (a NaN change poisons the loss, after which the RSI is 0, as in
    /// TA-Lib). Written as selects: whether a bar rose is a coin toss.
    #[inline(always)]
    fn split(change: f64) -> (f64, f64) {
        let up = std::hint::select_unpredictable(0.0 < change, change, 0.0);
        (up, up - change)
    }

    /// Consumes one value and returns the RSI (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.prev_value = v;
            return f64::NAN;
        }
        let change = v - self.prev_value;
        self.prev_value = v;
        let (up, down) = Self::split(change);
        if seen < self.period {
            self.gain += up;
            self.loss += down;
            return f64::NAN;
        }
        if seen == self.period {
            self.gain = (self.gain + up) * self.smooth.take;
            self.loss = (self.loss + down) * self.smooth.take;
        } else {
            self.gain = self.smooth.step(self.gain, up);
            self.loss = self.smooth.step(self.loss, down);
        }
        Self::value(self.gain, self.loss)
    }
}

impl fp::Kernel for Rsi {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let mut i = 0;
        while i < x.len() && self.seen <= self.period {
            out[i] = self.step(x[i]);
            i += 1;
        }
        let state = (self.prev_value, self.gain, self.loss);
        (self.prev_value, self.gain, self.loss) =
            self.smooth.run(state, &x[i..], &mut out[i..], Self::split, Self::value);
        self.seen += x.len() - i;
    }
}

impl Indicator for Rsi {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.prev_value = 0.0;
        self.gain = 0.0;
        self.loss = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn rsi_of_a_rising_series_is_100_and_of_a_flat_series_is_0() {
        let mut up = Rsi::new(3).unwrap();
        let outs: Vec<f64> = (0..6).map(|i| up.step(i as f64)).collect();
        assert!(outs[..3].iter().all(|v| v.is_nan()));
        assert!(outs[3..].iter().all(|&v| v == 100.0));
        let mut flat = Rsi::new(3).unwrap();
        let outs: Vec<f64> = (0..6).map(|_| flat.step(5.0)).collect();
        assert_eq!(outs[5], 0.0);
    }

    #[test]
    fn rsi_first_value_averages_the_first_changes() {
        // changes: +2, -1, +1 -> gain 3/3, loss 1/3 -> 75
        let mut r = Rsi::new(3).unwrap();
        let outs: Vec<f64> = [10.0, 12.0, 11.0, 12.0].iter().map(|&v| r.step(v)).collect();
        assert_eq!(outs[3], 75.0);
    }

    #[test]
    fn rsi_rejects_period_below_two() {
        assert!(Rsi::new(1).is_err());
    }

    #[test]
    fn rsi_is_chunk_invariant() {
        let x = walk(300, 6);
        for sizes in [&[1usize, 2, 3, 50][..], &[299, 1], &[15]] {
            assert_chunk_invariant(&|| Box::new(Rsi::new(14).unwrap()), &[&x], 1, sizes);
        }
    }
}
