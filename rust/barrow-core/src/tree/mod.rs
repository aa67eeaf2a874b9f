//! Tree models: histogram CART (classification and regression) and random
//! forests, with scikit-learn's parameters and conventions.
//!
//! Models serialize with serde; [`Model`] wraps a fitted tree or forest in a
//! versioned envelope (`{"format": "barrow-model", "version": 1, ...}`) that
//! the Python estimators pickle and the Spark stages broadcast.

pub mod binning;
mod cart;
pub mod criterion;
mod forest;

pub use cart::{argmax_rows, check_weights, MaxFeatures, Target, Tree, TreeParams};
pub use criterion::Criterion;
pub use forest::{class_sample_weights, ClassWeight, Forest, ForestParams};

use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};

/// Parameters of a single tree's fit: the tree's, and class weights.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeFitParams {
    /// Growth parameters.
    pub tree: TreeParams,
    /// Class weights (classifiers).
    #[serde(default)]
    pub class_weight: ClassWeight,
}

/// Version of the serialized model format.
pub const MODEL_VERSION: u32 = 1;

/// A fitted tree or forest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fitted {
    /// One tree.
    Tree(Tree),
    /// A forest.
    Forest(Forest),
}

/// A fitted model with its class count, in a versioned envelope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Always `"barrow-model"`.
    pub format: String,
    /// [`MODEL_VERSION`] when written.
    pub version: u32,
    /// Number of classes (0 for regression).
    pub n_classes: usize,
    /// The tree or forest.
    pub fitted: Fitted,
}

impl Model {
    /// Wraps a fitted model.
    pub fn new(fitted: Fitted, n_classes: usize) -> Self {
        Self {
            format: "barrow-model".to_string(),
            version: MODEL_VERSION,
            n_classes,
            fitted,
        }
    }

    /// Serializes to JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("models serialize")
    }

    /// Reads a model written by this or an earlier format version.
    pub fn from_json(json: &str) -> Result<Self> {
        #[derive(Deserialize)]
        struct Head {
            format: String,
            version: u32,
        }
        let head: Head =
            serde_json::from_str(json).map_err(|e| BarrowError::Model(format!("not a barrow model: {e}")))?;
        if head.format != "barrow-model" {
            return Err(BarrowError::Model(format!(
                "not a barrow model (format '{}')",
                head.format
            )));
        }
        if head.version > MODEL_VERSION {
            return Err(BarrowError::Model(format!(
                "model format version {} is newer than this barrow reads ({MODEL_VERSION}); upgrade barrow",
                head.version
            )));
        }
        serde_json::from_str(json).map_err(|e| BarrowError::Model(format!("corrupt barrow model: {e}")))
    }

    /// Number of features the model expects.
    pub fn n_features(&self) -> usize {
        match &self.fitted {
            Fitted::Tree(t) => t.n_features(),
            Fitted::Forest(f) => f.n_features(),
        }
    }

    /// Leaf values (class probabilities or predictions), row-major.
    pub fn predict_values(&self, x: &[f64], n_features: usize) -> Result<Vec<f64>> {
        match &self.fitted {
            Fitted::Tree(t) => t.predict_values(x, n_features),
            Fitted::Forest(f) => f.predict_values(x, n_features),
        }
    }

    /// Impurity importances, summing to 1.
    pub fn feature_importances(&self) -> Vec<f64> {
        match &self.fitted {
            Fitted::Tree(t) => t.feature_importances(),
            Fitted::Forest(f) => f.feature_importances(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trips_and_rejects_newer_versions() {
        let t = Tree::fit(
            &[1.0, 2.0, 3.0],
            1,
            Target::Classes {
                y: &[0, 1, 1],
                n_classes: 2,
            },
            None,
            &TreeParams::default(),
        )
        .unwrap();
        let m = Model::new(Fitted::Tree(t), 2);
        let json = m.to_json();
        assert!(json.starts_with(r#"{"format":"barrow-model","version":1"#), "{json}");
        assert_eq!(Model::from_json(&json).unwrap(), m);
        let newer = json.replace(r#""version":1"#, r#""version":99"#);
        assert!(Model::from_json(&newer).unwrap_err().to_string().contains("upgrade"));
        assert!(Model::from_json("{}").is_err());
    }
}
