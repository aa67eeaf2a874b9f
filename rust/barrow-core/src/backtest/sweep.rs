//! Parameter sweeps and walk-forward optimization of strategy templates
//! over many symbols, run in parallel without materializing a signal
//! matrix.
//!
//! A [`SweepSpec`] names a [`Template`], the grid (parameter names and one
//! row of values per combination) and the simulation settings. For each
//! symbol the indicators are computed once per distinct parameter value
//! (an MA window shared by 59 pairs is computed once) with barrow's TA-Lib
//! kernels; then every (symbol, combination) pair is simulated on a rayon
//! worker: its entries and exits are derived from the shared indicator
//! values into two bit masks (2 bits per bar, 64 bars at a time, dropped
//! after the simulation) and only its [`Metrics`] are kept.
//!
//! Templates (signals at bar `i` use data up to bar `i` only):
//!
//! - `ma_cross` (`fast`, `slow`): enter when SMA(fast) crosses above
//!   SMA(slow), exit when it crosses below;
//! - `rsi` (`period`, `lower`, `upper`): enter when RSI(period) crosses
//!   below `lower`, exit when it crosses above `upper`;
//! - `bbands` (`period`, `nbdev`): enter when the close crosses above the
//!   upper Bollinger band (SMA ± nbdev standard deviations), exit when it
//!   crosses below the middle band;
//! - `signals`: the input's boolean `entries` / `exits` columns.
//!
//! "Crosses above" is vectorbt's `crossed_above`: true on the first bar
//! with `a > b` after a bar with `a < b`, NaN bars resetting the state. Any
//! template's grid may also vary the simulation settings `sl_stop`,
//! `tp_stop`, `sl_trail` (0/1), `fees`, `fixed_fees` and `slippage`.
//!
//! Walk-forward ([`walk_forward`]) slides a window of `train` bars followed
//! by `test` bars by `step` bars: on each in-sample window every
//! combination is simulated, the one with the best `metric` is chosen
//! (NaN never wins; ties keep the first), and it is simulated alone on the
//! out-of-sample window, indicators warmed on all earlier bars.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::columns::{column, f64_values, time_values, Symbols};
use crate::error::{BarrowError, Result};
use crate::series::compute_series;

use super::metrics::Metrics;
use super::simulate::{metrics_of_masks, signal_metrics, signal_metrics_range, Bars, SignalMasks, SimConfig};

/// A strategy template.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Moving-average crossover (`fast`, `slow`).
    MaCross,
    /// RSI thresholds (`period`, `lower`, `upper`).
    Rsi,
    /// Bollinger-band breakout (`period`, `nbdev`).
    Bbands,
    /// Entries and exits from the input's boolean columns.
    Signals,
}

impl Template {
    /// The template's own parameters.
    pub fn params(self) -> &'static [&'static str] {
        match self {
            Template::MaCross => &["fast", "slow"],
            Template::Rsi => &["period", "lower", "upper"],
            Template::Bbands => &["period", "nbdev"],
            Template::Signals => &[],
        }
    }
}

/// Simulation settings a grid may vary, besides the template's parameters.
pub const SIM_PARAMS: [&str; 6] = ["sl_stop", "tp_stop", "sl_trail", "fees", "fixed_fees", "slippage"];

/// Integer-valued parameters (reported as int64 columns).
const INT_PARAMS: [&str; 3] = ["fast", "slow", "period"];

/// Input column names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SweepColumns {
    /// Symbol column (strings); rows of a symbol must be contiguous and in
    /// time order.
    pub symbol: String,
    /// Close prices.
    pub close: String,
    /// Opens (used when present: next-open execution, stops).
    pub open: String,
    /// Highs (used when present: stops).
    pub high: String,
    /// Lows (used when present: stops).
    pub low: String,
    /// Entry signals of the `signals` template.
    pub entries: String,
    /// Exit signals of the `signals` template.
    pub exits: String,
    /// Timestamps: when the input has this column, each symbol's must be
    /// strictly increasing.
    pub timestamp: String,
}

impl Default for SweepColumns {
    fn default() -> Self {
        Self {
            symbol: "symbol".into(),
            close: "close".into(),
            open: "open".into(),
            high: "high".into(),
            low: "low".into(),
            entries: "entries".into(),
            exits: "exits".into(),
            timestamp: "timestamp".into(),
        }
    }
}

/// What to sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SweepSpec {
    /// Strategy template.
    pub strategy: Template,
    /// Parameter names, one per grid column.
    pub params: Vec<String>,
    /// One row of parameter values per combination.
    pub combos: Vec<Vec<f64>>,
    /// Simulation settings shared by every combination.
    #[serde(default)]
    pub sim: SimConfig,
    /// Input column names.
    #[serde(default)]
    pub columns: SweepColumns,
}

/// Walk-forward settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WalkForwardSpec {
    /// The strategy, grid and settings.
    pub sweep: SweepSpec,
    /// In-sample bars per window.
    pub train: usize,
    /// Out-of-sample bars per window.
    pub test: usize,
    /// Bars between window starts (default: `test`).
    #[serde(default)]
    pub step: Option<usize>,
    /// Metric that chooses the combination (a [`Metrics`] field name).
    #[serde(default = "default_metric")]
    pub metric: String,
    /// Larger is better (default); false to minimize.
    #[serde(default = "default_true")]
    pub maximize: bool,
}

fn default_metric() -> String {
    "sharpe".to_string()
}

fn default_true() -> bool {
    true
}

/// One combination, resolved against the template.
#[derive(Clone, Copy, Debug)]
struct Combo {
    a: f64,
    b: f64,
    c: f64,
    sim: SimConfig,
}

