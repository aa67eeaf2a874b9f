//! CART classification tree with the Gini criterion, grown depth-first with
//! exact splits, as scikit-learn's `DecisionTreeClassifier` with the best
//! splitter does.
//!
//! Each feature's samples are sorted once; a node owns the same contiguous
//! range in every feature's sorted index array, and a split stably
//! partitions those ranges, so every node scans its samples in sorted order
//! without sorting again (O(n·d) work per tree level). Split search and
//! partitioning run over features in parallel for large nodes.
//!
//! A split between two sorted values `a < b` is kept only when
//! `b > a + 1e-7` (scikit-learn's `FEATURE_THRESHOLD`); its threshold is
//! `(a + b) / 2`, samples with `x <= threshold` go left. Among equally good
//! splits the lowest feature index, then the lowest threshold, wins.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};

const FEATURE_THRESHOLD: f64 = 1e-7;
const LEAF: u32 = u32::MAX;
const PARALLEL_WORK: usize = 1 << 14;

/// Growth limits, with scikit-learn's names and defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TreeParams {
    /// Maximum depth (root has depth 0); `None` grows until leaves are pure.
    pub max_depth: Option<usize>,
    /// Minimum samples a node needs to be split (>= 2).
    pub min_samples_split: usize,
    /// Minimum samples in each leaf (>= 1).
    pub min_samples_leaf: usize,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self {
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
        }
    }
}

