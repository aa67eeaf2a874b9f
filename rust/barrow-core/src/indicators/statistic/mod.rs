//! Statistic functions.

mod beta;
mod correl;
pub(crate) mod linearreg;
mod rank;
mod stddev;
pub(crate) mod variance;

pub use beta::Beta;
pub use correl::Correl;
pub use linearreg::{LinRegKind, LinearReg};
pub use rank::{PercentRank, Percentile};
pub use stddev::Deviation;
