//! Volume indicators.

mod ad;
mod cumulative;
mod obv;

pub use ad::Ad;
pub use cumulative::{Pvt, VolumeIndex, VolumeIndexKind, Vwap};
pub use obv::Obv;
