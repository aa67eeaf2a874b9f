//! BETA — the regression slope of real1's one-bar returns on real0's (as
//! TA-Lib names them: x = real0, y = real1) over `p` returns.
//!
//! Returns are `(v - prev) / prev`, 0 when `prev` is 0. With `D = p Sxx -
//! Sx²`, `beta = (p Sxy - Sx Sy) / D`, 0 when `D <= 1e-14 p Sxx`. Lookback
//! `p` (one price more than returns).
//!
//! As in TA-Lib 0.8 the sums are of returns minus a shift (first the first
//! return, then the window's mean return), rebuilt from the window when
//! `D < 1e-6 p Sxx`, when the square that left on the previous bar exceeds
//! `1000` times the new sum of squares, and at least every `32 p` bars.

use super::super::{check_shapes, fp, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Rebuild when `D` falls below this fraction of `p Sxx`.
const REL: f64 = 1e-6;
/// Rebuild when the previous leaving square exceeds this many sums of squares.
const ABS: f64 = 1000.0;
/// A `D` at or below this fraction of `p Sxx` counts as zero.
const FLOOR: f64 = 1e-14;

/// One-bar return, 0 after a zero price.
#[inline(always)]
fn ret(v: f64, prev: f64) -> f64 {
    if prev == 0.0 {
        0.0
    } else {
        (v - prev) / prev
    }
}

/// Streaming beta; inputs are (real0, real1).
#[derive(Clone, Debug)]
pub struct Beta {
    period: usize,
    n: f64,
    seen: usize,
    prev: (f64, f64),
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

impl Beta {
    /// Beta over `period >= 1` returns.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            n: period as f64,
            seen: 0,
            prev: (0.0, 0.0),
            shift: (0.0, 0.0),
            sx: 0.0,
            sxx: 0.0,
            sy: 0.0,
            syy: 0.0,
            sxy: 0.0,
            leaving: (0.0, 0.0),
            countdown: 32 * period,
            xs: Ring::new(period + 1),
            ys: Ring::new(period + 1),
        })
    }

    /// Consumes one pair of prices (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, x: f64, y: f64) -> f64 {
        self.xs.swap(x);
        self.ys.swap(y);
        let seen = self.seen;
        self.seen += 1;
        let prev = std::mem::replace(&mut self.prev, (x, y));
        if seen == 0 {
            return f64::NAN;
        }
        let (rx, ry) = (ret(x, prev.0), ret(y, prev.1));
        if seen == 1 {
            self.shift = (rx, ry);
        }
        let (dx, dy) = (rx - self.shift.0, ry - self.shift.1);
        if seen < self.period {
            self.sxx += dx * dx;
            self.sxy += dx * dy;
            self.sx += dx;
            self.sy += dy;
            self.syy += dy * dy;
            return f64::NAN;
        }
        self.sx += dx;
        self.sxx += dx * dx;
        let mut nsxx = self.n * self.sxx;
        let mut d = nsxx - self.sx * self.sx;
        let rebuild = nsxx * REL > d
            || self.leaving.0 > self.sxx * ABS
            || {
                self.syy += dy * dy;
                self.leaving.1 > self.syy * ABS
            }
            || {
                self.countdown -= 1;
                self.countdown == 0
            };
        if rebuild {
            (nsxx, d) = self.rebuild();
        } else {
            self.sy += dy;
            self.sxy += dx * dy;
        }
        let mut window = self.xs.iter().zip(self.ys.iter());
        let (x0, y0) = window.next().expect("window holds p + 1 prices");
        let (x1, y1) = window.next().expect("window holds p + 1 prices");
        let ox = ret(x1, x0) - self.shift.0;
        let oy = ret(y1, y0) - self.shift.1;
        let beta = if d > nsxx * FLOOR {
            (self.sxy * self.n - self.sx * self.sy) / d
        } else {
            0.0
        };
        self.sy -= oy;
        self.sx -= ox;
        self.sxy -= ox * oy;
        self.leaving = (ox * ox, oy * oy);
        self.sxx -= self.leaving.0;
        self.syy -= self.leaving.1;
        beta
    }

    /// Re-centres on the window's mean returns and recomputes the sums;
    /// returns `(p Sxx, D)` with `D` floored at 0.
    #[cold]
    #[inline(never)]
    fn rebuild(&mut self) -> (f64, f64) {
        let returns = || {
            let mut prev: Option<(f64, f64)> = None;
            self.xs.iter().zip(self.ys.iter()).filter_map(move |(x, y)| {
                let r = prev.map(|(px, py)| (ret(x, px), ret(y, py)));
                prev = Some((x, y));
                r
            })
        };
        let r = rebuild_sums(self.n, returns);
        self.shift = r.shift;
        (self.sx, self.sxx, self.sy, self.syy, self.sxy) = r.sums;
        self.countdown = 32 * self.period;
        (r.nsxx, r.d)
    }
}

