//! Performance metrics of a simulated portfolio, computed in one pass over
//! its bars, orders and trades (nothing is stored per bar).
//!
//! Conventions are vectorbt's, so the figures compare one to one:
//!
//! - the return of bar `i` is `value[i] / value[i-1] - 1`, the first
//!   against the initial cash;
//! - `total_return = value[last] / init_cash - 1`;
//!   `cagr = (1 + total_return)^(periods_per_year / n) - 1`;
//! - `annual_volatility = std(r, ddof=1) * sqrt(periods_per_year)`;
//!   `sharpe = mean(r) / std(r, ddof=1) * sqrt(periods_per_year)`;
//!   `sortino = mean(r) * ppy / (sqrt(mean(min(r, 0)^2)) * sqrt(ppy))`;
//!   a zero deviation gives ±inf for a non-zero mean and NaN for a zero
//!   mean (vectorbt gives inf for both; NaN keeps a strategy that never
//!   trades from ranking first);
//! - drawdowns are measured against the running peak of the value from
//!   the first bar on; `max_drawdown` is negative (or 0), its duration is
//!   the longest run of bars spent below a previous peak;
//!   `calmar = cagr / |max_drawdown|` (NaN without drawdown);
//! - trade statistics count closed trades (vectorbt's `pf.stats()`):
//!   `win_rate` = share with pnl > 0, `profit_factor` = gross profit /
//!   |gross loss|, `expectancy` = mean pnl; `trades` counts every trade,
//!   the still-open one included (vectorbt's `pf.trades.count()`);
//! - `exposure` = share of bars ending with a position; `turnover` =
//!   traded notional / mean portfolio value.

use serde::Serialize;

use super::simulate::{Order, SimConfig, Trade};

/// `(output - input) / input`, vectorbt's return of one period.
#[inline]
pub fn period_return(input: f64, output: f64) -> f64 {
    if input == 0.0 {
        if output == 0.0 {
            return 0.0;
        }
        return f64::INFINITY * output.signum();
    }
    let r = (output - input) / input;
    if input < 0.0 {
        -r
    } else {
        r
    }
}

/// Summary of one simulation (see the module docs for the definitions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// `value[last] / init_cash - 1`.
    pub total_return: f64,
    /// Compound annual growth rate.
    pub cagr: f64,
    /// Annualized standard deviation of the bar returns.
    pub annual_volatility: f64,
    /// Annualized Sharpe ratio (no risk-free rate).
    pub sharpe: f64,
    /// Annualized Sortino ratio (target 0).
    pub sortino: f64,
    /// CAGR over |max drawdown|.
    pub calmar: f64,
    /// Deepest fall from a running peak, as a negative fraction.
    pub max_drawdown: f64,
    /// Longest time below a previous peak, in bars.
    pub max_drawdown_duration: f64,
    /// Share of closed trades with a positive pnl.
    pub win_rate: f64,
    /// Gross profit over gross loss of closed trades.
    pub profit_factor: f64,
    /// Mean pnl of closed trades.
    pub expectancy: f64,
    /// Share of bars ending with an open position.
    pub exposure: f64,
    /// Traded notional over mean portfolio value.
    pub turnover: f64,
    /// Number of trades, the open one included.
    pub trades: u64,
    /// Number of filled orders.
    pub orders: u64,
}

impl Metrics {
    /// Names of the floating-point metrics, in [`Metrics::float_values`] order.
    pub const FLOAT_NAMES: [&'static str; 13] = [
        "total_return",
        "cagr",
        "annual_volatility",
        "sharpe",
        "sortino",
        "calmar",
        "max_drawdown",
        "max_drawdown_duration",
        "win_rate",
        "profit_factor",
        "expectancy",
        "exposure",
        "turnover",
    ];

    /// The floating-point metrics, in [`Metrics::FLOAT_NAMES`] order.
    pub fn float_values(&self) -> [f64; 13] {
        [
            self.total_return,
            self.cagr,
            self.annual_volatility,
            self.sharpe,
            self.sortino,
            self.calmar,
            self.max_drawdown,
            self.max_drawdown_duration,
            self.win_rate,
            self.profit_factor,
            self.expectancy,
            self.exposure,
            self.turnover,
        ]
    }

    /// A metric by name (integer counts as f64); None for an unknown name.
    pub fn get(&self, name: &str) -> Option<f64> {
        match name {
            "trades" => Some(self.trades as f64),
            "orders" => Some(self.orders as f64),
            _ => Self::FLOAT_NAMES
                .iter()
                .position(|n| *n == name)
                .map(|k| self.float_values()[k]),
        }
    }
}

/// Accumulates [`Metrics`] bar by bar.
#[derive(Clone, Debug)]
pub struct MetricsBuilder {
    init_cash: f64,
    ppy: f64,
    bars: usize,
    prev_value: f64,
    last_value: f64,
    // Sums of the returns and of their squares: no division on the
    // loop-carried path (Welford's update would put one there).
    sum: f64,
    sum_sq: f64,
    downside_sq: f64,
    peak: f64,
    peak_idx: usize,
    max_drawdown: f64,
    max_dd_bars: usize,
    exposed: usize,
    value_sum: f64,
    traded: f64,
    orders: u64,
    trades: u64,
    closed: u64,
    wins: u64,
    gross_win: f64,
    gross_loss: f64,
    pnl_sum: f64,
}

