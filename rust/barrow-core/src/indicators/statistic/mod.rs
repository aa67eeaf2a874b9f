//! Statistic functions.

mod rank;
mod stddev;
pub(crate) mod variance;

pub use rank::{PercentRank, Percentile};
pub use stddev::Deviation;
