//! Statistic functions.

mod stddev;
pub(crate) mod variance;

pub use stddev::Deviation;
