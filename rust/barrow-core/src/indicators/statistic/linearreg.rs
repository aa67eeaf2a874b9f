//! LINEARREG, LINEARREG_SLOPE, LINEARREG_INTERCEPT, LINEARREG_ANGLE and TSF —
//! the least-squares line through the last `p` values.
//!
//! With `x` the age of a value (`p - 1` for the oldest, 0 for the newest),
//! `Sx = p (p - 1) / 2`, `D = Sx² - p · p (p - 1) (2p - 1) / 6`,
//! `m = (p · Sxy - Sx · Sy) / D` (the slope per bar, forward in time) and
//! `b = (Sy - m · Sx) / p` (the line's value at the oldest bar). The outputs
//! are `b + m (p - 1)` (LINEARREG, one fused multiply-add), `m`, `b`,
//! `atan(m) · 180 / π` and `b + m p` (TSF, fused). Lookback `p - 1`.
//!
//! TA-Lib 0.8 keeps `Sy`, `Sxy` and `Σ|y|` as running sums (`Sxy += Sy` ages
//! every value by one bar, then the leaving value's `p · y` is subtracted)
//! and recomputes them from the window every `32 p` bars, and whenever the
//! leaving `|p · y|` exceeds `100 Σ|y|`; this kernel does the same, in the
//! same order, so it gives TA-Lib's bits. LINEARREG_ANGLE's arctangent is
//! computed here rather than by the C library (within 2 ulps of it; see
//! `atan_degrees`).

use super::super::{check_shapes, fp, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Which value of the regression line an indicator outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinRegKind {
    /// LINEARREG: the line's value at the newest bar.
    Line,
    /// LINEARREG_SLOPE: the slope per bar.
    Slope,
    /// LINEARREG_INTERCEPT: the line's value at the oldest bar.
    Intercept,
    /// LINEARREG_ANGLE: the slope's angle in degrees.
    Angle,
    /// TSF: the line extended one bar past the newest.
    Forecast,
}

/// The running sums of TA-Lib 0.8's linear regression over `p` values,
/// shared by the LINEARREG family, TSF and FOSC.
#[derive(Clone, Debug)]
pub(crate) struct LinRegCore {
    period: usize,
    p: f64,
    sum_x: f64,
    divisor: f64,
    seen: usize,
    sum_y: f64,
    sum_xy: f64,
    sum_abs: f64,
    countdown: usize,
    window: Ring,
}

/// Bars per block of slopes and intercepts in [`LinRegCore::run_steady`].
const LINE_BLOCK: usize = 32;

/// Takes the slopes and intercepts of [`LinRegCore::run_steady`], a block at
/// a time: `lines(start, m, b)` for bars `start..start + m.len()`.
/// Implementations are `#[inline(always)]`, so they compile into the FMA
/// copy of the kernel that calls them (a closure may not be inlined, and
/// its `mul_add` then becomes a library call).
pub(crate) trait Lines {
    fn lines(&mut self, start: usize, m: &[f64], b: &[f64]);
}

impl<F: FnMut(usize, &[f64], &[f64])> Lines for F {
    #[inline(always)]
    fn lines(&mut self, start: usize, m: &[f64], b: &[f64]) {
        self(start, m, b)
    }
}

/// Slope and intercept of one window.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    /// Slope per bar.
    pub(crate) m: f64,
    /// Value at the oldest bar.
    pub(crate) b: f64,
}

