//! PLUS_DM, MINUS_DM, PLUS_DI, MINUS_DI, DX, ADX, ADXR — Wilder's
//! directional movement system, one state machine for the whole family.
//!
//! Per bar: `+DM1 = high - prev_high` when that is positive and larger than
//! `prev_low - low` (and `-DM1` symmetrically), `TR1` the true range. The
//! first `p - 1` values of each are summed, then smoothed as TA-Lib's
//! `s = s - s / p + x`, computed as `s * ((p - 1) / p) + x` with the
//! multiply-add fused: one multiply-add where TA-Lib chains a division, a
//! subtraction and an addition (within a few ulps of TA-Lib). `±DI = 100 *
//! (±DM / TR)` (0 while TR is not positive), `DX = 100 * (|-DI - +DI| /
//! (-DI + +DI))` (kept from the previous bar when TR or the DI sum is
//! zero), `ADX` is the mean of the first `p` DX values then TA-Lib's
//! `(adx * (p - 1) + dx) / p`, computed as Wilder's multiply-add (see
//! [`Wilder`]), and `ADXR = (adx + adx[p - 1 bars ago]) / 2`. Lookbacks:
//! DM `p - 1`, DI and DX `p`, ADX `2p - 1`, ADXR `3p - 2`; with `p = 1`, DM
//! and DI are per bar (DI then without the factor 100, as TA-Lib computes
//! it) and have lookback 1.

use super::super::ring::Ring;
use super::super::volatility::true_range;
use super::super::{check_shapes, fp, in_local, Indicator};
use super::rsi::Wilder;
use crate::error::{BarrowError, Result};

/// Which member of the directional-movement family to output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectionalKind {
    /// Smoothed +DM (PLUS_DM); inputs (high, low).
    PlusDm,
    /// Smoothed -DM (MINUS_DM); inputs (high, low).
    MinusDm,
    /// +DI (PLUS_DI); inputs (high, low, close).
    PlusDi,
    /// -DI (MINUS_DI); inputs (high, low, close).
    MinusDi,
    /// Directional movement index (DX).
    Dx,
    /// Average directional movement index (ADX).
    Adx,
    /// ADX rating (ADXR).
    Adxr,
}

impl DirectionalKind {
    fn min_period(self) -> usize {
        match self {
            Self::PlusDm | Self::MinusDm | Self::PlusDi | Self::MinusDi => 1,
            Self::Dx | Self::Adx | Self::Adxr => 2,
        }
    }

    fn uses_close(self) -> bool {
        !matches!(self, Self::PlusDm | Self::MinusDm)
    }
}

/// One-bar directional movement `(+DM1, -DM1)`; NaN differences give 0.
#[inline(always)]
fn dm1(high: f64, low: f64, prev_high: f64, prev_low: f64) -> (f64, f64) {
    let up = high - prev_high;
    let down = prev_low - low;
    // Selects, not branches: which side moved more is a coin toss from bar
    // to bar, and the mispredicted branches cost more than the arithmetic.
    // The two cases exclude each other (up < down and up > down).
    let minus_wins = (down > 0.0) & (up < down);
    let plus_wins = (up > 0.0) & (up > down);
    (
        std::hint::select_unpredictable(plus_wins, up, 0.0),
        std::hint::select_unpredictable(minus_wins, down, 0.0),
    )
}

/// `100 * (dm / tr)`, or 0 unless the smoothed true range is positive
/// (TA-Lib 0.8 tests it so); the same for +DI and -DI.
#[inline(always)]
fn di(dm: f64, tr: f64) -> f64 {
    let di = 100.0 * (dm / tr);
    if tr > 0.0 {
        di
    } else {
        0.0
    }
}

/// DX from the smoothed +DM, -DM and true range: whether it is defined (a
/// positive true range, and a DI sum not within 1e-14 of zero; a NaN sum
/// counts as non-zero), and its value when it is. Computed in full either
/// way, so that a block of bars vectorizes.
#[inline(always)]
fn dx_of(plus_dm: f64, minus_dm: f64, tr: f64) -> (bool, f64) {
    let (m, p) = (100.0 * (minus_dm / tr), 100.0 * (plus_dm / tr));
    let sum = m + p;
    let ok = (tr > 0.0) & !((sum > -1e-14) & (sum < 1e-14));
    (ok, 100.0 * ((m - p).abs() / sum))
}