impl MetricsBuilder {
    /// An empty accumulator for a simulation with `cfg`.
    pub fn new(cfg: &SimConfig) -> Self {
        Self {
            init_cash: cfg.init_cash,
            ppy: cfg.periods_per_year,
            bars: 0,
            prev_value: cfg.init_cash,
            last_value: cfg.init_cash,
            sum: 0.0,
            sum_sq: 0.0,
            downside_sq: 0.0,
            peak: f64::NEG_INFINITY,
            peak_idx: 0,
            max_drawdown: 0.0,
            max_dd_bars: 0,
            exposed: 0,
            value_sum: 0.0,
            traded: 0.0,
            orders: 0,
            trades: 0,
            closed: 0,
            wins: 0,
            gross_win: 0.0,
            gross_loss: 0.0,
            pnl_sum: 0.0,
        }
    }

    /// Records bars `from..from + close.len()`, over which cash and
    /// position are constant. A flat run (no position) keeps the value of
    /// its first bar, so only that bar needs the arithmetic.
    #[inline]
    pub fn bars(&mut self, from: usize, cash: f64, position: f64, close: &[f64]) {
        let Some((&first, rest)) = close.split_first() else {
            return;
        };
        if position != 0.0 {
            self.bar(from, cash, position, first);
            for (k, &c) in rest.iter().enumerate() {
                self.bar(from + 1 + k, cash, position, c);
            }
            return;
        }
        self.bar(from, cash, 0.0, first);
        if rest.is_empty() {
            return;
        }
        // The same bar again: a return of 0, the same drawdown.
        let last = from + rest.len();
        self.bars += rest.len();
        if cash >= self.peak {
            self.peak_idx = last;
        }
        self.max_dd_bars = self.max_dd_bars.max(last - self.peak_idx);
        self.value_sum += cash * rest.len() as f64;
    }

    /// Records the state at the close of bar `i`.
    #[inline]
    pub fn bar(&mut self, i: usize, cash: f64, position: f64, close: f64) {
        let value = if position != 0.0 { cash + position * close } else { cash };
        // A flat bar (same value) has a return of exactly 0: skip the division.
        let r = if value == self.prev_value {
            0.0
        } else {
            period_return(self.prev_value, value)
        };
        self.prev_value = value;
        self.last_value = value;
        self.bars += 1;
        self.sum += r;
        self.sum_sq += r * r;
        // Branch-free where the outcome is a coin flip (the sign of a return,
        // a new peak): mispredictions would cost more than the arithmetic.
        let neg = r.min(0.0);
        self.downside_sq += neg * neg;
        let at_peak = value >= self.peak;
        self.peak = if at_peak { value } else { self.peak };
        self.peak_idx = if at_peak { i } else { self.peak_idx };
        self.max_dd_bars = self.max_dd_bars.max(i - self.peak_idx);
        // Divide only when the bar may set a new maximum drawdown (rare).
        if value < self.peak * (1.0 + self.max_drawdown) * (1.0 + 1e-12) {
            self.max_drawdown = self.max_drawdown.min(value / self.peak - 1.0);
        }
        self.exposed += (position != 0.0) as usize;
        self.value_sum += value;
    }

    /// Records a filled order.
    #[inline]
    pub fn order(&mut self, o: &Order) {
        self.orders += 1;
        self.traded += o.size * o.price;
    }

    /// Records a trade (closed or the final open one).
    #[inline]
    pub fn trade(&mut self, t: &Trade) {
        self.trades += 1;
        if !t.closed {
            return;
        }
        self.closed += 1;
        self.pnl_sum += t.pnl;
        if t.pnl > 0.0 {
            self.wins += 1;
            self.gross_win += t.pnl;
        } else if t.pnl < 0.0 {
            self.gross_loss += t.pnl;
        }
    }

    /// The metrics of everything recorded.
    pub fn finish(&self) -> Metrics {
        let n = self.bars as f64;
        let ppy = self.ppy;
        let total_return = self.last_value / self.init_cash - 1.0;
        let cagr = if self.bars == 0 {
            f64::NAN
        } else {
            (1.0 + total_return).powf(ppy / n) - 1.0
        };
        let mean = self.sum / n;
        let (std, annual_volatility) = if self.bars < 2 {
            (f64::NAN, f64::NAN)
        } else {
            let std = ((self.sum_sq - self.sum * mean) / (n - 1.0)).max(0.0).sqrt();
            (std, std * ppy.sqrt())
        };
        let ratio = |num: f64, den: f64| {
            if den == 0.0 {
                if num == 0.0 {
                    f64::NAN
                } else {
                    f64::INFINITY * num.signum()
                }
            } else {
                num / den
            }
        };
        let sharpe = if self.bars < 2 {
            f64::NAN
        } else {
            ratio(mean, std) * if std == 0.0 { 1.0 } else { ppy.sqrt() }
        };
        let downside = (self.downside_sq / n).sqrt() * ppy.sqrt();
        let sortino = if self.bars < 2 {
            f64::NAN
        } else {
            ratio(mean * ppy, downside)
        };
        let calmar = if self.max_drawdown == 0.0 {
            f64::NAN
        } else {
            cagr / self.max_drawdown.abs()
        };
        let closed = self.closed as f64;
        let (win_rate, profit_factor, expectancy) = if self.closed == 0 {
            (f64::NAN, f64::NAN, f64::NAN)
        } else {
            (
                self.wins as f64 / closed,
                self.gross_win / self.gross_loss.abs(),
                self.pnl_sum / closed,
            )
        };
        Metrics {
            total_return,
            cagr,
            annual_volatility,
            sharpe,
            sortino,
            calmar,
            max_drawdown: self.max_drawdown,
            max_drawdown_duration: self.max_dd_bars as f64,
            win_rate,
            profit_factor,
            expectancy,
            exposure: self.exposed as f64 / n,
            turnover: self.traded / (self.value_sum / n),
            trades: self.trades,
            orders: self.orders,
        }
    }
}
