//! Return features that TA-Lib lacks but every pipeline computes.

mod features;
mod log_return;

pub use features::{Feature, FeatureKind};
pub use log_return::LogReturn;
