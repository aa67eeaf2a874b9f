//! ROLLING_SKEW and ROLLING_KURT: bias-adjusted sample skewness and excess
//! kurtosis over the last `n` values, as pandas' `rolling(n).skew()` and
//! `rolling(n).kurt()` define them.
//!
//! With `m_k = Σ (x - mean)^k / n` over the window:
//!
//! - skew `= sqrt(n (n - 1)) / (n - 2) · m3 / m2^1.5` (needs `n >= 3`);
//! - kurt `= ((n + 1) (m4 / m2² - 3) + 6) · (n - 1) / ((n - 2) (n - 3))`
//!   (needs `n >= 4`).
//!
//! Both are NaN when the window is flat (`m2 <= 1e-14 · max(1, mean²)`),
//! where the ratio would only amplify rounding noise. Lookback `n - 1`.
//!
//! Each window is evaluated two-pass (mean first, then central moments), so
//! values do not drift along the series and any chunking gives the same bits.

use super::super::overlap::History;
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Which standardized moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moment {
    /// Bias-adjusted skewness (third moment).
    Skew,
    /// Bias-adjusted excess kurtosis (fourth moment).
    Kurt,
}

/// Streaming rolling skewness or kurtosis over `period` values.
#[derive(Clone, Debug)]
pub struct RollingMoment {
    moment: Moment,
    period: usize,
    seen: usize,
    values: History,
}

impl RollingMoment {
    /// Builds the statistic; `period >= 3` for skew, `>= 4` for kurtosis.
    pub fn new(moment: Moment, period: usize) -> Result<Self> {
        let min = match moment {
            Moment::Skew => 3,
            Moment::Kurt => 4,
        };
        if period < min {
            return Err(BarrowError::bad_param(
                "timeperiod",
                period,
                format!("must be >= {min}"),
            ));
        }
        Ok(Self {
            moment,
            period,
            seen: 0,
            values: History::new(period),
        })
    }

    /// Consumes one value.
    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        self.values.put(i, x);
        let p = self.period;
        if i + 1 < p {
            return f64::NAN;
        }
        let window = || (i + 1 - p..=i).map(|k| self.values.get(k));
        let n = p as f64;
        let mean = window().sum::<f64>() / n;
        let (mut s2, mut s3, mut s4) = (0.0, 0.0, 0.0);
        for v in window() {
            let d = v - mean;
            let d2 = d * d;
            s2 += d2;
            s3 += d2 * d;
            s4 += d2 * d2;
        }
        let (m2, m3, m4) = (s2 / n, s3 / n, s4 / n);
        if m2 <= 1e-14 * (mean * mean).max(1.0) {
            return f64::NAN;
        }
        match self.moment {
            Moment::Skew => (n * (n - 1.0)).sqrt() / (n - 2.0) * m3 / (m2 * m2.sqrt()),
            Moment::Kurt => ((n + 1.0) * (m4 / (m2 * m2) - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0)),
        }
    }
}

impl Indicator for RollingMoment {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        for (o, &x) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = self.step(x);
        }
    }

    fn reset(&mut self) {
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn skew_and_kurt_of_a_small_window() {
        // x = 1, 2, 3, 10: mean 4, deviations -3, -2, -1, 6.
        let x = [1.0, 2.0, 3.0, 10.0];
        let skew = run(&mut RollingMoment::new(Moment::Skew, 4).unwrap(), &[&x], 1);
        let (m2, m3, m4): (f64, f64, f64) = (50.0 / 4.0, 180.0 / 4.0, 1394.0 / 4.0);
        let want = (12f64).sqrt() / 2.0 * m3 / m2.powf(1.5);
        assert!((skew[0][3] - want).abs() < 1e-14, "{} vs {want}", skew[0][3]);
        assert!(skew[0][2].is_nan());
        let kurt = run(&mut RollingMoment::new(Moment::Kurt, 4).unwrap(), &[&x], 1);
        let want = (5.0 * (m4 / (m2 * m2) - 3.0) + 6.0) * 3.0 / 2.0;
        assert!((kurt[0][3] - want).abs() < 1e-13, "{} vs {want}", kurt[0][3]);
    }

    #[test]
    fn flat_window_is_nan_and_short_periods_are_rejected() {
        let x = [5.0; 6];
        let out = run(&mut RollingMoment::new(Moment::Skew, 3).unwrap(), &[&x], 1);
        assert!(out[0].iter().all(|v| v.is_nan()));
        assert!(RollingMoment::new(Moment::Skew, 2).is_err());
        assert!(RollingMoment::new(Moment::Kurt, 3).is_err());
    }

    #[test]
    fn moments_are_chunk_invariant() {
        let x = walk(400, 21);
        for m in [Moment::Skew, Moment::Kurt] {
            assert_chunk_invariant(&|| Box::new(RollingMoment::new(m, 20).unwrap()), &[&x], 1, &[1, 7, 64]);
        }
    }
}