impl SweepSpec {
    /// Parses and checks a JSON spec.
    pub fn from_json(json: &str) -> Result<Self> {
        let spec: SweepSpec = serde_json::from_str(json).map_err(|e| BarrowError::Spec(format!("sweep: {e}")))?;
        spec.resolve()?;
        Ok(spec)
    }

    /// Checks names and values; returns the combinations.
    fn resolve(&self) -> Result<Vec<Combo>> {
        self.sim.validate()?;
        let own = self.strategy.params();
        for name in &self.params {
            if !own.contains(&name.as_str()) && !SIM_PARAMS.contains(&name.as_str()) {
                return Err(BarrowError::bad_param(
                    name,
                    "grid",
                    format!(
                        "unknown parameter of the '{}' template; it takes {:?} and the settings {:?}",
                        serde_json::to_value(self.strategy)
                            .expect("template")
                            .as_str()
                            .unwrap_or(""),
                        own,
                        SIM_PARAMS
                    ),
                ));
            }
        }
        if let Some(missing) = own.iter().find(|p| !self.params.iter().any(|n| n == *p)) {
            return Err(BarrowError::bad_param(
                missing,
                "missing",
                "the template needs this parameter in the grid",
            ));
        }
        if self.combos.is_empty() {
            return Err(BarrowError::EmptyInput("the grid has no combination".to_string()));
        }
        let mut out = Vec::with_capacity(self.combos.len());
        for (k, row) in self.combos.iter().enumerate() {
            if row.len() != self.params.len() {
                return Err(BarrowError::LengthMismatch(format!(
                    "combination {k} has {} values for {} parameters {:?}",
                    row.len(),
                    self.params.len(),
                    self.params
                )));
            }
            let mut c = Combo {
                a: f64::NAN,
                b: f64::NAN,
                c: f64::NAN,
                sim: self.sim,
            };
            for (name, &v) in self.params.iter().zip(row) {
                let bad = |why: &str| BarrowError::bad_param(name, v, format!("{why} (combination {k})"));
                match name.as_str() {
                    "fast" | "slow" | "period" if !(v.fract() == 0.0 && (2.0..=100_000.0).contains(&v)) => {
                        return Err(bad("must be a whole number of bars >= 2"));
                    }
                    "lower" | "upper" if !(0.0..=100.0).contains(&v) => {
                        return Err(bad("must be an RSI level in [0, 100]"));
                    }
                    "nbdev" if !(v.is_finite() && v > 0.0) => return Err(bad("must be > 0")),
                    _ => {}
                }
                match name.as_str() {
                    "fast" | "period" => c.a = v,
                    "slow" | "nbdev" => c.b = v,
                    "lower" => c.b = v,
                    "upper" => c.c = v,
                    "sl_stop" => c.sim.sl_stop = v,
                    "tp_stop" => c.sim.tp_stop = v,
                    "sl_trail" => c.sim.sl_trail = v != 0.0,
                    "fees" => c.sim.fees = v,
                    "fixed_fees" => c.sim.fixed_fees = v,
                    "slippage" => c.sim.slippage = v,
                    _ => unreachable!("checked above"),
                }
            }
            c.sim
                .validate()
                .map_err(|e| BarrowError::Spec(format!("combination {k}: {e}")))?;
            out.push(c);
        }
        Ok(out)
    }
}

/// One symbol's data.
#[derive(Clone, Debug, Default)]
pub struct SymbolData {
    /// Symbol.
    pub symbol: String,
    /// Opens, if known.
    pub open: Option<Vec<f64>>,
    /// Highs, if known.
    pub high: Option<Vec<f64>>,
    /// Lows, if known.
    pub low: Option<Vec<f64>>,
    /// Closes.
    pub close: Vec<f64>,
    /// Entry signals (`signals` template).
    pub entries: Option<Vec<bool>>,
    /// Exit signals (`signals` template).
    pub exits: Option<Vec<bool>>,
}

impl SymbolData {
    fn bars(&self) -> Bars<'_> {
        Bars {
            open: self.open.as_deref(),
            high: self.high.as_deref(),
            low: self.low.as_deref(),
            close: &self.close,
        }
    }
}

/// Indicator values of one symbol, one entry per distinct parameter.
#[derive(Default)]
struct Cache {
    sma: HashMap<u64, Vec<f64>>,
    rsi: HashMap<u64, Vec<f64>>,
    /// (upper, middle) per (period, nbdev bits).
    bbands: HashMap<(u64, u64), (Vec<f64>, Vec<f64>)>,
}

fn param_map(pairs: &[(&str, f64)]) -> BTreeMap<String, f64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

impl Cache {
    fn build(strategy: Template, combos: &[Combo], close: &[f64]) -> Result<Self> {
        let mut cache = Cache::default();
        match strategy {
            Template::MaCross => {
                for c in combos {
                    for w in [c.a, c.b] {
                        if let std::collections::hash_map::Entry::Vacant(e) = cache.sma.entry(w as u64) {
                            let p = param_map(&[("timeperiod", w)]);
                            e.insert(compute_series("SMA", &p, &[close])?.remove(0));
                        }
                    }
                }
            }
            Template::Rsi => {
                for c in combos {
                    if let std::collections::hash_map::Entry::Vacant(e) = cache.rsi.entry(c.a as u64) {
                        let p = param_map(&[("timeperiod", c.a)]);
                        e.insert(compute_series("RSI", &p, &[close])?.remove(0));
                    }
                }
            }
            Template::Bbands => {
                for c in combos {
                    let key = (c.a as u64, c.b.to_bits());
                    if let std::collections::hash_map::Entry::Vacant(e) = cache.bbands.entry(key) {
                        let p = param_map(&[("timeperiod", c.a), ("nbdevup", c.b), ("nbdevdn", c.b)]);
                        let mut out = compute_series("BBANDS", &p, &[close])?;
                        let middle = out.remove(1);
                        e.insert((out.remove(0), middle));
                    }
                }
            }
            Template::Signals => {}
        }
        Ok(cache)
    }
}