/// Streaming directional-movement indicator (see the module docs).
#[derive(Clone, Debug)]
pub struct Directional {
    kind: DirectionalKind,
    period: usize,
    /// Bars consumed.
    seen: usize,
    prev_high: f64,
    prev_low: f64,
    prev_close: f64,
    plus_dm: f64,
    minus_dm: f64,
    tr: f64,
    /// The last DX output (DX repeats it when undefined).
    dx: f64,
    sum_dx: f64,
    adx: f64,
    smooth: Wilder,
    /// ADX values of the last `p - 1` bars, for ADXR.
    past_adx: Ring,
}

impl Directional {
    /// Builds the `kind` indicator over `period` bars (1 or more for DM and
    /// DI, 2 or more for DX, ADX and ADXR).
    pub fn new(kind: DirectionalKind, period: usize) -> Result<Self> {
        if period < kind.min_period() {
            return Err(BarrowError::bad_param(
                "timeperiod",
                period,
                format!("must be >= {}", kind.min_period()),
            ));
        }
        Ok(Self {
            kind,
            period,
            seen: 0,
            prev_high: 0.0,
            prev_low: 0.0,
            prev_close: 0.0,
            plus_dm: 0.0,
            minus_dm: 0.0,
            tr: 0.0,
            dx: 0.0,
            sum_dx: 0.0,
            adx: 0.0,
            smooth: Wilder::new(period),
            past_adx: Ring::new(if kind == DirectionalKind::Adxr { period - 1 } else { 0 }),
        })
    }

    /// Per-bar values for period 1 (no smoothing).
    #[inline(always)]
    fn unsmoothed(&self, kind: DirectionalKind, plus: f64, minus: f64, high: f64, low: f64) -> f64 {
        let dm = match kind {
            DirectionalKind::PlusDm | DirectionalKind::PlusDi => plus,
            _ => minus,
        };
        match kind {
            DirectionalKind::PlusDm | DirectionalKind::MinusDm => dm,
            _ if dm == 0.0 => 0.0,
            _ => {
                let tr = true_range(high, low, self.prev_close);
                if tr > 0.0 {
                    dm / tr
                } else {
                    0.0
                }
            }
        }
    }

