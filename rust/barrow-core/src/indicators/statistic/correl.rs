//! CORREL — Pearson's correlation coefficient of two series over `p` values.
//!
//! `r = cov / sqrt(vx · vy)` with `vx = Sxx - Sx² / p`, `vy = Syy - Sy² / p`
//! and `cov = Sxy - Sx · Sy / p` (sums over the window), clamped to
//! [-1, 1]; 0 when `vx <= 1e-14 Sxx`, `vy <= 1e-14 Syy` or `vx · vy <= 0`.
//! Lookback `p - 1`.
//!
//! As in TA-Lib 0.8 the sums are of `x - Kx` and `y - Ky` around shifts
//! (first the oldest pair, then the window means), and they are rebuilt from
//! the window when cancellation threatens (`vx < 1e-6 Sxx`, `vy < 1e-6 Syy`,
//! the square leaving on the previous bar above `1e6` times the new sum of
//! squares) and at least every `32 p` bars; the checks run in TA-Lib's order
//! so that the bits match.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Rebuild when a variance falls below this fraction of its sum of squares.
const REL: f64 = 1e-6;
/// Rebuild when the previous leaving square exceeds this many sums of squares.
const ABS: f64 = 1e6;
/// A variance at or below this fraction of its sum of squares counts as zero.
const FLOOR: f64 = 1e-14;

/// Streaming Pearson correlation; inputs are (real0, real1).
#[derive(Clone, Debug)]
pub struct Correl {
    period: usize,
    rcp: f64,
    seen: usize,
    shift: (f64, f64),
    sx: f64,
    sxx: f64,
    sy: f64,
    syy: f64,
    sxy: f64,
    leaving: (f64, f64),
    countdown: usize,
    xs: Ring,
    ys: Ring,
}

impl Correl {
    /// Correlation over `period >= 1` pairs.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            rcp: 1.0 / period as f64,
            seen: 0,
            shift: (0.0, 0.0),
            sx: 0.0,
            sxx: 0.0,
            sy: 0.0,
            syy: 0.0,
            sxy: 0.0,
            leaving: (0.0, 0.0),
            countdown: 32 * period,
            xs: Ring::new(period),
            ys: Ring::new(period),
        })
    }

    /// Consumes one pair (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, x: f64, y: f64) -> f64 {
        self.xs.swap(x);
        self.ys.swap(y);
        let seen = self.seen;
        self.seen += 1;
        if seen == 0 {
            self.shift = (x, y);
        }
        if seen + 1 < self.period {
            let (dx, dy) = (x - self.shift.0, y - self.shift.1);
            self.sx += dx;
            self.sxx += dx * dx;
            self.sy += dy;
            self.syy += dy * dy;
            self.sxy += dx * dy;
            return f64::NAN;
        }
        let dx = x - self.shift.0;
        self.sx += dx;
        self.sxx += dx * dx;
        let mut vx = self.sxx - (self.sx * self.sx) * self.rcp;
        let mut vy = 0.0;
        let mut dy = 0.0;
        let rebuild = self.sxx * REL > vx
            || {
                dy = y - self.shift.1;
                self.sy += dy;
                self.syy += dy * dy;
                vy = self.syy - (self.sy * self.sy) * self.rcp;
                self.syy * REL > vy
            }
            || self.leaving.0 > self.sxx * ABS
            || self.leaving.1 > self.syy * ABS
            || {
                self.countdown -= 1;
                self.countdown == 0
            };
        let cov = if rebuild {
            let (rvx, rvy, cov) = self.rebuild();
            vx = rvx;
            vy = rvy;
            cov
        } else {
            self.sxy += dx * dy;
            self.sxy - (self.sx * self.sy) * self.rcp
        };
        let ox = self.xs.oldest() - self.shift.0;
        let oy = self.ys.oldest() - self.shift.1;
        let r = if vx > self.sxx * FLOOR && vy > self.syy * FLOOR && vx * vy > 0.0 {
            // A NaN passes through the clamp, as in TA-Lib.
            (cov / (vx * vy).sqrt()).clamp(-1.0, 1.0)
        } else {
            0.0
        };
        self.sx -= ox;
        self.sy -= oy;
        self.sxy -= ox * oy;
        self.leaving = (ox * ox, oy * oy);
        self.sxx -= self.leaving.0;
        self.syy -= self.leaving.1;
        r
    }

    /// Re-centres on the window means and recomputes the sums over the
    /// window (the newest pair included); returns `(vx, vy, cov)` with the
    /// variances floored at 0.
    #[cold]
    #[inline(never)]
    fn rebuild(&mut self) -> (f64, f64, f64) {
        let (mut tx, mut ty) = (0.0, 0.0);
        for x in self.xs.iter() {
            tx += x;
        }
        for y in self.ys.iter() {
            ty += y;
        }
        self.shift = (tx * self.rcp, ty * self.rcp);
        let (mut sx, mut sxx, mut sy, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (x, y) in self.xs.iter().zip(self.ys.iter()) {
            let (dx, dy) = (x - self.shift.0, y - self.shift.1);
            sx += dx;
            sxx += dx * dx;
            sy += dy;
            syy += dy * dy;
            sxy += dx * dy;
        }
        (self.sx, self.sxx, self.sy, self.syy, self.sxy) = (sx, sxx, sy, syy, sxy);
        self.countdown = 32 * self.period;
        let floor = |v: f64| if v < 0.0 { 0.0 } else { v };
        let vx = floor(sxx - (sx * sx) * self.rcp);
        let vy = floor(syy - (sy * sy) * self.rcp);
        (vx, vy, sxy - (sy * sx) * self.rcp)
    }
}

impl Indicator for Correl {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = self.step(inputs[0][i], inputs[1][i]);
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn correl_is_one_for_affine_and_minus_one_for_mirrored_series() {
        let x = [1.0, 2.0, 4.0, 3.0, 5.0];
        let mut up = Correl::new(3).unwrap();
        let mut down = Correl::new(3).unwrap();
        let mut last = (0.0, 0.0);
        for &v in &x {
            last = (up.step(v, 2.0 * v + 1.0), down.step(v, -v));
        }
        assert!((last.0 - 1.0).abs() < 1e-12 && (last.1 + 1.0).abs() < 1e-12, "{last:?}");
        // A constant series has no variance: 0, not NaN.
        let mut flat = Correl::new(3).unwrap();
        let out: Vec<f64> = x.iter().map(|&v| flat.step(v, 7.0)).collect();
        assert_eq!(out[4], 0.0);
    }

    #[test]
    fn correl_is_chunk_invariant() {
        let x = walk(700, 31);
        let y = walk(700, 32);
        for p in [1, 2, 5] {
            assert_chunk_invariant(&|| Box::new(Correl::new(p).unwrap()), &[&x, &y], 1, &[1, 9, 100]);
        }
    }
}
