//! Order-level simulation of one instrument from entry/exit signals, with
//! vectorbt's `Portfolio.from_signals` rules (vectorbt 1.2, default modes),
//! and from position targets ([`from_targets`], vectorbt's `from_orders`
//! with a target size type).
//!
//! The simulation walks the bars once. At bar `i` it
//!
//! 1. resolves the order price: this bar's close ([`Execution::Close`]), or
//!    this bar's open for a signal raised at the close of bar `i - 1`
//!    ([`Execution::NextOpen`]); a signal never fills at a price that was
//!    not yet known when it was raised;
//! 2. checks the open position's stop-loss (first) and take-profit against
//!    the bar: a stop already crossed at the open fills at the open,
//!    otherwise at the stop price if `low <= stop <= high`; a hit stop
//!    replaces the bar's signals with an exit; a trailing stop then ratchets
//!    to the bar's high (long) or low (short) for the next bar;
//! 3. turns the signals into an order: with [`Direction::LongOnly`] an entry
//!    opens a long and an exit closes it; with [`Direction::ShortOnly`] the
//!    same for a short; with [`Direction::Both`] an entry goes long and an
//!    exit goes short, reversing an open position (an entry and an exit on
//!    the same bar cancel out, as do an entry while long, or an exit while
//!    flat in the one-sided modes);
//! 4. fills it against the cash: slippage moves the price against the
//!    trader (`price * (1 ± slippage)`), fees are `notional * fees +
//!    fixed_fees`, a buy larger than the cash shrinks to what the cash pays
//!    for (fees included), a short sale is limited by the free cash (cash not
//!    owed to cover open shorts), an order smaller than `min_size` is
//!    rejected;
//! 5. values the portfolio at the close: `value = cash + position * close`.
//!
//! Stops are set when a position opens or reverses, measured from
//! [`StopEntryPrice`] (vectorbt's default: the entry bar's close), and exit
//! at [`StopExitPrice`] (default: the stop price itself, without slippage).
//! Sizes: all the cash (`size = inf`, the default), a number of units, a
//! cash value, or a fraction of the available cash ([`SizeType`]).
//!
//! Every comparison that decides whether cash or a position is zero, or an
//! order fits the cash, uses vectorbt's tolerances (relative 1e-9, absolute
//! 1e-12), so that fills, trade records and metrics agree with vectorbt's
//! to floating-point rounding. Trade records are vectorbt's *exit trades*:
//! one record per exit order (or reversal), entry price and fees averaged
//! over the position's entry orders, an open position reported at the last
//! close with status open.

use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};

use super::metrics::{Metrics, MetricsBuilder};

const REL_TOL: f64 = 1e-9;
const ABS_TOL: f64 = 1e-12;

fn is_close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() || a.is_infinite() || b.is_infinite() {
        return false;
    }
    if a == b {
        return true;
    }
    (a - b).abs() <= (REL_TOL * a.abs().max(b.abs())).max(ABS_TOL)
}

fn is_close_or_less(a: f64, b: f64) -> bool {
    is_close(a, b) || a < b
}

fn is_less(a: f64, b: f64) -> bool {
    !is_close(a, b) && a < b
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

/// `a + b`, snapped to 0 when it is 0 within tolerance.
fn add(a: f64, b: f64) -> f64 {
    let zero = if sign(a) != sign(b) {
        is_close(a.abs(), b.abs())
    } else {
        is_close(a + b, 0.0)
    };
    if zero {
        0.0
    } else {
        a + b
    }
}

/// Which sides a strategy trades, and what entries and exits mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Entries open a long, exits close it.
    #[default]
    LongOnly,
    /// Entries open a short, exits close it.
    ShortOnly,
    /// Entries go long, exits go short (reversing an open position).
    Both,
}

/// How `size` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SizeType {
    /// Units of the instrument; `inf` means as many as the cash allows.
    #[default]
    Amount,
    /// Cash value, converted to units at the bar's order price.
    Value,
    /// Fraction of the available cash (or of the free cash, for shorts).
    Percent,
}

/// At which price a signal fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Execution {
    /// At the close of the bar that raised the signal.
    #[default]
    Close,
    /// At the open of the bar after the one that raised the signal.
    NextOpen,
}

/// Price that stops are measured from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopEntryPrice {
    /// The entry bar's close (vectorbt's default).
    #[default]
    Close,
    /// The entry order's price before slippage.
    Price,
    /// The entry's fill price (slippage included).
    FillPrice,
}

/// Price at which a hit stop exits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum StopExitPrice {
    /// The stop price (or the open if the bar gapped through it), without
    /// slippage, as a limit order would fill (vectorbt's `StopLimit`).
    #[default]
    Stop,
    /// The stop price with slippage, as a stop-market order would fill.
    StopMarket,
    /// The bar's close, with slippage.
    Close,
}

/// Simulation settings (vectorbt's names and defaults where it has them).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// Starting cash.
    pub init_cash: f64,
    /// Order size, read according to `size_type`; `inf` (JSON null or
    /// "inf") = all the cash.
    #[serde(deserialize_with = "inf_if_null")]
    pub size: f64,
    /// How `size` is read.
    pub size_type: SizeType,
    /// Sides traded.
    pub direction: Direction,
    /// Fill price.
    pub execution: Execution,
    /// Proportional fee per order (0.001 = 0.1% of the notional).
    pub fees: f64,
    /// Fixed fee per order, in cash.
    pub fixed_fees: f64,
    /// Proportional slippage against the trader.
    pub slippage: f64,
    /// Smallest order size (units); smaller orders are rejected.
    pub min_size: f64,
    /// Stop-loss as a fraction of the stop's entry price; NaN (JSON null) = none.
    #[serde(deserialize_with = "nan_if_null")]
    pub sl_stop: f64,
    /// Whether the stop-loss trails the best high (long) or low (short).
    pub sl_trail: bool,
    /// Take-profit as a fraction of the stop's entry price; NaN (JSON null) = none.
    #[serde(deserialize_with = "nan_if_null")]
    pub tp_stop: f64,
    /// Price stops are measured from.
    pub stop_entry_price: StopEntryPrice,
    /// Price a hit stop exits at.
    pub stop_exit_price: StopExitPrice,
    /// Bars per year, for annualized metrics.
    pub periods_per_year: f64,
}

fn inf_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Size {
        Number(f64),
        Text(String),
    }
    match Option::<Size>::deserialize(d)? {
        None => Ok(f64::INFINITY),
        Some(Size::Number(v)) => Ok(v),
        Some(Size::Text(t)) if t == "inf" => Ok(f64::INFINITY),
        Some(Size::Text(t)) => Err(serde::de::Error::custom(format!(
            "size must be a number or \"inf\", got {t:?}"
        ))),
    }
}

fn nan_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            init_cash: 100.0,
            size: f64::INFINITY,
            size_type: SizeType::Amount,
            direction: Direction::LongOnly,
            execution: Execution::Close,
            fees: 0.0,
            fixed_fees: 0.0,
            slippage: 0.0,
            min_size: 1e-8,
            sl_stop: f64::NAN,
            sl_trail: false,
            tp_stop: f64::NAN,
            stop_entry_price: StopEntryPrice::Close,
            stop_exit_price: StopExitPrice::Stop,
            periods_per_year: 252.0,
        }
    }
}

