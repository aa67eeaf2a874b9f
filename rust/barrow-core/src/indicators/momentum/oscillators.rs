//! CMO, TRIX, APO and PPO, with TA-Lib 0.8's arithmetic.
//!
//! - CMO: gains and losses averaged (divided by `p`) over the first `p`
//!   changes, then Wilder-smoothed as in RSI,
//!   `((gain - loss) / (gain + loss)) * 100`, 0 when the sum is not
//!   positive. Lookback `p`.
//! - TRIX: `((e3 / e3_prev) - 1) * 100` of a triple EMA (0 when the previous
//!   value is 0). Lookback `3 (p - 1) + 1`.
//! - APO and PPO: two moving averages of the same type run from the first
//!   bar (periods swapped when slow < fast); APO `fast - slow`, PPO
//!   `((fast - slow) / slow) * 100`, 0 when `|slow| < 1e-14`. Lookback that
//!   of the slow average.

use super::super::overlap::{Ema, Ma, MaType, Sma};
use super::super::{check_shapes, fp, step_while, Indicator};
use super::rsi::Wilder;
use crate::error::{BarrowError, Result};

/// Streaming Chande momentum oscillator.
#[derive(Clone, Debug)]
pub struct Cmo {
    period: usize,
    smooth: Wilder,
    seen: usize,
    prev: f64,
    gain: f64,
    loss: f64,
}

impl Cmo {
    /// CMO over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            smooth: Wilder::new(period),
            seen: 0,
            prev: 0.0,
            gain: 0.0,
            loss: 0.0,
        })
    }

    /// A change's (gain, loss) parts as TA-Lib splits them: a falling bar
    /// adds `-d` to the loss, any other (NaN too) adds `d` to the gain.
    /// Selects, since whether a bar rose is a coin toss; the +0 added to
    /// the other side leaves it as it is (neither is ever -0).
    #[inline(always)]
    fn split(d: f64) -> (f64, f64) {
        let falling = 0.0 > d;
        (
            std::hint::select_unpredictable(falling, 0.0, d),
            std::hint::select_unpredictable(falling, -d, 0.0),
        )
    }

    /// `((gain - loss) / (gain + loss)) * 100`, 0 when the sum is not positive.
    #[inline(always)]
    fn value(gain: f64, loss: f64) -> f64 {
        let sum = loss + gain;
        if sum > 0.0 {
            ((gain - loss) / sum) * 100.0
        } else {
            0.0
        }
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let p = self.period;
        if i == 0 {
            self.prev = v;
            return f64::NAN;
        }
        let (up, down) = Self::split(v - self.prev);
        self.prev = v;
        if i < p {
            self.gain += up;
            self.loss += down;
            return f64::NAN;
        }
        if i == p {
            let pf = p as f64;
            self.gain = (self.gain + up) / pf;
            self.loss = (self.loss + down) / pf;
        } else {
            self.gain = self.smooth.next(self.gain, up);
            self.loss = self.smooth.next(self.loss, down);
        }
        Self::value(self.gain, self.loss)
    }
}

impl fp::Kernel for Cmo {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let i = step_while(self, x, out, |s| s.seen <= s.period, Cmo::step);
        let state = (self.prev, self.gain, self.loss);
        (self.prev, self.gain, self.loss) = self.smooth.run(state, &x[i..], &mut out[i..], Self::split, Self::value);
        self.seen += x.len() - i;
    }
}

impl Indicator for Cmo {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

/// Streaming TRIX.
#[derive(Clone, Debug)]
pub struct Trix {
    period: usize,
    emas: [Ema; 3],
    seen: usize,
    prev: f64,
}

impl Trix {
    /// TRIX over `period >= 1`.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            emas: [Ema::new(period)?, Ema::new(period)?, Ema::new(period)?],
            seen: 0,
            prev: f64::NAN,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let w = self.period - 1;
        let mut x = v;
        for (k, ema) in self.emas.iter_mut().enumerate() {
            if i < k * w {
                return f64::NAN;
            }
            x = ema.step(x);
        }
        if i < 3 * w {
            return f64::NAN;
        }
        let prev = std::mem::replace(&mut self.prev, x);
        if i == 3 * w {
            return f64::NAN;
        }
        if prev == 0.0 {
            0.0
        } else {
            ((x / prev) - 1.0) * 100.0
        }
    }
}

impl fp::Kernel for Trix {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let n = x.len();
        let w = self.period - 1;
        let mut i = 0;
        while i < n && !(self.emas[2].seeded().is_some() && self.seen > 3 * w) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        // All three EMAs seeded and a previous value: one loop on locals,
        // as `step` computes it.
        let (mut a, k) = self.emas[0].seeded().expect("seeded");
        let (mut b, _) = self.emas[1].seeded().expect("seeded");
        let (mut c, _) = self.emas[2].seeded().expect("seeded");
        let mut prev = self.prev;
        for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
            a = fp::ema(a, v, k);
            b = fp::ema(b, a, k);
            c = fp::ema(c, b, k);
            *o = if prev == 0.0 { 0.0 } else { ((c / prev) - 1.0) * 100.0 };
            prev = c;
        }
        let m = n - i;
        self.emas[0].advance(a, m);
        self.emas[1].advance(b, m);
        self.emas[2].advance(c, m);
        self.prev = prev;
        self.seen += m;
    }
}

