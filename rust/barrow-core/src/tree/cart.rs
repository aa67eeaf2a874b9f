//! Histogram CART: classification (Gini, entropy) and regression (squared
//! error) trees grown over binned features (see [`super::binning`]).
//!
//! A node owns a contiguous range of the sample-index array. Its histogram
//! holds, per feature and bin, the statistics of [`super::criterion`]; the
//! smaller child's histogram is built from its samples (in parallel over
//! features for large nodes) and the larger one's is the parent's minus
//! it. Split search scans each feature's bins left to right and tries
//! missing values on both sides, keeping the side that scores better; a
//! feature without missing values in the node sends them to the child with
//! more samples. Among equally good splits the first feature (in scan
//! order) and the lowest threshold win.
//!
//! Parameters and their meaning follow scikit-learn's `DecisionTree*`:
//! `max_depth`, `min_samples_split`, `min_samples_leaf` (counts of samples
//! with positive weight), `min_impurity_decrease` (weighted:
//! `W_t / W · (I_t - W_L / W_t · I_L - W_R / W_t · I_R)`), `max_features`
//! (features drawn per node, more drawn while none gives a valid split),
//! `max_leaf_nodes` (best-first growth by that decrease, else depth-first)
//! and `random_state`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::binning::{check_matrix, BinMapper, Binned, MISSING};
use super::criterion::{impurity, proxy, weight, Criterion};
use super::forest::{class_sample_weights, ClassWeight};
use crate::data::rng::SplitMix64;
use crate::error::{BarrowError, Result};

const LEAF: u32 = u32::MAX;
const PARALLEL_WORK: usize = 1 << 15;

/// How many features a node draws for its split search.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaxFeatures {
    /// Every feature.
    All,
    /// `max(1, floor(sqrt(d)))`.
    Sqrt,
    /// `max(1, floor(log2(d)))`.
    Log2,
    /// A fixed number (at most `d`).
    Count(usize),
    /// `max(1, floor(fraction · d))`, fraction in (0, 1].
    Fraction(f64),
}

impl MaxFeatures {
    /// Number of features drawn out of `d`.
    pub fn resolve(self, d: usize) -> usize {
        let k = match self {
            Self::All => d,
            Self::Sqrt => (d as f64).sqrt() as usize,
            Self::Log2 => (d as f64).log2() as usize,
            Self::Count(k) => k,
            Self::Fraction(f) => (f * d as f64) as usize,
        };
        k.clamp(1, d.max(1))
    }
}

/// Growth parameters, with scikit-learn's names and defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TreeParams {
    /// Split criterion (which also fixes classification or regression).
    pub criterion: Criterion,
    /// Maximum depth (root has depth 0); `None` grows until leaves are pure.
    pub max_depth: Option<usize>,
    /// Minimum samples a node needs to be split (>= 2).
    pub min_samples_split: usize,
    /// Minimum samples in each leaf (>= 1).
    pub min_samples_leaf: usize,
    /// Minimum share of the total sample weight in each leaf ([0, 0.5]).
    pub min_weight_fraction_leaf: f64,
    /// A split must decrease the weighted impurity by at least this (>= 0).
    pub min_impurity_decrease: f64,
    /// Features drawn per node.
    pub max_features: MaxFeatures,
    /// Grow best-first up to this many leaves (>= 2); `None`: depth-first.
    pub max_leaf_nodes: Option<usize>,
    /// Bins per feature (2..=255).
    pub max_bins: usize,
    /// Seed of the feature draws.
    pub random_state: u64,
}

impl Default for TreeParams {
    fn default() -> Self {
        Self {
            criterion: Criterion::Gini,
            max_depth: None,
            min_samples_split: 2,
            min_samples_leaf: 1,
            min_weight_fraction_leaf: 0.0,
            min_impurity_decrease: 0.0,
            max_features: MaxFeatures::All,
            max_leaf_nodes: None,
            max_bins: 255,
            random_state: 0,
        }
    }
}

impl TreeParams {
    /// Checks every parameter's range.
    pub fn validate(&self) -> Result<()> {
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
        if !(0.0..=0.5).contains(&self.min_weight_fraction_leaf) {
            return Err(BarrowError::bad_param(
                "min_weight_fraction_leaf",
                self.min_weight_fraction_leaf,
                "must be in [0, 0.5]",
            ));
        }
        if !(self.min_impurity_decrease >= 0.0 && self.min_impurity_decrease.is_finite()) {
            return Err(BarrowError::bad_param(
                "min_impurity_decrease",
                self.min_impurity_decrease,
                "must be a finite number >= 0",
            ));
        }
        match self.max_features {
            MaxFeatures::Count(0) => return Err(BarrowError::bad_param("max_features", 0, "must be >= 1")),
            MaxFeatures::Fraction(f) if !(f > 0.0 && f <= 1.0) => {
                return Err(BarrowError::bad_param(
                    "max_features",
                    f,
                    "a fraction must be in (0, 1]",
                ))
            }
            _ => {}
        }
        if let Some(m) = self.max_leaf_nodes {
            if m < 2 {
                return Err(BarrowError::bad_param("max_leaf_nodes", m, "must be >= 2 or None"));
            }
        }
        if !(2..=255).contains(&self.max_bins) {
            return Err(BarrowError::bad_param("max_bins", self.max_bins, "must be in [2, 255]"));
        }
        Ok(())
    }
}