/// vectorbt's `crossed_above` state machine (wait = 0).
#[derive(Clone, Copy, Debug, Default)]
struct Cross {
    was_below: bool,
    crossed_ago: i64,
}

impl Cross {
    fn new() -> Self {
        Self {
            was_below: false,
            crossed_ago: -1,
        }
    }

    /// True when `a` crosses above `b` at this bar. Branch-free: whether
    /// one moving average is above another flips too often for the branch
    /// predictor. (`crossed_ago` is -1 whenever `was_below` is false, so a
    /// bar above without a bar below before it keeps it at -1.)
    #[inline(always)]
    fn above(&mut self, a: f64, b: f64) -> bool {
        let valid = !(a.is_nan() || b.is_nan());
        let gt = a > b;
        let up = gt & self.was_below;
        self.crossed_ago = if up { self.crossed_ago + 1 } else { -1 };
        self.was_below = valid & (self.was_below | (a < b));
        up & (self.crossed_ago == 0)
    }
}

/// One side of a crossing: a series or a constant level.
#[derive(Clone, Copy)]
enum Operand<'a> {
    Series(&'a [f64]),
    Level(f64),
}

impl Operand<'_> {
    fn fill(&self) -> [f64; 64] {
        match self {
            Operand::Series(_) => [0.0; 64],
            Operand::Level(v) => [*v; 64],
        }
    }

    #[inline(always)]
    fn chunk<'b>(&'b self, filled: &'b [f64; 64], base: usize, len: usize) -> &'b [f64] {
        match self {
            Operand::Series(s) => &s[base..base + len],
            Operand::Level(_) => &filled[..len],
        }
    }
}

/// Bars where `a` crosses above `b` ([`Cross`]'s rule) as bit words, 64
/// bars at a time: with `gt`, `lt` the comparisons and `below[i]` = "a bar
/// with a < b since the last NaN", a bar crosses when `gt[i] &
/// below[i-1]` holds and did not hold on the bar before.
fn crossed_above_words(n: usize, a: Operand<'_>, b: Operand<'_>) -> Vec<u64> {
    crossing_words(n, a, b, false).0
}

/// Crossings of `a` above `b` and, with `both`, of `b` above `a`, from one
/// pass of comparisons.
fn crossing_words(n: usize, a: Operand<'_>, b: Operand<'_>, both: bool) -> (Vec<u64>, Vec<u64>) {
    let words = n.div_ceil(64);
    let mut up = vec![0u64; words];
    let mut down = if both { vec![0u64; words] } else { Vec::new() };
    let (mut su, mut sd) = (CrossBits::default(), CrossBits::default());
    let (ca, cb) = (a.fill(), b.fill());
    for w in 0..words {
        let base = w * 64;
        let len = (n - base).min(64);
        let (xs, ys) = (a.chunk(&ca, base, len), b.chunk(&cb, base, len));
        let (mut gt, mut lt, mut valid) = (0u64, 0u64, 0u64);
        for (k, (&x, &y)) in xs.iter().zip(ys).enumerate() {
            gt |= ((x > y) as u64) << k;
            lt |= ((x < y) as u64) << k;
            valid |= ((!x.is_nan() && !y.is_nan()) as u64) << k;
        }
        up[w] = su.step(gt, lt, valid, len);
        if both {
            down[w] = sd.step(lt, gt, valid, len);
        }
    }
    (up, down)
}

/// State of [`crossing_words`] between words: `below[i-1]` and
/// `(gt & below[i-1])[i-1]`.
#[derive(Clone, Copy, Default)]
struct CrossBits {
    below: bool,
    was: bool,
}

impl CrossBits {
    #[inline(always)]
    fn step(&mut self, gt: u64, lt: u64, valid: u64, len: usize) -> u64 {
        let full = if len == 64 { !0u64 } else { (1u64 << len) - 1 };
        // below[i] for each bit: a running "any lt since the last invalid".
        let below_word = if valid == full {
            let from_lt = if lt == 0 { 0 } else { !((lt & lt.wrapping_neg()) - 1) };
            if self.below {
                full
            } else {
                from_lt & full
            }
        } else {
            let mut m = 0u64;
            let mut run = self.below;
            for k in 0..len {
                run = (valid >> k) & 1 == 1 && (run || (lt >> k) & 1 == 1);
                m |= (run as u64) << k;
            }
            m
        };
        let below_prev = (below_word << 1) | self.below as u64;
        let x = gt & below_prev;
        let x_prev = (x << 1) | self.was as u64;
        self.below = (below_word >> (len - 1)) & 1 == 1;
        self.was = (x >> (len - 1)) & 1 == 1;
        x & !x_prev & full
    }
}

/// Entry/exit masks of a whole series, word by word (the fast path of a
/// full-length sweep); `None` for the `signals` template.
fn template_masks(strategy: Template, c: &Combo, data: &SymbolData, cache: &Cache) -> Option<SignalMasks> {
    let n = data.close.len();
    let (en, ex) = match strategy {
        Template::MaCross => {
            let (f, s) = (&cache.sma[&(c.a as u64)], &cache.sma[&(c.b as u64)]);
            crossing_words(n, Operand::Series(f), Operand::Series(s), true)
        }
        Template::Rsi => {
            let x = &cache.rsi[&(c.a as u64)];
            let (lower, upper) = (c.b, c.c);
            let x = Operand::Series(x);
            (
                crossed_above_words(n, Operand::Level(lower), x),
                crossed_above_words(n, x, Operand::Level(upper)),
            )
        }
        Template::Bbands => {
            let (upper, middle) = &cache.bbands[&(c.a as u64, c.b.to_bits())];
            let close = Operand::Series(&data.close);
            (
                crossed_above_words(n, close, Operand::Series(upper)),
                crossed_above_words(n, Operand::Series(middle), close),
            )
        }
        Template::Signals => return None,
    };
    Some(SignalMasks::from_words(en, ex, n))
}

