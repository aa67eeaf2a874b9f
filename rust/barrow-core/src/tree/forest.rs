//! Random forests: histogram CART trees on bootstrap samples, trained in
//! parallel with rayon, as scikit-learn's `RandomForest*`.
//!
//! Features are binned once for the whole forest. Tree `t` draws its
//! bootstrap sample (and its feature draws) from a seed derived from
//! `random_state` and `t`, so a forest is reproducible whatever the thread
//! count. A bootstrap draw count multiplies the sample's weight, as in
//! scikit-learn. Predictions average the trees' leaf values (class fractions
//! or means). The out-of-bag score uses, for each sample, only the trees
//! that did not draw it: accuracy for classifiers, R² for regressors.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::binning::{check_matrix, BinMapper};
use super::cart::{argmax_rows, check_weights, normalized, Target, Tree, TreeParams};
use crate::data::rng::SplitMix64;
use crate::error::{BarrowError, Result};

/// Class weights applied on top of sample weights.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClassWeight {
    /// All classes weigh 1.
    #[default]
    None,
    /// `n_samples / (n_classes · count(class))` over the training set.
    Balanced,
    /// As `Balanced`, computed on each tree's bootstrap sample.
    BalancedSubsample,
    /// One weight per class (in label order).
    Custom(Vec<f64>),
}

/// Per-sample weights `base · class_weight[y]`; `draws`, when given, are
/// the bootstrap counts the balanced weights are computed over.
pub fn class_sample_weights(
    y: &[u32],
    n_classes: usize,
    class_weight: &ClassWeight,
    draws: Option<&[u32]>,
) -> Result<Option<Vec<f64>>> {
    let per_class = match class_weight {
        ClassWeight::None => return Ok(None),
        ClassWeight::Custom(w) => {
            if w.len() != n_classes {
                return Err(BarrowError::bad_param(
                    "class_weight",
                    w.len(),
                    format!("needs one weight per class ({n_classes})"),
                ));
            }
            if let Some(v) = w.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
                return Err(BarrowError::bad_param(
                    "class_weight",
                    v,
                    "weights must be finite and >= 0",
                ));
            }
            w.clone()
        }
        ClassWeight::Balanced | ClassWeight::BalancedSubsample => {
            let mut counts = vec![0.0; n_classes];
            let mut total = 0.0;
            for (i, &c) in y.iter().enumerate() {
                let k = draws.map_or(1.0, |d| d[i] as f64);
                counts[c as usize] += k;
                total += k;
            }
            let present = counts.iter().filter(|&&c| c > 0.0).count().max(1) as f64;
            counts
                .iter()
                .map(|&c| if c > 0.0 { total / (present * c) } else { 0.0 })
                .collect()
        }
    };
    Ok(Some(y.iter().map(|&c| per_class[c as usize]).collect()))
}

/// Forest parameters beyond each tree's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForestParams {
    /// Parameters of every tree (its `random_state` seeds the forest).
    pub tree: TreeParams,
    /// Number of trees (>= 1).
    pub n_estimators: usize,
    /// Draw a bootstrap sample per tree (else every tree sees all rows).
    pub bootstrap: bool,
    /// Rows drawn per tree (default: all); at most the number of rows.
    pub max_samples: Option<usize>,
    /// Compute the out-of-bag score (needs `bootstrap`).
    pub oob_score: bool,
    /// Class weights (classifiers).
    pub class_weight: ClassWeight,
}

impl Default for ForestParams {
    fn default() -> Self {
        Self {
            tree: TreeParams::default(),
            n_estimators: 100,
            bootstrap: true,
            max_samples: None,
            oob_score: false,
            class_weight: ClassWeight::None,
        }
    }
}

/// A fitted random forest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    trees: Vec<Tree>,
    n_features: usize,
    width: usize,
    oob_score: Option<f64>,
    #[serde(skip)]
    oob_prediction: Vec<f64>,
}

