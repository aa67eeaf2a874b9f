//! Overlap studies: moving averages and bands drawn over the price.

mod bbands;
mod ema;
mod sma;

pub use bbands::{Bbands, MaType};
pub use ema::Ema;
pub use sma::Sma;
