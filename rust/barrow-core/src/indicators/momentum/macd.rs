//! MACD — moving average convergence/divergence.
//!
//! `macd = EMA(x, fast) - EMA(x, slow)`, `signal = EMA(macd, signal)`,
//! `hist = macd - signal`; all three start at lookback
//! `(slow - 1) + (signal - 1)`. As in TA-Lib, a fast period larger than the
//! slow one is swapped, and the fast EMA is seeded so that its first value
//! lands where the slow one's does: with the SMA of `x[slow-fast .. slow]`,
//! not of the first `fast` values.

use super::super::{check_shapes, fp, overlap::Ema, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming MACD; outputs are (macd, macdsignal, macdhist).
#[derive(Clone, Debug)]
pub struct Macd {
    fast: Ema,
    slow: Ema,
    signal: Ema,
    slow_lookback: usize,
    lookback: usize,
    seen: usize,
}

impl Macd {
    /// Builds a MACD (fast, slow >= 2; signal >= 1).
    pub fn new(fast: usize, slow: usize, signal: usize) -> Result<Self> {
        if fast < 2 {
            return Err(BarrowError::bad_param("fastperiod", fast, "must be >= 2"));
        }
        if slow < 2 {
            return Err(BarrowError::bad_param("slowperiod", slow, "must be >= 2"));
        }
        if signal < 1 {
            return Err(BarrowError::bad_param("signalperiod", signal, "must be >= 1"));
        }
        let (fast, slow) = if slow < fast { (slow, fast) } else { (fast, slow) };
        let k = |p: usize| 2.0 / ((p + 1) as f64);
        Ok(Self {
            fast: Ema::with_k(fast, k(fast), slow - fast)?,
            slow: Ema::with_k(slow, k(slow), 0)?,
            signal: Ema::with_k(signal, k(signal), 0)?,
            slow_lookback: slow - 1,
            lookback: (slow - 1) + (signal - 1),
            seen: 0,
        })
    }

    /// MACDFIX: fast 12 and slow 26 with TA-Lib's fixed smoothing factors
    /// 0.15 and 0.075, and an EMA(`signal`) signal line.
    pub fn fixed(signal: usize) -> Result<Self> {
        if signal < 1 {
            return Err(BarrowError::bad_param("signalperiod", signal, "must be >= 1"));
        }
        Ok(Self {
            fast: Ema::with_k(12, 0.15, 14)?,
            slow: Ema::with_k(26, 0.075, 0)?,
            signal: Ema::with_k(signal, 2.0 / ((signal + 1) as f64), 0)?,
            slow_lookback: 25,
            lookback: 25 + (signal - 1),
            seen: 0,
        })
    }

    /// Consumes one value and returns (macd, signal, hist).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> (f64, f64, f64) {
        let f = self.fast.step(v);
        let s = self.slow.step(v);
        let seen = self.seen;
        self.seen += 1;
        if seen < self.slow_lookback {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let m = f - s;
        let sig = self.signal.step(m);
        if seen < self.lookback {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            (m, sig, m - sig)
        }
    }
}

impl fp::Kernel for Macd {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let [m, s, h] = outputs else { unreachable!() };
        let x = inputs[0];
        let mut i = 0;
        while i < x.len() && self.seen <= self.lookback {
            (m[i], s[i], h[i]) = self.step(x[i]);
            i += 1;
        }
        if i == x.len() {
            return;
        }
        // Steady state: all three averages are seeded, so the loop is just
        // the three recurrences (same operations as `step`).
        let (Some((mut f, kf)), Some((mut sl, ks))) = (self.fast.seeded(), self.slow.seeded()) else {
            unreachable!("fast and slow periods are >= 2 and seeded past the lookback")
        };
        let signal = self.signal.seeded();
        let (mut sg, kg) = signal.unwrap_or((f64::NAN, 0.0));
        // Plain slices, zipped: the loop then keeps the outputs' addresses
        // in registers and needs no bounds checks.
        let outs = m[i..].iter_mut().zip(s[i..].iter_mut()).zip(h[i..].iter_mut());
        for (((m, s), h), &v) in outs.zip(&x[i..]) {
            f = fp::ema(f, v, kf);
            sl = fp::ema(sl, v, ks);
            let d = f - sl;
            sg = if signal.is_some() { fp::ema(sg, d, kg) } else { d };
            *m = d;
            *s = sg;
            *h = d - sg;
        }
        let count = x.len() - i;
        self.fast.advance(f, count);
        self.slow.advance(sl, count);
        self.signal.advance(sg, count);
        self.seen += count;
    }
}

impl Indicator for Macd {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 3);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.fast.reset();
        self.slow.reset();
        self.signal.reset();
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn macd_lookback_and_hist() {
        let x = walk(100, 7);
        let mut m = Macd::new(12, 26, 9).unwrap();
        assert_eq!(m.lookback(), 33);
        for (i, &v) in x.iter().enumerate() {
            let (a, b, c) = m.step(v);
            assert_eq!(a.is_nan(), i < 33);
            if i >= 33 {
                assert_eq!(c, a - b);
            }
        }
    }

    #[test]
    fn macd_swaps_fast_and_slow() {
        let x = walk(100, 8);
        let mut a = Macd::new(12, 26, 9).unwrap();
        let mut b = Macd::new(26, 12, 9).unwrap();
        for &v in &x {
            let (p, q) = (a.step(v), b.step(v));
            assert_eq!(p.0.to_bits(), q.0.to_bits());
        }
    }

    #[test]
    fn macd_is_chunk_invariant() {
        let x = walk(300, 9);
        for (f, sl, sg) in [(12, 26, 9), (5, 3, 1)] {
            for sizes in [&[1usize, 33, 2][..], &[299, 1], &[100]] {
                assert_chunk_invariant(&|| Box::new(Macd::new(f, sl, sg).unwrap()), &[&x], 3, sizes);
            }
        }
    }
}