impl LinRegCore {
    /// Regression over `period >= 2` values.
    pub(crate) fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        let p = period as f64;
        let pp = p * (period - 1) as f64;
        let sum_x = pp * 0.5;
        let sum_x_sq = (2 * period - 1) as f64 * pp / 6.0;
        Ok(Self {
            period,
            p,
            sum_x,
            divisor: sum_x * sum_x - sum_x_sq * p,
            seen: 0,
            sum_y: 0.0,
            sum_xy: 0.0,
            sum_abs: 0.0,
            countdown: 0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value; the line through the last `p` values once there
    /// are `p` of them.
    #[inline(always)]
    pub(crate) fn step(&mut self, v: f64) -> Option<Line> {
        let old = self.window.swap(v);
        self.seen += 1;
        if self.seen < self.period {
            return None;
        }
        if self.seen == self.period {
            self.recompute();
        } else {
            self.countdown -= 1;
            if self.countdown == 0 {
                self.recompute();
            } else {
                let p_old = self.p * old;
                self.sum_abs = v.abs() + (self.sum_abs - old.abs());
                if p_old.abs() > self.sum_abs * 100.0 {
                    self.recompute();
                } else {
                    self.sum_xy = (self.sum_xy + self.sum_y) - p_old;
                    self.sum_y = (self.sum_y - old) + v;
                }
            }
        }
        let m = (self.p * self.sum_xy - self.sum_x * self.sum_y) / self.divisor;
        let b = (self.sum_y - self.sum_x * m) / self.p;
        Some(Line { m, b })
    }

    /// Rebuilds the sums from the window (oldest first, weight `p - 1`).
    #[cold]
    #[inline(never)]
    fn recompute(&mut self) {
        (self.sum_y, self.sum_xy, self.sum_abs) = window_sums(self.period, self.window.iter());
        self.countdown = 32 * self.period;
    }

    /// Consumes the start of a chunk whose windows begin before it, one
    /// [`LinRegCore::step`] at a time, calling `head(i, line)` (`None`
    /// during the lookback); returns how many bars it took. The rest of the
    /// chunk goes to [`LinRegCore::run_steady`].
    #[inline(always)]
    pub(crate) fn run_head(&mut self, x: &[f64], mut head: impl FnMut(usize, Option<Line>)) -> usize {
        let first = self.period.min(x.len());
        for (i, &v) in x[..first].iter().enumerate() {
            head(i, self.step(v));
        }
        first
    }

    /// Consumes bars `first..` of a chunk (`first` from
    /// [`LinRegCore::run_head`]) on the slice with the sums in locals and
    /// the same operations as `step`, calling `lines(start, m, b)` with the
    /// slopes and intercepts of bars `start..start + m.len()`, a block at a
    /// time. The two divisions per bar are done per block, off the chain of
    /// running sums, where they vectorize. With `B` false the intercepts
    /// are not computed (`b` holds `Σy` instead), for outputs that read
    /// only the slope.
    #[inline(always)]
    pub(crate) fn run_steady<const B: bool>(&mut self, x: &[f64], first: usize, mut lines: impl Lines) {
        let n = x.len();
        let period = self.period;
        if first == n {
            return;
        }
        let (p, sum_x, divisor) = (self.p, self.sum_x, self.divisor);
        let (mut sum_y, mut sum_xy, mut sum_abs, mut countdown) =
            (self.sum_y, self.sum_xy, self.sum_abs, self.countdown);
        // One bar of the running sums, as in `step`.
        macro_rules! advance {
            ($i:expr) => {{
                let i = $i;
                let (v, old) = (x[i], x[i - period]);
                countdown -= 1;
                if countdown == 0 {
                    // The rebuilt sums come back through memory; `opaque` keeps
                    // them scalar (see `fp::opaque`).
                    let (y, xy, a) = recompute_slice(period, &x[i + 1 - period..=i]);
                    (sum_y, sum_xy, sum_abs) = (fp::opaque(y), fp::opaque(xy), a);
                    countdown = 32 * period;
                } else {
                    let p_old = p * old;
                    sum_abs = v.abs() + (sum_abs - old.abs());
                    if p_old.abs() > sum_abs * 100.0 {
                        let (y, xy, a) = recompute_slice(period, &x[i + 1 - period..=i]);
                        (sum_y, sum_xy, sum_abs) = (fp::opaque(y), fp::opaque(xy), a);
                        countdown = 32 * period;
                    } else {
                        sum_xy = (sum_xy + sum_y) - p_old;
                        sum_y = (sum_y - old) + v;
                    }
                }
                (sum_xy, sum_y)
            }};
        }
        // Slopes and intercepts from the sums, in place.
        let solve = |ms: &mut [f64], bs: &mut [f64]| {
            for (m, b) in ms.iter_mut().zip(bs.iter_mut()) {
                let (sxy, sy) = (*m, *b);
                *m = (p * sxy - sum_x * sy) / divisor;
                if B {
                    *b = (sy - sum_x * *m) / p;
                }
            }
        };
        // Software-pipelined: while the sums of one block are computed,
        // the previous block is solved a group of four bars at a time, so
        // the divisions run in the shadow of the chain instead of after it.
        let mut blocks = [
            ([0.0; LINE_BLOCK], [0.0; LINE_BLOCK]),
            ([0.0; LINE_BLOCK], [0.0; LINE_BLOCK]),
        ];
        let [cur, prev] = &mut blocks;
        let (mut cur, mut prev) = (cur, prev);
        let (mut prev_start, mut prev_len) = (first, 0);
        let mut start = first;
        while start < n {
            let len = LINE_BLOCK.min(n - start);
            if len == LINE_BLOCK && prev_len == LINE_BLOCK {
                for g in (0..LINE_BLOCK).step_by(4) {
                    for j in g..g + 4 {
                        (cur.0[j], cur.1[j]) = advance!(start + j);
                    }
                    solve(&mut prev.0[g..g + 4], &mut prev.1[g..g + 4]);
                }
            } else {
                for j in 0..len {
                    (cur.0[j], cur.1[j]) = advance!(start + j);
                }
                solve(&mut prev.0[..prev_len], &mut prev.1[..prev_len]);
            }
            if prev_len > 0 {
                lines.lines(prev_start, &prev.0[..prev_len], &prev.1[..prev_len]);
            }
            // The buffers trade roles (references, not their contents).
            std::mem::swap(&mut cur, &mut prev);
            (prev_start, prev_len) = (start, len);
            start += len;
        }
        solve(&mut prev.0[..prev_len], &mut prev.1[..prev_len]);
        lines.lines(prev_start, &prev.0[..prev_len], &prev.1[..prev_len]);
        (self.sum_y, self.sum_xy, self.sum_abs, self.countdown) = (sum_y, sum_xy, sum_abs, countdown);
        self.seen += n - first;
        self.window.load(&x[n - period..]);
    }

    pub(crate) fn reset(&mut self) {
        self.seen = 0;
        self.sum_y = 0.0;
        self.sum_xy = 0.0;
        self.sum_abs = 0.0;
        self.countdown = 0;
        self.window.clear();
    }
}

/// `(Σy, Σ age·y, Σ|y|)` over a window, oldest value first (age `p - 1`).
#[inline(always)]
fn window_sums(period: usize, values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let (mut sy, mut sxy, mut sa) = (0.0, 0.0, 0.0);
    let mut age = (period - 1) as f64;
    for x in values {
        sy += x;
        sa += x.abs();
        sxy += x * age;
        age -= 1.0;
    }
    (sy, sxy, sa)
}

#[cold]
#[inline(never)]
fn recompute_slice(period: usize, window: &[f64]) -> (f64, f64, f64) {
    window_sums(period, window.iter().copied())
}

/// `tan(3π/8)`: above it, [`atan_degrees`] reduces through `π/2 - atan(1/x)`.
const TAN_3PI_8: f64 = 2.414_213_562_373_095;

/// `atan(m)` in degrees, for LINEARREG_ANGLE: Cephes' arctangent, with
/// selects instead of branches so that a loop over it vectorizes. The
/// argument is reduced to `|r| <= 0.66` through
/// `atan(x) = π/4 + atan((x - 1) / (x + 1))` and `π/2 - atan(1 / x)`,
/// then a rational approximation of degree 4 over 5 takes over. Within 2
/// ulps of the C library's `atan` (see the tests), and a block of slopes
/// takes about a third of the time.
#[inline(always)]
fn atan_degrees(m: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, FRAC_PI_4, PI};
    const MORE_BITS: f64 = 6.123_233_995_736_766e-17;
    const P: [f64; 5] = [
        -8.750_608_600_031_904e-1,
        -1.615_753_718_733_365e1,
        -7.500_855_792_314_705e1,
        -1.228_866_684_490_136e2,
        -6.485_021_904_942_025e1,
    ];
    const Q: [f64; 5] = [
        2.485_846_490_142_306e1,
        1.650_270_098_316_988e2,
        4.328_810_604_912_903e2,
        4.853_903_996_359_137e2,
        1.945_506_571_482_614e2,
    ];
    let a = m.abs();
    let (big, mid) = (a > TAN_3PI_8, a > 0.66);
    let sel = std::hint::select_unpredictable::<f64>;
    let r = sel(big, -1.0, sel(mid, a - 1.0, a)) / sel(big, a, sel(mid, a + 1.0, 1.0));
    let base = sel(big, FRAC_PI_2, sel(mid, FRAC_PI_4, 0.0));
    let more = sel(big, MORE_BITS, sel(mid, 0.5 * MORE_BITS, 0.0));
    let z = r * r;
    let p = (((P[0] * z + P[1]) * z + P[2]) * z + P[3]) * z + P[4];
    let q = ((((z + Q[0]) * z + Q[1]) * z + Q[2]) * z + Q[3]) * z + Q[4];
    let y = base + ((r * (z * p / q) + r) + more);
    y.copysign(m) * (180.0 / PI)
}

/// Streaming LINEARREG family and TSF.
#[derive(Clone, Debug)]
pub struct LinearReg {
    kind: LinRegKind,
    core: LinRegCore,
}

impl LinearReg {
    /// The `kind` output over `period >= 2` values.
    pub fn new(kind: LinRegKind, period: usize) -> Result<Self> {
        Ok(Self {
            kind,
            core: LinRegCore::new(period)?,
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let Some(Line { m, b }) = self.core.step(v) else {
            return f64::NAN;
        };
        match self.kind {
            LinRegKind::Line => fp::madd(m, (self.core.period - 1) as f64, b),
            LinRegKind::Slope => m,
            LinRegKind::Intercept => b,
            LinRegKind::Angle => atan_degrees(m),
            LinRegKind::Forecast => fp::madd(m, self.core.p, b),
        }
    }
}

impl fp::Kernel for LinearReg {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let last = (self.core.period - 1) as f64;
        let p = self.core.p;
        // One loop per kind, each with the output formula of `step`.
        macro_rules! run {
            ($need_b:literal, |$m:ident, $b:ident| $value:expr) => {{
                let first = self.core.run_head(x, |i, line| {
                    out[i] = line.map_or(f64::NAN, |Line { m: $m, b: $b }| $value)
                });
                self.core
                    .run_steady::<$need_b>(x, first, |start: usize, ms: &[f64], bs: &[f64]| {
                        for ((o, &$m), &$b) in out[start..].iter_mut().zip(ms).zip(bs) {
                            *o = $value;
                        }
                    });
            }};
        }
        match self.kind {
            LinRegKind::Line => run!(true, |m, b| fp::madd(m, last, b)),
            LinRegKind::Slope => run!(false, |m, _b| m),
            LinRegKind::Intercept => run!(true, |_m, b| b),
            LinRegKind::Angle => run!(false, |m, _b| atan_degrees(m)),
            LinRegKind::Forecast => run!(true, |m, b| fp::madd(m, p, b)),
        }
    }
}

impl Indicator for LinearReg {
    fn lookback(&self) -> usize {
        self.core.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.core.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn linearreg_fits_a_straight_line_exactly() {
        // y = 3 + 2 t: slope 2, intercept at the oldest bar of each window.
        let x: Vec<f64> = (0..6).map(|t| 3.0 + 2.0 * t as f64).collect();
        let run = |kind| {
            let mut ind = LinearReg::new(kind, 3).unwrap();
            x.iter().map(|&v| ind.step(v)).collect::<Vec<_>>()
        };
        assert!(run(LinRegKind::Line)[1].is_nan());
        assert_eq!(run(LinRegKind::Line)[5], 13.0);
        assert_eq!(run(LinRegKind::Slope)[5], 2.0);
        assert_eq!(run(LinRegKind::Intercept)[5], 9.0);
        assert_eq!(run(LinRegKind::Forecast)[5], 15.0);
        assert!((run(LinRegKind::Angle)[5] - 2f64.atan().to_degrees()).abs() < 1e-12);
    }

    #[test]
    fn angle_arctangent_is_within_two_ulps_of_libm() {
        let ulps = |a: f64, b: f64| (a.to_bits() as i64 - b.to_bits() as i64).abs();
        let mut rng = crate::data::rng::SplitMix64::new(9);
        let mut worst = 0;
        for k in 0..400_000 {
            // Magnitudes from 1e-12 to 1e12, both signs, and the reduction's
            // boundaries.
            let m = match k % 4 {
                0 => 10f64.powf(rng.next_f64() * 24.0 - 12.0),
                1 => -10f64.powf(rng.next_f64() * 24.0 - 12.0),
                2 => 0.66 + (rng.next_f64() - 0.5) * 1e-6,
                _ => TAN_3PI_8 + (rng.next_f64() - 0.5) * 1e-6,
            };
            let want = m.atan() * (180.0 / std::f64::consts::PI);
            worst = worst.max(ulps(atan_degrees(m), want));
        }
        assert!(worst <= 2, "{worst} ulps");
        for m in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            let want = m.atan() * (180.0 / std::f64::consts::PI);
            assert!(ulps(atan_degrees(m), want) <= 2, "{m}: {} vs {want}", atan_degrees(m));
        }
        assert!(atan_degrees(f64::NAN).is_nan());
    }

    #[test]
    fn linearreg_is_chunk_invariant_across_recomputes() {
        // 800 values pass the 32 p recompute several times for p = 5.
        let x = walk(800, 21);
        for kind in [LinRegKind::Line, LinRegKind::Angle, LinRegKind::Forecast] {
            assert_chunk_invariant(&|| Box::new(LinearReg::new(kind, 5).unwrap()), &[&x], 1, &[1, 7, 160]);
        }
    }
}
