//! Volatility indicators.

mod adr;
mod atr;
mod cvi;
mod massi;
mod natr;
mod rvi;
mod trange;

pub use adr::Adr;
pub use atr::Atr;
pub use cvi::Cvi;
pub use massi::Massi;
pub use natr::Natr;
pub use rvi::Rvi;
pub use trange::{true_range, Trange};