impl TreeParams {
    fn validate(&self) -> Result<()> {
        if self.max_depth == Some(0) {
            return Err(BarrowError::bad_param("max_depth", 0, "must be >= 1 or None"));
        }
        if self.min_samples_split < 2 {
            return Err(BarrowError::bad_param(
                "min_samples_split",
                self.min_samples_split,
                "must be >= 2",
            ));
        }
        if self.min_samples_leaf < 1 {
            return Err(BarrowError::bad_param(
                "min_samples_leaf",
                self.min_samples_leaf,
                "must be >= 1",
            ));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Node {
    feature: u32,
    threshold: f64,
    left: u32,
    right: u32,
    n_samples: u32,
    impurity: f64,
}

impl Node {
    /// A leaf placeholder, filled in when the node is grown.
    const LEAF: Node = Node {
        feature: LEAF,
        threshold: 0.0,
        left: LEAF,
        right: LEAF,
        n_samples: 0,
        impurity: 0.0,
    };
}

/// A fitted (or unfitted) CART classifier. Classes are `0..n_classes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionTreeClassifier {
    params: TreeParams,
    n_features: usize,
    n_classes: usize,
    nodes: Vec<Node>,
    /// `nodes.len() * n_classes` class fractions.
    values: Vec<f64>,
    importances: Vec<f64>,
}

#[derive(Clone, Copy)]
struct Split {
    score: f64,
    feature: usize,
    pos: usize,
    threshold: f64,
}

fn gini(counts: &[u32], n: u32) -> f64 {
    let sq: f64 = counts.iter().map(|&c| (c as f64) * (c as f64)).sum();
    let nf = n as f64;
    1.0 - sq / (nf * nf)
}

impl DecisionTreeClassifier {
    /// An unfitted tree.
    pub fn new(params: TreeParams) -> Result<Self> {
        params.validate()?;
        Ok(Self {
            params,
            n_features: 0,
            n_classes: 0,
            nodes: Vec::new(),
            values: Vec::new(),
            importances: Vec::new(),
        })
    }

    /// Growth parameters.
    pub fn params(&self) -> &TreeParams {
        &self.params
    }

    /// Number of nodes (0 before fitting).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Depth of the fitted tree.
    pub fn depth(&self) -> usize {
        fn d(nodes: &[Node], i: usize) -> usize {
            let n = &nodes[i];
            if n.feature == LEAF {
                0
            } else {
                1 + d(nodes, n.left as usize).max(d(nodes, n.right as usize))
            }
        }
        if self.nodes.is_empty() {
            0
        } else {
            d(&self.nodes, 0)
        }
    }

    /// Impurity-based feature importances (sum to 1 unless the tree is a
    /// single leaf).
    pub fn feature_importances(&self) -> &[f64] {
        &self.importances
    }

    /// Number of classes seen by `fit`.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Fits on `x` (row-major, `n × n_features`) and labels `y` in
    /// `0..n_classes`.
    pub fn fit(&mut self, x: &[f64], n_features: usize, y: &[u32], n_classes: usize) -> Result<()> {
        let n = y.len();
        if n == 0 {
            return Err(BarrowError::EmptyInput("fit needs at least one sample".to_string()));
        }
        if n_features == 0 || x.len() != n * n_features {
            return Err(BarrowError::LengthMismatch(format!(
                "X has {} values, expected {n} samples × {n_features} features",
                x.len()
            )));
        }
        if n > u32::MAX as usize - 1 {
            return Err(BarrowError::bad_param("n_samples", n, "must be below 2^32 - 1"));
        }
        check_finite(x, n_features)?;
        if let Some(i) = y.iter().position(|&c| c as usize >= n_classes) {
            return Err(BarrowError::bad_param(
                "y",
                y[i],
                format!("label at row {i} is not below n_classes = {n_classes}"),
            ));
        }
        // Column-major copy and one sorted index array per feature.
        let cols: Vec<Vec<f64>> = (0..n_features)
            .into_par_iter()
            .map(|f| (0..n).map(|i| x[i * n_features + f]).collect())
            .collect();
        let mut orders: Vec<Vec<u32>> = cols
            .par_iter()
            .map(|col| {
                let mut idx: Vec<u32> = (0..n as u32).collect();
                idx.sort_by(|&a, &b| col[a as usize].total_cmp(&col[b as usize]).then(a.cmp(&b)));
                idx
            })
            .collect();
        let mut scratch: Vec<Vec<u32>> = (0..n_features).map(|_| vec![0u32; n]).collect();
        let mut goes_left = vec![false; n];

        self.n_features = n_features;
        self.n_classes = n_classes;
        self.nodes.clear();
        self.values.clear();
        let mut importances = vec![0.0; n_features];

        // (node id, start, end, depth)
        let mut stack = vec![(0usize, 0usize, n, 0usize)];
        self.nodes.push(Node::LEAF);
        self.values.resize(n_classes, 0.0);
        let min_leaf = self.params.min_samples_leaf;
        while let Some((id, start, end, depth)) = stack.pop() {
            let m = end - start;
            let mut counts = vec![0u32; n_classes];
            for &i in &orders[0][start..end] {
                counts[y[i as usize] as usize] += 1;
            }
            let impurity = gini(&counts, m as u32);
            for (k, &c) in counts.iter().enumerate() {
                self.values[id * n_classes + k] = c as f64 / m as f64;
            }
            self.nodes[id].n_samples = m as u32;
            self.nodes[id].impurity = impurity;
            let is_leaf = self.params.max_depth.is_some_and(|d| depth >= d)
                || m < self.params.min_samples_split
                || m < 2 * min_leaf
                || impurity <= f64::EPSILON;
            if is_leaf {
                continue;
            }
            let search = |f: usize| best_split(&cols[f], &orders[f][start..end], y, &counts, min_leaf, f);
            let best = if m * n_features >= PARALLEL_WORK {
                (0..n_features).into_par_iter().filter_map(search).reduce_with(better)
            } else {
                (0..n_features).filter_map(search).reduce(better)
            };
            let Some(best) = best else { continue };
            let n_left = best.pos;
            // Mark and partition every feature's range.
            let col = &cols[best.feature];
            for &i in &orders[best.feature][start..end] {
                goes_left[i as usize] = col[i as usize] <= best.threshold;
            }
            let part = |(order, buf): (&mut Vec<u32>, &mut Vec<u32>)| {
                let range = &mut order[start..end];
                let (mut l, mut r) = (0usize, 0usize);
                let buf = &mut buf[start..end];
                for &i in range.iter() {
                    if goes_left[i as usize] {
                        buf[l] = i;
                        l += 1;
                    } else {
                        r += 1;
                        buf[m - r] = i;
                    }
                }
                range[..l].copy_from_slice(&buf[..l]);
                for (dst, src) in range[l..].iter_mut().zip(buf[l..].iter().rev()) {
                    *dst = *src;
                }
                debug_assert_eq!(l, n_left);
            };
            if m * n_features >= PARALLEL_WORK {
                orders.par_iter_mut().zip(scratch.par_iter_mut()).for_each(part);
            } else {
                orders.iter_mut().zip(scratch.iter_mut()).for_each(part);
            }
            // Impurity decrease, weighted by the node's share of samples.
            let (mut lc, mut rc) = (vec![0u32; n_classes], vec![0u32; n_classes]);
            for &i in &orders[0][start..start + n_left] {
                lc[y[i as usize] as usize] += 1;
            }
            for &i in &orders[0][start + n_left..end] {
                rc[y[i as usize] as usize] += 1;
            }
            let li = gini(&lc, n_left as u32);
            let ri = gini(&rc, (m - n_left) as u32);
            importances[best.feature] += m as f64 * impurity - n_left as f64 * li - (m - n_left) as f64 * ri;

            let left = self.nodes.len();
            self.nodes.extend([Node::LEAF, Node::LEAF]);
            self.values.resize(self.nodes.len() * n_classes, 0.0);
            let node = &mut self.nodes[id];
            node.feature = best.feature as u32;
            node.threshold = best.threshold;
            node.left = left as u32;
            node.right = left as u32 + 1;
            stack.push((left + 1, start + n_left, end, depth + 1));
            stack.push((left, start, start + n_left, depth + 1));
        }
        let total: f64 = importances.iter().sum();
        if total > 0.0 {
            importances.iter_mut().for_each(|v| *v /= total);
        }
        self.importances = importances;
        Ok(())
    }

    fn leaf_of(&self, row: &[f64]) -> usize {
        let mut i = 0usize;
        loop {
            let node = &self.nodes[i];
            if node.feature == LEAF {
                return i;
            }
            i = if row[node.feature as usize] <= node.threshold {
                node.left as usize
            } else {
                node.right as usize
            };
        }
    }

    fn check_predict_input(&self, x: &[f64], n_features: usize) -> Result<usize> {
        if self.nodes.is_empty() {
            return Err(BarrowError::Model("the tree is not fitted; call fit first".to_string()));
        }
        if n_features != self.n_features {
            return Err(BarrowError::Model(format!(
                "X has {n_features} features, but the tree was fitted with {}",
                self.n_features
            )));
        }
        if n_features == 0 || x.len() % n_features != 0 {
            return Err(BarrowError::LengthMismatch(format!(
                "X has {} values, not a multiple of {n_features}",
                x.len()
            )));
        }
        check_finite(x, n_features)?;
        Ok(x.len() / n_features)
    }

    /// Class probabilities, row-major `n × n_classes`.
    pub fn predict_proba(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        let n = self.check_predict_input(x, n_features)?;
        let k = self.n_classes;
        let mut out = vec![0.0; n * k];
        out.par_chunks_mut(k.max(1))
            .zip(x.par_chunks(n_features))
            .with_min_len(1024)
            .for_each(|(o, row)| {
                let leaf = self.leaf_of(row);
                o.copy_from_slice(&self.values[leaf * k..leaf * k + k]);
            });
        Ok(out)
    }

    /// Most probable class per row (lowest class index on ties).
    pub fn predict(&self, x: &[f64], n_features: usize) -> Result<Vec<u32>> {
        let n = self.check_predict_input(x, n_features)?;
        let k = self.n_classes;
        let mut out = vec![0u32; n];
        out.par_iter_mut()
            .zip(x.par_chunks(n_features))
            .with_min_len(1024)
            .for_each(|(o, row)| {
                let leaf = self.leaf_of(row);
                let v = &self.values[leaf * k..leaf * k + k];
                let mut best = 0;
                for c in 1..k {
                    if v[c] > v[best] {
                        best = c;
                    }
                }
                *o = best as u32;
            });
        Ok(out)
    }
}

fn better(a: Split, b: Split) -> Split {
    if b.score > a.score || (b.score == a.score && b.feature < a.feature) {
        b
    } else {
        a
    }
}

fn check_finite(x: &[f64], n_features: usize) -> Result<()> {
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return Err(BarrowError::InvalidValue {
            column: format!("X[:, {}]", i % n_features),
            kind: if x[i].is_nan() { "NaN" } else { "infinite" }.to_string(),
            row: i / n_features,
            context: String::new(),
        });
    }
    Ok(())
}

/// Best Gini split of one feature over a node's samples (sorted by the
/// feature). Maximizes `Σ left² / n_left + Σ right² / n_right`, which is
/// equivalent to minimizing the weighted child impurity.
fn best_split(col: &[f64], order: &[u32], y: &[u32], counts: &[u32], min_leaf: usize, feature: usize) -> Option<Split> {
    let m = order.len();
    let mut left = vec![0u32; counts.len()];
    let mut right = counts.to_vec();
    let mut left_sq = 0.0f64;
    let mut right_sq: f64 = counts.iter().map(|&c| (c as f64) * (c as f64)).sum();
    let mut best: Option<Split> = None;
    for p in 0..m - 1 {
        let i = order[p] as usize;
        let c = y[i] as usize;
        left_sq += 2.0 * left[c] as f64 + 1.0;
        right_sq -= 2.0 * right[c] as f64 - 1.0;
        left[c] += 1;
        right[c] -= 1;
        let n_left = p + 1;
        if n_left < min_leaf {
            continue;
        }
        if m - n_left < min_leaf {
            break;
        }
        let (a, b) = (col[i], col[order[p + 1] as usize]);
        if b <= a + FEATURE_THRESHOLD {
            continue;
        }
        let score = left_sq / n_left as f64 + right_sq / (m - n_left) as f64;
        if best.is_none_or(|s| score > s.score) {
            let mut threshold = a / 2.0 + b / 2.0;
            if threshold == b || !threshold.is_finite() {
                threshold = a;
            }
            best = Some(Split {
                score,
                feature,
                pos: n_left,
                threshold,
            });
        }
    }
    // `pos` is relative to the node; callers add the node's start.
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::rng::SplitMix64;

    fn xor_data(n: usize, seed: u64) -> (Vec<f64>, Vec<u32>) {
        let mut r = SplitMix64::new(seed);
        let mut x = Vec::with_capacity(n * 3);
        let mut y = Vec::with_capacity(n);
        for _ in 0..n {
            let (a, b, noise) = (r.next_f64(), r.next_f64(), r.next_f64());
            x.extend_from_slice(&[a, b, noise]);
            y.push(((a > 0.5) ^ (b > 0.3)) as u32);
        }
        (x, y)
    }

    #[test]
    fn learns_xor_exactly_and_ignores_noise() {
        let (x, y) = xor_data(2000, 1);
        let mut t = DecisionTreeClassifier::new(TreeParams::default()).unwrap();
        t.fit(&x, 3, &y, 2).unwrap();
        assert_eq!(t.predict(&x, 3).unwrap(), y);
        let (xt, yt) = xor_data(2000, 2);
        let acc = t
            .predict(&xt, 3)
            .unwrap()
            .iter()
            .zip(&yt)
            .filter(|(a, b)| a == b)
            .count() as f64
            / 2000.0;
        assert!(acc > 0.97, "held-out accuracy {acc}");
        let imp = t.feature_importances();
        assert!(
            imp[2] < 0.05 && (imp.iter().sum::<f64>() - 1.0).abs() < 1e-12,
            "{imp:?}"
        );
    }

    #[test]
    fn max_depth_and_min_samples_leaf_limit_growth() {
        let (x, y) = xor_data(1000, 3);
        let mut t = DecisionTreeClassifier::new(TreeParams {
            max_depth: Some(2),
            ..Default::default()
        })
        .unwrap();
        t.fit(&x, 3, &y, 2).unwrap();
        assert!(t.depth() <= 2 && t.node_count() <= 7);
        let mut t = DecisionTreeClassifier::new(TreeParams {
            min_samples_leaf: 300,
            ..Default::default()
        })
        .unwrap();
        t.fit(&x, 3, &y, 2).unwrap();
        assert!(t.nodes.iter().filter(|n| n.feature == LEAF).all(|n| n.n_samples >= 300));
    }

    #[test]
    fn probabilities_are_leaf_class_fractions() {
        // One feature, one split at 1.5: left {0, 0, 1}, right {1}.
        let x = [1.0, 1.0, 1.0, 2.0];
        let y = [0, 0, 1, 1];
        let mut t = DecisionTreeClassifier::new(TreeParams::default()).unwrap();
        t.fit(&x, 1, &y, 2).unwrap();
        let p = t.predict_proba(&[1.0, 3.0], 1).unwrap();
        assert_eq!(p, vec![2.0 / 3.0, 1.0 / 3.0, 0.0, 1.0]);
        assert_eq!(t.nodes[0].threshold, 1.5);
    }

    #[test]
    fn rejects_bad_input() {
        let mut t = DecisionTreeClassifier::new(TreeParams::default()).unwrap();
        assert!(t.predict(&[1.0], 1).unwrap_err().to_string().contains("not fitted"));
        let err = t.fit(&[1.0, f64::NAN], 1, &[0, 1], 2).unwrap_err().to_string();
        assert!(err.contains("NaN") && err.contains("row 1"), "{err}");
        assert!(t.fit(&[1.0], 1, &[], 2).is_err());
        assert!(DecisionTreeClassifier::new(TreeParams {
            min_samples_split: 1,
            ..Default::default()
        })
        .is_err());
        t.fit(&[1.0, 2.0], 1, &[0, 1], 2).unwrap();
        assert!(t.predict(&[1.0, 2.0], 2).unwrap_err().to_string().contains("features"));
    }

    #[test]
    fn serde_round_trip_keeps_predictions() {
        let (x, y) = xor_data(500, 4);
        let mut t = DecisionTreeClassifier::new(TreeParams::default()).unwrap();
        t.fit(&x, 3, &y, 2).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let back: DecisionTreeClassifier = serde_json::from_str(&json).unwrap();
        assert_eq!(back.predict(&x, 3).unwrap(), t.predict(&x, 3).unwrap());
    }
}