/// What a tree learns: class labels `0..n_classes` or real values.
#[derive(Clone, Copy, Debug)]
pub enum Target<'a> {
    /// Class labels in `0..n_classes`.
    Classes {
        /// One label per sample.
        y: &'a [u32],
        /// Number of classes.
        n_classes: usize,
    },
    /// Regression targets.
    Values(&'a [f64]),
}

impl Target<'_> {
    /// Number of samples.
    pub fn len(&self) -> usize {
        match self {
            Self::Classes { y, .. } => y.len(),
            Self::Values(y) => y.len(),
        }
    }

    /// Whether there are no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values per node: the number of classes, or 1.
    pub fn width(&self) -> usize {
        match self {
            Self::Classes { n_classes, .. } => *n_classes,
            Self::Values(_) => 1,
        }
    }

    /// Checks the labels or values against `n` samples and the criterion.
    pub fn validate(&self, n: usize, crit: Criterion) -> Result<()> {
        if self.len() != n {
            return Err(BarrowError::LengthMismatch(format!(
                "X has {n} samples but y has {}",
                self.len()
            )));
        }
        match *self {
            Self::Classes { y, n_classes } => {
                if !crit.is_classification() {
                    return Err(BarrowError::bad_param(
                        "criterion",
                        "squared_error",
                        "is for regression",
                    ));
                }
                if let Some(i) = y.iter().position(|&c| c as usize >= n_classes) {
                    return Err(BarrowError::bad_param(
                        "y",
                        y[i],
                        format!("label at row {i} is not below n_classes = {n_classes}"),
                    ));
                }
            }
            Self::Values(y) => {
                if crit.is_classification() {
                    return Err(BarrowError::bad_param(
                        "criterion",
                        format!("{crit:?}"),
                        "is for classification; regression uses 'squared_error'",
                    ));
                }
                if let Some(i) = y.iter().position(|v| !v.is_finite()) {
                    return Err(BarrowError::InvalidValue {
                        column: "y".to_string(),
                        kind: if y[i].is_nan() { "NaN" } else { "infinite" }.to_string(),
                        row: i,
                        context: String::new(),
                    });
                }
            }
        }
        Ok(())
    }

    fn stride(&self) -> usize {
        match self {
            Self::Classes { n_classes, .. } => 1 + n_classes,
            Self::Values(_) => 4,
        }
    }

    #[inline]
    fn add(&self, s: &mut [f64], i: usize, w: f64) {
        s[0] += 1.0;
        match *self {
            Self::Classes { y, .. } => s[1 + y[i] as usize] += w,
            Self::Values(y) => {
                let wy = w * y[i];
                s[1] += w;
                s[2] += wy;
                s[3] += wy * y[i];
            }
        }
    }
}

/// Checks sample weights: one per sample, finite, >= 0, not all zero.
pub fn check_weights(w: &[f64], n: usize) -> Result<()> {
    if w.len() != n {
        return Err(BarrowError::LengthMismatch(format!(
            "sample_weight has {} values for {n} samples",
            w.len()
        )));
    }
    if let Some(i) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        return Err(BarrowError::bad_param(
            "sample_weight",
            w[i],
            format!("at row {i}: weights must be finite and >= 0"),
        ));
    }
    if !w.iter().any(|&v| v > 0.0) {
        return Err(BarrowError::bad_param(
            "sample_weight",
            0,
            "at least one weight must be positive",
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Node {
    feature: u32,
    threshold: f64,
    missing_left: bool,
    left: u32,
    right: u32,
    n_samples: u32,
    weight: f64,
    impurity: f64,
}

/// A fitted tree over real-valued features: node splits, leaf values
/// (class fractions or means) and impurity importances.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    n_features: usize,
    width: usize,
    nodes: Vec<Node>,
    values: Vec<f64>,
    importances: Vec<f64>,
}

/// Where each feature's histogram block starts, and its bin count.
struct Layout {
    offsets: Vec<usize>,
    n_bins: Vec<usize>,
    stride: usize,
    len: usize,
}

impl Layout {
    fn new(mapper: &BinMapper, stride: usize) -> Self {
        let mut offsets = Vec::with_capacity(mapper.n_features());
        let mut n_bins = Vec::with_capacity(mapper.n_features());
        let mut len = 0;
        for f in 0..mapper.n_features() {
            offsets.push(len);
            n_bins.push(mapper.n_bins(f));
            len += (mapper.n_bins(f) + 1) * stride;
        }
        Self {
            offsets,
            n_bins,
            stride,
            len,
        }
    }

    fn block<'h>(&self, h: &'h [f64], f: usize) -> &'h [f64] {
        &h[self.offsets[f]..self.offsets[f] + (self.n_bins[f] + 1) * self.stride]
    }
}

