//! DONCHIAN, ACCBANDS and KC — price channels.
//!
//! * DONCHIAN (lookback `p - 1`): the highest high and lowest low of the
//!   last `p` bars (TA-Lib's MAX / MIN scan, see [`Extremes`]) and their
//!   midpoint `(upper + lower) / 2`.
//! * ACCBANDS (Headley's acceleration bands, lookback `p - 1`): with
//!   `r = 4 (h - l) / (h + l)` (0 when `|h + l| < 1e-8`), the SMAs of
//!   `h (1 + r)`, of the close and of `l (1 - r)`.
//! * KC (Keltner channels, lookback `max(p - 1, atrperiod)`): the EMA(p) of
//!   the typical price `(h + l + c) / 3` plus / minus `nbdev` times the
//!   ATR(atrperiod). As in TA-Lib each of the two is started only as many
//!   bars before the first output as its own lookback needs.

use super::super::math::Sum;
use super::super::volatility::{true_range, Atr};
use super::super::{check_shapes, fp, Indicator};
use super::{Ema, ExtremeKind, Extremes};
use crate::error::{BarrowError, Result};

/// Streaming Donchian channel; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Donchian {
    upper: Extremes,
    lower: Extremes,
}

impl Donchian {
    /// A channel over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            upper: Extremes::new(ExtremeKind::Max, period)?,
            lower: Extremes::new(ExtremeKind::Min, period)?,
        })
    }
}

impl Indicator for Donchian {
    fn lookback(&self) -> usize {
        self.upper.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 3);
        let [upper, middle, lower] = outputs else {
            unreachable!("three outputs")
        };
        self.upper.run::<true>(inputs[0], upper);
        self.lower.run::<false>(inputs[1], lower);
        for ((m, &up), &lo) in middle.iter_mut().zip(&**upper).zip(&**lower) {
            *m = (up + lo) / 2.0;
        }
    }

    fn reset(&mut self) {
        self.upper.reset();
        self.lower.reset();
    }
}

/// Streaming acceleration bands; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct AccBands {
    period: usize,
    /// The running sums of the upper band's values, the closes and the
    /// lower band's values (each SMA is its sum divided by the period).
    sums: [Sum; 3],
}

/// Bars taken at a time once the sums are warmed up.
const BAND_BLOCK: usize = 32;