/// Bar-by-bar entry/exit generator of one (symbol, combination); each
/// template is its own type so that the simulation loop is compiled per
/// template with the generator's state in registers.
trait SignalGen {
    /// (entry, exit) at bar `i`; called once per bar, in order.
    fn next(&mut self, i: usize) -> (bool, bool);
}

struct CrossGen<'a> {
    fast: &'a [f64],
    slow: &'a [f64],
    up: Cross,
    down: Cross,
}

impl SignalGen for CrossGen<'_> {
    #[inline(always)]
    fn next(&mut self, i: usize) -> (bool, bool) {
        let (f, s) = (self.fast[i], self.slow[i]);
        (self.up.above(f, s), self.down.above(s, f))
    }
}

struct LevelsGen<'a> {
    x: &'a [f64],
    lower: f64,
    upper: f64,
    entry: Cross,
    exit: Cross,
}

impl SignalGen for LevelsGen<'_> {
    #[inline(always)]
    fn next(&mut self, i: usize) -> (bool, bool) {
        let x = self.x[i];
        (self.entry.above(self.lower, x), self.exit.above(x, self.upper))
    }
}

struct BandsGen<'a> {
    close: &'a [f64],
    upper: &'a [f64],
    middle: &'a [f64],
    entry: Cross,
    exit: Cross,
}

impl SignalGen for BandsGen<'_> {
    #[inline(always)]
    fn next(&mut self, i: usize) -> (bool, bool) {
        let c = self.close[i];
        (self.entry.above(c, self.upper[i]), self.exit.above(self.middle[i], c))
    }
}

struct TableGen<'a> {
    entries: &'a [bool],
    exits: &'a [bool],
}

impl SignalGen for TableGen<'_> {
    #[inline(always)]
    fn next(&mut self, i: usize) -> (bool, bool) {
        (self.entries[i], self.exits[i])
    }
}

fn run_gen<G: SignalGen>(
    mut g: G,
    bars: &Bars<'_>,
    sim: &SimConfig,
    window: Option<(usize, usize)>,
) -> Result<Metrics> {
    let signal = move |i: usize| g.next(i);
    match window {
        None => signal_metrics(bars, sim, signal),
        Some((from, to)) => signal_metrics_range(bars, sim, from, to, signal),
    }
}

/// Metrics of one combination on one symbol, over all bars or a window.
fn evaluate(
    strategy: Template,
    c: &Combo,
    data: &SymbolData,
    cache: &Cache,
    window: Option<(usize, usize)>,
) -> Result<Metrics> {
    let bars = data.bars();
    if window.is_none() {
        if let Some(masks) = template_masks(strategy, c, data, cache) {
            return metrics_of_masks(&bars, &c.sim, &masks);
        }
    }
    match strategy {
        Template::MaCross => run_gen(
            CrossGen {
                fast: &cache.sma[&(c.a as u64)],
                slow: &cache.sma[&(c.b as u64)],
                up: Cross::new(),
                down: Cross::new(),
            },
            &bars,
            &c.sim,
            window,
        ),
        Template::Rsi => run_gen(
            LevelsGen {
                x: &cache.rsi[&(c.a as u64)],
                lower: c.b,
                upper: c.c,
                entry: Cross::new(),
                exit: Cross::new(),
            },
            &bars,
            &c.sim,
            window,
        ),
        Template::Bbands => {
            let (upper, middle) = &cache.bbands[&(c.a as u64, c.b.to_bits())];
            run_gen(
                BandsGen {
                    close: &data.close,
                    upper,
                    middle,
                    entry: Cross::new(),
                    exit: Cross::new(),
                },
                &bars,
                &c.sim,
                window,
            )
        }
        Template::Signals => match (&data.entries, &data.exits) {
            (Some(entries), Some(exits)) => run_gen(TableGen { entries, exits }, &bars, &c.sim, window),
            _ => Err(BarrowError::MissingColumn {
                column: "entries/exits".to_string(),
                reason: "the 'signals' template reads boolean entry and exit columns".to_string(),
            }),
        },
    }
}

fn check_symbol(d: &SymbolData, sim: &SimConfig) -> Result<()> {
    d.bars().validate(sim).map_err(|e| match e {
        BarrowError::InvalidValue {
            column,
            kind,
            row,
            context: _,
        } => BarrowError::InvalidValue {
            column,
            kind,
            row,
            context: format!(" (symbol '{}', row within the symbol)", d.symbol),
        },
        other => other,
    })
}