#[derive(Clone, Debug)]
struct Split {
    feature: usize,
    bin: usize,
    threshold: f64,
    missing_left: bool,
    score: f64,
}

/// A node waiting to be split, with its histogram and best split.
struct Pending {
    id: usize,
    start: usize,
    end: usize,
    depth: usize,
    hist: Option<Vec<f64>>,
    split: Split,
    improvement: f64,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    /// Larger improvement first, then the older node.
    fn cmp(&self, other: &Self) -> Ordering {
        self.improvement
            .total_cmp(&other.improvement)
            .then(other.id.cmp(&self.id))
    }
}

struct Grower<'a> {
    binned: &'a Binned,
    target: Target<'a>,
    weights: &'a [f64],
    params: &'a TreeParams,
    layout: Layout,
    root_weight: f64,
    min_weight_leaf: f64,
    rng: SplitMix64,
    small: SmallScratch,
    tree: Tree,
}

/// Reused buffers of the small-node split search.
#[derive(Default)]
struct SmallScratch {
    dense: Vec<f64>,
    pairs: Vec<(u8, u32)>,
    bins: Vec<usize>,
    stats: Vec<f64>,
}

impl Grower<'_> {
    fn build_hist(&self, idx: &[u32]) -> Vec<f64> {
        let mut h = vec![0.0; self.layout.len];
        let s = self.layout.stride;
        let mut blocks: Vec<(usize, &mut [f64])> = Vec::with_capacity(self.layout.n_bins.len());
        let mut rest = h.as_mut_slice();
        for (f, &nb) in self.layout.n_bins.iter().enumerate() {
            let (head, tail) = std::mem::take(&mut rest).split_at_mut((nb + 1) * s);
            blocks.push((f, head));
            rest = tail;
        }
        let fill = |(f, block): &mut (usize, &mut [f64])| {
            let bins = &self.binned.bins[*f];
            let missing = self.layout.n_bins[*f];
            for &i in idx {
                let i = i as usize;
                let b = bins[i];
                let b = if b == MISSING { missing } else { b as usize };
                self.target.add(&mut block[b * s..b * s + s], i, self.weights[i]);
            }
        };
        if idx.len() * blocks.len() >= PARALLEL_WORK {
            blocks.par_iter_mut().for_each(fill);
        } else {
            blocks.iter_mut().for_each(fill);
        }
        h
    }

    fn totals(&self, idx: &[u32]) -> Vec<f64> {
        let mut t = vec![0.0; self.layout.stride];
        for &i in idx {
            self.target.add(&mut t, i as usize, self.weights[i as usize]);
        }
        t
    }

    /// Best split of one feature given its occupied bins in increasing
    /// order (`group(j)` = (bin, statistics)) and its missing values' statistics.
    fn scan_groups<'g>(
        &self,
        f: usize,
        n_groups: usize,
        group: impl Fn(usize) -> (usize, &'g [f64]),
        miss: &[f64],
        totals: &[f64],
    ) -> Option<Split> {
        let crit = self.params.criterion;
        let s = self.layout.stride;
        let last = self.layout.n_bins[f] - 1;
        let has_missing = miss[0] > 0.0;
        let min_leaf = self.params.min_samples_leaf as f64;
        let min_w = self.min_weight_leaf;
        let ok = |a: &[f64], b: &[f64]| {
            a[0] >= min_leaf
                && b[0] >= min_leaf
                && (min_w <= 0.0 || (weight(crit, a) >= min_w && weight(crit, b) >= min_w))
        };
        let mut left = vec![0.0; s];
        let mut right = vec![0.0; s];
        let mut with_missing = vec![0.0; s];
        let mut best: Option<Split> = None;
        let consider = |score: f64, bin: usize, missing_left: bool, best: &mut Option<Split>| {
            if best.as_ref().is_none_or(|b| score > b.score) {
                *best = Some(Split {
                    feature: f,
                    bin,
                    threshold: self.binned.mapper.thresholds[f][bin],
                    missing_left,
                    score,
                });
            }
        };
        for j in 0..n_groups {
            let (b, stats) = group(j);
            if b >= last {
                break;
            }
            for k in 0..s {
                left[k] += stats[k];
                right[k] = totals[k] - left[k] - miss[k];
            }
            if left[0] == 0.0 {
                continue;
            }
            if right[0] <= 0.0 {
                break;
            }
            if has_missing {
                // Missing values right, then left.
                for k in 0..s {
                    with_missing[k] = right[k] + miss[k];
                }
                if ok(&left, &with_missing) {
                    consider(proxy(crit, &left) + proxy(crit, &with_missing), b, false, &mut best);
                }
                for k in 0..s {
                    with_missing[k] = left[k] + miss[k];
                }
                if ok(&with_missing, &right) {
                    consider(proxy(crit, &with_missing) + proxy(crit, &right), b, true, &mut best);
                }
            } else if ok(&left, &right) {
                consider(
                    proxy(crit, &left) + proxy(crit, &right),
                    b,
                    left[0] >= right[0],
                    &mut best,
                );
            }
        }
        best
    }

    /// Best split of one feature from the node's histogram.
    fn scan(&self, f: usize, hist: &[f64], totals: &[f64]) -> Option<Split> {
        let s = self.layout.stride;
        let nb = self.layout.n_bins[f];
        let block = self.layout.block(hist, f);
        let group = |b: usize| (b, &block[b * s..b * s + s]);
        self.scan_groups(f, nb, group, &block[nb * s..nb * s + s], totals)
    }

    /// Best split of one feature from the node's samples alone: a histogram
    /// of this feature only, or for few samples the samples sorted by bin.
    fn scan_samples(&self, f: usize, idx: &[u32], totals: &[f64], buf: &mut SmallScratch) -> Option<Split> {
        let s = self.layout.stride;
        let nb = self.layout.n_bins[f];
        let m = idx.len() as f64;
        if m + 2.0 * (nb * s) as f64 <= 2.0 * m * m.max(2.0).log2() {
            let block = &mut buf.dense;
            block.clear();
            block.resize((nb + 1) * s, 0.0);
            let bins = &self.binned.bins[f];
            for &i in idx {
                let i = i as usize;
                let b = bins[i];
                let b = if b == MISSING { nb } else { b as usize };
                self.target.add(&mut block[b * s..b * s + s], i, self.weights[i]);
            }
            let block = &buf.dense;
            return self.scan_groups(
                f,
                nb,
                |b| (b, &block[b * s..b * s + s]),
                &block[nb * s..nb * s + s],
                totals,
            );
        }
        let bins = &self.binned.bins[f];
        buf.pairs.clear();
        buf.pairs.extend(idx.iter().map(|&i| (bins[i as usize], i)));
        buf.pairs.sort_unstable_by_key(|p| p.0);
        buf.bins.clear();
        buf.stats.clear();
        let mut miss = vec![0.0; s];
        for &(b, i) in &buf.pairs {
            let i = i as usize;
            if b == MISSING {
                self.target.add(&mut miss, i, self.weights[i]);
                continue;
            }
            if buf.bins.last() != Some(&(b as usize)) {
                buf.bins.push(b as usize);
                buf.stats.extend(std::iter::repeat_n(0.0, s));
            }
            let at = buf.stats.len() - s;
            self.target.add(&mut buf.stats[at..], i, self.weights[i]);
        }
        let (gb, gs) = (&buf.bins, &buf.stats);
        self.scan_groups(f, gb.len(), |j| (gb[j], &gs[j * s..j * s + s]), &miss, totals)
    }

    fn best_split(&mut self, hist: Option<&[f64]>, idx: &[u32], totals: &[f64]) -> Option<Split> {
        let n = idx.len();
        let d = self.layout.n_bins.len();
        let k = self.params.max_features.resolve(d);
        let Some(hist) = hist else {
            // Small node: scan the drawn features from the sorted samples.
            let mut buf = std::mem::take(&mut self.small);
            let order = self.feature_order(d, k);
            let mut best: Option<Split> = None;
            let mut useful = 0;
            for (j, &f) in order.iter().enumerate() {
                if let Some(s) = self.scan_samples(f, idx, totals, &mut buf) {
                    useful += 1;
                    if best.as_ref().is_none_or(|b| s.score > b.score) {
                        best = Some(s);
                    }
                }
                if j + 1 >= k && useful > 0 {
                    break;
                }
            }
            self.small = buf;
            return best;
        };
        if k >= d {
            let pick = |a: Option<Split>, b: Option<Split>| match (a, b) {
                (Some(a), Some(b)) => Some(if b.score > a.score || (b.score == a.score && b.feature < a.feature) {
                    b
                } else {
                    a
                }),
                (a, b) => a.or(b),
            };
            return if n * d >= PARALLEL_WORK {
                (0..d)
                    .into_par_iter()
                    .map(|f| self.scan(f, hist, totals))
                    .reduce(|| None, pick)
            } else {
                (0..d).map(|f| self.scan(f, hist, totals)).fold(None, pick)
            };
        }
        // Draw features in random order; keep drawing past k while none of
        // the drawn ones can split the node.
        let order = self.feature_order(d, k);
        let mut best: Option<Split> = None;
        let mut useful = 0;
        for (j, &f) in order.iter().enumerate() {
            if let Some(s) = self.scan(f, hist, totals) {
                useful += 1;
                if best.as_ref().is_none_or(|b| s.score > b.score) {
                    best = Some(s);
                }
            }
            if j + 1 >= k && useful > 0 {
                break;
            }
        }
        best
    }

    /// Features in scan order: in index order when every feature is drawn,
    /// else a random permutation (the search stops after `k` useful ones).
    fn feature_order(&mut self, d: usize, k: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..d).collect();
        if k < d {
            for j in 0..d {
                let r = j + self.rng.below(d - j);
                order.swap(j, r);
            }
        }
        order
    }

    /// Whether a node of `m` samples is cheaper to search with histograms
    /// of every feature (the larger child's by subtraction, about half the
    /// samples per feature plus three passes over the bins) than from its
    /// samples, per drawn feature (all samples plus two passes over the
    /// bins, or a sort for few samples).
    fn wants_hist(&self, m: usize) -> bool {
        let d = self.layout.n_bins.len() as f64;
        let k = self.params.max_features.resolve(self.layout.n_bins.len()) as f64;
        let bins = self.layout.len as f64 / d;
        let m = m as f64;
        let per_feature = (m + 2.0 * bins).min(2.0 * m * m.max(2.0).log2());
        d * (0.5 * m + 3.0 * bins) < k * per_feature
    }

    /// Records node `id`'s statistics and, unless it must stay a leaf,
    /// finds its best split.
    fn consider(
        &mut self,
        id: usize,
        range: std::ops::Range<usize>,
        depth: usize,
        hist: Option<Vec<f64>>,
        idx: &[u32],
        totals: &[f64],
    ) -> Option<Pending> {
        let (start, end) = (range.start, range.end);
        let crit = self.params.criterion;
        let w = weight(crit, totals);
        let imp = impurity(crit, totals);
        let width = self.tree.width;
        match self.target {
            Target::Classes { .. } => {
                for (v, &c) in self.tree.values[id * width..id * width + width]
                    .iter_mut()
                    .zip(&totals[1..])
                {
                    *v = c / w;
                }
            }
            Target::Values(_) => self.tree.values[id] = totals[2] / w,
        }
        let n = end - start;
        let node = &mut self.tree.nodes[id];
        node.n_samples = n as u32;
        node.weight = w;
        node.impurity = imp;
        if self.params.max_depth.is_some_and(|m| depth >= m)
            || n < self.params.min_samples_split
            || n < 2 * self.params.min_samples_leaf
            || w < 2.0 * self.min_weight_leaf
            || imp <= f64::EPSILON
        {
            return None;
        }
        let split = self.best_split(hist.as_deref(), idx, totals)?;
        // The split's children, for the impurity decrease.
        let mut left = vec![0.0; self.layout.stride];
        for &i in idx {
            if self.goes_left(&split, i as usize) {
                self.target.add(&mut left, i as usize, self.weights[i as usize]);
            }
        }
        let right: Vec<f64> = totals.iter().zip(&left).map(|(t, l)| t - l).collect();
        let (wl, wr) = (weight(crit, &left), weight(crit, &right));
        let improvement =
            w / self.root_weight * (imp - wr / w * impurity(crit, &right) - wl / w * impurity(crit, &left));
        if improvement + f64::EPSILON < self.params.min_impurity_decrease {
            return None;
        }
        Some(Pending {
            id,
            start,
            end,
            depth,
            hist,
            split,
            improvement,
        })
    }

    fn goes_left(&self, split: &Split, i: usize) -> bool {
        let b = self.binned.bins[split.feature][i];
        if b == MISSING {
            split.missing_left
        } else {
            b as usize <= split.bin
        }
    }

    fn grow(mut self, mut samples: Vec<u32>) -> Tree {
        let n = samples.len();
        let mut scratch = vec![0u32; n];
        self.tree.nodes.push(LEAF_NODE);
        self.tree.values.resize(self.tree.width, 0.0);
        let root_totals = self.totals(&samples);
        self.root_weight = weight(self.params.criterion, &root_totals);
        self.min_weight_leaf = self.params.min_weight_fraction_leaf * self.root_weight;
        let root_hist = self.wants_hist(n).then(|| self.build_hist(&samples));
        let best_first = self.params.max_leaf_nodes.is_some();
        let mut stack: Vec<Pending> = Vec::new();
        let mut heap: BinaryHeap<Pending> = BinaryHeap::new();
        let push = |p: Pending, stack: &mut Vec<Pending>, heap: &mut BinaryHeap<Pending>| {
            if best_first {
                heap.push(p)
            } else {
                stack.push(p)
            }
        };
        if let Some(p) = self.consider(0, 0..n, 0, root_hist, &samples, &root_totals) {
            push(p, &mut stack, &mut heap);
        }
        let mut leaves = 1;
        let crit = self.params.criterion;
        let mut importances = vec![0.0; self.tree.n_features];
        while let Some(p) = if best_first { heap.pop() } else { stack.pop() } {
            if self.params.max_leaf_nodes.is_some_and(|m| leaves >= m) {
                break;
            }
            // Stable partition of the node's samples.
            let range = &mut samples[p.start..p.end];
            let buf = &mut scratch[p.start..p.end];
            let (mut l, mut r) = (0, range.len());
            for &i in range.iter() {
                if self.goes_left(&p.split, i as usize) {
                    buf[l] = i;
                    l += 1;
                } else {
                    r -= 1;
                    buf[r] = i;
                }
            }
            range[..l].copy_from_slice(&buf[..l]);
            for (dst, src) in range[l..].iter_mut().zip(buf[l..].iter().rev()) {
                *dst = *src;
            }
            let mid = p.start + l;
            let (left_idx, right_idx) = (&samples[p.start..mid], &samples[mid..p.end]);
            let (lt, rt) = (self.totals(left_idx), self.totals(right_idx));
            // Build the smaller child's histogram and subtract it from the
            // parent's for the larger child, while histograms pay off.
            let (lh, rh) = match p.hist {
                Some(mut large) if self.wants_hist(left_idx.len().max(right_idx.len())) => {
                    let small_is_left = left_idx.len() <= right_idx.len();
                    let small = self.build_hist(if small_is_left { left_idx } else { right_idx });
                    let s = self.layout.stride;
                    for (bin_l, bin_s) in large.chunks_exact_mut(s).zip(small.chunks_exact(s)) {
                        for (a, b) in bin_l.iter_mut().zip(bin_s) {
                            *a -= b;
                        }
                        if bin_l[0] <= 0.0 {
                            bin_l.fill(0.0);
                        }
                    }
                    if small_is_left {
                        (Some(small), Some(large))
                    } else {
                        (Some(large), Some(small))
                    }
                }
                _ => (None, None),
            };

            let node = &self.tree.nodes[p.id];
            importances[p.split.feature] += node.weight * node.impurity
                - weight(crit, &lt) * impurity(crit, &lt)
                - weight(crit, &rt) * impurity(crit, &rt);
            let left_id = self.tree.nodes.len();
            self.tree.nodes.extend([LEAF_NODE, LEAF_NODE]);
            self.tree.values.resize(self.tree.nodes.len() * self.tree.width, 0.0);
            let node = &mut self.tree.nodes[p.id];
            node.feature = p.split.feature as u32;
            node.threshold = p.split.threshold;
            node.missing_left = p.split.missing_left;
            node.left = left_id as u32;
            node.right = left_id as u32 + 1;
            leaves += 1;
            let right = self.consider(left_id + 1, mid..p.end, p.depth + 1, rh, &samples[mid..p.end], &rt);
            let left = self.consider(left_id, p.start..mid, p.depth + 1, lh, &samples[p.start..mid], &lt);
            // Depth-first: the left child is split next.
            for c in [right, left].into_iter().flatten() {
                push(c, &mut stack, &mut heap);
            }
        }
        self.tree.importances = importances;
        self.tree
    }
}

