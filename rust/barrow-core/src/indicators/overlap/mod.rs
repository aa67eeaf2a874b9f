//! Overlap studies: moving averages and bands drawn over the price.

mod bbands;
mod block;
mod channels;
mod ema;
mod extremes;
pub(crate) mod history;
mod hma;
mod kama;
mod ma;
mod rma;
mod sma;
mod supertrend;
mod t3;
mod trima;
mod vwma;
mod wma;
mod zlema;

pub use bbands::Bbands;
pub(crate) use block::BlockExtremes;
pub use block::MidRange;
pub use channels::{AccBands, Donchian, Keltner};
pub use ema::Ema;
pub use extremes::{ExtremeKind, Extremes};
pub(crate) use history::History;
pub use hma::Hma;
pub use kama::Kama;
pub use ma::{Identity, Ma, MaIndicator, MaType, MultiEma, MATYPE_DEFAULT, MAX_MATYPE};
pub use rma::Rma;
pub use sma::Sma;
pub use supertrend::SuperTrend;
pub use t3::T3;
pub use trima::Trima;
pub use vwma::Vwma;
pub use wma::Wma;
pub use zlema::Zlema;
