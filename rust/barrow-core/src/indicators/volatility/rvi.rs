//! RVI — Dorsey's relative volatility index.
//!
//! `sigma` is the population standard deviation of the last `stddevperiod`
//! values (TA-Lib 0.8's shifted running variance, as STDDEV); it feeds the
//! up leg when the value rose from the previous one and the down leg when it
//! fell. Each leg is Wilder-smoothed over `timeperiod` (seeded with the mean
//! of its first `timeperiod` inputs, then `leg = leg * b + (1 - b) * x` with
//! `b = (p - 1) / p`, fused as in TA-Lib 0.8), and
//! `rvi = 100 * (up / (up + down))`, 50 when both legs are zero.
//! Lookback `stddevperiod - 1 + timeperiod - 1`.

use super::super::statistic::Deviation;
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming relative volatility index; input is one series.
#[derive(Clone, Debug)]
pub struct Rvi {
    period: usize,
    stddev_period: usize,
    beta: f64,
    alpha: f64,
    sigma: Deviation,
    prev: Option<f64>,
    /// Values seen, counted up to `stddev_period`.
    seen: usize,
    /// Sigmas seen so far (the legs are seeded after `period` of them).
    count: usize,
    up: f64,
    down: f64,
}

impl Rvi {
    /// Smoothing over `period >= 1` bars of a deviation over
    /// `stddev_period >= 2` values.
    pub fn new(period: usize, stddev_period: usize) -> Result<Self> {
        if period < 1 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        if stddev_period < 2 {
            return Err(BarrowError::bad_param("stddevperiod", stddev_period, "must be >= 2"));
        }
        let beta = (period - 1) as f64 / period as f64;
        Ok(Self {
            period,
            stddev_period,
            beta,
            alpha: 1.0 - beta,
            sigma: Deviation::stddev(stddev_period, 1.0)?,
            prev: None,
            seen: 0,
            count: 0,
            up: 0.0,
            down: 0.0,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        let sigma = self.sigma.step(x);
        let delta = self.prev.map_or(0.0, |p| x - p);
        self.prev = Some(x);
        if self.seen < self.stddev_period {
            // Still filling the deviation window.
            self.seen += 1;
            if self.seen < self.stddev_period {
                return f64::NAN;
            }
        }
        let (up, down) = if delta > 0.0 {
            (sigma, 0.0)
        } else if delta < 0.0 {
            (0.0, sigma)
        } else {
            (0.0, 0.0)
        };
        self.count += 1;
        if self.count <= self.period {
            self.up += up;
            self.down += down;
            if self.count < self.period {
                return f64::NAN;
            }
            let p = self.period as f64;
            self.up /= p;
            self.down /= p;
        } else {
            self.up = fp::madd(self.up, self.beta, self.alpha * up);
            self.down = fp::madd(self.down, self.beta, self.alpha * down);
        }
        let total = self.up + self.down;
        if total == 0.0 {
            50.0
        } else {
            100.0 * (self.up / total)
        }
    }
}

impl fp::Kernel for Rvi {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let n = x.len();
        let mut head = 0;
        while head < n && self.count <= self.period {
            out[head] = self.step(x[head]);
            head += 1;
        }
        // Both legs seeded: a block at a time, the deviations first (their
        // own chunk path), then the legs on locals with the rise or fall
        // picked by selects, then the ratios, which vectorize.
        const B: usize = 1024;
        let (beta, alpha) = (self.beta, self.alpha);
        let (mut up, mut down) = (self.up, self.down);
        let mut prev = self.prev.unwrap_or(f64::NAN);
        let (mut sig, mut ups, mut downs) = ([0.0; B], [0.0; B], [0.0; B]);
        let sel = std::hint::select_unpredictable::<f64>;
        let mut i0 = head;
        while i0 < n {
            let len = B.min(n - i0);
            let xs = &x[i0..i0 + len];
            self.sigma.update(&[xs], &mut [&mut sig[..len]]);
            for j in 0..len {
                let (v, s) = (xs[j], sig[j]);
                let delta = v - prev;
                prev = v;
                up = fp::madd(up, beta, alpha * sel(delta > 0.0, s, 0.0));
                down = fp::madd(down, beta, alpha * sel(delta < 0.0, s, 0.0));
                (ups[j], downs[j]) = (up, down);
            }
            for ((o, &u), &d) in out[i0..i0 + len].iter_mut().zip(&ups[..len]).zip(&downs[..len]) {
                let total = u + d;
                *o = sel(total == 0.0, 50.0, 100.0 * (u / total));
            }
            i0 += len;
        }
        if head < n {
            (self.up, self.down, self.prev) = (up, down, Some(prev));
            self.count += n - head;
        }
    }
}

impl Indicator for Rvi {
    fn lookback(&self) -> usize {
        self.stddev_period - 1 + self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.stddev_period).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn rvi_of_a_rising_series_is_100() {
        let x: Vec<f64> = (0..10).map(|i| (i * i) as f64).collect();
        let out = run(&mut Rvi::new(3, 2).unwrap(), &[&x], 1);
        assert!(out[0][..3].iter().all(|v| v.is_nan()));
        assert!(out[0][3..].iter().all(|&v| v == 100.0), "{:?}", out[0]);
    }

    #[test]
    fn rvi_is_chunk_invariant() {
        let x = walk(300, 141);
        assert_chunk_invariant(&|| Box::new(Rvi::new(14, 10).unwrap()), &[&x], 1, &[1, 13, 50]);
    }
}
