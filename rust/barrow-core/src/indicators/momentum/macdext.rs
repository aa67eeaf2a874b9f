//! MACDEXT — MACD with a moving-average type per line, and STOCHRSI.
//!
//! MACDEXT: the two averages (periods and types swapped together when slow
//! < fast) are aligned so that both first output at `L`, the larger of
//! their lookbacks (the shorter one skips its first `L - lookback` bars);
//! `macd = fast - slow`, signal = MA(signalperiod, signalmatype) of the
//! MACD line, `hist = macd - signal`. Lookback `L` plus the signal's.
//!
//! STOCHRSI: STOCHF over the RSI series (as high, low and close), starting
//! at the RSI's first value. Lookback `timeperiod` plus STOCHF's.

use super::super::overlap::{Ma, MaType};
use super::super::{check_shapes, fp, Indicator};
use super::{Rsi, Stochastic};
use crate::error::{BarrowError, Result};

/// Streaming MACDEXT; outputs are (macd, macdsignal, macdhist).
#[derive(Clone, Debug)]
pub struct MacdExt {
    fast: Ma,
    slow: Ma,
    signal: Ma,
    fast_skip: usize,
    slow_skip: usize,
    start: usize,
    lookback: usize,
    seen: usize,
}

impl MacdExt {
    /// MACDEXT (fast, slow >= 2; signal >= 1).
    pub fn new(fast: (usize, MaType), slow: (usize, MaType), signal: (usize, MaType)) -> Result<Self> {
        if fast.0 < 2 {
            return Err(BarrowError::bad_param("fastperiod", fast.0, "must be >= 2"));
        }
        if slow.0 < 2 {
            return Err(BarrowError::bad_param("slowperiod", slow.0, "must be >= 2"));
        }
        let (fast, slow) = if slow.0 < fast.0 { (slow, fast) } else { (fast, slow) };
        let fast = Ma::new(fast.0, fast.1)?;
        let slow = Ma::new(slow.0, slow.1)?;
        let signal = Ma::new(signal.0, signal.1)?;
        let start = fast.lookback().max(slow.lookback());
        Ok(Self {
            fast_skip: start - fast.lookback(),
            slow_skip: start - slow.lookback(),
            lookback: start + signal.lookback(),
            start,
            fast,
            slow,
            signal,
            seen: 0,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> (f64, f64, f64) {
        let i = self.seen;
        self.seen += 1;
        let f = if i >= self.fast_skip {
            self.fast.step(v)
        } else {
            f64::NAN
        };
        let s = if i >= self.slow_skip {
            self.slow.step(v)
        } else {
            f64::NAN
        };
        if i < self.start {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let m = f - s;
        let g = self.signal.step(m);
        if i < self.lookback {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            (m, g, m - g)
        }
    }
}

/// Bars taken at a time once every average is past its lookback.
const BLOCK: usize = 1024;

impl fp::Kernel for MacdExt {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let [m, s, h] = outputs else { unreachable!() };
        let x = inputs[0];
        let mut i = 0;
        while i < x.len() && self.seen < self.lookback {
            (m[i], s[i], h[i]) = self.step(x[i]);
            i += 1;
        }
        // Every average is past its lookback: each runs its own chunk loop
        // over a block, the signal's and histogram's outputs serving as
        // scratch for the fast and slow averages.
        for (((x, m), s), h) in x[i..]
            .chunks(BLOCK)
            .zip(m[i..].chunks_mut(BLOCK))
            .zip(s[i..].chunks_mut(BLOCK))
            .zip(h[i..].chunks_mut(BLOCK))
        {
            self.fast.update_chunk(x, h);
            self.slow.update_chunk(x, s);
            for ((m, &f), &s) in m.iter_mut().zip(&*h).zip(&*s) {
                *m = f - s;
            }
            self.signal.update_chunk(m, s);
            for ((h, &m), &g) in h.iter_mut().zip(&*m).zip(&*s) {
                *h = m - g;
            }
            self.seen += x.len();
        }
    }
}

impl Indicator for MacdExt {
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

/// Streaming STOCHRSI; outputs are (fastk, fastd).
#[derive(Clone, Debug)]
pub struct StochRsi {
    period: usize,
    rsi: Rsi,
    stoch: Stochastic,
    seen: usize,
}

impl StochRsi {
    /// STOCHRSI(timeperiod >= 2, fastk_period, fastd_period, fastd_matype).
    pub fn new(period: usize, k: usize, d: usize, d_type: MaType) -> Result<Self> {
        Ok(Self {
            period,
            rsi: Rsi::in_talib_order(period)?,
            stoch: Stochastic::fast(k, d, d_type)?,
            seen: 0,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> (f64, f64) {
        let i = self.seen;
        self.seen += 1;
        let r = self.rsi.step(v);
        if i < self.period {
            return (f64::NAN, f64::NAN);
        }
        self.stoch.step(r, r, r)
    }
}

impl fp::Kernel for StochRsi {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        // Block by block: the RSI of the block, then the stochastic of it.
        const BLOCK: usize = 2048;
        let [k, d] = outputs else { unreachable!() };
        let x = inputs[0];
        let mut rsi = [0.0; BLOCK];
        let mut start = 0;
        while start < x.len() {
            let end = (start + BLOCK).min(x.len());
            let r = &mut rsi[..end - start];
            fp::Kernel::kernel(&mut self.rsi, &[&x[start..end]], &mut [&mut *r]);
            // The stochastic starts at the RSI's first value.
            let skip = self.period.saturating_sub(self.seen).min(end - start);
            k[start..start + skip].fill(f64::NAN);
            d[start..start + skip].fill(f64::NAN);
            let r = &r[skip..];
            fp::Kernel::kernel(
                &mut self.stoch,
                &[r, r, r],
                &mut [&mut k[start + skip..end], &mut d[start + skip..end]],
            );
            self.seen += end - start;
            start = end;
        }
    }
}

impl Indicator for StochRsi {
    fn lookback(&self) -> usize {
        self.period + self.stoch.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 2);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.rsi.reset();
        self.stoch.reset();
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn macdext_with_emas_has_macds_lookback_and_swaps() {
        let m = MacdExt::new((12, MaType::Ema), (26, MaType::Ema), (9, MaType::Ema)).unwrap();
        assert_eq!(m.lookback(), 33);
        let x = walk(200, 22);
        let mut a = MacdExt::new((12, MaType::Sma), (26, MaType::Wma), (9, MaType::Ema)).unwrap();
        let mut b = MacdExt::new((26, MaType::Wma), (12, MaType::Sma), (9, MaType::Ema)).unwrap();
        for &v in &x {
            assert_eq!(a.step(v).0.to_bits(), b.step(v).0.to_bits());
        }
    }

    #[test]
    fn macdext_and_stochrsi_are_chunk_invariant() {
        let x = walk(400, 23);
        assert_chunk_invariant(
            &|| Box::new(MacdExt::new((5, MaType::Kama), (20, MaType::T3), (4, MaType::Trima)).unwrap()),
            &[&x],
            3,
            &[1, 7, 80],
        );
        assert_chunk_invariant(
            &|| Box::new(StochRsi::new(14, 5, 3, MaType::Sma).unwrap()),
            &[&x],
            2,
            &[1, 7, 80],
        );
    }
}
