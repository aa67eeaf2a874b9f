//! TSI — Blau's true strength index.
//!
//! `100 · EMA(EMA(Δx, r), s) / EMA(EMA(|Δx|, r), s)` over one-bar changes,
//! each EMA seeded with the SMA of its first inputs as TA-Lib's EMA is
//! (the second stage starts on the first's seed); 0 when the denominator
//! is not positive. Lookback `1 + (r - 1) + (s - 1)`.

use super::super::overlap::Ema;
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming true strength index.
#[derive(Clone, Debug)]
pub struct Tsi {
    periods: (usize, usize),
    seen: usize,
    prev: f64,
    first: (Ema, Ema),
    second: (Ema, Ema),
}

impl Tsi {
    /// TSI with smoothing periods `first >= 2` and `second >= 2`.
    pub fn new(first: usize, second: usize) -> Result<Self> {
        Ok(Self {
            periods: (first, second),
            seen: 0,
            prev: 0.0,
            first: (Ema::new(first)?, Ema::new(first)?),
            second: (Ema::new(second)?, Ema::new(second)?),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        let change = v - std::mem::replace(&mut self.prev, v);
        if t == 0 {
            return f64::NAN;
        }
        let num = self.first.0.step(change);
        let den = self.first.1.step(change.abs());
        if t < self.periods.0 {
            return f64::NAN;
        }
        let num = self.second.0.step(num);
        let den = self.second.1.step(den);
        if t < self.periods.0 + self.periods.1 - 1 {
            return f64::NAN;
        }
        if den > 0.0 {
            100.0 * num / den
        } else {
            0.0
        }
    }
}

impl fp::Kernel for Tsi {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let n = x.len();
        let mut i = 0;
        while i < n && self.second.1.seeded().is_none() {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        // All four EMAs seeded: one loop on locals, as `step` computes them.
        let (mut a, ka) = self.first.0.seeded().expect("seeded");
        let (mut b, kb) = self.first.1.seeded().expect("seeded");
        let (mut c, kc) = self.second.0.seeded().expect("seeded");
        let (mut d, kd) = self.second.1.seeded().expect("seeded");
        let mut prev = self.prev;
        for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
            let change = v - prev;
            prev = v;
            a = fp::ema(a, change, ka);
            b = fp::ema(b, change.abs(), kb);
            c = fp::ema(c, a, kc);
            d = fp::ema(d, b, kd);
            *o = if d > 0.0 { 100.0 * c / d } else { 0.0 };
        }
        let m = n - i;
        self.first.0.advance(a, m);
        self.first.1.advance(b, m);
        self.second.0.advance(c, m);
        self.second.1.advance(d, m);
        self.prev = prev;
        self.seen += m;
    }
}

impl Indicator for Tsi {
    fn lookback(&self) -> usize {
        self.periods.0 + self.periods.1 - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.periods.0, self.periods.1).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn tsi_spans_plus_and_minus_100() {
        let mut up = Tsi::new(2, 2).unwrap();
        let out: Vec<f64> = (0..6).map(|t| up.step(t as f64)).collect();
        assert!(out[2].is_nan());
        assert_eq!(&out[3..], &[100.0; 3]);
        let mut flat = Tsi::new(2, 2).unwrap();
        let out: Vec<f64> = (0..6).map(|_| flat.step(1.0)).collect();
        assert_eq!(out[5], 0.0);
    }

    #[test]
    fn tsi_is_chunk_invariant() {
        let x = walk(300, 59);
        assert_chunk_invariant(&|| Box::new(Tsi::new(25, 13).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