/// Runs every combination of `spec` on every symbol; returns, per symbol
/// and in grid order, one [`Metrics`] per combination.
pub fn sweep(data: &[SymbolData], spec: &SweepSpec) -> Result<Vec<Vec<Metrics>>> {
    let combos = spec.resolve()?;
    for d in data {
        check_symbol(d, &spec.sim)?;
    }
    let caches = data
        .par_iter()
        .map(|d| Cache::build(spec.strategy, &combos, &d.close))
        .collect::<Result<Vec<_>>>()?;
    let k = combos.len();
    let flat = (0..data.len() * k)
        .into_par_iter()
        .with_min_len(8)
        .map(|t| {
            let (s, c) = (t / k, t % k);
            let d = &data[s];
            evaluate(spec.strategy, &combos[c], d, &caches[s], None)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut flat = flat.into_iter();
    Ok(data.iter().map(|_| flat.by_ref().take(k).collect()).collect())
}

/// One walk-forward window's outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct WalkForwardWindow {
    /// Window number, from 0.
    pub window: usize,
    /// First in-sample bar.
    pub train_start: usize,
    /// One past the last in-sample bar (= first out-of-sample bar).
    pub train_end: usize,
    /// One past the last out-of-sample bar.
    pub test_end: usize,
    /// Index of the chosen combination in the grid (None when every
    /// combination's metric was NaN).
    pub chosen: Option<usize>,
    /// The chosen combination's in-sample metric.
    pub train_metric: f64,
    /// Out-of-sample metrics of the chosen combination.
    pub test: Option<Metrics>,
}

/// Walk-forward optimization of one symbol (see the module docs).
pub fn walk_forward(data: &SymbolData, spec: &WalkForwardSpec) -> Result<Vec<WalkForwardWindow>> {
    let combos = spec.sweep.resolve()?;
    check_symbol(data, &spec.sweep.sim)?;
    if spec.train < 2 || spec.test < 1 {
        return Err(BarrowError::bad_param(
            "train/test",
            format!("{}/{}", spec.train, spec.test),
            "need train >= 2 and test >= 1 bars",
        ));
    }
    let step = spec.step.unwrap_or(spec.test);
    if step == 0 {
        return Err(BarrowError::bad_param("step", 0, "must be >= 1 bar"));
    }
    if Metrics::default().get(&spec.metric).is_none() {
        return Err(BarrowError::bad_param(
            "metric",
            &spec.metric,
            format!(
                "unknown metric; choose one of {:?}, trades, orders",
                Metrics::FLOAT_NAMES
            ),
        ));
    }
    let n = data.close.len();
    let cache = Cache::build(spec.sweep.strategy, &combos, &data.close)?;
    let run = |c: &Combo, from: usize, to: usize| evaluate(spec.sweep.strategy, c, data, &cache, Some((from, to)));
    let mut out = Vec::new();
    let mut start = 0;
    while start + spec.train + spec.test <= n {
        let (train_end, test_end) = (start + spec.train, start + spec.train + spec.test);
        let scores = combos
            .par_iter()
            .map(|c| Ok(run(c, start, train_end)?.get(&spec.metric).expect("checked")))
            .collect::<Result<Vec<f64>>>()?;
        let mut best: Option<(usize, f64)> = None;
        for (k, &v) in scores.iter().enumerate() {
            if v.is_nan() {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, b)) => {
                    if spec.maximize {
                        v > b
                    } else {
                        v < b
                    }
                }
            };
            if better {
                best = Some((k, v));
            }
        }
        let test = match best {
            Some((k, _)) => Some(run(&combos[k], train_end, test_end)?),
            None => None,
        };
        out.push(WalkForwardWindow {
            window: out.len(),
            train_start: start,
            train_end,
            test_end,
            chosen: best.map(|b| b.0),
            train_metric: best.map_or(f64::NAN, |b| b.1),
            test,
        });
        start += step;
    }
    if out.is_empty() {
        return Err(BarrowError::bad_param(
            "train/test",
            format!("{}/{}", spec.train, spec.test),
            format!("symbol '{}' has only {n} bars, fewer than one window", data.symbol),
        ));
    }
    Ok(out)
}

