//! Volume indicators.

mod ad;
mod cumulative;
mod flow;
mod obv;

pub use ad::Ad;
pub use cumulative::{Pvt, VolumeIndex, VolumeIndexKind, Vwap};
pub use flow::{Cmf, Efi, Rvol};
pub use obv::Obv;
