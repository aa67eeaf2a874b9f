//! Volume indicators.

mod ad;
mod adosc;
mod cumulative;
mod flow;
mod obv;

pub use ad::Ad;
pub use adosc::Adosc;
pub use cumulative::{Pvt, VolumeIndex, VolumeIndexKind, Vwap};
pub use flow::{Cmf, Efi, Rvol};
pub use obv::Obv;
