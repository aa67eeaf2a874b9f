//! ZLEMA — zero-lag exponential moving average.
//!
//! The EMA (TA-Lib's seed and fused update, see [`Ema`]) of the de-lagged
//! series `d[t] = 2 x[t] - x[t - lag]` with `lag = (p - 1) / 2`, which
//! starts at bar `lag`. Lookback `lag + p - 1`; period 1 copies the input.

use super::super::ring::Ring;
use super::Ema;
use crate::error::{BarrowError, Result};
use crate::indicators::Indicator;

/// Streaming zero-lag EMA.
#[derive(Clone, Debug)]
pub struct Zlema {
    period: usize,
    lag: usize,
    seen: usize,
    past: Ring,
    ema: Ema,
}

impl Zlema {
    /// A ZLEMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let lag = (period - 1) / 2;
        Ok(Self {
            period,
            lag,
            seen: 0,
            past: Ring::new(lag),
            ema: Ema::new(period)?.in_pairs(),
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        if self.period == 1 {
            0
        } else {
            self.lag + self.period - 1
        }
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        if self.period == 1 {
            return v;
        }
        let lagged = self.past.swap(v);
        let seen = self.seen;
        self.seen += 1;
        if seen < self.lag {
            return f64::NAN;
        }
        self.ema.step(2.0 * v - lagged)
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.seen = 0;
        self.past.clear();
        self.ema.reset();
    }

    /// Consumes a chunk into `out` (same length). Once the EMA is seeded and
    /// the lagged value lies in the chunk, the loop runs on the slice with
    /// the average in a local, with the same operations as [`Zlema::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let lag = self.lag;
        let mut i = 0;
        while i < n && (i < lag || self.ema.running().is_none()) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        let mut run = self.ema.running().expect("paired");
        for j in i..n {
            let d = 2.0 * x[j] - x[j - lag];
            out[j] = run.next(d);
        }
        self.ema.resume(run, n - i);
        self.seen += n - i;
        self.past.load(&x[n - lag..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::MaIndicator;
    use super::*;
    use crate::indicators::overlap::Ma;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn zlema_of_a_ramp_runs_ahead_of_the_ema() {
        // lag 2 for period 5: d = 2 x - x[t-2] = x + 2 on a unit ramp, so
        // the seed is the mean of d over bars 2..=6, i.e. 6.
        let mut z = Zlema::new(5).unwrap();
        assert_eq!(z.lookback(), 6);
        let out: Vec<f64> = (0..8).map(|i| z.step(i as f64)).collect();
        assert!(out[..6].iter().all(|v| v.is_nan()));
        assert_eq!(out[6], 6.0);
    }

    #[test]
    fn zlema_is_chunk_invariant() {
        let x = walk(400, 22);
        for p in [2, 3, 8, 30] {
            assert_chunk_invariant(
                &|| Box::new(MaIndicator(Ma::Zlema(Zlema::new(p).unwrap()))),
                &[&x],
                1,
                &[1, 3, 50],
            );
        }
    }
}
