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
use crate::par;

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

/// One pass over the steady bars: the running sums it advances, in the
/// order upper band, close, lower band (`None` for one it leaves), and
/// their outputs (empty for a sum left).
type Lanes<'a> = ([Option<&'a mut Sum>; 3], [&'a mut [f64]; 3]);

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

    /// The running sums over one block of `m` bars (`ext[k]` holds the
    /// window's last `w` values, then the block's), written to `outs`
    /// (divided by the period afterwards, in a vectorized pass): the two
    /// bands' sums when `BANDS`, the close's when `MID`. Not inlined: inside
    /// the block loop LLVM keeps the totals on the stack, which puts a store
    /// and a load on each sum's chain.
    #[inline(never)]
    fn sums<const BANDS: bool, const MID: bool>(
        totals: [f64; 3],
        ext: [&[f64]; 3],
        w: usize,
        outs: [&mut [f64]; 3],
    ) -> [f64; 3] {
        let [mut tu, mut tc, mut tl] = totals;
        let [ou, oc, ol] = outs;
        let m = if BANDS { ou.len() } else { oc.len() };
        let part = |k: usize, on: bool| {
            if on {
                (&ext[k][w..w + m], &ext[k][..m])
            } else {
                (&[][..], &[][..])
            }
        };
        let (eu, ec, el) = (part(0, BANDS), part(1, MID), part(2, BANDS));
        let (ou, ol) = if BANDS { (&mut ou[..m], &mut ol[..m]) } else { (ou, ol) };
        let oc = if MID { &mut oc[..m] } else { oc };
        for j in 0..m {
            if BANDS {
                tu += eu.0[j];
                tl += el.0[j];
                (ou[j], ol[j]) = (tu, tl);
                tu -= eu.1[j];
                tl -= el.1[j];
            }
            if MID {
                tc += ec.0[j];
                oc[j] = tc;
                tc -= ec.1[j];
            }
        }
        [tu, tc, tl]
    }

    /// The bars after the lookback, a block at a time: the bands' values
    /// first (vectorized), then the running sums in one loop, so their
    /// chains overlap. Each sum sees the operations of [`Sum::step`]; which
    /// sums a pass advances does not change their bits.
    #[inline(always)]
    fn run_steady<const BANDS: bool, const MID: bool>(period: usize, inputs: [&[f64]; 3], lanes: Lanes<'_>) {
        let (mut sums, mut outputs) = lanes;
        let w = period - 1;
        let p = period as f64;
        let on = [BANDS, MID, BANDS];
        // Per sum: the window's last `w` values, then the block's.
        let mut ext: [Vec<f64>; 3] = std::array::from_fn(|k| match &mut sums[k] {
            Some(sum) if on[k] => {
                let mut v = Vec::with_capacity(w + BAND_BLOCK);
                v.extend(sum.parts().1.iter());
                v
            }
            _ => Vec::new(),
        });
        let mut totals: [f64; 3] = std::array::from_fn(|k| sums[k].as_mut().map_or(0.0, |s| *s.parts().0));
        let [h, l, c] = inputs;
        let n = c.len();
        let mut start = 0;
        while start < n {
            let m = BAND_BLOCK.min(n - start);
            let [eu, ec, el] = &mut ext;
            if BANDS {
                eu.resize(w + m, 0.0);
                el.resize(w + m, 0.0);
                let (h, l) = (&h[start..start + m], &l[start..start + m]);
                for (((u, d), &h), &l) in eu[w..].iter_mut().zip(&mut el[w..]).zip(h).zip(l) {
                    (*u, *d) = Self::bands(h, l);
                }
            }
            if MID {
                ec.extend_from_slice(&c[start..start + m]);
            }
            let [ou, oc, ol] = &mut outputs;
            let r = start..start + m;
            let outs = if BANDS && MID {
                [&mut ou[r.clone()], &mut oc[r.clone()], &mut ol[r]]
            } else if BANDS {
                [&mut ou[r.clone()], &mut [][..], &mut ol[r]]
            } else {
                [&mut [][..], &mut oc[r], &mut [][..]]
            };
            totals = Self::sums::<BANDS, MID>(totals, [&eu[..], &ec[..], &el[..]], w, outs);
            for (k, o) in outputs.iter_mut().enumerate() {
                if on[k] {
                    for v in &mut o[start..start + m] {
                        *v /= p;
                    }
                }
            }
            for (k, e) in ext.iter_mut().enumerate() {
                if on[k] {
                    e.drain(..m);
                }
            }
            start += m;
        }
        for (k, sum) in sums.iter_mut().enumerate() {
            if let Some(sum) = sum.as_mut().filter(|_| on[k]) {
                let (total, window, seen) = sum.parts();
                *total = totals[k];
                window.load(&ext[k]);
                *seen += n;
            }
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
        if i == n {
            return;
        }
        let ins = [&inputs[0][i..], &inputs[1][i..], &inputs[2][i..]];
        let [ou, oc, ol] = outputs else {
            unreachable!("three outputs")
        };
        let (ou, oc, ol) = (&mut ou[i..], &mut oc[i..], &mut ol[i..]);
        let [su, sc, sl] = &mut self.sums;
        let period = self.period;
        // With AVX where the CPU has it: wider divisions.
        if par::worth_splitting(n - i) {
            // The close's sum on one thread, the two bands' on another.
            let mut passes: [Lanes<'_>; 2] = [
                ([Some(su), None, Some(sl)], [ou, &mut [], ol]),
                ([None, Some(sc), None], [&mut [], oc, &mut []]),
            ];
            par::for_each(&mut passes, |(sums, outs)| {
                let lanes = (
                    sums.each_mut().map(|s| s.as_deref_mut()),
                    outs.each_mut().map(|o| &mut **o),
                );
                if lanes.0[0].is_some() {
                    fp::with_fma(|| Self::run_steady::<true, false>(period, ins, lanes));
                } else {
                    fp::with_fma(|| Self::run_steady::<false, true>(period, ins, lanes));
                }
            });
        } else {
            let lanes = ([Some(su), Some(sc), Some(sl)], [ou, oc, ol]);
            fp::with_fma(
                #[inline(always)]
                || Self::run_steady::<true, true>(period, ins, lanes),
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

    #[test]
    fn long_acceleration_bands_are_the_same_on_any_number_of_threads() {
        let n = 2 * crate::par::SPLIT_MIN + 77;
        let c = walk(n, 62);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let mut l: Vec<f64> = c.iter().map(|x| x * 0.985).collect();
        // A bar whose high and low cancel takes the near-zero branch.
        l[n / 2] = -h[n / 2];
        for p in [2, 20, 500] {
            crate::indicators::testutil::assert_split_invariant(
                &|| Box::new(AccBands::new(p).unwrap()),
                &[&h, &l, &c],
                3,
            );
        }
    }
}
