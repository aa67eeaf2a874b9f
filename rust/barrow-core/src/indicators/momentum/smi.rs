//! SMI — Blau's stochastic momentum index and its signal line.
//!
//! Over the last `p` bars, `hh`/`ll` are the highest high and lowest low;
//! `num = close - (hh + ll) / 2` and `den = hh - ll` are each smoothed by
//! EMA(slow) then EMA(fast) (TA-Lib's EMA, each stage seeded with the SMA
//! of its first inputs); `SMI = 100 · num / (den / 2)`, 0 when the smoothed
//! half range is not positive; the signal is EMA(SMI, signal). Lookback
//! `(p - 1) + (slow - 1) + (fast - 1) + (signal - 1)`.

use super::super::overlap::{Ema, ExtremeKind, Extremes};
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming SMI; inputs are (high, low, close), outputs (smi, smisignal).
#[derive(Clone, Debug)]
pub struct Smi {
    periods: [usize; 4],
    seen: usize,
    highest: Extremes,
    lowest: Extremes,
    slow: (Ema, Ema),
    fast: (Ema, Ema),
    signal: Ema,
}

impl Smi {
    /// SMI over `period` bars with EMA periods `fast`, `slow` and `signal`
    /// (all `>= 2`, validated by the catalogue).
    pub fn new(period: usize, fast: usize, slow: usize, signal: usize) -> Result<Self> {
        Ok(Self {
            periods: [period, fast, slow, signal],
            seen: 0,
            highest: Extremes::new(ExtremeKind::Max, period)?,
            lowest: Extremes::new(ExtremeKind::Min, period)?,
            slow: (Ema::new(slow)?, Ema::new(slow)?),
            fast: (Ema::new(fast)?, Ema::new(fast)?),
            signal: Ema::new(signal)?,
        })
    }

    /// Consumes one bar: (SMI, signal), NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> (f64, f64) {
        const NONE: (f64, f64) = (f64::NAN, f64::NAN);
        let [period, fast, slow, signal] = self.periods;
        let t = self.seen;
        self.seen += 1;
        let hh = self.highest.step_as::<true>(high);
        let ll = self.lowest.step_as::<false>(low);
        if t + 1 < period {
            return NONE;
        }
        let bar = t + 1 - period;
        let num = self.slow.0.step(close - (hh + ll) * 0.5);
        let den = self.slow.1.step(hh - ll);
        if bar + 1 < slow {
            return NONE;
        }
        let num = self.fast.0.step(num);
        let den = self.fast.1.step(den);
        if bar + 2 < slow + fast {
            return NONE;
        }
        let half = 0.5 * den;
        let smi = if half > 0.0 { 100.0 * num / half } else { 0.0 };
        let sig = self.signal.step(smi);
        if bar + 3 < slow + fast + signal {
            return NONE;
        }
        (smi, sig)
    }
}

impl fp::Kernel for Smi {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (smi, sig) = outputs.split_at_mut(1);
        let (smi, sig) = (&mut *smi[0], &mut *sig[0]);
        let (high, low, close) = (inputs[0], inputs[1], inputs[2]);
        let n = high.len();
        let mut i = 0;
        while i < n && self.signal.seeded().is_none() {
            (smi[i], sig[i]) = self.step(high[i], low[i], close[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        // Every EMA seeded: the five run in one loop on locals, as `step`
        // computes them (the window extremes keep their own state).
        let (mut a, ka) = self.slow.0.seeded().expect("seeded");
        let (mut b, kb) = self.slow.1.seeded().expect("seeded");
        let (mut c, kc) = self.fast.0.seeded().expect("seeded");
        let (mut d, kd) = self.fast.1.seeded().expect("seeded");
        let (mut e, ke) = self.signal.seeded().expect("seeded");
        // The window extremes come a block at a time (`Extremes::run`).
        const BLOCK: usize = 2048;
        let (mut hhs, mut lls) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut j0 = i;
        while j0 < n {
            let j1 = (j0 + BLOCK).min(n);
            let (hhs, lls) = (&mut hhs[..j1 - j0], &mut lls[..j1 - j0]);
            self.highest.run::<true>(&high[j0..j1], hhs);
            self.lowest.run::<false>(&low[j0..j1], lls);
            for (j, (&hh, &ll)) in (j0..j1).zip(hhs.iter().zip(lls.iter())) {
                a = fp::ema(a, close[j] - (hh + ll) * 0.5, ka);
                b = fp::ema(b, hh - ll, kb);
                c = fp::ema(c, a, kc);
                d = fp::ema(d, b, kd);
                let half = 0.5 * d;
                let value = std::hint::select_unpredictable(half > 0.0, 100.0 * c / half, 0.0);
                e = fp::ema(e, value, ke);
                (smi[j], sig[j]) = (value, e);
            }
            j0 = j1;
        }
        let m = n - i;
        self.slow.0.advance(a, m);
        self.slow.1.advance(b, m);
        self.fast.0.advance(c, m);
        self.fast.1.advance(d, m);
        self.signal.advance(e, m);
        self.seen += m;
    }
}

impl Indicator for Smi {
    fn lookback(&self) -> usize {
        self.periods.iter().sum::<usize>() - 4
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 2);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        let [period, fast, slow, signal] = self.periods;
        *self = Self::new(period, fast, slow, signal).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn smi_is_100_at_the_top_of_a_constant_range() {
        // Close at the high of a fixed 2-wide range: num = 1, den = 2.
        let mut s = Smi::new(2, 2, 2, 2).unwrap();
        let out: Vec<(f64, f64)> = (0..6).map(|_| s.step(3.0, 1.0, 3.0)).collect();
        assert!(out[3].0.is_nan());
        assert_eq!(out[4], (100.0, 100.0));
        // A flat market has no range: 0.
        let mut flat = Smi::new(2, 2, 2, 2).unwrap();
        let out: Vec<(f64, f64)> = (0..6).map(|_| flat.step(1.0, 1.0, 1.0)).collect();
        assert_eq!(out[5], (0.0, 0.0));
    }

    #[test]
    fn smi_is_chunk_invariant() {
        let c = walk(300, 60);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(
            &|| Box::new(Smi::new(13, 2, 25, 9).unwrap()),
            &[&h, &l, &c],
            2,
            &[1, 9, 100],
        );
    }
}
