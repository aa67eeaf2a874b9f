//! Momentum indicators.

mod macd;
mod rsi;

pub use macd::Macd;
pub use rsi::Rsi;