impl Beta {
    /// Bars `from..` of a chunk (`from >= p`, `from >= 2`), whose windows of
    /// `p + 1` prices lie in it, with `step`'s operations on locals. A block's returns are
    /// computed first (vectorized), after the `p` returns before the block,
    /// so the return leaving the window (the same division `step` repeats)
    /// is read from that buffer; the betas are finished per block.
    #[inline(always)]
    fn run_slice(&mut self, xs: &[f64], ys: &[f64], out: &mut [f64], from: usize) {
        const B: usize = 512;
        let n = xs.len();
        let p = self.period;
        let nf = self.n;
        let (mut shx, mut shy) = self.shift;
        let (mut sx, mut sxx, mut sy, mut syy, mut sxy) = (self.sx, self.sxx, self.sy, self.syy, self.sxy);
        let (mut lx, mut ly) = self.leaving;
        let mut countdown = self.countdown;
        // rx[m], ry[m]: the return of bar i0 - p + m (m >= 1 is ever read).
        let mut rx = vec![0.0; p + B];
        let mut ry = vec![0.0; p + B];
        for m in 1..p {
            let i = from - p + m;
            (rx[m], ry[m]) = (ret(xs[i], xs[i - 1]), ret(ys[i], ys[i - 1]));
        }
        let (mut bnum, mut bd, mut bnsxx) = ([0.0; B], [0.0; B], [0.0; B]);
        let mut i0 = from;
        while i0 < n {
            let len = B.min(n - i0);
            for j in 0..len {
                let i = i0 + j;
                rx[p + j] = ret(xs[i], xs[i - 1]);
                ry[p + j] = ret(ys[i], ys[i - 1]);
            }
            for j in 0..len {
                let (dx, dy) = (rx[p + j] - shx, ry[p + j] - shy);
                sx += dx;
                sxx += dx * dx;
                let mut nsxx = nf * sxx;
                let mut d = nsxx - sx * sx;
                let rebuild = nsxx * REL > d
                    || lx > sxx * ABS
                    || {
                        syy += dy * dy;
                        ly > syy * ABS
                    }
                    || {
                        countdown -= 1;
                        countdown == 0
                    };
                if rebuild {
                    let w = j + 1..p + j + 1;
                    let r = rebuild_sums(nf, || rx[w.clone()].iter().copied().zip(ry[w.clone()].iter().copied()));
                    // `opaque` keeps the rebuilt sums scalar (see `fp::opaque`).
                    let o = fp::opaque;
                    (shx, shy) = (o(r.shift.0), o(r.shift.1));
                    (sx, sxx, sy, syy, sxy) = (o(r.sums.0), o(r.sums.1), o(r.sums.2), o(r.sums.3), o(r.sums.4));
                    countdown = 32 * p;
                    (nsxx, d) = (r.nsxx, r.d);
                } else {
                    sy += dy;
                    sxy += dx * dy;
                }
                (bnum[j], bd[j], bnsxx[j]) = (sxy * nf - sx * sy, d, nsxx);
                let (ox, oy) = (rx[j + 1] - shx, ry[j + 1] - shy);
                sy -= oy;
                sx -= ox;
                sxy -= ox * oy;
                (lx, ly) = (ox * ox, oy * oy);
                sxx -= lx;
                syy -= ly;
            }
            for j in 0..len {
                let beta = bnum[j] / bd[j];
                out[i0 + j] = std::hint::select_unpredictable(bd[j] > bnsxx[j] * FLOOR, beta, 0.0);
            }
            rx.copy_within(len..len + p, 0);
            ry.copy_within(len..len + p, 0);
            i0 += len;
        }
        self.shift = (shx, shy);
        (self.sx, self.sxx, self.sy, self.syy, self.sxy) = (sx, sxx, sy, syy, sxy);
        self.leaving = (lx, ly);
        self.countdown = countdown;
        self.seen += n - from;
        self.prev = (xs[n - 1], ys[n - 1]);
        self.xs.load(&xs[n - p - 1..]);
        self.ys.load(&ys[n - p - 1..]);
    }
}

