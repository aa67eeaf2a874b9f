//! Volatility indicators.

mod atr;
mod natr;
mod trange;

pub use atr::Atr;
pub use natr::Natr;
pub use trange::{true_range, Trange};