/// Splits record batches into per-symbol data (rows of a symbol must be
/// contiguous; open/high/low are read when the table has them, entries and
/// exits for the `signals` template).
pub fn symbols_from_batches(batches: &[RecordBatch], spec: &SweepSpec) -> Result<Vec<SymbolData>> {
    let cols = &spec.columns;
    let mut out: Vec<SymbolData> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for batch in batches.iter().filter(|b| b.num_rows() > 0) {
        let sym_col = column(batch, &cols.symbol, "the sweep groups rows by symbol")?;
        let symbols = Symbols::new(&cols.symbol, sym_col)?;
        let ctx = |row: usize| format!(" (symbol '{}')", symbols.get(row));
        let close = f64_values(
            &cols.close,
            column(batch, &cols.close, "the sweep trades at close prices")?,
            true,
            &ctx,
        )?;
        let optional = |name: &str| -> Result<Option<std::borrow::Cow<'_, [f64]>>> {
            match batch.schema().index_of(name) {
                Ok(i) => Ok(Some(f64_values(name, batch.column(i), true, &ctx)?)),
                Err(_) => Ok(None),
            }
        };
        let (open, high, low) = (optional(&cols.open)?, optional(&cols.high)?, optional(&cols.low)?);
        let flags = |name: &str| -> Result<Option<BooleanArray>> {
            if spec.strategy != Template::Signals {
                return Ok(None);
            }
            let a = column(batch, name, "the 'signals' template reads boolean entries and exits")?;
            match a.data_type() {
                DataType::Boolean => {
                    let b = a.as_any().downcast_ref::<BooleanArray>().expect("boolean");
                    if let Some(row) = (0..b.len()).find(|&i| b.is_null(i)) {
                        return Err(BarrowError::InvalidValue {
                            column: name.to_string(),
                            kind: "null".to_string(),
                            row,
                            context: ctx(row),
                        });
                    }
                    Ok(Some(b.clone()))
                }
                other => Err(BarrowError::WrongType {
                    column: name.to_string(),
                    expected: "a boolean column".to_string(),
                    found: other.to_string(),
                }),
            }
        };
        let (entries, exits) = (flags(&cols.entries)?, flags(&cols.exits)?);
        let times = match batch.schema().index_of(&cols.timestamp) {
            Ok(i) => Some(time_values(&cols.timestamp, batch.column(i))?),
            Err(_) => None,
        };
        if let Some(t) = &times {
            for row in 1..batch.num_rows() {
                if symbols.get(row) == symbols.get(row - 1) && t[row] <= t[row - 1] {
                    return Err(BarrowError::Unsorted {
                        column: cols.timestamp.clone(),
                        symbol: symbols.get(row).to_string(),
                        row,
                        reason: if t[row] == t[row - 1] {
                            "duplicate timestamp".to_string()
                        } else {
                            "timestamp goes backwards".to_string()
                        },
                    });
                }
            }
        }
        let mut row = 0;
        while row < batch.num_rows() {
            let s = symbols.get(row);
            let mut end = row + 1;
            while end < batch.num_rows() && symbols.get(end) == s {
                end += 1;
            }
            let idx = match out.last() {
                Some(last) if last.symbol == s => out.len() - 1,
                _ => {
                    if seen.contains_key(s) {
                        return Err(BarrowError::Unsorted {
                            column: cols.symbol.clone(),
                            symbol: s.to_string(),
                            row,
                            reason: "rows of the symbol are not contiguous".to_string(),
                        });
                    }
                    seen.insert(s.to_string(), out.len());
                    out.push(SymbolData {
                        symbol: s.to_string(),
                        open: open.as_ref().map(|_| Vec::new()),
                        high: high.as_ref().map(|_| Vec::new()),
                        low: low.as_ref().map(|_| Vec::new()),
                        entries: entries.as_ref().map(|_| Vec::new()),
                        exits: exits.as_ref().map(|_| Vec::new()),
                        ..SymbolData::default()
                    });
                    out.len() - 1
                }
            };
            let d = &mut out[idx];
            d.close.extend_from_slice(&close[row..end]);
            for (dst, src) in [(&mut d.open, &open), (&mut d.high, &high), (&mut d.low, &low)] {
                match (dst.as_mut(), src) {
                    (Some(v), Some(s)) => v.extend_from_slice(&s[row..end]),
                    (None, None) => {}
                    _ => {
                        return Err(BarrowError::Spec(
                            "open/high/low columns must be present in every batch or in none".to_string(),
                        ))
                    }
                }
            }
            for (dst, src) in [(&mut d.entries, &entries), (&mut d.exits, &exits)] {
                if let (Some(v), Some(b)) = (dst.as_mut(), src) {
                    v.extend((row..end).map(|i| b.value(i)));
                }
            }
            row = end;
        }
    }
    if out.is_empty() {
        return Err(BarrowError::EmptyInput("the table has no rows".to_string()));
    }
    Ok(out)
}

fn param_field(name: &str) -> Field {
    let ty = if INT_PARAMS.contains(&name) {
        DataType::Int64
    } else {
        DataType::Float64
    };
    Field::new(name, ty, false)
}

fn param_array(name: &str, values: Vec<f64>) -> ArrayRef {
    if INT_PARAMS.contains(&name) {
        Arc::new(Int64Array::from_iter_values(values.into_iter().map(|v| v as i64)))
    } else {
        Arc::new(Float64Array::from(values))
    }
}

fn metric_fields() -> Vec<Field> {
    let mut f: Vec<Field> = Metrics::FLOAT_NAMES
        .iter()
        .map(|n| Field::new(*n, DataType::Float64, false))
        .collect();
    f.push(Field::new("trades", DataType::Int64, false));
    f.push(Field::new("orders", DataType::Int64, false));
    f
}

fn metric_arrays<'a>(rows: impl Iterator<Item = Option<&'a Metrics>> + Clone) -> Vec<ArrayRef> {
    let mut out: Vec<ArrayRef> = (0..Metrics::FLOAT_NAMES.len())
        .map(|k| {
            Arc::new(Float64Array::from_iter(
                rows.clone().map(|m| m.map(|m| m.float_values()[k])),
            )) as ArrayRef
        })
        .collect();
    out.push(Arc::new(Int64Array::from_iter(
        rows.clone().map(|m| m.map(|m| m.trades as i64)),
    )));
    out.push(Arc::new(Int64Array::from_iter(
        rows.map(|m| m.map(|m| m.orders as i64)),
    )));
    out
}

/// Output schema of [`sweep_batch`]: symbol, the grid's parameters, then
/// the metrics.
pub fn sweep_schema(spec: &SweepSpec) -> Schema {
    let mut fields = vec![Field::new(spec.columns.symbol.as_str(), DataType::Utf8, false)];
    fields.extend(spec.params.iter().map(|p| param_field(p)));
    fields.extend(metric_fields());
    Schema::new(fields)
}

/// Sweeps a table: one output row per (symbol, combination).
pub fn sweep_batch(batches: &[RecordBatch], spec: &SweepSpec) -> Result<RecordBatch> {
    let data = symbols_from_batches(batches, spec)?;
    let results = sweep(&data, spec)?;
    let k = spec.combos.len();
    let symbols: Vec<&str> = data
        .iter()
        .flat_map(|d| std::iter::repeat_n(d.symbol.as_str(), k))
        .collect();
    let mut columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(symbols))];
    for (p, name) in spec.params.iter().enumerate() {
        let values = (0..data.len())
            .flat_map(|_| spec.combos.iter().map(move |c| c[p]))
            .collect();
        columns.push(param_array(name, values));
    }
    columns.extend(metric_arrays(results.iter().flatten().map(Some)));
    let schema = Arc::new(sweep_schema(spec));
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// Output schema of [`walk_forward_batch`].
pub fn walk_forward_schema(spec: &WalkForwardSpec) -> Schema {
    let mut fields = vec![
        Field::new(spec.sweep.columns.symbol.as_str(), DataType::Utf8, false),
        Field::new("window", DataType::Int64, false),
        Field::new("train_start", DataType::Int64, false),
        Field::new("train_end", DataType::Int64, false),
        Field::new("test_end", DataType::Int64, false),
    ];
    fields.extend(spec.sweep.params.iter().map(|p| param_field(p).with_nullable(true)));
    fields.push(Field::new(format!("train_{}", spec.metric), DataType::Float64, false));
    fields.extend(metric_fields().into_iter().map(|f| f.with_nullable(true)));
    Schema::new(fields)
}

