//! Split criteria over histogram statistics.
//!
//! A node's (or a bin's) statistics are one slice: `[count, w_0 .. w_{K-1}]`
//! for classification (weighted class counts) and `[count, w, w·y, w·y²]`
//! for regression; `count` is the unweighted number of samples. Impurities
//! are scikit-learn's: Gini `1 - Σ p²`, entropy `-Σ p log2 p`, squared error
//! `Σ w y² / W - (Σ w y / W)²`. Split search maximizes a proxy whose sum over
//! the two children orders splits exactly as the weighted child impurity
//! `W_L · I_L + W_R · I_R` does (lower impurity, higher proxy).

use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};

/// Impurity measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Gini impurity (classification).
    Gini,
    /// Shannon entropy in bits (classification).
    Entropy,
    /// Weighted variance (regression).
    SquaredError,
}

impl Criterion {
    /// Parses scikit-learn's names (`gini`, `entropy`, `log_loss`,
    /// `squared_error`).
    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "gini" => Ok(Self::Gini),
            "entropy" | "log_loss" => Ok(Self::Entropy),
            "squared_error" => Ok(Self::SquaredError),
            other => Err(BarrowError::bad_param(
                "criterion",
                other,
                "must be 'gini', 'entropy' or 'log_loss' (classifiers) or 'squared_error' (regressors)",
            )),
        }
    }

    /// Whether the criterion is for classification.
    pub fn is_classification(self) -> bool {
        self != Self::SquaredError
    }
}

/// Sum of weights of a statistics slice.
#[inline]
pub fn weight(crit: Criterion, s: &[f64]) -> f64 {
    match crit {
        Criterion::SquaredError => s[1],
        _ => s[1..].iter().sum(),
    }
}

/// Impurity of a statistics slice.
pub fn impurity(crit: Criterion, s: &[f64]) -> f64 {
    let w = weight(crit, s);
    if w <= 0.0 {
        return 0.0;
    }
    match crit {
        Criterion::Gini => 1.0 - s[1..].iter().map(|&c| (c / w) * (c / w)).sum::<f64>(),
        Criterion::Entropy => -s[1..]
            .iter()
            .filter(|&&c| c > 0.0)
            .map(|&c| (c / w) * (c / w).log2())
            .sum::<f64>(),
        Criterion::SquaredError => (s[3] / w - (s[2] / w) * (s[2] / w)).max(0.0),
    }
}

/// Split proxy of one child (higher is better; sums over children).
#[inline]
pub fn proxy(crit: Criterion, s: &[f64]) -> f64 {
    let w = weight(crit, s);
    if w <= 0.0 {
        return 0.0;
    }
    match crit {
        Criterion::Gini => s[1..].iter().map(|&c| c * c).sum::<f64>() / w,
        Criterion::Entropy => s[1..].iter().filter(|&&c| c > 0.0).map(|&c| c * c.ln()).sum::<f64>() - w * w.ln(),
        Criterion::SquaredError => s[2] * s[2] / w,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impurities_match_their_definitions() {
        let s = [4.0, 3.0, 1.0];
        assert!((impurity(Criterion::Gini, &s) - (1.0 - 0.5625 - 0.0625)).abs() < 1e-15);
        let h = -(0.75f64 * 0.75f64.log2() + 0.25 * 0.25f64.log2());
        assert!((impurity(Criterion::Entropy, &s) - h).abs() < 1e-15);
        // y = 1, 2, 3 with unit weights: variance 2/3.
        let r = [3.0, 3.0, 6.0, 14.0];
        assert!((impurity(Criterion::SquaredError, &r) - 2.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn proxy_orders_splits_like_weighted_impurity() {
        // Two candidate splits of the same node [count, w0, w1] = [8, 4, 4].
        let (a_l, a_r) = ([4.0, 3.0, 1.0], [4.0, 1.0, 3.0]);
        let (b_l, b_r) = ([2.0, 2.0, 0.0], [6.0, 2.0, 4.0]);
        for crit in [Criterion::Gini, Criterion::Entropy] {
            let imp = |l: &[f64], r: &[f64]| l[0] * impurity(crit, l) + r[0] * impurity(crit, r);
            let better_a = imp(&a_l, &a_r) < imp(&b_l, &b_r);
            let proxy_a = proxy(crit, &a_l) + proxy(crit, &a_r) > proxy(crit, &b_l) + proxy(crit, &b_r);
            assert_eq!(better_a, proxy_a, "{crit:?}");
        }
    }
}