/// What [`Beta`]'s rebuild leaves: the new shift, the sums around it, and
/// `(n Sxx, D)` with `D` floored at 0.
struct Rebuilt {
    shift: (f64, f64),
    sums: (f64, f64, f64, f64, f64),
    nsxx: f64,
    d: f64,
}

/// Re-centres on the window's mean returns and recomputes the sums over its
/// `p` returns (`returns()` yields them oldest first).
#[cold]
#[inline(never)]
fn rebuild_sums<I: Iterator<Item = (f64, f64)>>(nf: f64, returns: impl Fn() -> I) -> Rebuilt {
    let (mut tx, mut ty) = (0.0, 0.0);
    for (a, b) in returns() {
        tx += a;
        ty += b;
    }
    let shift = (tx / nf, ty / nf);
    let (mut sx, mut sxx, mut sy, mut syy, mut sxy) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (a, b) in returns() {
        let (dx, dy) = (a - shift.0, b - shift.1);
        sxx += dx * dx;
        sy += dy;
        syy += dy * dy;
        sxy += dx * dy;
        sx += dx;
    }
    let nsxx = nf * sxx;
    let d = nsxx - sx * sx;
    Rebuilt {
        shift,
        sums: (sx, sxx, sy, syy, sxy),
        nsxx,
        d: if d < 0.0 { 0.0 } else { d },
    }
}

impl Indicator for Beta {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (xs, ys, out) = (inputs[0], &inputs[1][..inputs[0].len()], &mut *outputs[0]);
        let n = xs.len();
        // Bars whose window starts in an earlier chunk, and the first two
        // bars (the first return sets the shift).
        let head = self.period.max(2).min(n);
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
    fn beta_of_a_series_on_itself_is_one() {
        let x = walk(40, 41);
        let mut b = Beta::new(5).unwrap();
        let out: Vec<f64> = x.iter().map(|&v| b.step(v, v)).collect();
        assert!(out[..5].iter().all(|v| v.is_nan()));
        assert!(out[5..].iter().all(|v| (v - 1.0).abs() < 1e-9), "{out:?}");
        // Flat prices have no variance: 0.
        let mut flat = Beta::new(3).unwrap();
        let out: Vec<f64> = (0..6).map(|_| flat.step(5.0, 5.0)).collect();
        assert_eq!(out[5], 0.0);
    }

    #[test]
    fn beta_is_chunk_invariant() {
        let x = walk(700, 42);
        let y = walk(700, 43);
        for p in [1, 2, 5] {
            assert_chunk_invariant(&|| Box::new(Beta::new(p).unwrap()), &[&x, &y], 1, &[1, 9, 100]);
        }
    }
}
