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

use super::super::{check_shapes, fp, ring::Ring, Indicator};
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
        let r = rebuild_sums(self.rcp, || self.xs.iter().zip(self.ys.iter()));
        self.shift = r.shift;
        (self.sx, self.sxx, self.sy, self.syy, self.sxy) = r.sums;
        self.countdown = 32 * self.period;
        (r.vx, r.vy, r.cov)
    }
}

impl Correl {
    /// Bars `from..` of a chunk, whose windows lie in it (`from >= p - 1`,
    /// the first window already summed), with `step`'s operations on locals
    /// and the leaving pair read from the slices; the correlations are
    /// finished a block at a time, where the square roots and divisions
    /// vectorize.
    #[inline(always)]
    fn run_slice(&mut self, xs: &[f64], ys: &[f64], out: &mut [f64], from: usize) {
        const B: usize = 512;
        let n = xs.len();
        let p = self.period;
        let rcp = self.rcp;
        let (mut shx, mut shy) = self.shift;
        let (mut sx, mut sxx, mut sy, mut syy, mut sxy) = (self.sx, self.sxx, self.sy, self.syy, self.sxy);
        let (mut lx, mut ly) = self.leaving;
        let mut countdown = self.countdown;
        let mut bufs = [[0.0; B]; 5];
        let mut i0 = from;
        while i0 < n {
            let len = B.min(n - i0);
            let [bvx, bvy, bcov, bsxx, bsyy] = &mut bufs;
            for j in 0..len {
                let i = i0 + j;
                let (x, y) = (xs[i], ys[i]);
                let dx = x - shx;
                sx += dx;
                sxx += dx * dx;
                let mut vx = sxx - (sx * sx) * rcp;
                let mut vy = 0.0;
                let mut dy = 0.0;
                let rebuild = sxx * REL > vx
                    || {
                        dy = y - shy;
                        sy += dy;
                        syy += dy * dy;
                        vy = syy - (sy * sy) * rcp;
                        syy * REL > vy
                    }
                    || lx > sxx * ABS
                    || ly > syy * ABS
                    || {
                        countdown -= 1;
                        countdown == 0
                    };
                let cov = if rebuild {
                    let w = i + 1 - p..i + 1;
                    let r = rebuild_sums(rcp, || xs[w.clone()].iter().copied().zip(ys[w.clone()].iter().copied()));
                    // `opaque` keeps the rebuilt sums scalar (see `fp::opaque`).
                    let o = fp::opaque;
                    (shx, shy) = (o(r.shift.0), o(r.shift.1));
                    (sx, sxx, sy, syy, sxy) = (o(r.sums.0), o(r.sums.1), o(r.sums.2), o(r.sums.3), o(r.sums.4));
                    countdown = 32 * p;
                    (vx, vy) = (r.vx, r.vy);
                    r.cov
                } else {
                    sxy += dx * dy;
                    sxy - (sx * sy) * rcp
                };
                (bvx[j], bvy[j], bcov[j], bsxx[j], bsyy[j]) = (vx, vy, cov, sxx, syy);
                let (ox, oy) = (xs[i + 1 - p] - shx, ys[i + 1 - p] - shy);
                sx -= ox;
                sy -= oy;
                sxy -= ox * oy;
                (lx, ly) = (ox * ox, oy * oy);
                sxx -= lx;
                syy -= ly;
            }
            for j in 0..len {
                let (vx, vy, cov) = (bvx[j], bvy[j], bcov[j]);
                let ok = vx > bsxx[j] * FLOOR && vy > bsyy[j] * FLOOR && vx * vy > 0.0;
                // A NaN passes through the clamp, as in TA-Lib.
                let r = (cov / (vx * vy).sqrt()).clamp(-1.0, 1.0);
                out[i0 + j] = std::hint::select_unpredictable(ok, r, 0.0);
            }
            i0 += len;
        }
        self.shift = (shx, shy);
        (self.sx, self.sxx, self.sy, self.syy, self.sxy) = (sx, sxx, sy, syy, sxy);
        self.leaving = (lx, ly);
        self.countdown = countdown;
        self.seen += n - from;
        self.xs.load(&xs[n - p..]);
        self.ys.load(&ys[n - p..]);
    }
}

/// What [`Correl`]'s rebuild leaves: the new shift, the sums around it and
/// the window's `(vx, vy, cov)`.
struct Rebuilt {
    shift: (f64, f64),
    sums: (f64, f64, f64, f64, f64),
    vx: f64,
    vy: f64,
    cov: f64,
}

/// Re-centres on the window means and recomputes the sums over the window
/// (`pairs()` yields it oldest first, the newest pair included), with the
/// variances floored at 0.
#[cold]
#[inline(never)]
fn rebuild_sums<I: Iterator<Item = (f64, f64)>>(rcp: f64, pairs: impl Fn() -> I) -> Rebuilt {
    let (mut tx, mut ty) = (0.0, 0.0);
    for (x, y) in pairs() {
        tx += x;
        ty += y;
    }
    let shift = (tx * rcp, ty * rcp);
    let (mut sx, mut sxx, mut sy, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (x, y) in pairs() {
        let (dx, dy) = (x - shift.0, y - shift.1);
        sx += dx;
        sxx += dx * dx;
        sy += dy;
        syy += dy * dy;
        sxy += dx * dy;
    }
    let floor = |v: f64| if v < 0.0 { 0.0 } else { v };
    Rebuilt {
        shift,
        sums: (sx, sxx, sy, syy, sxy),
        vx: floor(sxx - (sx * sx) * rcp),
        vy: floor(syy - (sy * sy) * rcp),
        cov: sxy - (sy * sx) * rcp,
    }
}

impl Indicator for Correl {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (xs, ys, out) = (inputs[0], &inputs[1][..inputs[0].len()], &mut *outputs[0]);
        let n = xs.len();
        let p = self.period;
        // Bars whose window starts in an earlier chunk, and the first bar
        // (it sets the shift).
        let head = (p - 1).max(1).min(n);
        for i in 0..head {
            out[i] = self.step(xs[i], ys[i]);
        }
        if head < n {
            fp::with_fma(
                #[inline(always)]
                || self.run_slice(xs, ys, out, head),
            );
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