    /// Consumes one bar (`close` is ignored by PLUS_DM and MINUS_DM).
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        self.step_with(self.kind, high, low, close)
    }

    /// [`Directional::step`] for `kind`, which callers pass as a constant
    /// so that the code for the other kinds folds away.
    #[inline(always)]
    fn step_with(&mut self, kind: DirectionalKind, high: f64, low: f64, close: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        if t == 0 {
            self.prev_high = high;
            self.prev_low = low;
            self.prev_close = close;
            return f64::NAN;
        }
        let (plus, minus) = dm1(high, low, self.prev_high, self.prev_low);
        self.prev_high = high;
        self.prev_low = low;
        let p = self.period;
        if p == 1 {
            let out = self.unsmoothed(kind, plus, minus, high, low);
            self.prev_close = close;
            return out;
        }
        let tr = if kind.uses_close() {
            true_range(high, low, self.prev_close)
        } else {
            0.0
        };
        self.prev_close = close;
        let pf = p as f64;
        if t < p {
            self.plus_dm += plus;
            self.minus_dm += minus;
            self.tr += tr;
        } else {
            // One multiply-add each, as `Directional::run_blocks` does.
            let keep = self.smooth.keep();
            self.plus_dm = fp::madd(self.plus_dm, keep, plus);
            self.minus_dm = fp::madd(self.minus_dm, keep, minus);
            self.tr = fp::madd(self.tr, keep, tr);
        }
        match kind {
            DirectionalKind::PlusDm if t + 1 >= p => return self.plus_dm,
            DirectionalKind::MinusDm if t + 1 >= p => return self.minus_dm,
            DirectionalKind::PlusDm | DirectionalKind::MinusDm => return f64::NAN,
            _ if t < p => return f64::NAN,
            _ => {}
        }
        match kind {
            DirectionalKind::PlusDi => return di(self.plus_dm, self.tr),
            DirectionalKind::MinusDi => return di(self.minus_dm, self.tr),
            _ => {}
        }
        let (ok, value) = dx_of(self.plus_dm, self.minus_dm, self.tr);
        let dx = ok.then_some(value);
        if kind == DirectionalKind::Dx {
            self.dx = dx.unwrap_or(self.dx);
            return self.dx;
        }
        let adx = if t < 2 * p {
            self.sum_dx += dx.unwrap_or(0.0);
            if t < 2 * p - 1 {
                return f64::NAN;
            }
            self.adx = self.sum_dx / pf;
            self.adx
        } else {
            if let Some(dx) = dx {
                self.adx = self.smooth.next(self.adx, dx);
            }
            self.adx
        };
        if kind == DirectionalKind::Adx {
            return adx;
        }
        let old = self.past_adx.swap(adx);
        if t < 3 * p - 2 {
            f64::NAN
        } else {
            (adx + old) / 2.0
        }
    }

    /// Runs a chunk with the state in a local (so the running values stay
    /// in registers) and `kind` a constant. DI, DX, ADX and ADXR go by
    /// blocks once every output is defined ([`Directional::run_blocks`]).
    #[inline(always)]
    fn run(&mut self, kind: DirectionalKind, high: &[f64], low: &[f64], close: Option<&[f64]>, out: &mut [f64]) {
        let stand_in = Self {
            past_adx: Ring::new(0),
            ..*self
        };
        let by_blocks = kind.uses_close() && self.period > 1;
        let head = if by_blocks {
            (3 * self.period).saturating_sub(self.seen).min(out.len())
        } else {
            out.len()
        };
        // With FMA where the CPU has it (the smoothing's multiply-adds).
        fp::with_fma(
            #[inline(always)]
            || {
                in_local(
                    self,
                    stand_in,
                    #[inline(always)]
                    |st| {
                        for (i, o) in out.iter_mut().enumerate().take(head) {
                            *o = st.step_with(kind, high[i], low[i], close.map_or(0.0, |c| c[i]));
                        }
                    },
                );
                if let (Some(close), true) = (close, head < out.len()) {
                    self.run_blocks(kind, &high[head..], &low[head..], &close[head..], &mut out[head..]);
                }
            },
        );
    }

    /// DI, DX, ADX or ADXR over a chunk whose bars all have an output
    /// (at least `3p` bars seen before it), by blocks: the three smoothing
    /// chains first, then the divisions of the whole block (which
    /// vectorize), then DX's and ADX's short chains. The operations are
    /// those of [`Directional::step_with`], so the bits are too.
    #[inline(always)]
    fn run_blocks(&mut self, kind: DirectionalKind, high: &[f64], low: &[f64], close: &[f64], out: &mut [f64]) {
        const BLOCK: usize = 64;
        let keep = self.smooth.keep();
        let smooth = self.smooth;
        let (mut ph, mut pl, mut pc) = (self.prev_high, self.prev_low, self.prev_close);
        let (mut pdm, mut mdm, mut tr) = (self.plus_dm, self.minus_dm, self.tr);
        let (mut dx, mut adx) = (self.dx, self.adx);
        let (mut pdms, mut mdms, mut trs) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        let (mut raw, mut ok) = ([0.0; BLOCK], [false; BLOCK]);
        let bars = high.chunks(BLOCK).zip(low.chunks(BLOCK)).zip(close.chunks(BLOCK));
        for (((hs, ls), cs), outs) in bars.zip(out.chunks_mut(BLOCK)) {
            let m = hs.len();
            for i in 0..m {
                let (h, l) = (hs[i], ls[i]);
                let (plus, minus) = dm1(h, l, ph, pl);
                let range = true_range(h, l, pc);
                (ph, pl, pc) = (h, l, cs[i]);
                pdm = fp::madd(pdm, keep, plus);
                mdm = fp::madd(mdm, keep, minus);
                tr = fp::madd(tr, keep, range);
                (pdms[i], mdms[i], trs[i]) = (pdm, mdm, tr);
            }
            match kind {
                DirectionalKind::PlusDi => {
                    for ((o, &d), &t) in outs.iter_mut().zip(&pdms).zip(&trs) {
                        *o = di(d, t);
                    }
                    continue;
                }
                DirectionalKind::MinusDi => {
                    for ((o, &d), &t) in outs.iter_mut().zip(&mdms).zip(&trs) {
                        *o = di(d, t);
                    }
                    continue;
                }
                _ => {}
            }
            for i in 0..m {
                (ok[i], raw[i]) = dx_of(pdms[i], mdms[i], trs[i]);
            }
            match kind {
                DirectionalKind::Dx => {
                    for ((o, &v), &defined) in outs.iter_mut().zip(&raw).zip(&ok) {
                        if defined {
                            dx = v;
                        }
                        *o = dx;
                    }
                }
                _ => {
                    let adxr = kind == DirectionalKind::Adxr;
                    for ((o, &v), &defined) in outs.iter_mut().zip(&raw).zip(&ok) {
                        if defined {
                            adx = smooth.next(adx, v);
                        }
                        *o = if adxr {
                            (adx + self.past_adx.swap(adx)) / 2.0
                        } else {
                            adx
                        };
                    }
                }
            }
        }
        (self.prev_high, self.prev_low, self.prev_close) = (ph, pl, pc);
        (self.plus_dm, self.minus_dm, self.tr) = (pdm, mdm, tr);
        (self.dx, self.adx) = (dx, adx);
        self.seen += out.len();
    }
}