const LEAF_NODE: Node = Node {
    feature: LEAF,
    threshold: 0.0,
    missing_left: false,
    left: LEAF,
    right: LEAF,
    n_samples: 0,
    weight: 0.0,
    impurity: 0.0,
};

impl Tree {
    /// Fits a tree on a row-major matrix `x` (`n × n_features`; NaN is
    /// missing) with optional per-sample weights.
    pub fn fit(
        x: &[f64],
        n_features: usize,
        target: Target<'_>,
        sample_weight: Option<&[f64]>,
        params: &TreeParams,
    ) -> Result<Tree> {
        Self::fit_with_class_weight(x, n_features, target, sample_weight, &ClassWeight::None, params)
    }

    /// [`Tree::fit`] with class weights multiplying the sample weights.
    pub fn fit_with_class_weight(
        x: &[f64],
        n_features: usize,
        target: Target<'_>,
        sample_weight: Option<&[f64]>,
        class_weight: &ClassWeight,
        params: &TreeParams,
    ) -> Result<Tree> {
        params.validate()?;
        let n = check_matrix(x, n_features)?;
        if n == 0 {
            return Err(BarrowError::EmptyInput(
                "fit needs at least one sample; X is empty".to_string(),
            ));
        }
        if n >= u32::MAX as usize {
            return Err(BarrowError::bad_param("n_samples", n, "must be below 2^32 - 1"));
        }
        target.validate(n, params.criterion)?;
        let mut weights = match sample_weight {
            Some(w) => {
                check_weights(w, n)?;
                w.to_vec()
            }
            None => vec![1.0; n],
        };
        match (target, class_weight) {
            (_, ClassWeight::None) => {}
            (Target::Classes { y, n_classes }, cw) => {
                if let Some(c) = class_sample_weights(y, n_classes, cw, None)? {
                    weights.iter_mut().zip(c).for_each(|(w, c)| *w *= c);
                }
                if !weights.iter().any(|&w| w > 0.0) {
                    return Err(BarrowError::bad_param(
                        "class_weight",
                        "given",
                        "leaves no sample a positive weight",
                    ));
                }
            }
            (Target::Values(_), _) => {
                return Err(BarrowError::bad_param(
                    "class_weight",
                    "given",
                    "applies to classifiers only",
                ))
            }
        }
        let binned =
            BinMapper::fit_weighted(x, n_features, params.max_bins, Some(&weights))?.transform(x, n_features)?;
        Ok(Self::fit_binned(&binned, target, &weights, params, params.random_state))
    }

