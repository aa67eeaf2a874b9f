//! Overlap studies: moving averages and bands drawn over the price.

mod bbands;
mod ema;
mod extremes;
mod sma;

pub use bbands::{Bbands, MaType};
pub use ema::Ema;
pub use extremes::{ExtremeKind, Extremes};
pub use sma::Sma;
