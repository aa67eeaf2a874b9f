//! MAMA — MESA adaptive moving average (and its follower FAMA).
//!
//! Runs the Hilbert transform of [`cycle`](crate::indicators::cycle) and
//! takes the phase `φ = atan(Q1 / I1)` in degrees (0 when I1 is 0). With
//! `Δφ = max(φ' - φ, 1)`, `α = max(fastlimit / Δφ, slowlimit)` (just
//! `fastlimit` when `Δφ` is 1), `mama = (1 - α)·mama + α·x` and
//! `fama = (1 - α/2)·fama + (α/2)·mama`, both fused as TA-Lib's FMA build
//! does, starting from 0. Lookback 32 (TA-Lib's default unstable period
//! is 0): 12 bars of price-smoother warm-up plus 20 bars of transform.

use super::super::cycle::hilbert::{HilbertCore, RAD2DEG, START_SHORT};
use super::super::fp::{self, madd};
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// MAMA's lookback (also MA's with matype 7).
///
/// TA-Lib's `MA(real, timeperiod, matype=7)` is `MAMA(real, 0.5, 0.05)`'s
/// `mama` output whatever `timeperiod` is, lookback 32, except that
/// `timeperiod == 1` copies the input (checked against TA-Lib 0.8.2).
pub const MAMA_LOOKBACK: usize = 32;

/// Streaming MAMA/FAMA.
#[derive(Clone, Debug)]
pub struct Mama {
    fast: f64,
    slow: f64,
    core: HilbertCore,
    prev_phase: f64,
    mama: f64,
    fama: f64,
}

impl Mama {
    /// MAMA with `fastlimit` and `slowlimit` in [0.01, 0.99] (TA-Lib's
    /// defaults are 0.5 and 0.05). Lookback [`MAMA_LOOKBACK`].
    pub fn new(fastlimit: f64, slowlimit: f64) -> Result<Self> {
        for (name, v) in [("fastlimit", fastlimit), ("slowlimit", slowlimit)] {
            if !(0.01..=0.99).contains(&v) {
                return Err(BarrowError::bad_param(name, v, "must be between 0.01 and 0.99"));
            }
        }
        Ok(Self {
            fast: fastlimit,
            slow: slowlimit,
            core: HilbertCore::new(START_SHORT),
            prev_phase: 0.0,
            mama: 0.0,
            fama: 0.0,
        })
    }

    /// Lookback: [`MAMA_LOOKBACK`].
    pub fn lookback(&self) -> usize {
        MAMA_LOOKBACK
    }

    /// Consumes one price; returns `(mama, fama)`, NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> (f64, f64) {
        let Some(bar) = self.core.step(x) else {
            return (f64::NAN, f64::NAN);
        };
        let phase = if bar.i1 != 0.0 {
            (bar.q1 / bar.i1).atan() * RAD2DEG
        } else {
            0.0
        };
        let mut delta = self.prev_phase - phase;
        self.prev_phase = phase;
        if delta < 1.0 {
            delta = 1.0;
        }
        let alpha = if delta > 1.0 {
            let a = self.fast / delta;
            if a < self.slow {
                self.slow
            } else {
                a
            }
        } else {
            self.fast
        };
        self.mama = madd(1.0 - alpha, self.mama, alpha * x);
        let half = alpha * 0.5;
        self.fama = madd(1.0 - half, self.fama, half * self.mama);
        if bar.today < MAMA_LOOKBACK {
            (f64::NAN, f64::NAN)
        } else {
            (self.mama, self.fama)
        }
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        *self = Self::new(self.fast, self.slow).expect("valid limits");
    }
}

impl fp::Kernel for Mama {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (mama, rest) = outputs.split_at_mut(1);
        for ((m, f), &x) in mama[0].iter_mut().zip(rest[0].iter_mut()).zip(inputs[0]) {
            (*m, *f) = self.step(x);
        }
    }
}

impl Indicator for Mama {
    fn lookback(&self) -> usize {
        MAMA_LOOKBACK
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 2);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        Mama::reset(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn mama_is_chunk_invariant() {
        let x = walk(400, 31);
        assert_chunk_invariant(&|| Box::new(Mama::new(0.5, 0.05).unwrap()), &[&x], 2, &[1, 7, 64]);
    }

    #[test]
    fn mama_tracks_a_flat_price_and_starts_at_bar_32() {
        let mut m = Mama::new(0.5, 0.05).unwrap();
        let out: Vec<(f64, f64)> = (0..200).map(|_| m.step(10.0)).collect();
        assert!(out[..MAMA_LOOKBACK].iter().all(|(a, b)| a.is_nan() && b.is_nan()));
        let (mama, fama) = out[199];
        assert!(
            (mama - 10.0).abs() < 1e-9 && (fama - 10.0).abs() < 1e-6,
            "{mama} {fama}"
        );
    }

    #[test]
    fn mama_rejects_limits_outside_talib_range() {
        assert!(Mama::new(1.0, 0.05).is_err());
        assert!(Mama::new(0.5, 0.0).is_err());
    }
}
