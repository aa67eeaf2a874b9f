//! Overlap studies: moving averages and bands drawn over the price.

mod bbands;
mod block;
mod ema;
mod extremes;
pub(crate) mod history;
mod kama;
mod ma;
mod sar;
mod sma;
mod t3;
mod trima;
mod wma;

pub use bbands::Bbands;
pub(crate) use block::BlockExtremes;
pub use block::MidRange;
pub use ema::Ema;
pub use extremes::{ExtremeKind, Extremes};
pub(crate) use history::History;
pub use kama::Kama;
pub use ma::{Ma, MaIndicator, MaType, MultiEma};
pub use sar::{Sar, SarParams};
pub use sma::Sma;
pub use t3::T3;
pub use trima::Trima;
pub use wma::Wma;
