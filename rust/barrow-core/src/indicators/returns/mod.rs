//! Return features that TA-Lib lacks but every pipeline computes.

mod features;
mod moments;

pub use features::{Feature, FeatureKind};
pub use moments::{Moment, RollingMoment};