impl SimConfig {
    /// Checks every setting; the error names the parameter and its range.
    pub fn validate(&self) -> Result<()> {
        let finite = |name: &str, v: f64, ok: bool, why: &str| {
            if v.is_finite() && ok {
                Ok(())
            } else {
                Err(BarrowError::bad_param(name, v, why))
            }
        };
        finite(
            "init_cash",
            self.init_cash,
            self.init_cash > 0.0,
            "must be finite and > 0",
        )?;
        let size_ok = match self.size_type {
            SizeType::Amount => self.size > 0.0,
            SizeType::Value => self.size > 0.0 && self.size.is_finite(),
            SizeType::Percent => self.size > 0.0 && self.size <= 1.0,
        };
        if !size_ok || self.size.is_nan() {
            return Err(BarrowError::bad_param(
                "size",
                self.size,
                match self.size_type {
                    SizeType::Amount => "must be > 0 units (inf = all the cash)",
                    SizeType::Value => "must be a finite cash value > 0",
                    SizeType::Percent => "must be a fraction in (0, 1]",
                },
            ));
        }
        if self.size_type == SizeType::Percent && self.direction == Direction::Both {
            return Err(BarrowError::bad_param(
                "size_type",
                "percent",
                "a fraction of the cash cannot size a reversal; with direction 'both' use 'amount' or 'value'",
            ));
        }
        finite("fees", self.fees, (0.0..1.0).contains(&self.fees), "must be in [0, 1)")?;
        finite(
            "fixed_fees",
            self.fixed_fees,
            self.fixed_fees >= 0.0,
            "must be finite and >= 0",
        )?;
        finite(
            "slippage",
            self.slippage,
            (0.0..1.0).contains(&self.slippage),
            "must be in [0, 1)",
        )?;
        finite(
            "min_size",
            self.min_size,
            self.min_size >= 0.0,
            "must be finite and >= 0",
        )?;
        for (name, v) in [("sl_stop", self.sl_stop), ("tp_stop", self.tp_stop)] {
            if !(v.is_nan() || (v.is_finite() && v >= 0.0)) {
                return Err(BarrowError::bad_param(
                    name,
                    v,
                    "must be a fraction >= 0, or NaN/None for no stop",
                ));
            }
        }
        finite(
            "periods_per_year",
            self.periods_per_year,
            self.periods_per_year > 0.0,
            "must be > 0",
        )?;
        Ok(())
    }

    /// Parses a JSON object of settings (missing keys take the defaults;
    /// `inf` sizes are written as the string "inf" or omitted).
    pub fn from_json(json: &str) -> Result<Self> {
        let cfg: SimConfig =
            serde_json::from_str(json).map_err(|e| BarrowError::Spec(format!("backtest settings: {e}")))?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn uses_stops(&self) -> bool {
        !self.sl_stop.is_nan() || !self.tp_stop.is_nan()
    }
}

/// Price series of one instrument; open, high and low are optional.
///
/// Without high/low, stops are checked against `max/min(open, close)`, as
/// vectorbt does; without open, the open is taken to be the close.
#[derive(Clone, Copy, Debug)]
pub struct Bars<'a> {
    /// Opening prices (required for [`Execution::NextOpen`]).
    pub open: Option<&'a [f64]>,
    /// Highs.
    pub high: Option<&'a [f64]>,
    /// Lows.
    pub low: Option<&'a [f64]>,
    /// Closing prices.
    pub close: &'a [f64],
}

impl<'a> Bars<'a> {
    /// Close-only bars.
    pub fn close_only(close: &'a [f64]) -> Self {
        Self {
            open: None,
            high: None,
            low: None,
            close,
        }
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.close.len()
    }

    /// True when there are no bars.
    pub fn is_empty(&self) -> bool {
        self.close.is_empty()
    }

    /// Checks lengths and that every price is finite and positive.
    pub fn validate(&self, cfg: &SimConfig) -> Result<()> {
        let n = self.close.len();
        if n == 0 {
            return Err(BarrowError::EmptyInput("a backtest needs at least 1 bar".to_string()));
        }
        if cfg.execution == Execution::NextOpen && self.open.is_none() {
            return Err(BarrowError::bad_param(
                "execution",
                "next_open",
                "needs the 'open' prices; pass open or use execution='close'",
            ));
        }
        for (name, s) in [
            ("open", self.open),
            ("high", self.high),
            ("low", self.low),
            ("close", Some(self.close)),
        ] {
            let Some(s) = s else { continue };
            if s.len() != n {
                return Err(BarrowError::LengthMismatch(format!(
                    "'{name}' has {} values but 'close' has {n}",
                    s.len()
                )));
            }
            if let Some(row) = s.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(BarrowError::InvalidValue {
                    column: name.to_string(),
                    kind: format!("non-positive or non-finite ({})", s[row]),
                    row,
                    context: String::new(),
                });
            }
        }
        Ok(())
    }

    fn slice(&self, from: usize, to: usize) -> Bars<'a> {
        Bars {
            open: self.open.map(|s| &s[from..to]),
            high: self.high.map(|s| &s[from..to]),
            low: self.low.map(|s| &s[from..to]),
            close: &self.close[from..to],
        }
    }
}

/// The four direction-aware signals of one bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Signals {
    /// Open (or reverse into) a long.
    pub long_entry: bool,
    /// Close a long.
    pub long_exit: bool,
    /// Open (or reverse into) a short.
    pub short_entry: bool,
    /// Close a short.
    pub short_exit: bool,
}

impl Signals {
    /// Maps an entry/exit pair to direction-aware signals (see
    /// [`Direction`]).
    #[inline]
    pub fn from_entry_exit(entry: bool, exit: bool, direction: Direction) -> Self {
        match direction {
            Direction::LongOnly => Self {
                long_entry: entry,
                long_exit: exit,
                ..Self::default()
            },
            Direction::ShortOnly => Self {
                short_entry: entry,
                short_exit: exit,
                ..Self::default()
            },
            Direction::Both => Self {
                long_entry: entry,
                short_entry: exit,
                ..Self::default()
            },
        }
    }
}

/// Side of an order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Buy (or cover).
    Buy,
    /// Sell (or short).
    Sell,
}

/// A filled order.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Order {
    /// Bar index.
    pub idx: usize,
    /// Units, > 0.
    pub size: f64,
    /// Fill price (slippage included).
    pub price: f64,
    /// Fees paid.
    pub fees: f64,
    /// Buy or sell.
    pub side: Side,
    /// True when a stop-loss or take-profit triggered the order.
    pub stop: bool,
}

/// Long or short trade.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TradeDirection {
    /// Bought first.
    Long,
    /// Sold first.
    Short,
}

