//! ADOSC — Chaikin A/D oscillator.
//!
//! `EMA(fast)(ad) - EMA(slow)(ad)` of the A/D line, both EMAs seeded with
//! the first A/D value and updated as TA-Lib 0.8 does,
//! `ema = ema * (1 - k) + k * ad` with the multiply-add fused and
//! `k = 2 / (period + 1)`. Lookback `max(fast, slow) - 1`.

use super::super::{check_shapes, fp, Indicator};
use super::ad::flow_or_zero;
use super::Ad;
use crate::error::{BarrowError, Result};

/// Streaming Chaikin oscillator; inputs are (high, low, close, volume).
#[derive(Clone, Debug)]
pub struct Adosc {
    fast_period: usize,
    slow_period: usize,
    k_fast: f64,
    k_slow: f64,
    ad: Ad,
    fast: f64,
    slow: f64,
    seen: usize,
}

impl Adosc {
    /// Oscillator of the fast and slow EMAs (periods `>= 2`, either order).
    pub fn new(fast_period: usize, slow_period: usize) -> Result<Self> {
        for (name, p) in [("fastperiod", fast_period), ("slowperiod", slow_period)] {
            if p < 2 {
                return Err(BarrowError::bad_param(name, p, "must be >= 2"));
            }
        }
        Ok(Self {
            fast_period,
            slow_period,
            k_fast: 2.0 / (fast_period as f64 + 1.0),
            k_slow: 2.0 / (slow_period as f64 + 1.0),
            ad: Ad::new(),
            fast: 0.0,
            slow: 0.0,
            seen: 0,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let ad = self.ad.step(high, low, close, volume);
        let t = self.seen;
        self.seen += 1;
        if t == 0 {
            self.fast = ad;
            self.slow = ad;
        } else {
            self.fast = fp::madd(self.fast, 1.0 - self.k_fast, self.k_fast * ad);
            self.slow = fp::madd(self.slow, 1.0 - self.k_slow, self.k_slow * ad);
        }
        if t < self.lookback() {
            f64::NAN
        } else {
            self.fast - self.slow
        }
    }
}

impl fp::Kernel for Adosc {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, v) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        let out = &mut *outputs[0];
        let n = out.len();
        let mut from = 0;
        if self.seen == 0 && n > 0 {
            out[0] = self.step(h[0], l[0], c[0], v[0]);
            from = 1;
        }
        // The operations of `step` with the line and both averages in
        // locals, so their three recursions overlap, over blocks whose
        // money flows are computed first (their divisions vectorized; see
        // `flow_or_zero`).
        const BLOCK: usize = 32;
        let (kf, ks, lookback) = (self.k_fast, self.k_slow, self.lookback());
        let (mut ad, mut fast, mut slow, mut t) = (self.ad.ad, self.fast, self.slow, self.seen);
        let mut flows = [0.0; BLOCK];
        let mut j0 = from;
        while j0 < n {
            let m = BLOCK.min(n - j0);
            let bars = h[j0..j0 + m]
                .iter()
                .zip(&l[j0..j0 + m])
                .zip(&c[j0..j0 + m])
                .zip(&v[j0..j0 + m]);
            for (f, (((&hi, &lo), &cl), &vol)) in flows.iter_mut().zip(bars) {
                *f = flow_or_zero(hi, lo, cl, vol);
            }
            for (o, &flow) in out[j0..j0 + m].iter_mut().zip(&flows[..m]) {
                ad += flow;
                fast = fp::madd(fast, 1.0 - kf, kf * ad);
                slow = fp::madd(slow, 1.0 - ks, ks * ad);
                *o = if t < lookback { f64::NAN } else { fast - slow };
                t += 1;
            }
            j0 += m;
        }
        (self.ad.ad, self.fast, self.slow, self.seen) = (ad, fast, slow, t);
    }
}

impl Indicator for Adosc {
    fn lookback(&self) -> usize {
        self.fast_period.max(self.slow_period) - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.fast_period, self.slow_period).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn adosc_of_a_constant_ad_line_is_zero() {
        // Close at the middle of the range adds nothing to the A/D line.
        let mut a = Adosc::new(2, 3).unwrap();
        let out: Vec<f64> = (0..5).map(|_| a.step(11.0, 9.0, 10.0, 100.0)).collect();
        assert!(out[..2].iter().all(|v| v.is_nan()));
        assert_eq!(&out[2..], &[0.0, 0.0, 0.0]);
    }

    #[test]
    fn adosc_is_chunk_invariant() {
        let c = walk(300, 61);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        let v: Vec<f64> = walk(300, 62).iter().map(|x| (x * 1000.0).round()).collect();
        assert_chunk_invariant(
            &|| Box::new(Adosc::new(3, 10).unwrap()),
            &[&h, &l, &c, &v],
            1,
            &[1, 13, 50],
        );
    }
}
