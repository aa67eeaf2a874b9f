//! EMA — exponential moving average.
//!
//! `k = 2 / (p + 1)`; the seed at index `p - 1` is the SMA of the first `p`
//! values, then `ema = ema * (1 - k) + k * x`, one fused multiply-add on
//! the recursion's chain (`fp::ema`; TA-Lib 0.8 computes `(x - ema) * k +
//! ema`, which chains a subtraction too: values agree to a few ulps).
//! An average built [`Ema::in_pairs`] takes two steps as one from the
//! second value after the seed on (`fp::Pair`: `ema[t]` from `ema[t-2]`),
//! which halves the chain its loop waits on, for one more multiply per
//! value; values stay within a few ulps of TA-Lib's. EMA, DEMA, ZLEMA, ERI,
//! KC, EFI and the EMA moving-average type run in pairs. The others step
//! one value at a time: TEMA, TRIX, MACD, TSI, SMI and MASSI chain three or
//! more averages in one loop, which the extra multiplies would leave bound
//! by the multiply-add units rather than by the chains, and CVI's loop
//! waits on a division.
//! Lookback `p - 1` (TA-Lib's default unstable period of 0 and default
//! compatibility mode). Period 1 copies the input.

use super::super::{check_shapes, fp, step_while, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming exponential moving average.
#[derive(Clone, Debug)]
pub struct Ema {
    period: usize,
    k: f64,
    offset: usize,
    seen: usize,
    seed: f64,
    prev: f64,
    /// The average before `prev`, and the value `prev` took in; used once
    /// `paired` (from the second value after the seed).
    prev2: f64,
    last: f64,
    paired: bool,
    /// Whether steps are paired once the average runs (see the module
    /// docs).
    pairs: bool,
    pair: fp::Pair,
}

impl Ema {
    /// Builds an EMA with TA-Lib's smoothing `k = 2 / (period + 1)`.
    pub fn new(period: usize) -> Result<Self> {
        Self::with_k(period, 2.0 / ((period + 1) as f64), 0)
    }

    /// Builds an EMA with an explicit smoothing factor that ignores its first
    /// `offset` inputs (outputs NaN for them). MACD uses the offset to seed
    /// its fast average where TA-Lib does.
    pub fn with_k(period: usize, k: f64, offset: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            k,
            offset,
            seen: 0,
            seed: 0.0,
            prev: f64::NAN,
            prev2: f64::NAN,
            last: f64::NAN,
            paired: false,
            pairs: false,
            pair: fp::Pair::new(1.0 - k, k),
        })
    }

    /// The same average taking two steps as one from the second value
    /// after its seed (see the module docs).
    pub fn in_pairs(mut self) -> Self {
        self.pairs = true;
        self
    }

    /// Number of leading NaN outputs, including the offset.
    pub fn lookback_total(&self) -> usize {
        self.offset + self.period - 1
    }

    /// Consumes one value and returns the average (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if seen < self.offset {
            return f64::NAN;
        }
        if self.period == 1 {
            return v;
        }
        let m = seen - self.offset + 1;
        if m < self.period {
            self.seed += v;
            f64::NAN
        } else if m == self.period {
            self.seed += v;
            self.prev = self.seed / self.period as f64;
            self.paired = false;
            self.prev
        } else {
            let next = if self.paired {
                self.pair.next(self.prev2, self.last, v)
            } else {
                fp::ema(self.prev, v, self.k)
            };
            self.prev2 = std::mem::replace(&mut self.prev, next);
            self.last = v;
            self.paired = self.pairs;
            next
        }
    }

    /// The smoothing state once an average that steps one value at a time
    /// is seeded (and its period is above 1): `(current value, k)`. Lets
    /// composite kernels run a tight steady-state loop; they report back
    /// with [`Ema::advance`].
    #[inline(always)]
    pub(crate) fn seeded(&self) -> Option<(f64, f64)> {
        let seeded = self.period > 1 && self.seen >= self.offset + self.period;
        (seeded && !self.pairs).then_some((self.prev, self.k))
    }

    /// Records that `count` values were consumed outside `step`, ending at
    /// average `prev` (one step at a time).
    #[inline(always)]
    pub(crate) fn advance(&mut self, prev: f64, count: usize) {
        self.prev = prev;
        self.seen += count;
    }

    /// The running state once the average is seeded and its steps are
    /// paired (from the second value after the seed; period above 1): lets
    /// composite kernels run the average in their own loop, with `step`'s
    /// operations. They report back with [`Ema::resume`].
    #[inline(always)]
    pub(crate) fn running(&self) -> Option<fp::PairRun> {
        self.paired.then_some(fp::PairRun {
            prev: self.prev,
            prev2: self.prev2,
            last: self.last,
            pair: self.pair,
        })
    }

    /// Records that `count` values were consumed through `run`.
    #[inline(always)]
    pub(crate) fn resume(&mut self, run: fp::PairRun, count: usize) {
        (self.prev, self.prev2, self.last) = (run.prev, run.prev2, run.last);
        self.seen += count;
    }

    /// Consumes a chunk into `out` (same length).
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        fp::run_kernel(self, &[x], &mut [out]);
    }
}

impl fp::Kernel for Ema {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let i = step_while(
            self,
            x,
            out,
            |e| e.period > 1 && e.seen < e.offset + e.period,
            Ema::step,
        );
        if self.period == 1 {
            // Copies the input (after the offset).
            for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
                *o = self.step(v);
            }
            return;
        }
        if !self.pairs {
            // Seeded: `step`'s operations with the average in a register.
            let Some((mut prev, k)) = self.seeded() else { return };
            for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
                prev = fp::ema(prev, v, k);
                *o = prev;
            }
            self.advance(prev, x.len() - i);
            return;
        }
        // Seeded: the first value after the seed one step at a time, then
        // `step`'s pairs with the state in registers.
        let mut i = i;
        while i < x.len() && !self.paired {
            out[i] = self.step(x[i]);
            i += 1;
        }
        let Some(mut run) = self.running() else { return };
        for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
            *o = run.next(v);
        }
        self.resume(run, x.len() - i);
    }
}

impl Indicator for Ema {
    fn lookback(&self) -> usize {
        self.lookback_total()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.update_chunk(inputs[0], outputs[0]);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.seed = 0.0;
        self.prev = f64::NAN;
        self.paired = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ema_seeds_with_sma_then_smooths() {
        let x = [2.0, 4.0, 6.0, 8.0];
        let mut out = [0.0; 4];
        Ema::new(3).unwrap().update_chunk(&x, &mut out);
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 4.0);
        assert_eq!(out[3], ((8.0 - 4.0) * 0.5) + 4.0);
    }

    #[test]
    fn ema_offset_delays_the_seed() {
        let x = [100.0, 2.0, 4.0, 6.0];
        let mut out = [0.0; 4];
        Ema::with_k(3, 0.5, 1).unwrap().update_chunk(&x, &mut out);
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert_eq!(out[3], 4.0);
    }

    #[test]
    fn ema_is_chunk_invariant() {
        let x = walk(400, 3);
        for sizes in [&[1][..], &[5, 11], &[399]] {
            assert_chunk_invariant(&|| Box::new(Ema::new(30).unwrap()), &[&x], 1, sizes);
        }
    }
}
