//! ERI — Elder ray index: bull power and bear power.
//!
//! `high - EMA(close, p)` and `low - EMA(close, p)`, with TA-Lib's EMA
//! (SMA seed, then one fused multiply-add per bar). Lookback `p - 1`.

use super::super::overlap::Ema;
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming Elder ray; inputs are (high, low, close), outputs (bull, bear).
#[derive(Clone, Debug)]
pub struct Eri {
    period: usize,
    ema: Ema,
}

impl Eri {
    /// Elder ray over an EMA of `period >= 1` closes.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            ema: Ema::new(period)?.in_pairs(),
        })
    }

    /// Consumes one bar: (bull power, bear power), NaN during the lookback.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> (f64, f64) {
        let ema = self.ema.step(close);
        (high - ema, low - ema)
    }
}

impl fp::Kernel for Eri {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [bull, bear] = outputs else { unreachable!() };
        let n = h.len();
        let mut i = 0;
        while i < n && self.ema.running().is_none() {
            (bull[i], bear[i]) = self.step(h[i], l[i], c[i]);
            i += 1;
        }
        let Some(mut run) = self.ema.running() else {
            return;
        };
        // The operations of `step` with the average in a local.
        let bars = h[i..].iter().zip(&l[i..]).zip(&c[i..]);
        for ((b, r), ((&hi, &lo), &cl)) in bull[i..].iter_mut().zip(&mut bear[i..]).zip(bars) {
            let ema = run.next(cl);
            (*b, *r) = (hi - ema, lo - ema);
        }
        self.ema.resume(run, n - i);
    }
}

impl Indicator for Eri {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 2);
        fp::run_kernel(self, inputs, outputs);
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
    fn eri_measures_extremes_from_the_ema() {
        let mut e = Eri::new(2).unwrap();
        assert!(e.step(3.0, 1.0, 2.0).0.is_nan());
        // EMA seed (2 + 4) / 2 = 3.
        assert_eq!(e.step(5.0, 2.0, 4.0), (2.0, -1.0));
    }

    #[test]
    fn eri_is_chunk_invariant() {
        let c = walk(300, 58);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Eri::new(13).unwrap()), &[&h, &l, &c], 2, &[1, 9, 100]);
    }
}
