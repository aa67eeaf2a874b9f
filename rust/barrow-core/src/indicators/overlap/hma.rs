//! HMA — Hull moving average.
//!
//! `HMA(p) = WMA(2 WMA(x, p / 2) - WMA(x, p), floor(sqrt p))`, each WMA with
//! TA-Lib's running arithmetic (see [`Wma`]); as in TA-Lib 0.8, the
//! half-period WMA starts only `p / 2 - 1` bars before the full one's first
//! value (so its periodic refresh falls where TA-Lib's does). Lookback
//! `(p - 1) + (floor(sqrt p) - 1)`; period 1 copies the input, and periods 2
//! and 3 reduce to `2 x - WMA(x, p)`.

use super::Wma;
use crate::error::{BarrowError, Result};

/// Streaming Hull moving average.
#[derive(Clone, Debug)]
pub struct Hma {
    period: usize,
    full: Wma,
    half: Wma,
    outer: Wma,
    seen: usize,
}

impl Hma {
    /// An HMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let root = ((period as f64).sqrt() as usize).max(1);
        Ok(Self {
            period,
            full: Wma::new(period)?,
            half: Wma::new((period / 2).max(1))?,
            outer: Wma::new(root)?,
            seen: 0,
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.full.lookback() + self.outer.lookback()
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        if self.period == 1 {
            return v;
        }
        let full = self.full.step(v);
        self.seen += 1;
        let half_period = (self.period / 2).max(1);
        if self.seen + half_period <= self.period {
            return f64::NAN;
        }
        let half = self.half.step(v);
        if self.seen < self.period {
            // The de-lagged series starts with the full WMA's first value.
            return f64::NAN;
        }
        self.outer.step(2.0 * half - full)
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.full.reset();
        self.half.reset();
        self.outer.reset();
        self.seen = 0;
    }

    /// Consumes a chunk into `out` (same length). Once all three WMAs take
    /// every value, they run block by block through their own chunk loops.
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        const BLOCK: usize = 2048;
        let n = x.len().min(out.len());
        let mut i = 0;
        while i < n && (self.period == 1 || self.seen < self.period) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        let (mut full, mut half) = ([0.0; BLOCK], [0.0; BLOCK]);
        while i < n {
            let m = BLOCK.min(n - i);
            let (full, half) = (&mut full[..m], &mut half[..m]);
            self.full.update_chunk(&x[i..i + m], full);
            self.half.update_chunk(&x[i..i + m], half);
            for (h, &f) in half.iter_mut().zip(&*full) {
                *h = 2.0 * *h - f;
            }
            self.outer.update_chunk(half, &mut out[i..i + m]);
            self.seen += m;
            i += m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MaIndicator;
    use super::*;
    use crate::indicators::overlap::Ma;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn hma_of_a_ramp_tracks_the_ramp_without_lag() {
        // On a straight line every WMA lags by a constant, which the
        // de-lagging cancels: HMA reproduces the line exactly.
        let mut h = Hma::new(9).unwrap();
        assert_eq!(h.lookback(), 8 + 2);
        let out: Vec<f64> = (0..20).map(|i| h.step(i as f64)).collect();
        assert!(out[..10].iter().all(|v| v.is_nan()));
        for (i, v) in out.iter().enumerate().skip(10) {
            assert!((v - i as f64).abs() < 1e-12, "{i}: {v}");
        }
    }

    #[test]
    fn hma_is_chunk_invariant() {
        let x = walk(600, 21);
        for p in [2, 3, 4, 9, 20] {
            assert_chunk_invariant(
                &|| Box::new(MaIndicator(Ma::Hma(Hma::new(p).unwrap()))),
                &[&x],
                1,
                &[1, 5, 64],
            );
        }
    }
}
