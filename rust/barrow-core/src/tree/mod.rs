//! Decision trees.

mod cart;

pub use cart::{DecisionTreeClassifier, TreeParams};
