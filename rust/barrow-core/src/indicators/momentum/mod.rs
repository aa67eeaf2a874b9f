//! Momentum indicators.

mod change;
mod macd;
mod rsi;

pub use change::{Change, ChangeKind};
pub use macd::Macd;
pub use rsi::Rsi;
