//! BBANDS — Bollinger Bands.
//!
//! `middle = MA(x, p, matype)`, `sd = population standard deviation of the
//! last p values`, `upper = middle + sd * nbdevup`, `lower = middle - sd *
//! nbdevdn`. Lookback `p - 1`.
//!
//! As in TA-Lib, with the SMA the variance reuses the moving average:
//! `mean(x²) - sma²` from a running sum of squares; with any other average it
//! is computed separately from running sums of `x` and `x²` (so the
//! deviation is always taken around the simple mean). A variance below
//! TA-Lib's epsilon gives a deviation of exactly 0.

use super::super::{check_shapes, ring::Ring, ta_is_zero_or_neg, Indicator};
use super::Ema;
use crate::error::{BarrowError, Result};

/// TA-Lib's moving-average types (`matype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaType {
    /// 0: simple.
    Sma,
    /// 1: exponential.
    Ema,
}

impl MaType {
    /// Maps TA-Lib's integer code; codes barrow does not implement yet are an error.
    pub fn from_code(code: i64) -> Result<Self> {
        match code {
            0 => Ok(MaType::Sma),
            1 => Ok(MaType::Ema),
            2..=8 => Err(BarrowError::bad_param(
                "matype",
                code,
                "only 0 (SMA) and 1 (EMA) are implemented so far; WMA, DEMA, TEMA, TRIMA, KAMA, MAMA and T3 are not",
            )),
            _ => Err(BarrowError::bad_param("matype", code, "must be an integer in 0..=8")),
        }
    }
}

#[derive(Clone, Debug)]
enum Middle {
    Sma,
    Ema(Ema),
}

/// Streaming Bollinger Bands; outputs are (upper, middle, lower).
#[derive(Clone, Debug)]
pub struct Bbands {
    period: usize,
    nbdevup: f64,
    nbdevdn: f64,
    middle: Middle,
    seen: usize,
    sum: f64,
    sum_sq: f64,
    window: Ring,
}

impl Bbands {
    /// Builds the bands (`period >= 2`, finite deviations, SMA or EMA middle).
    pub fn new(period: usize, nbdevup: f64, nbdevdn: f64, matype: MaType) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        for (name, v) in [("nbdevup", nbdevup), ("nbdevdn", nbdevdn)] {
            if !v.is_finite() || v.abs() > 3e37 {
                return Err(BarrowError::bad_param(name, v, "must be a finite number in [-3e37, 3e37]"));
            }
        }
        let middle = match matype {
            MaType::Sma => Middle::Sma,
            MaType::Ema => Middle::Ema(Ema::new(period)?),
        };
        Ok(Self {
            period,
            nbdevup,
            nbdevdn,
            middle,
            seen: 0,
            sum: 0.0,
            sum_sq: 0.0,
            window: Ring::new(period - 1),
        })
    }

    /// Consumes one value and returns (upper, middle, lower).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> (f64, f64, f64) {
        let p = self.period as f64;
        let ema = match &mut self.middle {
            Middle::Sma => f64::NAN,
            Middle::Ema(e) => e.step(v),
        };
        self.sum += v;
        self.sum_sq += v * v;
        let trailing = self.window.swap(v);
        let ready = self.seen + 1 >= self.period;
        self.seen += 1;
        if !ready {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let mean = self.sum / p;
        let mean_sq = self.sum_sq / p;
        self.sum -= trailing;
        self.sum_sq -= trailing * trailing;
        let (mid, var) = match self.middle {
            Middle::Sma => (mean, mean_sq - mean * mean),
            Middle::Ema(_) => (ema, mean_sq - mean * mean),
        };
        let sd = if ta_is_zero_or_neg(var) { 0.0 } else { var.sqrt() };
        (mid + sd * self.nbdevup, mid, mid - sd * self.nbdevdn)
    }
}

impl Indicator for Bbands {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 3);
        let [up, mid, lo] = outputs else { unreachable!() };
        for (i, &v) in inputs[0].iter().enumerate() {
            let (u, m, l) = self.step(v);
            up[i] = u;
            mid[i] = m;
            lo[i] = l;
        }
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.sum = 0.0;
        self.sum_sq = 0.0;
        self.window.clear();
        if let Middle::Ema(e) = &mut self.middle {
            e.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::overlap::Sma;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn bbands_middle_is_the_sma_and_bands_are_symmetric() {
        let x = walk(100, 4);
        let mut bb = Bbands::new(20, 2.0, 2.0, MaType::Sma).unwrap();
        let mut sma = Sma::new(20).unwrap();
        for &v in &x {
            let (u, m, l) = bb.step(v);
            let s = sma.step(v);
            assert_eq!(m.to_bits(), s.to_bits());
            if m.is_finite() {
                assert!((u - m - (m - l)).abs() < 1e-9);
                assert!(u > m);
            }
        }
    }

    #[test]
    fn bbands_constant_series_has_zero_width() {
        let mut bb = Bbands::new(5, 2.0, 2.0, MaType::Sma).unwrap();
        let mut last = (0.0, 0.0, 0.0);
        for _ in 0..10 {
            last = bb.step(3.3);
        }
        assert_eq!(last.0, last.1);
        assert_eq!(last.2, last.1);
    }

    #[test]
    fn bbands_rejects_bad_parameters() {
        assert!(Bbands::new(1, 2.0, 2.0, MaType::Sma).is_err());
        assert!(Bbands::new(5, f64::NAN, 2.0, MaType::Sma).is_err());
        assert!(MaType::from_code(9).is_err());
        assert!(MaType::from_code(3).is_err());
    }

    #[test]
    fn bbands_is_chunk_invariant() {
        let x = walk(300, 5);
        for mt in [MaType::Sma, MaType::Ema] {
            assert_chunk_invariant(&|| Box::new(Bbands::new(20, 2.0, 1.5, mt).unwrap()), &[&x], 3, &[1, 17, 4]);
        }
    }
}