/// A trade record (vectorbt's exit trade).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Trade {
    /// Units.
    pub size: f64,
    /// Bar of the first entry order.
    pub entry_idx: usize,
    /// Size-weighted average entry price.
    pub entry_price: f64,
    /// Entry fees attributed to this trade.
    pub entry_fees: f64,
    /// Bar of the exit (the last bar for an open trade).
    pub exit_idx: usize,
    /// Exit price (the last close for an open trade).
    pub exit_price: f64,
    /// Exit fees (0 for an open trade).
    pub exit_fees: f64,
    /// Profit after fees.
    pub pnl: f64,
    /// `pnl / (size * entry_price)`.
    pub ret: f64,
    /// Long or short.
    pub direction: TradeDirection,
    /// False while the position is still open at the last bar.
    pub closed: bool,
}

impl Trade {
    /// Bars from entry to exit.
    pub fn duration(&self) -> usize {
        self.exit_idx - self.entry_idx
    }
}

/// Builds exit-trade records from a stream of orders.
#[derive(Clone, Debug, Default)]
pub struct TradeBuilder {
    open: Option<(TradeDirection, usize)>,
    size_sum: f64,
    gross_sum: f64,
    fees_sum: f64,
}

impl TradeBuilder {
    #[allow(clippy::too_many_arguments)]
    fn record(
        size: f64,
        entry_idx: usize,
        entry_price: f64,
        entry_fees: f64,
        exit_idx: usize,
        exit_price: f64,
        exit_fees: f64,
        direction: TradeDirection,
        closed: bool,
    ) -> Trade {
        let entry_val = size * entry_price;
        let exit_val = size * exit_price;
        let mut diff = add(exit_val, -entry_val);
        if diff != 0.0 && direction == TradeDirection::Short {
            diff = -diff;
        }
        let pnl = diff - entry_fees - exit_fees;
        Trade {
            size,
            entry_idx,
            entry_price,
            entry_fees,
            exit_idx,
            exit_price,
            exit_fees,
            pnl,
            ret: pnl / entry_val,
            direction,
            closed,
        }
    }

    /// Consumes one order; emits the trades it closes.
    pub fn push(&mut self, o: &Order, mut emit: impl FnMut(Trade)) {
        let (direction, entry_idx) = match self.open {
            Some(d) => d,
            None => {
                let d = if o.side == Side::Buy {
                    TradeDirection::Long
                } else {
                    TradeDirection::Short
                };
                self.open = Some((d, o.idx));
                self.size_sum = 0.0;
                self.gross_sum = 0.0;
                self.fees_sum = 0.0;
                (d, o.idx)
            }
        };
        let adds = (direction == TradeDirection::Long) == (o.side == Side::Buy);
        if adds {
            self.size_sum += o.size;
            self.gross_sum += o.size * o.price;
            self.fees_sum += o.fees;
            return;
        }
        let entry_price = self.gross_sum / self.size_sum;
        if is_close_or_less(o.size, self.size_sum) {
            let full = is_close(o.size, self.size_sum);
            let exit_size = if full { self.size_sum } else { o.size };
            let entry_fees = exit_size / self.size_sum * self.fees_sum;
            emit(Self::record(
                exit_size,
                entry_idx,
                entry_price,
                entry_fees,
                o.idx,
                o.price,
                o.fees,
                direction,
                true,
            ));
            if full {
                self.open = None;
            } else {
                let keep = (self.size_sum - o.size) / self.size_sum;
                self.size_sum *= keep;
                self.gross_sum *= keep;
                self.fees_sum *= keep;
            }
        } else {
            // Reversal: close the whole position, open the remainder.
            let exit_size = self.size_sum;
            let exit_fees = exit_size / o.size * o.fees;
            emit(Self::record(
                exit_size,
                entry_idx,
                entry_price,
                self.fees_sum,
                o.idx,
                o.price,
                exit_fees,
                direction,
                true,
            ));
            self.size_sum = o.size - exit_size;
            self.gross_sum = self.size_sum * o.price;
            self.fees_sum = o.fees - exit_fees;
            let flipped = match direction {
                TradeDirection::Long => TradeDirection::Short,
                TradeDirection::Short => TradeDirection::Long,
            };
            self.open = Some((flipped, o.idx));
        }
    }