    /// Fits on already binned, validated data; samples with zero weight are
    /// left out.
    pub(crate) fn fit_binned(
        binned: &Binned,
        target: Target<'_>,
        weights: &[f64],
        params: &TreeParams,
        seed: u64,
    ) -> Tree {
        let samples: Vec<u32> = (0..binned.n_samples as u32)
            .filter(|&i| weights[i as usize] > 0.0)
            .collect();
        let grower = Grower {
            binned,
            target,
            weights,
            params,
            layout: Layout::new(&binned.mapper, target.stride()),
            root_weight: 0.0,
            min_weight_leaf: 0.0,
            rng: SplitMix64::new(seed),
            small: SmallScratch::default(),
            tree: Tree {
                n_features: binned.mapper.n_features(),
                width: target.width(),
                nodes: Vec::new(),
                values: Vec::new(),
                importances: Vec::new(),
            },
        };
        grower.grow(samples)
    }

    /// Number of features the tree was fitted on.
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Values per leaf: number of classes, or 1 for regression.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Number of leaves.
    pub fn leaf_count(&self) -> usize {
        self.nodes.iter().filter(|n| n.feature == LEAF).count()
    }

    /// Depth (a single leaf has depth 0).
    pub fn depth(&self) -> usize {
        let mut depth = vec![0usize; self.nodes.len()];
        let mut max = 0;
        for (i, n) in self.nodes.iter().enumerate() {
            if n.feature != LEAF {
                depth[n.left as usize] = depth[i] + 1;
                depth[n.right as usize] = depth[i] + 1;
                max = max.max(depth[i] + 1);
            }
        }
        max
    }