impl Indicator for Directional {
    fn lookback(&self) -> usize {
        let p = self.period;
        match self.kind {
            DirectionalKind::PlusDm | DirectionalKind::MinusDm => (p - 1).max(1),
            DirectionalKind::PlusDi | DirectionalKind::MinusDi | DirectionalKind::Dx => p,
            DirectionalKind::Adx => 2 * p - 1,
            DirectionalKind::Adxr => 3 * p - 2,
        }
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        use DirectionalKind::*;
        let n_in = if self.kind.uses_close() { 3 } else { 2 };
        check_shapes(inputs, outputs, n_in, 1);
        let (high, low, close, out) = (inputs[0], inputs[1], inputs.get(2).copied(), &mut *outputs[0]);
        match self.kind {
            PlusDm => self.run(PlusDm, high, low, None, out),
            MinusDm => self.run(MinusDm, high, low, None, out),
            PlusDi => self.run(PlusDi, high, low, close, out),
            MinusDi => self.run(MinusDi, high, low, close, out),
            Dx => self.run(Dx, high, low, close, out),
            Adx => self.run(Adx, high, low, close, out),
            Adxr => self.run(Adxr, high, low, close, out),
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.kind, self.period).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn dm1_takes_the_larger_outside_move() {
        assert_eq!(dm1(12.0, 9.5, 10.0, 9.0), (2.0, 0.0));
        assert_eq!(dm1(10.5, 7.0, 10.0, 9.0), (0.0, 2.0));
        // Equal moves, and an inside bar, give no movement.
        assert_eq!(dm1(11.0, 8.0, 10.0, 9.0), (0.0, 0.0));
        assert_eq!(dm1(9.5, 9.5, 10.0, 9.0), (0.0, 0.0));
    }

    #[test]
    fn plus_dm_sums_then_smooths() {
        let mut d = Directional::new(DirectionalKind::PlusDm, 3).unwrap();
        let h = [10.0, 11.0, 13.0, 13.0];
        let out: Vec<f64> = h.iter().map(|&v| d.step(v, v - 1.0, 0.0)).collect();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 3.0);
        assert_eq!(out[3], 3.0 - 3.0 / 3.0);
    }

    #[test]
    fn adx_of_a_steady_climb_is_100() {
        let mut d = Directional::new(DirectionalKind::Adx, 2).unwrap();
        let out: Vec<f64> = (0..6)
            .map(|i| d.step(i as f64 + 1.0, i as f64, i as f64 + 0.5))
            .collect();
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert!(out[3..].iter().all(|&v| v == 100.0), "{out:?}");
    }

    #[test]
    fn directional_family_is_chunk_invariant() {
        let c = walk(400, 21);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        use DirectionalKind::*;
        for kind in [PlusDm, MinusDm, PlusDi, MinusDi, Dx, Adx, Adxr] {
            for period in [kind.min_period(), 14] {
                let make = || -> Box<dyn Indicator> { Box::new(Directional::new(kind, period).unwrap()) };
                if kind.uses_close() {
                    assert_chunk_invariant(&make, &[&h, &l, &c], 1, &[1, 13, 50]);
                } else {
                    assert_chunk_invariant(&make, &[&h, &l], 1, &[1, 13, 50]);
                }
            }
        }
    }
}
