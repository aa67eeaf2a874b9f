//! Volume indicators.

mod ad;
mod adosc;
mod obv;

pub use ad::Ad;
pub use adosc::Adosc;
pub use obv::Obv;
