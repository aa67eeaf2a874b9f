//! Vectorized backtest of a target-position series over close prices.
//!
//! `position[t]` (a fraction of equity: 1 long, 0 flat, -1 short, or any
//! real) is decided at the close of bar `t` and held from `t` to `t + 1`, so
//! it never earns the return of the bar it was decided on. Changing the
//! position at `t` costs `fee * |position[t] - position[t-1]|` of equity,
//! with `position[-1] = 0`. The per-bar return is
//!
//! ```text
//! r[0] = -fee * |position[0]|
//! r[t] = position[t-1] * (close[t] / close[t-1] - 1) - fee * |position[t] - position[t-1]|
//! ```
//!
//! and equity compounds from 1: `equity[t] = equity[t-1] * (1 + r[t])`.
//! Metrics follow vectorbt's conventions on that return series: annualized
//! figures use `periods_per_year`, volatility and Sharpe use the sample
//! standard deviation (ddof 1), drawdowns are measured on the equity curve.
//! Buy-and-hold is the same engine with position 1 throughout.

use serde::Serialize;

use crate::error::{BarrowError, Result};

/// Costs and calendar of a backtest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BacktestConfig {
    /// Proportional fee per unit of position change (0.001 = 10 bp).
    pub fee: f64,
    /// Bars per year, for annualization (252 for daily bars).
    pub periods_per_year: f64,
}

impl Default for BacktestConfig {
    fn default() -> Self {
        Self {
            fee: 0.0,
            periods_per_year: 252.0,
        }
    }
}

/// Summary statistics of one equity curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Metrics {
    /// `equity[last] - 1`.
    pub total_return: f64,
    /// `(1 + total_return)^(periods_per_year / n) - 1`.
    pub cagr: f64,
    /// `std(r, ddof=1) * sqrt(periods_per_year)`.
    pub annual_volatility: f64,
    /// `mean(r) / std(r, ddof=1) * sqrt(periods_per_year)`; NaN when std is 0.
    pub sharpe: f64,
    /// Largest fall from a running peak of equity, as a negative fraction.
    pub max_drawdown: f64,
    /// Number of bars at which the position changed (orders).
    pub trades: u64,
    /// Fraction of bars with a non-zero position.
    pub exposure: f64,
}

/// Equity curve and metrics of a strategy and of buy-and-hold.
#[derive(Clone, Debug, PartialEq)]
pub struct BacktestResult {
    /// Per-bar strategy returns.
    pub returns: Vec<f64>,
    /// Strategy equity, starting from 1 before the first bar.
    pub equity: Vec<f64>,
    /// Strategy metrics.
    pub strategy: Metrics,
    /// Buy-and-hold metrics over the same bars and fee.
    pub buy_and_hold: Metrics,
}

fn validate(close: &[f64], position: &[f64], cfg: &BacktestConfig) -> Result<()> {
    if close.len() != position.len() {
        return Err(BarrowError::LengthMismatch(format!(
            "close has {} values but position has {}",
            close.len(),
            position.len()
        )));
    }
    if close.len() < 2 {
        return Err(BarrowError::EmptyInput(format!(
            "a backtest needs at least 2 bars, got {}",
            close.len()
        )));
    }
    if let Some(row) = close.iter().position(|c| !(c.is_finite() && *c > 0.0)) {
        return Err(BarrowError::InvalidValue {
            column: "close".to_string(),
            kind: format!("non-positive or non-finite ({})", close[row]),
            row,
            context: String::new(),
        });
    }
    if let Some(row) = position.iter().position(|p| !p.is_finite()) {
        return Err(BarrowError::InvalidValue {
            column: "position".to_string(),
            kind: if position[row].is_nan() { "NaN" } else { "infinite" }.to_string(),
            row,
            context: String::new(),
        });
    }
    if !(cfg.fee.is_finite() && (0.0..1.0).contains(&cfg.fee)) {
        return Err(BarrowError::bad_param("fee", cfg.fee, "must be in [0, 1)"));
    }
    if !(cfg.periods_per_year.is_finite() && cfg.periods_per_year > 0.0) {
        return Err(BarrowError::bad_param(
            "periods_per_year",
            cfg.periods_per_year,
            "must be > 0",
        ));
    }
    Ok(())
}

fn simulate(close: &[f64], position: impl Fn(usize) -> f64, fee: f64) -> (Vec<f64>, Vec<f64>, u64, usize) {
    let n = close.len();
    let mut returns = Vec::with_capacity(n);
    let mut equity = Vec::with_capacity(n);
    let mut value = 1.0;
    let mut prev_pos = 0.0;
    let mut trades = 0;
    let mut exposed = 0;
    for t in 0..n {
        let pos = position(t);
        let market = if t == 0 {
            0.0
        } else {
            prev_pos * (close[t] / close[t - 1] - 1.0)
        };
        let change = (pos - prev_pos).abs();
        if change != 0.0 {
            trades += 1;
        }
        if pos != 0.0 {
            exposed += 1;
        }
        let r = market - fee * change;
        value *= 1.0 + r;
        returns.push(r);
        equity.push(value);
        prev_pos = pos;
    }
    (returns, equity, trades, exposed)
}

