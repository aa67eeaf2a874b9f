//! Momentum indicators.

mod change;
mod macd;
mod oscillators;
mod rsi;
mod stoch;

pub use change::{Change, ChangeKind};
pub use macd::Macd;
pub use oscillators::{Cmo, PriceOscillator, Trix};
pub use rsi::Rsi;
pub use stoch::Stochastic;
