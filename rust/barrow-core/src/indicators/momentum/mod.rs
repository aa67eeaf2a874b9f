//! Momentum indicators.

mod aroon;
mod change;
mod directional;
mod macd;
mod macdext;
mod oscillators;
mod rsi;
mod stoch;
mod willr;

pub use aroon::Aroon;
pub use change::{Change, ChangeKind};
pub use directional::{Directional, DirectionalKind};
pub use macd::Macd;
pub use macdext::{MacdExt, StochRsi};
pub use oscillators::{Cmo, PriceOscillator, Trix};
pub use rsi::Rsi;
pub use stoch::Stochastic;
pub use willr::Willr;