    /// Emits the still-open trade, valued at `last_close` on bar `last_idx`.
    pub fn finish(&mut self, last_idx: usize, last_close: f64, mut emit: impl FnMut(Trade)) {
        if let Some((direction, entry_idx)) = self.open.take() {
            if is_less(-self.size_sum, 0.0) {
                emit(Self::record(
                    self.size_sum,
                    entry_idx,
                    self.gross_sum / self.size_sum,
                    self.fees_sum,
                    last_idx,
                    last_close,
                    0.0,
                    direction,
                    false,
                ));
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Cash {
    cash: f64,
    position: f64,
    debt: f64,
    free_cash: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Fill {
    Filled {
        size: f64,
        price: f64,
        fees: f64,
        side: Side,
    },
    NotFilled,
}

/// Order parameters after signal resolution.
#[derive(Clone, Copy, Debug)]
struct OrderRequest {
    /// Signed units (+ buy, - sell); may be infinite.
    size: f64,
    size_type: SizeType,
    direction: Direction,
    price: f64,
    slippage: f64,
}

/// Receives what a simulation produces, bar by bar.
pub trait Observer {
    /// A filled order.
    fn order(&mut self, order: &Order);
    /// The state at the closes of bars `from..from + close.len()`, over
    /// which cash and position are constant (a bar with an order comes
    /// alone, after the order).
    fn bars(&mut self, from: usize, cash: f64, position: f64, close: &[f64]);
}

fn not_filled(s: Cash) -> Result<(Cash, Fill)> {
    Ok((s, Fill::NotFilled))
}

fn buy(s: Cash, size: f64, req: &OrderRequest, cfg: &SimConfig, percent: f64) -> Result<(Cash, Fill)> {
    let adj_price = req.price * (1.0 + req.slippage);
    let mut cash_limit = s.cash;
    if !percent.is_nan() {
        cash_limit = cash_limit.min(percent * cash_limit);
    }
    if req.direction == Direction::ShortOnly {
        if s.position == 0.0 {
            return not_filled(s);
        }
    } else {
        if cash_limit == 0.0 {
            return not_filled(s);
        }
        if size.is_infinite() && cash_limit.is_infinite() {
            return Err(BarrowError::bad_param(
                "size",
                size,
                "an infinite buy needs finite cash",
            ));
        }
    }
    let adj_size = if req.direction == Direction::ShortOnly {
        (-s.position).min(size)
    } else {
        size
    };
    if adj_size == 0.0 {
        return not_filled(s);
    }
    let req_cash = adj_size * adj_price;
    let req_fees = req_cash * cfg.fees + cfg.fixed_fees;
    let total_req_cash = req_cash + req_fees;
    let (final_size, fees_paid, final_req_cash) = if is_close_or_less(total_req_cash, cash_limit) {
        (adj_size, req_fees, total_req_cash)
    } else {
        // Not enough cash: buy what the cash pays for, fees included.
        let max_req_cash = add(cash_limit, -cfg.fixed_fees) / (1.0 + cfg.fees);
        if max_req_cash <= 0.0 {
            return not_filled(s);
        }
        (max_req_cash / adj_price, cash_limit - max_req_cash, cash_limit)
    };
    if is_close(adj_size, 0.0) || is_less(final_size, cfg.min_size) {
        return not_filled(s);
    }
    let new_position = add(s.position, final_size);
    let (debt, free_cash) = if s.position < 0.0 {
        let short_size = if new_position < 0.0 {
            final_size
        } else {
            s.position.abs()
        };
        let debt_diff = short_size * (s.debt / s.position.abs());
        (
            add(s.debt, -debt_diff),
            add(s.free_cash + 2.0 * debt_diff, -final_req_cash),
        )
    } else {
        (s.debt, add(s.free_cash, -final_req_cash))
    };
    let next = Cash {
        cash: add(s.cash, -final_req_cash),
        position: new_position,
        debt,
        free_cash,
    };
    Ok((
        next,
        Fill::Filled {
            size: final_size,
            price: adj_price,
            fees: fees_paid,
            side: Side::Buy,
        },
    ))
}

fn sell(s: Cash, size: f64, req: &OrderRequest, cfg: &SimConfig, percent: f64) -> Result<(Cash, Fill)> {
    let adj_price = req.price * (1.0 - req.slippage);
    let mut size_limit = if req.direction == Direction::LongOnly {
        s.position.min(size)
    } else if size.is_infinite() && !percent.is_nan() {
        // The most that can be sold: the long position plus what the free
        // cash (with the long's proceeds) can back as a short.
        let long_size = s.position.max(0.0);
        let long_cash = long_size * adj_price * (1.0 - cfg.fees);
        let total_free_cash = add(s.free_cash, long_cash);
        if total_free_cash <= 0.0 {
            if s.position <= 0.0 {
                return not_filled(s);
            }
            long_size
        } else {
            let max_short_size = add(total_free_cash, -cfg.fixed_fees) / (adj_price * (1.0 + cfg.fees));
            let limit = add(long_size, max_short_size);
            if limit <= 0.0 {
                return not_filled(s);
            }
            limit
        }
    } else {
        size
    };
    if !percent.is_nan() {
        size_limit *= percent;
    }
    if req.direction == Direction::LongOnly {
        if s.position == 0.0 {
            return not_filled(s);
        }
    } else if size_limit.is_infinite() {
        return Err(BarrowError::bad_param("size", size, "cannot short an infinite size"));
    }
    if is_close(size_limit, 0.0) || is_less(size_limit, cfg.min_size) {
        return not_filled(s);
    }
    let acq_cash = size_limit * adj_price;
    let fees_paid = acq_cash * cfg.fees + cfg.fixed_fees;
    let final_acq_cash = add(acq_cash, -fees_paid);
    if final_acq_cash < 0.0 {
        return not_filled(s);
    }
    let new_position = add(s.position, -size_limit);
    let (debt, free_cash) = if new_position < 0.0 {
        let short_size = if s.position < 0.0 {
            size_limit
        } else {
            new_position.abs()
        };
        let short_value = short_size * adj_price;
        (
            s.debt + short_value,
            add(s.free_cash, add(final_acq_cash, -2.0 * short_value)),
        )
    } else {
        (s.debt, s.free_cash + final_acq_cash)
    };
    let next = Cash {
        cash: s.cash + final_acq_cash,
        position: new_position,
        debt,
        free_cash,
    };
    Ok((
        next,
        Fill::Filled {
            size: size_limit,
            price: adj_price,
            fees: fees_paid,
            side: Side::Sell,
        },
    ))
}

fn snap(x: f64) -> f64 {
    if is_close(x, 0.0) {
        0.0
    } else {
        x
    }
}

fn execute(state: Cash, req: &OrderRequest, val_price: f64, cfg: &SimConfig) -> Result<(Cash, Fill)> {
    let s = Cash {
        cash: snap(state.cash),
        position: snap(state.position),
        debt: snap(state.debt),
        free_cash: snap(state.free_cash),
    };
    let mut size = req.size;
    let mut size_type = req.size_type;
    if size_type == SizeType::Value {
        size /= val_price;
        size_type = SizeType::Amount;
    }
    if size_type == SizeType::Amount && req.direction != Direction::LongOnly && size < 0.0 && size.is_infinite() {
        // An infinite short means "all the free cash can back".
        size = -1.0;
        size_type = SizeType::Percent;
    }
    let mut percent = f64::NAN;
    if size_type == SizeType::Percent {
        percent = size.abs();
        size = sign(size) * f64::INFINITY;
    }
    if size > 0.0 {
        buy(s, size, req, cfg, percent)
    } else {
        sell(s, -size, req, cfg, percent)
    }
}

/// Ignores contradictory signals (vectorbt's default conflict modes).
#[inline]
fn resolve_conflicts(mut s: Signals) -> Signals {
    if s.long_entry || s.short_entry {
        if s.long_entry && s.long_exit {
            s.long_entry = false;
            s.long_exit = false;
        }
        if s.short_entry && s.short_exit {
            s.short_entry = false;
            s.short_exit = false;
        }
        if s.long_entry && s.short_entry {
            s.long_entry = false;
            s.short_entry = false;
        }
    }
    s
}

/// Signed size, size type and direction of the order a bar's signals ask
/// for (no accumulation: an entry while in the same position does nothing).
fn signals_to_size(position: f64, s: Signals, cfg: &SimConfig, val_price: f64) -> (f64, SizeType, Direction) {
    let extra = |size: f64| match cfg.size_type {
        SizeType::Value => size / val_price,
        _ => size,
    };
    if position > 0.0 {
        if s.short_entry {
            (-position - extra(cfg.size), SizeType::Amount, Direction::Both)
        } else if s.long_exit {
            (-position, SizeType::Amount, Direction::LongOnly)
        } else {
            (0.0, cfg.size_type, Direction::Both)
        }
    } else if position < 0.0 {
        if s.long_entry {
            (-position + extra(cfg.size), SizeType::Amount, Direction::Both)
        } else if s.short_exit {
            (-position, SizeType::Amount, Direction::ShortOnly)
        } else {
            (0.0, cfg.size_type, Direction::Both)
        }
    } else if s.long_entry {
        (cfg.size, cfg.size_type, Direction::Both)
    } else if s.short_entry {
        (-cfg.size, cfg.size_type, Direction::Both)
    } else {
        (0.0, cfg.size_type, Direction::Both)
    }
}

/// Fill price of a stop measured from `from`, or NaN when the bar does not
/// reach it. `below` is true for the stop under a long (or over a short)
/// that limits losses.
#[inline]
fn stop_price(position: f64, from: f64, stop: f64, open: f64, low: f64, high: f64, below: bool) -> f64 {
    let protects_long = position > 0.0;
    if position == 0.0 {
        return f64::NAN;
    }
    if protects_long == below {
        let p = from * (1.0 - stop);
        if open <= p {
            return open;
        }
        if low <= p && p <= high {
            return p;
        }
    } else {
        let p = from * (1.0 + stop);
        if p <= open {
            return open;
        }
        if low <= p && p <= high {
            return p;
        }
    }
    f64::NAN
}

#[derive(Clone, Copy, Debug)]
struct Stops {
    sl_price: f64,
    sl_stop: f64,
    sl_trail: bool,
    tp_price: f64,
    tp_stop: f64,
}

impl Stops {
    const NONE: Stops = Stops {
        sl_price: f64::NAN,
        sl_stop: f64::NAN,
        sl_trail: false,
        tp_price: f64::NAN,
        tp_stop: f64::NAN,
    };
}

/// Entry and exit signals of a run of bars as bit masks (bit `i % 64` of
/// word `i / 64` is bar `i`): 2 bits per bar, so a simulation can skip
/// stretches without a signal a word at a time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SignalMasks {
    entries: Vec<u64>,
    exits: Vec<u64>,
    len: usize,
}

impl SignalMasks {
    /// The masks of bars `from..to`, from a generator called for every bar
    /// `0..to` in order (bars before `from` only warm it up); bar `from`
    /// becomes bar 0.
    pub fn from_fn(from: usize, to: usize, mut signal: impl FnMut(usize) -> (bool, bool)) -> Self {
        for i in 0..from {
            signal(i);
        }
        let len = to.saturating_sub(from);
        let words = len.div_ceil(64);
        let mut entries = vec![0u64; words];
        let mut exits = vec![0u64; words];
        for (w, (en, ex)) in entries.iter_mut().zip(exits.iter_mut()).enumerate() {
            let base = from + w * 64;
            let (mut a, mut b) = (0u64, 0u64);
            for k in 0..(to - base).min(64) {
                let (e, x) = signal(base + k);
                a |= (e as u64) << k;
                b |= (x as u64) << k;
            }
            (*en, *ex) = (a, b);
        }
        Self { entries, exits, len }
    }

    /// Masks from words (bit `i % 64` of word `i / 64` is bar `i`) over
    /// `len` bars; bits past `len` must be 0.
    pub fn from_words(entries: Vec<u64>, exits: Vec<u64>, len: usize) -> Self {
        debug_assert!(entries.len() == len.div_ceil(64) && exits.len() == entries.len());
        Self { entries, exits, len }
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for no bars.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// (entry, exit) of bar `i`.
    #[inline]
    pub fn get(&self, i: usize) -> (bool, bool) {
        let (w, k) = (i / 64, i % 64);
        ((self.entries[w] >> k) & 1 == 1, (self.exits[w] >> k) & 1 == 1)
    }

    /// The first bar at or after `from` with an entry or an exit.
    #[inline]
    pub fn next_signal(&self, from: usize) -> Option<usize> {
        let mut w = from / 64;
        if w >= self.entries.len() {
            return None;
        }
        let mut word = (self.entries[w] | self.exits[w]) & (!0u64 << (from % 64));
        loop {
            if word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                return (i < self.len).then_some(i);
            }
            w += 1;
            if w >= self.entries.len() {
                return None;
            }
            word = self.entries[w] | self.exits[w];
        }
    }
}

/// Runs the simulation over `bars` (already validated with
/// [`Bars::validate`] and `cfg` with [`SimConfig::validate`]). `signal`
/// returns the (entry, exit) pair of a bar, read according to
/// `cfg.direction`; it is called once per bar, in order, with the bar
/// index, so a stateful signal generator works; with
/// [`Execution::NextOpen`] the signal of bar `i` trades at the open of bar
/// `i + 1`.
pub fn simulate_with(
    bars: &Bars<'_>,
    cfg: &SimConfig,
    signal: impl FnMut(usize) -> (bool, bool),
    obs: &mut impl Observer,
) -> Result<()> {
    simulate_masks(bars, cfg, &SignalMasks::from_fn(0, bars.len(), signal), obs)
}

/// [`simulate_with`] over precomputed signal masks (as long as the bars).
pub fn simulate_masks(bars: &Bars<'_>, cfg: &SimConfig, masks: &SignalMasks, obs: &mut impl Observer) -> Result<()> {
    let n = bars.len();
    if masks.len() != n {
        return Err(BarrowError::LengthMismatch(format!(
            "the signals cover {} bars but there are {n}",
            masks.len()
        )));
    }
    let use_stops = cfg.uses_stops();
    let mut st = Cash {
        cash: cfg.init_cash,
        position: 0.0,
        debt: 0.0,
        free_cash: cfg.init_cash,
    };
    let mut stops = Stops::NONE;
    // A signal raised at bar r trades at bar r + shift.
    let shift = usize::from(cfg.execution == Execution::NextOpen);
    // Bars without a signal, while no stop is armed, change nothing but the
    // valuation: they are skipped a mask word at a time and handed to the
    // observer as one run.
    let mut quiet_from = 0;
    let mut armed = false;
    let mut i = 0;
    while i < n {
        if !armed {
            match masks.next_signal(i.saturating_sub(shift)) {
                Some(r) if r + shift < n => i = i.max(r + shift),
                _ => break,
            }
        }
        let sig = if i >= shift {
            masks.get(i - shift)
        } else {
            (false, false)
        };
        if quiet_from < i {
            obs.bars(quiet_from, st.cash, st.position, &bars.close[quiet_from..i]);
        }
        quiet_from = i + 1;
        let close = bars.close[i];
        let bar_price = match (cfg.execution, bars.open) {
            (Execution::NextOpen, Some(open)) => open[i],
            _ => close,
        };
        let val_price = bar_price;
        let position_now = st.position;
        let mut price = bar_price;
        let mut slippage = cfg.slippage;
        let mut hit = f64::NAN;
        if armed {
            let open = bars.open.map_or(close, |s| s[i]);
            let high = bars.high.map_or(open.max(close), |s| s[i]);
            let low = bars.low.map_or(open.min(close), |s| s[i]);
            if !stops.sl_stop.is_nan() {
                hit = stop_price(position_now, stops.sl_price, stops.sl_stop, open, low, high, true);
            }
            if hit.is_nan() && !stops.tp_stop.is_nan() {
                hit = stop_price(position_now, stops.tp_price, stops.tp_stop, open, low, high, false);
            }
            if !stops.sl_stop.is_nan() && stops.sl_trail {
                if position_now > 0.0 && high > stops.sl_price {
                    stops.sl_price = high;
                } else if position_now < 0.0 && low < stops.sl_price {
                    stops.sl_price = low;
                }
            }
        }
        let is_stop = !hit.is_nan();
        let signals = if is_stop {
            (price, slippage) = match cfg.stop_exit_price {
                StopExitPrice::Stop => (hit, 0.0),
                StopExitPrice::StopMarket => (hit, slippage),
                StopExitPrice::Close => (close, slippage),
            };
            Signals {
                long_exit: position_now > 0.0,
                short_exit: position_now < 0.0,
                ..Signals::default()
            }
        } else {
            resolve_conflicts(Signals::from_entry_exit(sig.0, sig.1, cfg.direction))
        };
        let (size, size_type, direction) = signals_to_size(position_now, signals, cfg, val_price);
        if size != 0.0 {
            let before = st;
            let req = OrderRequest {
                size,
                size_type,
                direction,
                price,
                slippage,
            };
            let (next, fill) = execute(st, &req, val_price, cfg)?;
            st = next;
            if let Fill::Filled {
                size,
                price: fill_price,
                fees,
                side,
            } = fill
            {
                obs.order(&Order {
                    idx: i,
                    size,
                    price: fill_price,
                    fees,
                    side,
                    stop: is_stop,
                });
                if use_stops {
                    if st.position == 0.0 {
                        stops = Stops::NONE;
                    } else {
                        let from = match cfg.stop_entry_price {
                            StopEntryPrice::Close => close,
                            StopEntryPrice::Price => price,
                            StopEntryPrice::FillPrice => fill_price,
                        };
                        let opened = before.position == 0.0 || sign(st.position) != sign(before.position);
                        if opened || st.position.abs() > before.position.abs() {
                            if opened || !cfg.sl_stop.is_nan() {
                                stops.sl_price = from;
                                stops.sl_stop = cfg.sl_stop;
                                stops.sl_trail = cfg.sl_trail;
                            }
                            if opened || !cfg.tp_stop.is_nan() {
                                stops.tp_price = from;
                                stops.tp_stop = cfg.tp_stop;
                            }
                        }
                    }
                }
            }
        }
        obs.bars(i, st.cash, st.position, &bars.close[i..i + 1]);
        armed = use_stops && (!stops.sl_stop.is_nan() || !stops.tp_stop.is_nan());
        i += 1;
    }
    if quiet_from < n {
        obs.bars(quiet_from, st.cash, st.position, &bars.close[quiet_from..n]);
    }
    Ok(())
}

/// Everything a full simulation records.
#[derive(Clone, Debug, PartialEq)]
pub struct SimResult {
    /// Filled orders.
    pub orders: Vec<Order>,
    /// Exit trades (the last one may be open).
    pub trades: Vec<Trade>,
    /// Cash at each close.
    pub cash: Vec<f64>,
    /// Position (units, negative when short) at each close.
    pub position: Vec<f64>,
    /// Portfolio value (equity) at each close.
    pub value: Vec<f64>,
    /// Per-bar returns of the value (the first against the initial cash).
    pub returns: Vec<f64>,
    /// `value / running peak of value - 1` (the peak starts at bar 0).
    pub drawdown: Vec<f64>,
    /// Summary metrics.
    pub metrics: Metrics,
}

struct Recorder {
    metrics: MetricsBuilder,
    trades: TradeBuilder,
    result: SimResult,
    peak: f64,
    prev_value: f64,
}

impl Observer for Recorder {
    fn order(&mut self, order: &Order) {
        self.metrics.order(order);
        self.result.orders.push(*order);
        let (metrics, trades) = (&mut self.metrics, &mut self.result.trades);
        self.trades.push(order, |t| {
            metrics.trade(&t);
            trades.push(t);
        });
    }

    fn bars(&mut self, from: usize, cash: f64, position: f64, close: &[f64]) {
        self.metrics.bars(from, cash, position, close);
        let r = &mut self.result;
        for &c in close {
            let value = cash + position * c;
            self.peak = self.peak.max(value);
            r.cash.push(cash);
            r.position.push(position);
            r.value.push(value);
            r.returns.push(super::metrics::period_return(self.prev_value, value));
            r.drawdown.push(value / self.peak - 1.0);
            self.prev_value = value;
        }
    }
}

/// Simulates entry/exit signals over `bars` and records orders, trades, the
/// equity and drawdown series and the metrics (see the module docs).
pub fn from_signals(bars: &Bars<'_>, entries: &[bool], exits: &[bool], cfg: &SimConfig) -> Result<SimResult> {
    cfg.validate()?;
    bars.validate(cfg)?;
    for (name, s) in [("entries", entries), ("exits", exits)] {
        if s.len() != bars.len() {
            return Err(BarrowError::LengthMismatch(format!(
                "'{name}' has {} values but 'close' has {}",
                s.len(),
                bars.len()
            )));
        }
    }
    from_signal_fn(bars, cfg, |i| (entries[i], exits[i]))
}

/// Like [`from_signals`], with the signals produced by `signal` (called once
/// per bar, in order). Inputs must be validated.
pub fn from_signal_fn(
    bars: &Bars<'_>,
    cfg: &SimConfig,
    signal: impl FnMut(usize) -> (bool, bool),
) -> Result<SimResult> {
    record(bars, cfg, |rec| simulate_with(bars, cfg, signal, rec))
}

/// Runs `simulate` with a [`Recorder`] and closes the books.
fn record(bars: &Bars<'_>, cfg: &SimConfig, simulate: impl FnOnce(&mut Recorder) -> Result<()>) -> Result<SimResult> {
    let n = bars.len();
    let mut rec = Recorder {
        metrics: MetricsBuilder::new(cfg),
        trades: TradeBuilder::default(),
        result: SimResult {
            orders: Vec::new(),
            trades: Vec::new(),
            cash: Vec::with_capacity(n),
            position: Vec::with_capacity(n),
            value: Vec::with_capacity(n),
            returns: Vec::with_capacity(n),
            drawdown: Vec::with_capacity(n),
            metrics: Metrics::default(),
        },
        peak: f64::NEG_INFINITY,
        prev_value: cfg.init_cash,
    };
    simulate(&mut rec)?;
    let (metrics, trades) = (&mut rec.metrics, &mut rec.result.trades);
    rec.trades.finish(n - 1, bars.close[n - 1], |t| {
        metrics.trade(&t);
        trades.push(t);
    });
    rec.result.metrics = rec.metrics.finish();
    Ok(rec.result)
}

/// What a target series means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Fraction of the portfolio value (a weight: 1 all in, -0.5 half short).
    #[default]
    Percent,
    /// Cash value of the position.
    Value,
    /// Units held.
    Amount,
}

/// Simulates a series of position targets (vectorbt's `from_orders` with a
/// target size type): at each bar with a target (NaN = no order), an order
/// moves the position to the target, valued at the order price; the cash
/// limits, fees and slippage are those of [`from_signals`]. With
/// [`Execution::NextOpen`] the target set at bar `i` trades at the open of
/// bar `i + 1`. `cfg.size` and `cfg.size_type` are not used; stops are not
/// supported here. With [`Direction::ShortOnly`] targets are read as short
/// exposures (a target of 0.5 holds a short of half the value).
pub fn from_targets(bars: &Bars<'_>, targets: &[f64], kind: TargetKind, cfg: &SimConfig) -> Result<SimResult> {
    cfg.validate()?;
    bars.validate(cfg)?;
    if targets.len() != bars.len() {
        return Err(BarrowError::LengthMismatch(format!(
            "'target' has {} values but 'close' has {}",
            targets.len(),
            bars.len()
        )));
    }
    if let Some(row) = targets.iter().position(|t| t.is_infinite()) {
        return Err(BarrowError::InvalidValue {
            column: "target".to_string(),
            kind: "infinite".to_string(),
            row,
            context: " (NaN means no order)".to_string(),
        });
    }
    if cfg.uses_stops() {
        return Err(BarrowError::bad_param(
            "sl_stop/tp_stop",
            "set",
            "stops apply to signal backtests (from_signals); targets have none",
        ));
    }
    record(bars, cfg, |rec| simulate_targets(bars, targets, kind, cfg, rec))
}

fn simulate_targets(
    bars: &Bars<'_>,
    targets: &[f64],
    kind: TargetKind,
    cfg: &SimConfig,
    obs: &mut impl Observer,
) -> Result<()> {
    let mut st = Cash {
        cash: cfg.init_cash,
        position: 0.0,
        debt: 0.0,
        free_cash: cfg.init_cash,
    };
    for i in 0..bars.len() {
        let target = match cfg.execution {
            Execution::Close => targets[i],
            Execution::NextOpen if i > 0 => targets[i - 1],
            Execution::NextOpen => f64::NAN,
        };
        let close = bars.close[i];
        let price = match (cfg.execution, bars.open) {
            (Execution::NextOpen, Some(open)) => open[i],
            _ => close,
        };
        // Every bar's order goes through the tolerance snapping, as in
        // vectorbt, even when it is ignored.
        let s = Cash {
            cash: snap(st.cash),
            position: snap(st.position),
            debt: snap(st.debt),
            free_cash: snap(st.free_cash),
        };
        let value = snap(st.cash + if st.position != 0.0 { st.position * price } else { 0.0 });
        st = s;
        if !target.is_nan() && (kind != TargetKind::Percent || value > 0.0) {
            let signed = if cfg.direction == Direction::ShortOnly {
                -target
            } else {
                target
            };
            let units = match kind {
                TargetKind::Percent => signed * value / price,
                TargetKind::Value => signed / price,
                TargetKind::Amount => signed,
            };
            let size = units - s.position;
            let req = OrderRequest {
                size,
                size_type: SizeType::Amount,
                direction: cfg.direction,
                price,
                slippage: cfg.slippage,
            };
            let (next, fill) = if size > 0.0 {
                buy(s, size, &req, cfg, f64::NAN)?
            } else {
                sell(s, -size, &req, cfg, f64::NAN)?
            };
            st = next;
            if let Fill::Filled {
                size,
                price,
                fees,
                side,
            } = fill
            {
                obs.order(&Order {
                    idx: i,
                    size,
                    price,
                    fees,
                    side,
                    stop: false,
                });
            }
        }
        obs.bars(i, st.cash, st.position, &bars.close[i..i + 1]);
    }
    Ok(())
}

/// Metrics only, without recording any series: what sweeps run.
pub fn signal_metrics(bars: &Bars<'_>, cfg: &SimConfig, signal: impl FnMut(usize) -> (bool, bool)) -> Result<Metrics> {
    metrics_of_masks(bars, cfg, &SignalMasks::from_fn(0, bars.len(), signal))
}

/// [`signal_metrics`] over precomputed signal masks.
pub fn metrics_of_masks(bars: &Bars<'_>, cfg: &SimConfig, masks: &SignalMasks) -> Result<Metrics> {
    struct Streaming {
        metrics: MetricsBuilder,
        trades: TradeBuilder,
    }
    impl Observer for Streaming {
        fn order(&mut self, order: &Order) {
            self.metrics.order(order);
            let metrics = &mut self.metrics;
            self.trades.push(order, |t| metrics.trade(&t));
        }
        fn bars(&mut self, from: usize, cash: f64, position: f64, close: &[f64]) {
            self.metrics.bars(from, cash, position, close);
        }
    }
    let n = bars.len();
    let mut s = Streaming {
        metrics: MetricsBuilder::new(cfg),
        trades: TradeBuilder::default(),
    };
    simulate_masks(bars, cfg, masks, &mut s)?;
    let metrics = &mut s.metrics;
    s.trades.finish(n - 1, bars.close[n - 1], |t| metrics.trade(&t));
    Ok(s.metrics.finish())
}

/// [`signal_metrics`] over bars `from..to` only: `signal` is still called
/// for every bar from 0 (so a stateful generator is warm at `from`), but
/// only signals raised inside the window trade, and the portfolio starts
/// flat with the initial cash at `from`.
pub fn signal_metrics_range(
    bars: &Bars<'_>,
    cfg: &SimConfig,
    from: usize,
    to: usize,
    signal: impl FnMut(usize) -> (bool, bool),
) -> Result<Metrics> {
    if !(from < to && to <= bars.len()) {
        return Err(BarrowError::bad_param(
            "window",
            format!("{from}..{to}"),
            format!("must be a non-empty range within the {} bars", bars.len()),
        ));
    }
    let masks = SignalMasks::from_fn(from, to, signal);
    metrics_of_masks(&bars.slice(from, to), cfg, &masks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> SimConfig {
        SimConfig::default()
    }

    fn flags(n: usize, on: &[usize]) -> Vec<bool> {
        (0..n).map(|i| on.contains(&i)).collect()
    }

    #[test]
    fn all_cash_long_round_trip_pays_fees_on_both_legs() {
        let close = [10.0, 10.0, 12.0, 12.0];
        let c = SimConfig { fees: 0.01, ..cfg() };
        let r = from_signals(&Bars::close_only(&close), &flags(4, &[1]), &flags(4, &[2]), &c).unwrap();
        assert_eq!(r.orders.len(), 2);
        // 100 cash buys 100 / 1.01 / 10 units; fees are the rest.
        let units = 100.0 / 1.01 / 10.0;
        assert!((r.orders[0].size - units).abs() < 1e-12);
        assert!((r.orders[0].fees - (100.0 - 100.0 / 1.01)).abs() < 1e-12);
        let proceeds = units * 12.0 * 0.99;
        assert!((r.value[3] - proceeds).abs() < 1e-12, "{:?}", r.value);
        let t = r.trades[0];
        assert!(t.closed && t.entry_idx == 1 && t.exit_idx == 2 && t.duration() == 1);
        assert!((t.pnl - (proceeds - 100.0)).abs() < 1e-12);
        assert!((r.metrics.total_return - (proceeds / 100.0 - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn stop_loss_fills_at_the_stop_or_at_a_gapped_open() {
        let close = [100.0, 100.0, 100.0, 100.0];
        let open = [100.0, 100.0, 100.0, 80.0];
        let high = [100.0, 101.0, 101.0, 101.0];
        let low = [100.0, 99.0, 94.0, 79.0];
        let bars = Bars {
            open: Some(&open),
            high: Some(&high),
            low: Some(&low),
            close: &close,
        };
        let c = SimConfig { sl_stop: 0.05, ..cfg() };
        let r = from_signals(&bars, &flags(4, &[0]), &flags(4, &[]), &c).unwrap();
        // Entered at bar 0's close; bar 1 stays above 95; bar 2 touches 94.
        assert_eq!(r.orders[1].idx, 2);
        assert_eq!(r.orders[1].price, 95.0);
        assert!(r.orders[1].stop);
        // Re-enter at bar 2 is not possible (no entry signal); with an entry
        // at bar 2 the stop is re-armed and bar 3 gaps through it.
        let r = from_signals(&bars, &flags(4, &[0, 2]), &flags(4, &[]), &c).unwrap();
        assert_eq!(
            r.orders.len(),
            2,
            "the entry on the stop bar is ignored: {:?}",
            r.orders
        );
        let r = from_signals(&bars, &flags(4, &[1]), &flags(4, &[]), &c).unwrap();
        assert_eq!((r.orders[1].idx, r.orders[1].price), (2, 95.0));
        let late = from_signals(&bars, &flags(4, &[2]), &flags(4, &[]), &SimConfig { sl_stop: 0.1, ..c }).unwrap();
        assert_eq!(
            (late.orders[1].idx, late.orders[1].price),
            (3, 80.0),
            "gap below the stop fills at the open"
        );
    }

    #[test]
    fn next_open_fills_at_the_following_open_and_never_at_the_signal_bar() {
        let close = [10.0, 11.0, 12.0, 13.0];
        let open = [9.5, 10.5, 11.5, 12.5];
        let bars = Bars {
            open: Some(&open),
            high: None,
            low: None,
            close: &close,
        };
        let c = SimConfig {
            execution: Execution::NextOpen,
            ..cfg()
        };
        let r = from_signals(&bars, &flags(4, &[0]), &flags(4, &[1, 3]), &c).unwrap();
        assert_eq!(r.orders.len(), 2);
        assert_eq!((r.orders[0].idx, r.orders[0].price), (1, 10.5));
        assert_eq!((r.orders[1].idx, r.orders[1].price), (2, 11.5));
        // The exit on the last bar would fill after the data ends: no order.
        let r = from_signals(&bars, &flags(4, &[3]), &flags(4, &[]), &c).unwrap();
        assert!(r.orders.is_empty());
        assert!(
            from_signals(&Bars::close_only(&close), &flags(4, &[]), &flags(4, &[]), &c)
                .unwrap_err()
                .to_string()
                .contains("open")
        );
    }

    #[test]
    fn both_directions_reverse_into_a_short_and_record_two_trades() {
        let close = [10.0, 10.0, 8.0, 8.0];
        let c = SimConfig {
            direction: Direction::Both,
            ..cfg()
        };
        let r = from_signals(&Bars::close_only(&close), &flags(4, &[0]), &flags(4, &[1]), &c).unwrap();
        assert_eq!(r.trades.len(), 2);
        assert_eq!(r.trades[0].direction, TradeDirection::Long);
        assert_eq!(r.trades[1].direction, TradeDirection::Short);
        assert!(!r.trades[1].closed);
        assert!(r.position[1] < 0.0);
        // Short 10 units at 10, now worth 8 each: value 100 + 20.
        assert!((r.value[3] - 120.0).abs() < 1e-9, "{:?}", r.value);
    }

    #[test]
    fn streaming_metrics_equal_the_recorded_ones() {
        let n = 600;
        let close: Vec<f64> = (0..n)
            .map(|i| 100.0 * (1.0 + 0.2 * ((i as f64) * 0.05).sin()) + (i % 7) as f64)
            .collect();
        let en: Vec<bool> = (0..n).map(|i| i % 37 == 3).collect();
        let ex: Vec<bool> = (0..n).map(|i| i % 23 == 5).collect();
        let c = SimConfig {
            fees: 0.001,
            direction: Direction::Both,
            sl_stop: 0.05,
            sl_trail: true,
            ..cfg()
        };
        let bars = Bars::close_only(&close);
        let full = from_signals(&bars, &en, &ex, &c).unwrap();
        let fast = signal_metrics(&bars, &c, |i| (en[i], ex[i])).unwrap();
        assert_eq!(full.metrics, fast);
        assert!(fast.trades > 10);
        let dd = full.drawdown.iter().cloned().fold(0.0, f64::min);
        assert_eq!(dd, full.metrics.max_drawdown);
    }

    #[test]
    fn targets_move_the_position_to_the_weight_and_next_open_waits_a_bar() {
        let close = [10.0, 20.0, 20.0, 40.0];
        let open = [10.0, 15.0, 30.0, 40.0];
        let nan = f64::NAN;
        let t = [1.0, nan, 0.0, nan];
        let r = from_targets(&Bars::close_only(&close), &t, TargetKind::Percent, &cfg()).unwrap();
        assert_eq!(r.position, vec![10.0, 10.0, 0.0, 0.0]);
        assert_eq!(r.value[3], 200.0);
        let bars = Bars {
            open: Some(&open),
            high: None,
            low: None,
            close: &close,
        };
        let c = SimConfig {
            execution: Execution::NextOpen,
            ..cfg()
        };
        let r = from_targets(&bars, &t, TargetKind::Percent, &c).unwrap();
        assert_eq!((r.orders[0].idx, r.orders[0].price), (1, 15.0));
        assert_eq!((r.orders[1].idx, r.orders[1].price), (3, 40.0));
        let units = [nan, 3.0, nan, -2.0];
        // Long only: a negative target only closes the long.
        let r = from_targets(&Bars::close_only(&close), &units, TargetKind::Amount, &cfg()).unwrap();
        assert_eq!(r.position, vec![0.0, 3.0, 3.0, 0.0]);
        let both = SimConfig {
            direction: Direction::Both,
            ..cfg()
        };
        let r = from_targets(&Bars::close_only(&close), &units, TargetKind::Amount, &both).unwrap();
        assert_eq!(r.position, vec![0.0, 3.0, 3.0, -2.0]);
        let err = from_targets(
            &Bars::close_only(&close),
            &t,
            TargetKind::Percent,
            &SimConfig { sl_stop: 0.1, ..cfg() },
        );
        assert!(err.unwrap_err().to_string().contains("stops"));
    }

    #[test]
    fn signal_masks_find_signals_across_words() {
        let on = [3usize, 63, 64, 130, 199];
        let hit = |i: usize| i >= 5 && on.contains(&(i - 5));
        let m = SignalMasks::from_fn(5, 205, |i| (hit(i) && i % 2 == 0, hit(i) && i % 2 == 1));
        assert_eq!(m.len(), 200);
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(i) = m.next_signal(from) {
            found.push(i);
            from = i + 1;
        }
        assert_eq!(found, on);
        assert_eq!(m.get(64), (false, true));
        assert_eq!(m.get(3), (true, false));
        assert_eq!(m.next_signal(200), None);
    }

    #[test]
    fn bad_settings_name_the_parameter() {
        let close = [1.0, 2.0];
        let e = [false, false];
        let bars = Bars::close_only(&close);
        for (c, needle) in [
            (SimConfig { fees: -0.1, ..cfg() }, "fees"),
            (
                SimConfig {
                    init_cash: 0.0,
                    ..cfg()
                },
                "init_cash",
            ),
            (SimConfig { sl_stop: -1.0, ..cfg() }, "sl_stop"),
            (
                SimConfig {
                    size: 2.0,
                    size_type: SizeType::Percent,
                    ..cfg()
                },
                "size",
            ),
        ] {
            let err = from_signals(&bars, &e, &e, &c).unwrap_err().to_string();
            assert!(err.contains(needle), "{err}");
        }
        let err = from_signals(&bars, &[true], &e, &cfg()).unwrap_err().to_string();
        assert!(err.contains("entries"), "{err}");
        let err = from_signals(&Bars::close_only(&[1.0, -1.0]), &e, &e, &cfg())
            .unwrap_err()
            .to_string();
        assert!(err.contains("close") && err.contains("row 1"), "{err}");
        assert!(SimConfig::from_json(r#"{"fess": 0.1}"#).is_err());
        let parsed = SimConfig::from_json(r#"{"fees": 0.001, "sl_stop": null, "size": "inf"}"#).unwrap();
        assert!(parsed.sl_stop.is_nan() && parsed.size.is_infinite());
    }
}
