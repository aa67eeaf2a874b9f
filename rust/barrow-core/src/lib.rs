//! barrow-core: the pure-Rust compute engine behind barrow.
//!
//! - [`indicators`]: streaming technical indicators with TA-Lib's exact
//!   arithmetic, one state machine per indicator.
//! - [`spec`] and [`pipeline`]: a JSON pipeline spec and a stateful,
//!   multi-symbol engine over Arrow record batches.
//! - [`tree`]: CART decision trees.
//! - [`backtest`]: a vectorized position backtest.
//! - [`data`]: seeded synthetic OHLCV bars.
//!
//! Nothing here depends on Python; the `barrow-py` crate is a thin binding.

#![warn(missing_docs)]

pub mod backtest;
pub mod columns;
pub mod data;
pub mod error;
pub mod indicators;
pub mod model;
mod par;
pub mod pipeline;
pub mod runs;
pub mod series;
pub mod spec;
pub mod tree;

pub use error::{BarrowError, Result};
