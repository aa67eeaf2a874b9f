//! Return features that TA-Lib lacks but every pipeline computes.

mod features;

pub use features::{Feature, FeatureKind};
