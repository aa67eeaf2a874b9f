//! Volatility indicators.

mod atr;
mod trange;

pub use atr::Atr;
pub use trange::{true_range, Trange};