    /// Unnormalized impurity decreases per feature (`W_t I_t - W_L I_L - W_R I_R` summed).
    pub fn raw_importances(&self) -> &[f64] {
        &self.importances
    }

    /// Impurity-based importances, summing to 1 (all 0 for a single leaf).
    pub fn feature_importances(&self) -> Vec<f64> {
        normalized(&self.importances)
    }

    /// Index of the leaf a row (`n_features` values) falls in.
    #[inline]
    pub fn leaf_of(&self, row: &[f64]) -> usize {
        let mut i = 0usize;
        loop {
            let node = &self.nodes[i];
            if node.feature == LEAF {
                return i;
            }
            let v = row[node.feature as usize];
            let left = if v.is_nan() {
                node.missing_left
            } else {
                v <= node.threshold
            };
            i = if left { node.left } else { node.right } as usize;
        }
    }

    /// The values of the leaf a row falls in (class fractions or the mean).
    #[inline]
    pub fn leaf_values(&self, row: &[f64]) -> &[f64] {
        let leaf = self.leaf_of(row);
        &self.values[leaf * self.width..leaf * self.width + self.width]
    }

    /// Checks a prediction matrix against the fitted feature count.
    pub fn check_input(&self, x: &[f64], n_features: usize) -> Result<usize> {
        if n_features != self.n_features {
            return Err(BarrowError::Model(format!(
                "X has {n_features} features, but the model was fitted with {}",
                self.n_features
            )));
        }
        check_matrix(x, n_features)
    }