fn metrics(returns: &[f64], equity: &[f64], trades: u64, exposed: usize, ppy: f64) -> Metrics {
    let n = returns.len() as f64;
    let total_return = equity[equity.len() - 1] - 1.0;
    let cagr = if total_return > -1.0 {
        (1.0 + total_return).powf(ppy / n) - 1.0
    } else {
        -1.0
    };
    let mean = returns.iter().sum::<f64>() / n;
    let var = returns.iter().map(|r| (r - mean) * (r - mean)).sum::<f64>() / (n - 1.0);
    let std = var.sqrt();
    let annual_volatility = std * ppy.sqrt();
    let sharpe = if std > 0.0 { mean / std * ppy.sqrt() } else { f64::NAN };
    let mut peak = f64::MIN;
    let mut max_drawdown: f64 = 0.0;
    for &v in equity {
        peak = peak.max(v);
        max_drawdown = max_drawdown.min(v / peak - 1.0);
    }
    Metrics {
        total_return,
        cagr,
        annual_volatility,
        sharpe,
        max_drawdown,
        trades,
        exposure: exposed as f64 / n,
    }
}

/// Backtests `position` over `close` (see the module documentation).
pub fn backtest_positions(close: &[f64], position: &[f64], cfg: &BacktestConfig) -> Result<BacktestResult> {
    validate(close, position, cfg)?;
    let ppy = cfg.periods_per_year;
    let (returns, equity, trades, exposed) = simulate(close, |t| position[t], cfg.fee);
    let strategy = metrics(&returns, &equity, trades, exposed, ppy);
    let (bh_r, bh_e, bh_t, bh_x) = simulate(close, |_| 1.0, cfg.fee);
    let buy_and_hold = metrics(&bh_r, &bh_e, bh_t, bh_x, ppy);
    Ok(BacktestResult {
        returns,
        equity,
        strategy,
        buy_and_hold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_earns_the_next_bar_not_its_own() {
        let close = [64.0, 128.0, 160.0, 320.0];
        // Long decided at bar 1 earns only bar 1 -> 2 (+25%), not 0 -> 1 or 2 -> 3.
        let pos = [0.0, 1.0, 0.0, 0.0];
        let r = backtest_positions(&close, &pos, &BacktestConfig::default()).unwrap();
        assert_eq!(r.returns, vec![0.0, 0.0, 0.25, 0.0]);
        assert_eq!(r.strategy.total_return, 0.25);
        assert_eq!(r.strategy.trades, 2);
        assert_eq!(r.strategy.exposure, 0.25);
    }

    #[test]
    fn fees_are_charged_on_every_change() {
        let close = [100.0, 100.0, 100.0];
        let pos = [1.0, -1.0, 0.0];
        let r = backtest_positions(
            &close,
            &pos,
            &BacktestConfig {
                fee: 0.01,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(r.returns, vec![-0.01, -0.02, -0.01]);
        let expected = 0.99 * 0.98 * 0.99 - 1.0;
        assert!((r.strategy.total_return - expected).abs() < 1e-15);
    }

    #[test]
    fn buy_and_hold_and_drawdown() {
        let close = [100.0, 120.0, 90.0, 100.0];
        let r = backtest_positions(&close, &[0.0; 4], &BacktestConfig::default()).unwrap();
        assert!((r.buy_and_hold.total_return - 0.0).abs() < 1e-12);
        assert!((r.buy_and_hold.max_drawdown - (90.0 / 120.0 - 1.0)).abs() < 1e-12);
        assert_eq!(r.strategy.total_return, 0.0);
        assert!(r.strategy.sharpe.is_nan());
    }

    #[test]
    fn sharpe_and_cagr_follow_their_definitions() {
        let close: Vec<f64> = (0..300)
            .map(|i| 100.0 * (1.0 + 0.001 * ((i * 7 % 11) as f64 - 5.0)).powi(1) + i as f64)
            .collect();
        let pos = vec![1.0; 300];
        let r = backtest_positions(&close, &pos, &BacktestConfig::default()).unwrap();
        let n = r.returns.len() as f64;
        let mean = r.returns.iter().sum::<f64>() / n;
        let sd = (r.returns.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        assert!((r.strategy.sharpe - mean / sd * 252f64.sqrt()).abs() < 1e-12);
        let total = close[299] / close[0] - 1.0;
        assert!((r.strategy.total_return - total).abs() < 1e-12);
        assert!((r.strategy.cagr - ((1.0 + total).powf(252.0 / n) - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_input() {
        let cfg = BacktestConfig::default();
        assert!(backtest_positions(&[1.0, 2.0], &[1.0], &cfg).is_err());
        assert!(backtest_positions(&[1.0], &[1.0], &cfg).is_err());
        assert!(backtest_positions(&[1.0, -2.0], &[1.0, 1.0], &cfg)
            .unwrap_err()
            .to_string()
            .contains("row 1"));
        assert!(backtest_positions(&[1.0, 2.0], &[1.0, f64::NAN], &cfg).is_err());
        assert!(backtest_positions(&[1.0, 2.0], &[1.0, 1.0], &BacktestConfig { fee: -0.1, ..cfg }).is_err());
    }
}
