//! Momentum indicators.

mod aroon;
mod cci;
mod change;
mod directional;
mod kdj;
mod macd;
mod macdext;
mod mfi;
mod oscillators;
mod rsi;
mod stoch;
mod ultosc;
mod vortex;
mod wad;
mod willr;

pub use aroon::Aroon;
pub use cci::Cci;
pub use change::{Change, ChangeKind};
pub use directional::{Directional, DirectionalKind};
pub use kdj::Kdj;
pub use macd::Macd;
pub use macdext::{MacdExt, StochRsi};
pub use mfi::Mfi;
pub use oscillators::{Cmo, PriceOscillator, Trix};
pub use rsi::Rsi;
pub use stoch::Stochastic;
pub use ultosc::Ultosc;
pub use vortex::Vortex;
pub use wad::Wad;
pub use willr::Willr;