/// Walk-forward over every symbol of a table (symbols in parallel): one
/// row per (symbol, window) with the chosen parameters, their in-sample
/// metric and their out-of-sample metrics.
pub fn walk_forward_batch(batches: &[RecordBatch], spec: &WalkForwardSpec) -> Result<RecordBatch> {
    let data = symbols_from_batches(batches, &spec.sweep)?;
    let results = data
        .par_iter()
        .map(|d| walk_forward(d, spec))
        .collect::<Result<Vec<_>>>()?;
    let rows: Vec<(&str, &WalkForwardWindow)> = data
        .iter()
        .zip(&results)
        .flat_map(|(d, ws)| ws.iter().map(move |w| (d.symbol.as_str(), w)))
        .collect();
    let int = |f: &dyn Fn(&WalkForwardWindow) -> usize| -> ArrayRef {
        Arc::new(Int64Array::from_iter_values(rows.iter().map(|(_, w)| f(w) as i64)))
    };
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(rows.iter().map(|(s, _)| *s))),
        int(&|w| w.window),
        int(&|w| w.train_start),
        int(&|w| w.train_end),
        int(&|w| w.test_end),
    ];
    for (p, name) in spec.sweep.params.iter().enumerate() {
        let values = rows.iter().map(|(_, w)| w.chosen.map(|k| spec.sweep.combos[k][p]));
        let a: ArrayRef = if INT_PARAMS.contains(&name.as_str()) {
            Arc::new(Int64Array::from_iter(values.map(|v| v.map(|v| v as i64))))
        } else {
            Arc::new(Float64Array::from_iter(values))
        };
        columns.push(a);
    }
    columns.push(Arc::new(Float64Array::from_iter_values(
        rows.iter().map(|(_, w)| w.train_metric),
    )));
    columns.extend(metric_arrays(rows.iter().map(|(_, w)| w.test.as_ref())));
    Ok(RecordBatch::try_new(Arc::new(walk_forward_schema(spec)), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backtest::simulate::{from_signals, Direction};

    fn walk(n: usize, seed: u64) -> Vec<f64> {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut p = 100.0;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let u = (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
                p *= 1.0 + 0.03 * u;
                p
            })
            .collect()
    }

    fn ma_spec(windows: &[f64], sim: SimConfig) -> SweepSpec {
        let mut combos = Vec::new();
        for &f in windows {
            for &s in windows {
                if f < s {
                    combos.push(vec![f, s]);
                }
            }
        }
        SweepSpec {
            strategy: Template::MaCross,
            params: vec!["fast".into(), "slow".into()],
            combos,
            sim,
            columns: SweepColumns::default(),
        }
    }

    fn symbol(name: &str, close: Vec<f64>) -> SymbolData {
        SymbolData {
            symbol: name.into(),
            close,
            ..SymbolData::default()
        }
    }

    fn crossed_above(a: &[f64], b: &[f64]) -> Vec<bool> {
        let mut c = Cross::new();
        a.iter().zip(b).map(|(x, y)| c.above(*x, *y)).collect()
    }

    #[test]
    fn ma_cross_sweep_equals_simulating_each_pair_from_materialized_signals() {
        let data = vec![symbol("A", walk(700, 1)), symbol("B", walk(700, 2))];
        let sim = SimConfig {
            fees: 0.001,
            direction: Direction::Both,
            ..SimConfig::default()
        };
        let spec = ma_spec(&[3.0, 5.0, 8.0, 13.0], sim);
        let got = sweep(&data, &spec).unwrap();
        for (d, rows) in data.iter().zip(&got) {
            for (combo, m) in spec.combos.iter().zip(rows) {
                let sma = |w: f64| {
                    compute_series("SMA", &param_map(&[("timeperiod", w)]), &[&d.close])
                        .unwrap()
                        .remove(0)
                };
                let (f, s) = (sma(combo[0]), sma(combo[1]));
                let en = crossed_above(&f, &s);
                let ex = crossed_above(&s, &f);
                let want = from_signals(&d.bars(), &en, &ex, &sim).unwrap().metrics;
                assert_eq!(*m, want, "{} {:?}", d.symbol, combo);
                assert!(want.trades > 0);
            }
        }
    }

    #[test]
    fn crossed_above_follows_vectorbt() {
        let nan = f64::NAN;
        let a = [1.0, 2.0, 3.0, 3.0, 4.0, 1.0, 5.0, nan, 5.0, 0.0, 6.0];
        let b = [2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0];
        let want = [false, false, true, false, true, false, true, false, false, false, true];
        assert_eq!(crossed_above(&a, &b), want);
    }

    #[test]
    fn crossing_words_equal_the_state_machine() {
        let mut x = 12345u64;
        let mut rnd = move || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) % 7
        };
        for n in [1, 5, 63, 64, 65, 200, 1000] {
            // Few distinct values: many ties; some NaNs, also in long runs.
            let a: Vec<f64> = (0..n)
                .map(|i| {
                    if (i / 70) % 3 == 1 && i % 5 == 0 {
                        f64::NAN
                    } else {
                        rnd() as f64
                    }
                })
                .collect();
            let b: Vec<f64> = (0..n).map(|i| if i < 3 { f64::NAN } else { rnd() as f64 }).collect();
            let (up, down) = crossing_words(n, Operand::Series(&a), Operand::Series(&b), true);
            let bits = |w: &[u64]| (0..n).map(|i| (w[i / 64] >> (i % 64)) & 1 == 1).collect::<Vec<bool>>();
            assert_eq!(bits(&up), crossed_above(&a, &b), "n = {n}");
            assert_eq!(bits(&down), crossed_above(&b, &a), "n = {n}");
            assert_eq!(crossed_above_words(n, Operand::Series(&a), Operand::Series(&b)), up);
        }
    }

    #[test]
    fn grid_may_vary_stops_and_fees() {
        let data = vec![symbol("A", walk(400, 3))];
        let spec = SweepSpec {
            strategy: Template::MaCross,
            params: vec!["fast".into(), "slow".into(), "sl_stop".into(), "fees".into()],
            combos: vec![vec![5.0, 20.0, 0.02, 0.0], vec![5.0, 20.0, 0.5, 0.01]],
            sim: SimConfig::default(),
            columns: SweepColumns::default(),
        };
        let got = sweep(&data, &spec).unwrap();
        assert_ne!(got[0][0], got[0][1]);
        let batch = sweep_batch(
            &[RecordBatch::try_new(
                Arc::new(Schema::new(vec![
                    Field::new("symbol", DataType::Utf8, false),
                    Field::new("close", DataType::Float64, false),
                ])),
                vec![
                    Arc::new(StringArray::from(vec!["A"; 400])),
                    Arc::new(Float64Array::from(data[0].close.clone())),
                ],
            )
            .unwrap()],
            &spec,
        )
        .unwrap();
        assert_eq!(batch.num_rows(), 2);
        assert_eq!(batch.schema().field(1).data_type(), &DataType::Int64);
        assert_eq!(batch.schema().field(3).name(), "sl_stop");
    }

    #[test]
    fn walk_forward_chooses_the_in_sample_best_and_trades_it_out_of_sample() {
        let d = symbol("A", walk(1000, 4));
        let spec = WalkForwardSpec {
            sweep: ma_spec(&[3.0, 6.0, 10.0, 20.0], SimConfig::default()),
            train: 400,
            test: 200,
            step: None,
            metric: "total_return".into(),
            maximize: true,
        };
        let windows = walk_forward(&d, &spec).unwrap();
        assert_eq!(windows.len(), 3);
        for w in &windows {
            let combos = spec.sweep.resolve().unwrap();
            let score = |c: &Combo, from: usize, to: usize| {
                // The window alone, signals computed over all bars first.
                let cache = Cache::build(Template::MaCross, &combos, &d.close).unwrap();
                let (f, s) = (&cache.sma[&(c.a as u64)], &cache.sma[&(c.b as u64)]);
                let (en, ex) = (crossed_above(f, s), crossed_above(s, f));
                let bars = Bars::close_only(&d.close[from..to]);
                let (en, ex) = (&en[from..to], &ex[from..to]);
                from_signals(&bars, en, ex, &c.sim).unwrap().metrics
            };
            let train: Vec<f64> = combos
                .iter()
                .map(|c| score(c, w.train_start, w.train_end).total_return)
                .collect();
            let best = train.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let k = w.chosen.unwrap();
            assert_eq!(train[k], best);
            assert_eq!(w.train_metric, best);
            assert_eq!(w.test.unwrap(), score(&combos[k], w.train_end, w.test_end));
        }
        assert_eq!((windows[1].train_start, windows[1].train_end), (200, 600));
    }

    #[test]
    fn bad_grids_are_rejected_with_the_parameter_named() {
        let data = vec![symbol("A", walk(50, 5))];
        let mut spec = ma_spec(&[3.0, 5.0], SimConfig::default());
        spec.params[1] = "slowest".into();
        assert!(sweep(&data, &spec).unwrap_err().to_string().contains("slowest"));
        let mut spec = ma_spec(&[3.0, 5.0], SimConfig::default());
        spec.combos[0][0] = 1.5;
        assert!(sweep(&data, &spec).unwrap_err().to_string().contains("fast"));
        let spec = SweepSpec {
            params: vec!["period".into()],
            combos: vec![vec![14.0]],
            strategy: Template::Rsi,
            sim: SimConfig::default(),
            columns: SweepColumns::default(),
        };
        assert!(sweep(&data, &spec).unwrap_err().to_string().contains("lower"));
    }

    #[test]
    fn rsi_and_bbands_templates_trade() {
        let data = vec![symbol("A", walk(1500, 6))];
        let rsi = SweepSpec {
            strategy: Template::Rsi,
            params: vec!["period".into(), "lower".into(), "upper".into()],
            combos: vec![vec![14.0, 30.0, 70.0], vec![7.0, 25.0, 60.0]],
            sim: SimConfig::default(),
            columns: SweepColumns::default(),
        };
        let bb = SweepSpec {
            strategy: Template::Bbands,
            params: vec!["period".into(), "nbdev".into()],
            combos: vec![vec![20.0, 2.0], vec![10.0, 1.0]],
            sim: SimConfig::default(),
            columns: SweepColumns::default(),
        };
        for spec in [rsi, bb] {
            let got = sweep(&data, &spec).unwrap();
            assert!(got[0].iter().all(|m| m.trades > 0), "{:?}: {:?}", spec.strategy, got[0]);
        }
    }
}
