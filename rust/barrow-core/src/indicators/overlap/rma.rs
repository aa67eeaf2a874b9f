//! RMA — Wilder's smoothed moving average.
//!
//! Seeded at bar `p - 1` with the mean of the first `p` values, then
//! `rma = beta * rma + alpha * x` as one fused multiply-add, with
//! `beta = (p - 1) / p` and `alpha = 1 - beta` (so the weights sum to
//! exactly 1), as TA-Lib 0.8 computes it. From the second value after the
//! seed on, two steps are taken as one (`fp::Pair`: `rma[t]` from
//! `rma[t-2]`), which halves the chain the loop waits on; values stay
//! within a few ulps of TA-Lib's. Lookback `p - 1`; period 1 copies the
//! input.

use super::super::fp;
use crate::error::{BarrowError, Result};

/// Streaming Wilder moving average.
#[derive(Clone, Debug)]
pub struct Rma {
    period: usize,
    alpha: f64,
    beta: f64,
    seen: usize,
    prev: f64,
    /// Once `paired`, the average before `prev` and the value `prev` took
    /// in.
    prev2: f64,
    last: f64,
    paired: bool,
    pair: fp::Pair,
}

impl Rma {
    /// An RMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let beta = (period - 1) as f64 / period as f64;
        Ok(Self {
            period,
            alpha: 1.0 - beta,
            beta,
            seen: 0,
            prev: 0.0,
            prev2: 0.0,
            last: 0.0,
            paired: false,
            pair: fp::Pair::new(beta, 1.0 - beta),
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.period - 1
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if seen + 1 < self.period {
            self.prev += v;
            f64::NAN
        } else if seen + 1 == self.period {
            self.prev = (self.prev + v) / self.period as f64;
            self.prev
        } else {
            let next = if self.paired {
                self.pair.next(self.prev2, self.last, v)
            } else {
                fp::madd(self.beta, self.prev, self.alpha * v)
            };
            self.prev2 = std::mem::replace(&mut self.prev, next);
            self.last = v;
            self.paired = true;
            next
        }
    }

    /// Consumes a chunk into `out` (same length): the seed and the first
    /// value after it through `step`, then the pairs of steps with the
    /// state in locals, the operations of `step` in its order.
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let i = super::super::step_while(self, x, out, |s| s.period > 1 && !s.paired, Rma::step);
        if self.period == 1 {
            for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
                *o = self.step(v);
            }
            return;
        }
        let mut run = fp::PairRun {
            prev: self.prev,
            prev2: self.prev2,
            last: self.last,
            pair: self.pair,
        };
        for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
            *o = run.next(v);
        }
        (self.prev, self.prev2, self.last) = (run.prev, run.prev2, run.last);
        self.seen += x.len() - i;
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.seen = 0;
        self.prev = 0.0;
        self.paired = false;
    }
}

#[cfg(test)]
mod tests {
    use super::super::MaIndicator;
    use super::*;
    use crate::indicators::overlap::Ma;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn rma_seeds_with_the_mean_then_smooths_by_one_over_p() {
        let mut r = Rma::new(4).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 6.0, 7.0].iter().map(|&v| r.step(v)).collect();
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert_eq!(out[3], 3.0);
        assert_eq!(out[4], 0.75 * 3.0 + 0.25 * 7.0);
    }

    #[test]
    fn rma_is_chunk_invariant() {
        let x = walk(300, 23);
        for p in [1, 2, 14] {
            assert_chunk_invariant(
                &|| Box::new(MaIndicator(Ma::Rma(Rma::new(p).unwrap()))),
                &[&x],
                1,
                &[1, 4, 33],
            );
        }
    }
}
