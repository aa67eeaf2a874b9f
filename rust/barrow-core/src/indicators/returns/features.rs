//! Features quant pipelines compute by hand, as streaming state machines.
//!
//! - `RETURN`: simple return over `n` bars, `x[t] / x[t-n] - 1`; lookback `n`.
//! - `ROLLING_VOL`: annualized volatility, the sample standard deviation
//!   (ddof 1) of the last `n` one-bar log returns times
//!   `sqrt(periods_per_year)`; lookback `n`.
//! - `ZSCORE`: `(x - mean) / std` over the last `n` values, sample standard
//!   deviation (ddof 1, as pandas' `rolling().std()`), NaN when the window
//!   is constant; lookback `n - 1`.
//! - `DRAWDOWN`: `x / max(x[0..=t]) - 1`, the fall from the running peak;
//!   lookback 0.
//! - `ROLLING_VWAP`: rolling volume-weighted typical price,
//!   `Σ ((h + l + c) / 3 · v) / Σ v` over the last `n` bars (NaN when the
//!   window has no volume); lookback `n - 1`.
//!
//! Window statistics are computed from the window itself with a two-pass
//! mean and deviation at each bar (exact to a few ulps, no drift), so any
//! chunking gives identical bits.

use super::super::overlap::History;
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Which feature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FeatureKind {
    /// Simple return over n bars.
    Return,
    /// Annualized rolling volatility of log returns (periods per year).
    RollingVol(f64),
    /// Rolling z-score.
    ZScore,
    /// Drawdown from the running peak.
    Drawdown,
    /// Rolling VWAP of the typical price.
    RollingVwap,
}

/// Streaming feature over a window of `period` bars.
#[derive(Clone, Debug)]
pub struct Feature {
    kind: FeatureKind,
    period: usize,
    seen: usize,
    values: History,
    weights: History,
    peak: f64,
}

impl Feature {
    /// Builds a feature (`period >= 1`; `>= 2` for ROLLING_VOL and ZSCORE).
    pub fn new(kind: FeatureKind, period: usize) -> Result<Self> {
        let min = match kind {
            FeatureKind::RollingVol(_) | FeatureKind::ZScore => 2,
            _ => 1,
        };
        if period < min {
            return Err(BarrowError::bad_param(
                "timeperiod",
                period,
                format!("must be >= {min}"),
            ));
        }
        if let FeatureKind::RollingVol(ppy) = kind {
            if !(ppy.is_finite() && ppy > 0.0) {
                return Err(BarrowError::bad_param("periods_per_year", ppy, "must be > 0"));
            }
        }
        Ok(Self {
            kind,
            period,
            seen: 0,
            values: History::new(period + 1),
            weights: History::new(period + 1),
            peak: f64::NEG_INFINITY,
        })
    }

    fn n_inputs(&self) -> usize {
        if self.kind == FeatureKind::RollingVwap {
            4
        } else {
            1
        }
    }

    fn mean_std(values: impl Iterator<Item = f64> + Clone, n: usize) -> (f64, f64) {
        let mean = values.clone().sum::<f64>() / n as f64;
        let ss: f64 = values.map(|v| (v - mean) * (v - mean)).sum();
        (mean, (ss / (n - 1) as f64).sqrt())
    }

    /// Consumes one bar (`x` is the close, or for ROLLING_VWAP the typical price
    /// with `w` the volume).
    #[inline]
    fn step(&mut self, x: f64, w: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let p = self.period;
        self.values.put(i, x);
        self.weights.put(i, w);
        match self.kind {
            FeatureKind::Return => {
                if i < p {
                    f64::NAN
                } else {
                    x / self.values.get(i - p) - 1.0
                }
            }
            FeatureKind::RollingVol(ppy) => {
                if i < p {
                    return f64::NAN;
                }
                let rets = (i + 1 - p..=i).map(|k| (self.values.get(k) / self.values.get(k - 1)).ln());
                Self::mean_std(rets, p).1 * ppy.sqrt()
            }
            FeatureKind::ZScore => {
                if i + 1 < p {
                    return f64::NAN;
                }
                let (mean, sd) = Self::mean_std((i + 1 - p..=i).map(|k| self.values.get(k)), p);
                if sd > 0.0 {
                    (x - mean) / sd
                } else {
                    f64::NAN
                }
            }
            FeatureKind::Drawdown => {
                if x > self.peak {
                    self.peak = x;
                }
                x / self.peak - 1.0
            }
            FeatureKind::RollingVwap => {
                if i + 1 < p {
                    return f64::NAN;
                }
                let (mut pv, mut v) = (0.0, 0.0);
                for k in i + 1 - p..=i {
                    pv += self.values.get(k) * self.weights.get(k);
                    v += self.weights.get(k);
                }
                if v > 0.0 {
                    pv / v
                } else {
                    f64::NAN
                }
            }
        }
    }
}

impl Indicator for Feature {
    fn lookback(&self) -> usize {
        match self.kind {
            FeatureKind::Return | FeatureKind::RollingVol(_) => self.period,
            FeatureKind::ZScore | FeatureKind::RollingVwap => self.period - 1,
            FeatureKind::Drawdown => 0,
        }
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, self.n_inputs(), 1);
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = if self.kind == FeatureKind::RollingVwap {
                let typical = (inputs[0][i] + inputs[1][i] + inputs[2][i]) / 3.0;
                self.step(typical, inputs[3][i])
            } else {
                self.step(inputs[0][i], 0.0)
            };
        }
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.peak = f64::NEG_INFINITY;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn features_on_small_series() {
        let x = [100.0, 110.0, 99.0, 120.0];
        let ret = run(&mut Feature::new(FeatureKind::Return, 1).unwrap(), &[&x], 1);
        assert!((ret[0][1] - 0.1).abs() < 1e-15);
        let dd = run(&mut Feature::new(FeatureKind::Drawdown, 1).unwrap(), &[&x], 1);
        assert_eq!(dd[0][0], 0.0);
        assert!((dd[0][2] - (99.0 / 110.0 - 1.0)).abs() < 1e-15);
        let z = run(
            &mut Feature::new(FeatureKind::ZScore, 2).unwrap(),
            &[&[1.0, 3.0, 3.0]],
            1,
        );
        assert!((z[0][1] - 1.0 / 2f64.sqrt()).abs() < 1e-15 && z[0][2].is_nan());
    }

    #[test]
    fn rolling_vwap_weights_the_typical_price_by_volume() {
        let h = [3.0, 6.0];
        let l = [3.0, 6.0];
        let c = [3.0, 6.0];
        let v = [1.0, 2.0];
        let out = run(
            &mut Feature::new(FeatureKind::RollingVwap, 2).unwrap(),
            &[&h, &l, &c, &v],
            1,
        );
        assert_eq!(out[0][1], 5.0);
    }

    #[test]
    fn features_are_chunk_invariant() {
        let x = walk(300, 19);
        for k in [
            FeatureKind::Return,
            FeatureKind::RollingVol(252.0),
            FeatureKind::ZScore,
            FeatureKind::Drawdown,
        ] {
            assert_chunk_invariant(&|| Box::new(Feature::new(k, 20).unwrap()), &[&x], 1, &[1, 7, 50]);
        }
    }
}
