//! Feature binning: each feature's values are mapped once to at most 255
//! ordered bins, so split search scans histograms instead of sorted values.
//!
//! A feature with at most `max_bins` distinct values gets one bin per value
//! and thresholds halfway between neighbours, so splits are exactly those of
//! an exact CART. Otherwise the thresholds are `max_bins - 1` quantiles of
//! the values (from an evenly spaced subsample of at most 200,000 rows),
//! without repeats. A value `x` falls in bin `b` = the number of thresholds
//! below `x`, so "bin <= b" is `x <= threshold[b]`. NaN is missing and gets
//! its own bin, [`MISSING`].

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};

/// Bin code of a missing (NaN) value.
pub const MISSING: u8 = u8::MAX;

/// Largest supported number of bins per feature (bin codes 0..=254).
pub const MAX_BINS: usize = 255;

const SUBSAMPLE: usize = 200_000;

/// Per-feature thresholds between bins.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BinMapper {
    /// Increasing thresholds of each feature; feature `f` has
    /// `thresholds[f].len() + 1` bins.
    pub thresholds: Vec<Vec<f64>>,
}

/// A binned feature matrix, column-major: `bins[f][i]` is sample `i`'s bin
/// of feature `f`.
#[derive(Clone, Debug)]
pub struct Binned {
    /// The mapper that produced the bins.
    pub mapper: BinMapper,
    /// One column of bin codes per feature.
    pub bins: Vec<Vec<u8>>,
    /// Number of samples.
    pub n_samples: usize,
}

/// Checks a row-major matrix: the shape, and that no value is infinite.
/// NaN is allowed (missing).
pub fn check_matrix(x: &[f64], n_features: usize) -> Result<usize> {
    if n_features == 0 {
        return Err(BarrowError::bad_param("n_features", 0, "X needs at least one feature"));
    }
    if !x.len().is_multiple_of(n_features) {
        return Err(BarrowError::LengthMismatch(format!(
            "X has {} values, not a multiple of {n_features} features",
            x.len()
        )));
    }
    if let Some(i) = x.iter().position(|v| v.is_infinite()) {
        return Err(BarrowError::InvalidValue {
            column: format!("X[:, {}]", i % n_features),
            kind: "infinite".to_string(),
            row: i / n_features,
            context: " (NaN is read as missing; infinities are not allowed)".to_string(),
        });
    }
    Ok(x.len() / n_features)
}

fn thresholds_of(mut values: Vec<f64>, max_bins: usize) -> Vec<f64> {
    values.sort_unstable_by(f64::total_cmp);
    values.dedup();
    if values.len() <= max_bins {
        return values
            .windows(2)
            .map(|w| {
                let mid = w[0] / 2.0 + w[1] / 2.0;
                // Guard against rounding up to the upper value.
                if mid >= w[1] {
                    w[0]
                } else {
                    mid
                }
            })
            .collect();
    }
    let last = (values.len() - 1) as f64;
    let mut out: Vec<f64> = Vec::with_capacity(max_bins - 1);
    for j in 1..max_bins {
        let pos = last * j as f64 / max_bins as f64;
        let (lo, frac) = (pos.floor() as usize, pos.fract());
        let q = if frac == 0.0 {
            values[lo]
        } else {
            values[lo] + (values[lo + 1] - values[lo]) * frac
        };
        if out.last().is_none_or(|&p| q > p) {
            out.push(q);
        }
    }
    out
}

impl BinMapper {
    /// Learns thresholds from a row-major matrix (`n × n_features`).
    pub fn fit(x: &[f64], n_features: usize, max_bins: usize) -> Result<Self> {
        Self::fit_weighted(x, n_features, max_bins, None)
    }

    /// Learns thresholds from the rows whose weight is positive (all rows
    /// without weights), so rows of weight zero change nothing.
    pub fn fit_weighted(x: &[f64], n_features: usize, max_bins: usize, weights: Option<&[f64]>) -> Result<Self> {
        if !(2..=MAX_BINS).contains(&max_bins) {
            return Err(BarrowError::bad_param("max_bins", max_bins, "must be in [2, 255]"));
        }
        let n = check_matrix(x, n_features)?;
        let rows: Vec<usize> = match weights {
            Some(w) => (0..n).filter(|&i| w[i] > 0.0).collect(),
            None => (0..n).collect(),
        };
        let step = rows.len().div_ceil(SUBSAMPLE).max(1);
        let thresholds = (0..n_features)
            .into_par_iter()
            .map(|f| {
                let values: Vec<f64> = rows
                    .iter()
                    .step_by(step)
                    .map(|&i| x[i * n_features + f])
                    .filter(|v| !v.is_nan())
                    .collect();
                thresholds_of(values, max_bins)
            })
            .collect();
        Ok(Self { thresholds })
    }

    /// Number of features.
    pub fn n_features(&self) -> usize {
        self.thresholds.len()
    }

    /// Number of (non-missing) bins of feature `f`.
    pub fn n_bins(&self, f: usize) -> usize {
        self.thresholds[f].len() + 1
    }

    /// The bin of value `x` of feature `f`.
    #[inline]
    pub fn bin(&self, f: usize, x: f64) -> u8 {
        if x.is_nan() {
            MISSING
        } else {
            self.thresholds[f].partition_point(|&t| t < x) as u8
        }
    }

    /// Bins a row-major matrix with these thresholds.
    pub fn transform(&self, x: &[f64], n_features: usize) -> Result<Binned> {
        let n = check_matrix(x, n_features)?;
        if n_features != self.n_features() {
            return Err(BarrowError::Model(format!(
                "X has {n_features} features, but the bins were learned on {}",
                self.n_features()
            )));
        }
        let bins = (0..n_features)
            .into_par_iter()
            .map(|f| (0..n).map(|i| self.bin(f, x[i * n_features + f])).collect())
            .collect();
        Ok(Binned {
            mapper: self.clone(),
            bins,
            n_samples: n,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_midpoint_thresholds() {
        let x = [3.0, 1.0, 2.0, 1.0, f64::NAN];
        let m = BinMapper::fit(&x, 1, 255).unwrap();
        assert_eq!(m.thresholds[0], vec![1.5, 2.5]);
        let b = m.transform(&x, 1).unwrap();
        assert_eq!(b.bins[0], vec![2, 0, 1, 0, MISSING]);
    }

    #[test]
    fn many_values_get_quantile_thresholds() {
        let x: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
        let m = BinMapper::fit(&x, 1, 4).unwrap();
        assert_eq!(m.thresholds[0], vec![2499.75, 4999.5, 7499.25]);
        assert_eq!(m.bin(0, 2499.75), 0);
        assert_eq!(m.bin(0, 2500.0), 1);
        assert_eq!(m.bin(0, 1e9), 3);
    }

    #[test]
    fn rejects_infinities_and_bad_shapes() {
        let err = BinMapper::fit(&[1.0, f64::INFINITY], 1, 255).unwrap_err().to_string();
        assert!(err.contains("infinite") && err.contains("row 1"), "{err}");
        assert!(BinMapper::fit(&[1.0, 2.0, 3.0], 2, 255).is_err());
        assert!(BinMapper::fit(&[1.0], 1, 256).is_err());
    }
}