impl AccBands {
    /// Bands over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            sums: [Sum::new(period)?, Sum::new(period)?, Sum::new(period)?],
        })
    }

    /// The values averaged for the upper and lower band.
    #[inline(always)]
    fn bands(h: f64, l: f64) -> (f64, f64) {
        let sum = h + l;
        let r = 4.0 * (h - l) / sum;
        let near_zero = -1e-8 < sum && sum < 1e-8;
        let up = if near_zero { h } else { h * (1.0 + r) };
        let lo = if near_zero { l } else { l * (1.0 - r) };
        (up, lo)
    }

    /// The three running sums over one block (`ext[k]` holds the window's
    /// last `w` values, then the block's), written to `outs` (divided by
    /// the period afterwards, in a vectorized pass). Not inlined: inside
    /// the block loop LLVM keeps the totals on the stack, which puts a store
    /// and a load on each sum's chain.
    #[inline(never)]
    fn sums(
        mut tu: f64,
        mut tc: f64,
        mut tl: f64,
        ext: [&[f64]; 3],
        w: usize,
        outs: [&mut [f64]; 3],
    ) -> (f64, f64, f64) {
        let [o0, o1, o2] = outs;
        let m = o0.len();
        let [eu, ec, el] = ext.map(|e| (&e[w..w + m], &e[..m]));
        let (o1, o2) = (&mut o1[..m], &mut o2[..m]);
        for j in 0..m {
            tu += eu.0[j];
            tc += ec.0[j];
            tl += el.0[j];
            (o0[j], o1[j], o2[j]) = (tu, tc, tl);
            tu -= eu.1[j];
            tc -= ec.1[j];
            tl -= el.1[j];
        }
        (tu, tc, tl)
    }

    /// The bars after the lookback, a block at a time: the bands' values
    /// first (vectorized), then the three running sums in one loop, so their
    /// chains overlap. Each sum sees the operations of [`Sum::step`].
    #[inline(always)]
    fn run_steady(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let w = self.period - 1;
        let p = self.period as f64;
        // Per sum: the window's last `w` values, then the block's.
        let mut ext: [Vec<f64>; 3] = std::array::from_fn(|k| {
            let mut v = Vec::with_capacity(w + BAND_BLOCK);
            v.extend(self.sums[k].parts().1.iter());
            v
        });
        let mut totals: [f64; 3] = std::array::from_fn(|k| *self.sums[k].parts().0);
        let n = inputs[0].len();
        let mut start = 0;
        while start < n {
            let m = BAND_BLOCK.min(n - start);
            let (h, l, c) = (
                &inputs[0][start..start + m],
                &inputs[1][start..start + m],
                &inputs[2][start..start + m],
            );
            let [eu, ec, el] = &mut ext;
            eu.resize(w + m, 0.0);
            el.resize(w + m, 0.0);
            for (((u, d), &h), &l) in eu[w..].iter_mut().zip(&mut el[w..]).zip(h).zip(l) {
                (*u, *d) = Self::bands(h, l);
            }
            ec.extend_from_slice(c);
            let [o0, o1, o2] = outputs else {
                unreachable!("three outputs")
            };
            let outs = [
                &mut o0[start..start + m],
                &mut o1[start..start + m],
                &mut o2[start..start + m],
            ];
            let [tu, tc, tl] = totals;
            let (tu, tc, tl) = Self::sums(tu, tc, tl, [&eu[..], &ec[..], &el[..]], w, outs);
            totals = [tu, tc, tl];
            for o in outputs.iter_mut() {
                for v in &mut o[start..start + m] {
                    *v /= p;
                }
            }
            for e in &mut ext {
                e.drain(..m);
            }
            start += m;
        }
        for (k, sum) in self.sums.iter_mut().enumerate() {
            let (total, window, seen) = sum.parts();
            *total = totals[k];
            window.load(&ext[k]);
            *seen += n;
        }
    }
}

impl Indicator for AccBands {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 3);
        let n = inputs[0].len();
        let p = self.period as f64;
        let mut i = 0;
        while i < n && !self.sums[0].warmed_up() {
            let (up, lo) = Self::bands(inputs[0][i], inputs[1][i]);
            outputs[0][i] = self.sums[0].step(up) / p;
            outputs[1][i] = self.sums[1].step(inputs[2][i]) / p;
            outputs[2][i] = self.sums[2].step(lo) / p;
            i += 1;
        }
        if i < n {
            let ins: Vec<&[f64]> = inputs.iter().map(|x| &x[i..]).collect();
            let mut outs: Vec<&mut [f64]> = outputs.iter_mut().map(|o| &mut o[i..]).collect();
            // With AVX where the CPU has it: wider divisions.
            fp::with_fma(
                #[inline(always)]
                || self.run_steady(&ins, &mut outs),
            );
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

/// Streaming Keltner channels; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Keltner {
    period: usize,
    atr_period: usize,
    nbdev: f64,
    seen: usize,
    ema: Ema,
    atr: Atr,
}

impl Keltner {
    /// Channels around an EMA over `period >= 2` bars, `nbdev` ATRs over
    /// `atr_period >= 1` bars wide.
    pub fn new(period: usize, atr_period: usize, nbdev: f64) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        if !nbdev.is_finite() {
            return Err(BarrowError::bad_param("nbdev", nbdev, "must be finite"));
        }
        Ok(Self {
            period,
            atr_period,
            nbdev,
            seen: 0,
            ema: Ema::new(period)?.in_pairs(),
            atr: Atr::new(atr_period)?,
        })
    }
}

