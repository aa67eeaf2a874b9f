//! Backtests.

mod vectorized;

pub use vectorized::{backtest_positions, BacktestConfig, BacktestResult, Metrics};