fn tree_seed(random_state: u64, t: usize) -> u64 {
    SplitMix64::new(random_state ^ (t as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).next_u64()
}

impl Forest {
    /// Fits `params.n_estimators` trees on a row-major matrix (NaN missing).
    pub fn fit(
        x: &[f64],
        n_features: usize,
        target: Target<'_>,
        sample_weight: Option<&[f64]>,
        params: &ForestParams,
    ) -> Result<Forest> {
        params.tree.validate()?;
        if params.n_estimators == 0 {
            return Err(BarrowError::bad_param("n_estimators", 0, "must be >= 1"));
        }
        if params.oob_score && !params.bootstrap {
            return Err(BarrowError::bad_param(
                "oob_score",
                "True",
                "needs bootstrap=True (every tree sees every row otherwise)",
            ));
        }
        let n = check_matrix(x, n_features)?;
        if n == 0 {
            return Err(BarrowError::EmptyInput(
                "fit needs at least one sample; X is empty".to_string(),
            ));
        }
        target.validate(n, params.tree.criterion)?;
        if let Some(w) = sample_weight {
            check_weights(w, n)?;
        }
        let draws = match params.max_samples {
            Some(0) => return Err(BarrowError::bad_param("max_samples", 0, "must be >= 1")),
            Some(m) if m > n => {
                return Err(BarrowError::bad_param(
                    "max_samples",
                    m,
                    format!("must be at most the number of samples ({n})"),
                ))
            }
            Some(m) => m,
            None => n,
        };
        let (labels, n_classes) = match target {
            Target::Classes { y, n_classes } => (Some(y), n_classes),
            Target::Values(_) => (None, 0),
        };
        if labels.is_none() && params.class_weight != ClassWeight::None {
            return Err(BarrowError::bad_param(
                "class_weight",
                "given",
                "applies to classifiers only",
            ));
        }
        // Whole-set class weights, validated once.
        let base: Vec<f64> = {
            let sw = sample_weight.map_or_else(|| vec![1.0; n], <[f64]>::to_vec);
            match (labels, &params.class_weight) {
                (Some(y), cw) if *cw != ClassWeight::BalancedSubsample => {
                    match class_sample_weights(y, n_classes, cw, None)? {
                        Some(c) => sw.iter().zip(c).map(|(a, b)| a * b).collect(),
                        None => sw,
                    }
                }
                _ => sw,
            }
        };
        let binned =
            BinMapper::fit_weighted(x, n_features, params.tree.max_bins, Some(&base))?.transform(x, n_features)?;
        let random_state = params.tree.random_state;
        let fitted: Vec<(Tree, Option<Vec<bool>>)> = (0..params.n_estimators)
            .into_par_iter()
            .map(|t| {
                let seed = tree_seed(random_state, t);
                let mut rng = SplitMix64::new(seed);
                if !params.bootstrap {
                    return Ok((Tree::fit_binned(&binned, target, &base, &params.tree, seed), None));
                }
                let mut counts = vec![0u32; n];
                for _ in 0..draws {
                    counts[rng.below(n)] += 1;
                }
                let mut w: Vec<f64> = base.iter().zip(&counts).map(|(b, &c)| b * c as f64).collect();
                if let (Some(y), ClassWeight::BalancedSubsample) = (labels, &params.class_weight) {
                    if let Some(c) = class_sample_weights(y, n_classes, &ClassWeight::Balanced, Some(&counts))? {
                        w.iter_mut().zip(c).for_each(|(a, b)| *a *= b);
                    }
                }
                if !w.iter().any(|&v| v > 0.0) {
                    // Every drawn row has zero weight: fall back to the base weights.
                    w.clone_from(&base);
                }
                let tree = Tree::fit_binned(&binned, target, &w, &params.tree, rng.next_u64());
                let oob = params.oob_score.then(|| counts.iter().map(|&c| c == 0).collect());
                Ok((tree, oob))
            })
            .collect::<Result<_>>()?;
        let width = target.width();
        let mut forest = Forest {
            trees: Vec::with_capacity(fitted.len()),
            n_features,
            width,
            oob_score: None,
            oob_prediction: Vec::new(),
        };
        let (trees, masks): (Vec<Tree>, Vec<Option<Vec<bool>>>) = fitted.into_iter().unzip();
        let masks: Vec<Vec<bool>> = masks.into_iter().flatten().collect();
        forest.trees = trees;
        if params.oob_score {
            forest.compute_oob(x, target, &masks)?;
        }
        Ok(forest)
    }

    fn compute_oob(&mut self, x: &[f64], target: Target<'_>, masks: &[Vec<bool>]) -> Result<()> {
        let (d, w) = (self.n_features, self.width);
        let n = target.len();
        let mut pred = vec![0.0; n * w];
        let mut used = vec![0u32; n];
        pred.par_chunks_mut(w)
            .zip(used.par_iter_mut())
            .enumerate()
            .for_each(|(i, (p, u))| {
                let row = &x[i * d..i * d + d];
                for (tree, mask) in self.trees.iter().zip(masks) {
                    if mask[i] {
                        for (a, b) in p.iter_mut().zip(tree.leaf_values(row)) {
                            *a += b;
                        }
                        *u += 1;
                    }
                }
                if *u > 0 {
                    p.iter_mut().for_each(|v| *v /= *u as f64);
                } else {
                    p.fill(f64::NAN);
                }
            });
        let rows: Vec<usize> = (0..n).filter(|&i| used[i] > 0).collect();
        if rows.is_empty() {
            return Err(BarrowError::Model(
                "no sample was left out of every bootstrap: too few trees for an out-of-bag score".to_string(),
            ));
        }
        let score = match target {
            Target::Classes { y, .. } => {
                let hits = rows
                    .iter()
                    .filter(|&&i| argmax_rows(&pred[i * w..i * w + w], w)[0] == y[i])
                    .count();
                hits as f64 / rows.len() as f64
            }
            Target::Values(y) => {
                let mean = rows.iter().map(|&i| y[i]).sum::<f64>() / rows.len() as f64;
                let ss_res: f64 = rows.iter().map(|&i| (y[i] - pred[i]).powi(2)).sum();
                let ss_tot: f64 = rows.iter().map(|&i| (y[i] - mean).powi(2)).sum();
                if ss_tot > 0.0 {
                    1.0 - ss_res / ss_tot
                } else {
                    f64::NAN
                }
            }
        };
        self.oob_score = Some(score);
        self.oob_prediction = pred;
        Ok(())
    }

    /// The trees.
    pub fn trees(&self) -> &[Tree] {
        &self.trees
    }

    /// Number of features fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Values per row: number of classes, or 1.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Out-of-bag score, when requested at fit.
    pub fn oob_score(&self) -> Option<f64> {
        self.oob_score
    }

    /// Out-of-bag averaged leaf values (`n × width`, NaN for rows every
    /// tree drew); empty unless `oob_score` was requested (not serialized).
    pub fn oob_prediction(&self) -> &[f64] {
        &self.oob_prediction
    }

    /// Mean of the trees' normalized importances, normalized.
    pub fn feature_importances(&self) -> Vec<f64> {
        let mut sum = vec![0.0; self.n_features];
        for t in &self.trees {
            for (s, v) in sum.iter_mut().zip(t.feature_importances()) {
                *s += v;
            }
        }
        normalized(&sum)
    }

    /// Averaged leaf values for every row, row-major `n × width`. Rows go
    /// through the forest in blocks, tree by tree, so each tree's nodes stay
    /// in cache for a whole block.
    pub fn predict_values(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        const BLOCK: usize = 512;
        let n = self.trees[0].check_input(x, n_features)?;
        let w = self.width;
        let k = self.trees.len() as f64;
        let mut out = vec![0.0; n * w];
        out.par_chunks_mut(w * BLOCK)
            .zip(x.par_chunks(n_features * BLOCK))
            .for_each(|(o, rows)| {
                for t in &self.trees {
                    for (orow, row) in o.chunks_mut(w).zip(rows.chunks(n_features)) {
                        for (a, b) in orow.iter_mut().zip(t.leaf_values(row)) {
                            *a += b;
                        }
                    }
                }
                o.iter_mut().for_each(|v| *v /= k);
            });
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::criterion::Criterion;
    use crate::tree::MaxFeatures;

    fn problem(n: usize, seed: u64) -> (Vec<f64>, Vec<u32>) {
        let mut r = SplitMix64::new(seed);
        let mut x = Vec::with_capacity(n * 6);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let row: Vec<f64> = (0..6).map(|_| r.next_f64()).collect();
            let noisy = r.next_f64() < 0.1;
            y.push((((row[0] - 0.5) * (row[1] - 0.5) > 0.0) ^ noisy) as u32);
            x.extend(row);
        }
        (x, y)
    }

    fn accuracy(pred: &[u32], y: &[u32]) -> f64 {
        pred.iter().zip(y).filter(|(a, b)| a == b).count() as f64 / y.len() as f64
    }

    #[test]
    fn forest_beats_a_single_deep_tree_on_noisy_data() {
        let (x, y) = problem(3000, 1);
        let (xt, yt) = problem(3000, 2);
        let target = Target::Classes { y: &y, n_classes: 2 };
        let params = ForestParams {
            n_estimators: 30,
            oob_score: true,
            tree: TreeParams {
                max_features: MaxFeatures::Sqrt,
                ..Default::default()
            },
            ..Default::default()
        };
        let forest = Forest::fit(&x, 6, target, None, &params).unwrap();
        let tree = Tree::fit(&x, 6, target, None, &TreeParams::default()).unwrap();
        let acc_f = accuracy(&argmax_rows(&forest.predict_values(&xt, 6).unwrap(), 2), &yt);
        let acc_t = accuracy(&argmax_rows(&tree.predict_values(&xt, 6).unwrap(), 2), &yt);
        assert!(acc_f > acc_t && acc_f > 0.85, "forest {acc_f} tree {acc_t}");
        let oob = forest.oob_score().unwrap();
        assert!((oob - acc_f).abs() < 0.03, "oob {oob} vs held-out {acc_f}");
        let imp = forest.feature_importances();
        assert!(imp[0] + imp[1] > 0.5, "{imp:?}");
    }

    #[test]
    fn same_seed_same_forest_and_regression_works() {
        let (x, _) = problem(800, 3);
        let yv: Vec<f64> = x.chunks(6).map(|r| 3.0 * r[0] + (6.0 * r[1]).sin()).collect();
        let params = ForestParams {
            n_estimators: 8,
            oob_score: true,
            tree: TreeParams {
                criterion: Criterion::SquaredError,
                ..Default::default()
            },
            ..Default::default()
        };
        let a = Forest::fit(&x, 6, Target::Values(&yv), None, &params).unwrap();
        let b = Forest::fit(&x, 6, Target::Values(&yv), None, &params).unwrap();
        assert_eq!(a.predict_values(&x, 6).unwrap(), b.predict_values(&x, 6).unwrap());
        assert!(a.oob_score().unwrap() > 0.8, "{:?}", a.oob_score());
    }

    #[test]
    fn balanced_class_weights_equalize_classes() {
        let y = [0, 0, 0, 1];
        let w = class_sample_weights(&y, 2, &ClassWeight::Balanced, None)
            .unwrap()
            .unwrap();
        assert_eq!(w, vec![4.0 / 6.0, 4.0 / 6.0, 4.0 / 6.0, 2.0]);
        assert!(class_sample_weights(&y, 2, &ClassWeight::Custom(vec![1.0]), None).is_err());
    }

    #[test]
    fn rejects_bad_parameters() {
        let (x, y) = problem(50, 4);
        let target = Target::Classes { y: &y, n_classes: 2 };
        let bad = |p: ForestParams| Forest::fit(&x, 6, target, None, &p).unwrap_err().to_string();
        assert!(bad(ForestParams {
            n_estimators: 0,
            ..Default::default()
        })
        .contains("n_estimators"));
        assert!(bad(ForestParams {
            bootstrap: false,
            oob_score: true,
            ..Default::default()
        })
        .contains("bootstrap"));
        assert!(bad(ForestParams {
            max_samples: Some(51),
            ..Default::default()
        })
        .contains("max_samples"));
    }
}
