//! Backtests.
//!
//! - [`simulate`]: order-level simulation from entry/exit signals with
//!   vectorbt's rules (sizes, fees, slippage, stops, shorting, next-open
//!   execution), trade records, equity and drawdown series.
//! - [`metrics`]: one-pass performance metrics of a simulation.
//! - [`sweep`]: strategy templates over parameter grids and many symbols,
//!   in parallel, and walk-forward optimization.
//! - `vectorized`: the target-position backtest used by the model stage.

pub mod metrics;
pub mod simulate;
pub mod sweep;
mod vectorized;

pub use metrics::Metrics as SimMetrics;
pub use simulate::{
    from_signals, from_targets, Bars, Direction, Execution, Order, SimConfig, SimResult, SizeType, StopEntryPrice,
    StopExitPrice, TargetKind, Trade,
};
pub use vectorized::{backtest_positions, BacktestConfig, BacktestResult, Metrics};