impl Indicator for Trix {
    fn lookback(&self) -> usize {
        3 * (self.period - 1) + 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

/// Streaming APO (`percent = false`) or PPO (`percent = true`).
#[derive(Clone, Debug)]
pub struct PriceOscillator {
    fast: Ma,
    slow: Ma,
    lookback: usize,
    percent: bool,
    seen: usize,
}

impl PriceOscillator {
    /// An oscillator of two `matype` averages (periods >= 2).
    pub fn new(fast: usize, slow: usize, matype: MaType, percent: bool) -> Result<Self> {
        if fast < 2 {
            return Err(BarrowError::bad_param("fastperiod", fast, "must be >= 2"));
        }
        if slow < 2 {
            return Err(BarrowError::bad_param("slowperiod", slow, "must be >= 2"));
        }
        let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
        let fast = Ma::new(fast, matype)?;
        let slow = Ma::new(slow, matype)?;
        let lookback = slow.lookback().max(fast.lookback());
        Ok(Self {
            fast,
            slow,
            lookback,
            percent,
            seen: 0,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let f = self.fast.step(v);
        let s = self.slow.step(v);
        if i < self.lookback {
            return f64::NAN;
        }
        if !self.percent {
            f - s
        } else if -1e-14 < s && s < 1e-14 {
            0.0
        } else {
            ((f - s) / s) * 100.0
        }
    }
}

impl PriceOscillator {
    /// The chunk with `combine(fast, slow)` past the lookback: two simple
    /// averages in one loop (their chains overlap), any other type one
    /// block of each average at a time.
    #[inline(always)]
    fn run(&mut self, x: &[f64], out: &mut [f64], combine: impl Fn(f64, f64) -> f64) {
        if let (Ma::Sma(f), Ma::Sma(s)) = (&mut self.fast, &mut self.slow) {
            // NaN averages during the lookback give NaN.
            Sma::run_pair(f, s, x, out, combine);
            self.seen += x.len();
            return;
        }
        if let (Ma::Ema(f), Ma::Ema(s)) = (&mut self.fast, &mut self.slow) {
            let mut i = 0;
            while i < x.len() && (f.running().is_none() || s.running().is_none()) {
                let (u, w) = (f.step(x[i]), s.step(x[i]));
                out[i] = if self.seen + i < self.lookback {
                    f64::NAN
                } else {
                    combine(u, w)
                };
                i += 1;
            }
            if let (Some(mut ra), Some(mut rb)) = (f.running(), s.running()) {
                // Both paired, hence past the lookback: the two recursions
                // of `Ema::step` in one loop.
                for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
                    *o = combine(ra.next(v), rb.next(v));
                }
                f.resume(ra, x.len() - i);
                s.resume(rb, x.len() - i);
            }
            self.seen += x.len();
            return;
        }
        const BLOCK: usize = 1024;
        let mut fast = [0.0; BLOCK];
        for (xb, ob) in x.chunks(BLOCK).zip(out.chunks_mut(BLOCK)) {
            let fb = &mut fast[..xb.len()];
            self.fast.update_chunk(xb, fb);
            self.slow.update_chunk(xb, ob);
            for (k, (o, &f)) in ob.iter_mut().zip(fb.iter()).enumerate() {
                *o = if self.seen + k < self.lookback {
                    f64::NAN
                } else {
                    combine(f, *o)
                };
            }
            self.seen += xb.len();
        }
    }
}

impl fp::Kernel for PriceOscillator {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        if self.percent {
            self.run(x, out, |f, s| {
                if -1e-14 < s && s < 1e-14 {
                    0.0
                } else {
                    ((f - s) / s) * 100.0
                }
            });
        } else {
            self.run(x, out, |f, s| f - s);
        }
    }
}

impl Indicator for PriceOscillator {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.fast.reset();
        self.slow.reset();
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn cmo_of_a_rising_series_is_100() {
        let mut c = Cmo::new(3).unwrap();
        let out: Vec<f64> = (0..6).map(|i| c.step(i as f64)).collect();
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert!(out[3..].iter().all(|&v| v == 100.0));
    }

    #[test]
    fn apo_of_a_constant_is_zero() {
        let mut a = PriceOscillator::new(3, 5, MaType::Sma, false).unwrap();
        let out: Vec<f64> = (0..10).map(|_| a.step(4.0)).collect();
        assert!(out[4..].iter().all(|&v| v == 0.0));
    }

    #[test]
    fn oscillators_are_chunk_invariant() {
        let x = walk(400, 20);
        assert_chunk_invariant(&|| Box::new(Cmo::new(14).unwrap()), &[&x], 1, &[1, 5, 60]);
        assert_chunk_invariant(&|| Box::new(Trix::new(10).unwrap()), &[&x], 1, &[1, 5, 60]);
        for mt in [MaType::Sma, MaType::Ema, MaType::Kama] {
            assert_chunk_invariant(
                &|| Box::new(PriceOscillator::new(12, 26, mt, true).unwrap()),
                &[&x],
                1,
                &[1, 5, 60],
            );
        }
    }
}