    /// Leaf values for every row, row-major `n × width`.
    pub fn predict_values(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        let n = self.check_input(x, n_features)?;
        let w = self.width;
        let mut out = vec![0.0; n * w];
        out.par_chunks_mut(w)
            .zip(x.par_chunks(n_features))
            .with_min_len(1024)
            .for_each(|(o, row)| o.copy_from_slice(self.leaf_values(row)));
        Ok(out)
    }
}

/// `v / sum(v)`, or zeros when the sum is not positive.
pub(crate) fn normalized(v: &[f64]) -> Vec<f64> {
    let total: f64 = v.iter().sum();
    if total > 0.0 {
        v.iter().map(|x| x / total).collect()
    } else {
        vec![0.0; v.len()]
    }
}

/// Most probable class of each row of a row-major `n × k` probability
/// matrix (lowest class on ties).
pub fn argmax_rows(proba: &[f64], k: usize) -> Vec<u32> {
    proba
        .chunks(k.max(1))
        .map(|p| {
            let mut best = 0;
            for c in 1..p.len() {
                if p[c] > p[best] {
                    best = c;
                }
            }
            best as u32
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn classes(y: &[u32]) -> Target<'_> {
        Target::Classes { y, n_classes: 2 }
    }

    fn accuracy(t: &Tree, x: &[f64], y: &[u32]) -> f64 {
        let pred = argmax_rows(&t.predict_values(x, 3).unwrap(), 2);
        pred.iter().zip(y).filter(|(a, b)| a == b).count() as f64 / y.len() as f64
    }

    #[test]
    fn learns_xor_and_ignores_noise() {
        let (x, y) = xor_data(4000, 1);
        for criterion in [Criterion::Gini, Criterion::Entropy] {
            let params = TreeParams {
                criterion,
                ..Default::default()
            };
            let t = Tree::fit(&x, 3, classes(&y), None, &params).unwrap();
            assert_eq!(accuracy(&t, &x, &y), 1.0);
            let (xt, yt) = xor_data(2000, 2);
            assert!(accuracy(&t, &xt, &yt) > 0.97);
            let imp = t.feature_importances();
            assert!(
                imp[2] < 0.05 && (imp.iter().sum::<f64>() - 1.0).abs() < 1e-12,
                "{imp:?}"
            );
        }
    }

    #[test]
    fn limits_bound_the_tree() {
        let (x, y) = xor_data(2000, 3);
        let fit = |p: TreeParams| Tree::fit(&x, 3, classes(&y), None, &p).unwrap();
        let t = fit(TreeParams {
            max_depth: Some(2),
            ..Default::default()
        });
        assert!(t.depth() <= 2 && t.node_count() <= 7);
        let t = fit(TreeParams {
            min_samples_leaf: 300,
            ..Default::default()
        });
        assert!(t.nodes.iter().filter(|n| n.feature == LEAF).all(|n| n.n_samples >= 300));
        let t = fit(TreeParams {
            max_leaf_nodes: Some(5),
            ..Default::default()
        });
        assert_eq!(t.leaf_count(), 5);
        let t = fit(TreeParams {
            min_impurity_decrease: 0.2,
            ..Default::default()
        });
        assert!(t.node_count() <= 3, "{}", t.node_count());
    }

    #[test]
    fn leaf_values_are_weighted_class_fractions() {
        // One feature, split at 1.5: left {0, 0, 1}, right {1}.
        let x = [1.0, 1.0, 1.0, 2.0];
        let y = [0, 0, 1, 1];
        let t = Tree::fit(&x, 1, classes(&y), None, &TreeParams::default()).unwrap();
        assert_eq!(t.nodes[0].threshold, 1.5);
        assert_eq!(
            t.predict_values(&[1.0, 3.0], 1).unwrap(),
            vec![2.0 / 3.0, 1.0 / 3.0, 0.0, 1.0]
        );
        // Weight 2 on the third sample moves the left leaf to 1/2, 1/2.
        let t = Tree::fit(&x, 1, classes(&y), Some(&[1.0, 1.0, 2.0, 1.0]), &TreeParams::default()).unwrap();
        assert_eq!(&t.predict_values(&[1.0], 1).unwrap(), &[0.5, 0.5]);
    }

    #[test]
    fn regression_fits_a_step_function() {
        let x: Vec<f64> = (0..200).map(|i| i as f64).collect();
        let y: Vec<f64> = x.iter().map(|&v| if v < 120.0 { 1.0 } else { 5.0 }).collect();
        let params = TreeParams {
            criterion: Criterion::SquaredError,
            max_depth: Some(1),
            ..Default::default()
        };
        let t = Tree::fit(&x, 1, Target::Values(&y), None, &params).unwrap();
        assert_eq!(t.nodes[0].threshold, 119.5);
        assert_eq!(t.predict_values(&[3.0, 150.0], 1).unwrap(), vec![1.0, 5.0]);
    }

    #[test]
    fn missing_values_go_to_the_learned_side() {
        // NaN rows behave like the large values: missing must go right.
        let x = [1.0, 2.0, 3.0, 10.0, 11.0, f64::NAN, f64::NAN];
        let y = [0, 0, 0, 1, 1, 1, 1];
        let t = Tree::fit(&x, 1, classes(&y), None, &TreeParams::default()).unwrap();
        assert_eq!(
            argmax_rows(&t.predict_values(&[f64::NAN, 2.5, 10.5], 1).unwrap(), 2),
            vec![1, 0, 1]
        );
        assert!(!t.nodes[0].missing_left);
    }

    #[test]
    fn rejects_bad_input() {
        let p = TreeParams::default();
        let err = Tree::fit(&[1.0, f64::INFINITY], 1, classes(&[0, 1]), None, &p)
            .unwrap_err()
            .to_string();
        assert!(err.contains("infinite") && err.contains("row 1"), "{err}");
        assert!(Tree::fit(&[], 1, classes(&[]), None, &p).is_err());
        assert!(Tree::fit(&[1.0, 2.0], 1, classes(&[0]), None, &p).is_err());
        assert!(Tree::fit(&[1.0, 2.0], 1, classes(&[0, 1]), Some(&[-1.0, 1.0]), &p).is_err());
        assert!(Tree::fit(&[1.0, 2.0], 1, Target::Values(&[0.0, 1.0]), None, &p).is_err());
        let bad = TreeParams {
            min_samples_split: 1,
            ..Default::default()
        };
        assert!(bad.validate().is_err());
        let t = Tree::fit(&[1.0, 2.0], 1, classes(&[0, 1]), None, &p).unwrap();
        assert!(t
            .predict_values(&[1.0, 2.0], 2)
            .unwrap_err()
            .to_string()
            .contains("features"));
    }

    #[test]
    fn serde_round_trip_keeps_predictions() {
        let (x, y) = xor_data(500, 4);
        let t = Tree::fit(&x, 3, classes(&y), None, &TreeParams::default()).unwrap();
        let back: Tree = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back.predict_values(&x, 3).unwrap(), t.predict_values(&x, 3).unwrap());
    }
}