impl fp::Kernel for Keltner {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let lookback = self.lookback();
        let ema_start = lookback - (self.period - 1);
        let atr_start = lookback - self.atr_period;
        let n = inputs[0].len();
        let mut i = 0;
        while i < n {
            if self.seen >= lookback {
                if let (Some(ema), Some(atr)) = (self.ema.running(), self.atr.steady()) {
                    self.run_steady(inputs, outputs, i, ema, atr);
                    return;
                }
            }
            let (h, l, c) = (inputs[0][i], inputs[1][i], inputs[2][i]);
            let t = self.seen;
            self.seen += 1;
            let m = if t >= ema_start {
                self.ema.step((h + l + c) / 3.0)
            } else {
                f64::NAN
            };
            let atr = if t >= atr_start {
                self.atr.step(h, l, c)
            } else {
                f64::NAN
            };
            let (up, mid, lo) = if t >= lookback {
                let dev = self.nbdev * atr;
                (m + dev, m, m - dev)
            } else {
                (f64::NAN, f64::NAN, f64::NAN)
            };
            outputs[0][i] = up;
            outputs[1][i] = mid;
            outputs[2][i] = lo;
            i += 1;
        }
    }
}

impl Keltner {
    /// Bars `from..` once both averages are past their seeds: the two
    /// recursions of [`Ema::step`] and [`Atr::step`] fused in one loop on
    /// locals.
    #[inline(always)]
    fn run_steady(
        &mut self,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
        from: usize,
        mut ema: fp::PairRun,
        (mut atr, keep, take, mut prev_close): (f64, f64, f64, f64),
    ) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [up, mid, lo] = outputs else {
            unreachable!("three outputs, checked by update")
        };
        let nbdev = self.nbdev;
        for j in from..h.len() {
            let m = ema.next((h[j] + l[j] + c[j]) / 3.0);
            let tr = true_range(h[j], l[j], prev_close);
            prev_close = c[j];
            atr = fp::madd(atr, keep, tr * take);
            let dev = nbdev * atr;
            up[j] = m + dev;
            mid[j] = m;
            lo[j] = m - dev;
        }
        let count = h.len() - from;
        self.ema.resume(ema, count);
        self.atr.advance(atr, prev_close, count);
        self.seen += count;
    }
}

impl Indicator for Keltner {
    fn lookback(&self) -> usize {
        (self.period - 1).max(self.atr_period)
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 3);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.atr_period, self.nbdev).expect("valid parameters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn channels_of_a_flat_market_collapse_onto_the_price() {
        let h = [2.0; 30];
        let l = [2.0; 30];
        let out = run(&mut Donchian::new(3).unwrap(), &[&h, &l], 3);
        assert_eq!(out[1][2], 2.0);
        let out = run(&mut AccBands::new(4).unwrap(), &[&h, &l, &h], 3);
        assert!(out.iter().all(|o| o[3] == 2.0));
        let out = run(&mut Keltner::new(5, 10, 2.0).unwrap(), &[&h, &l, &h], 3);
        assert!(out[0][9].is_nan());
        assert!(out.iter().all(|o| o[10] == 2.0));
    }

    #[test]
    fn channels_are_chunk_invariant() {
        let c = walk(400, 61);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.985).collect();
        let sizes = [1, 7, 90];
        assert_chunk_invariant(&|| Box::new(Donchian::new(20).unwrap()), &[&h, &l], 3, &sizes);
        assert_chunk_invariant(&|| Box::new(AccBands::new(20).unwrap()), &[&h, &l, &c], 3, &sizes);
        for (p, a) in [(20, 10), (5, 30), (2, 1)] {
            assert_chunk_invariant(&|| Box::new(Keltner::new(p, a, 1.5).unwrap()), &[&h, &l, &c], 3, &sizes);
        }
    }
}
