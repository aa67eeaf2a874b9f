//! Volume indicators.

mod ad;
mod obv;

pub use ad::Ad;
pub use obv::Obv;
