//! The per-symbol model stage.
//!
//! Batches sorted by (symbol, timestamp) arrive in order (a Spark partition,
//! an Arrow stream). The stage gathers the rows of one symbol at a time, so
//! memory is bounded by the largest symbol, not the stream. When a symbol's
//! run ends it:
//!
//! 1. labels each bar `1` if the next bar closes higher, else `0` (the last
//!    bar has no label);
//! 2. splits the history at a fraction of its bars or at a timestamp, or
//!    walks forward: every `step` bars, a model fit on the trailing `train`
//!    bars predicts the next `step` bars;
//! 3. fits a CART tree (or a random forest) on the training bars whose
//!    features are all finite;
//! 4. predicts `P(up)` for every test bar with finite features and holds a
//!    long position when it exceeds the threshold (flat otherwise);
//! 5. backtests those positions over the test bars.
//!
//! A prediction for a bar uses the bar's own features and a model fit on
//! earlier bars only, whose last label reads the close of the first bar the
//! model predicts: nothing after the bar being predicted is ever read.
//!
//! Output rows share one schema: `record = "prediction"` rows (one per test
//! bar) and one `record = "metrics"` row per symbol; columns that do not
//! apply to a record are null.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{make_array, ArrayRef, RecordBatch};
use arrow_buffer::Buffer;
use arrow_data::ArrayData;
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::{Deserialize, Serialize};

use crate::backtest::{backtest_positions, BacktestConfig, Metrics};
use crate::columns::{column, f64_nulls_as_nan, f64_values, time_values, Symbols};
use crate::error::{BarrowError, Result};
use crate::runs::RunTracker;
use crate::tree::{Criterion, Forest, ForestParams, MaxFeatures, Target, Tree, TreeParams};

/// Where each symbol's history splits into training and test bars.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SplitRule {
    /// The first `fraction` of the symbol's bars train (0 < fraction < 1).
    Fraction(f64),
    /// Bars with a timestamp before this value (in the column's unit) train.
    Time(i64),
    /// Walk-forward: from bar `train` on, every `step` bars, refit on the
    /// `train` bars before and predict the next `step` bars.
    WalkForward {
        /// Trailing training window, in bars (>= 2).
        train: usize,
        /// Bars predicted by each fit (>= 1).
        step: usize,
    },
}

impl Default for SplitRule {
    fn default() -> Self {
        SplitRule::Fraction(0.7)
    }
}

/// The model: a tree, or a random forest when `n_estimators` is given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TreeConfig {
    /// `gini` or `entropy`.
    pub criterion: String,
    /// Maximum depth (`None`: grow until pure).
    pub max_depth: Option<usize>,
    /// Minimum samples to split a node.
    pub min_samples_split: usize,
    /// Minimum samples per leaf.
    pub min_samples_leaf: usize,
    /// Trees of a random forest (bootstrap, sqrt(d) features per node);
    /// `None` fits one tree on all features.
    pub n_estimators: Option<usize>,
    /// Seed of the forest's draws.
    pub random_state: u64,
}

impl Default for TreeConfig {
    fn default() -> Self {
        Self {
            criterion: "gini".into(),
            max_depth: Some(5),
            min_samples_split: 2,
            min_samples_leaf: 20,
            n_estimators: None,
            random_state: 0,
        }
    }
}

fn default_symbol() -> String {
    "symbol".into()
}
fn default_timestamp() -> String {
    "timestamp".into()
}
fn default_close() -> String {
    "close".into()
}
fn default_ppy() -> f64 {
    252.0
}
fn default_threshold() -> f64 {
    0.5
}
fn default_min_train() -> usize {
    50
}

/// Configuration of the model stage (JSON-representable).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Symbol column.
    #[serde(default = "default_symbol")]
    pub symbol: String,
    /// Timestamp column.
    #[serde(default = "default_timestamp")]
    pub timestamp: String,
    /// Close price column (labels and backtest).
    #[serde(default = "default_close")]
    pub close: String,
    /// Feature columns (NaN or null marks a bar without features).
    pub features: Vec<String>,
    /// Train/test split of each symbol.
    #[serde(default)]
    pub split: SplitRule,
    /// Tree growth limits.
    #[serde(default)]
    pub tree: TreeConfig,
    /// Proportional fee per position change.
    #[serde(default)]
    pub fee: f64,
    /// Bars per year, for annualized metrics.
    #[serde(default = "default_ppy")]
    pub periods_per_year: f64,
    /// Go long when `P(up)` exceeds this.
    #[serde(default = "default_threshold")]
    pub threshold: f64,
    /// Below this many usable training bars, no model is fit (predictions
    /// stay empty and the position flat).
    #[serde(default = "default_min_train")]
    pub min_train_rows: usize,
}

impl ModelConfig {
    /// Parses and validates a JSON config.
    pub fn from_json(json: &str) -> Result<Self> {
        let cfg: Self = serde_json::from_str(json).map_err(|e| BarrowError::Spec(e.to_string()))?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// The config as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("config serializes")
    }

    fn validate(&self) -> Result<()> {
        if self.features.is_empty() {
            return Err(BarrowError::Spec("the model config lists no features".into()));
        }
        match self.split {
            SplitRule::Fraction(f) if !(f > 0.0 && f < 1.0) => {
                return Err(BarrowError::bad_param("split.fraction", f, "must be in (0, 1)"));
            }
            SplitRule::WalkForward { train, .. } if train < 2 => {
                return Err(BarrowError::bad_param(
                    "split.walk_forward.train",
                    train,
                    "must be >= 2",
                ));
            }
            SplitRule::WalkForward { step: 0, .. } => {
                return Err(BarrowError::bad_param("split.walk_forward.step", 0, "must be >= 1"));
            }
            _ => {}
        }
        if self.tree.n_estimators == Some(0) {
            return Err(BarrowError::bad_param("tree.n_estimators", 0, "must be >= 1 or null"));
        }
        if !(self.threshold.is_finite() && (0.0..1.0).contains(&self.threshold)) {
            return Err(BarrowError::bad_param("threshold", self.threshold, "must be in [0, 1)"));
        }
        if !(self.fee.is_finite() && (0.0..1.0).contains(&self.fee)) {
            return Err(BarrowError::bad_param("fee", self.fee, "must be in [0, 1)"));
        }
        if !(self.periods_per_year.is_finite() && self.periods_per_year > 0.0) {
            return Err(BarrowError::bad_param(
                "periods_per_year",
                self.periods_per_year,
                "must be > 0",
            ));
        }
        self.tree_params()?.validate()
    }

    fn tree_params(&self) -> Result<TreeParams> {
        let criterion = Criterion::parse(&self.tree.criterion)?;
        if !criterion.is_classification() {
            return Err(BarrowError::bad_param(
                "tree.criterion",
                &self.tree.criterion,
                "the model stage classifies: use 'gini' or 'entropy'",
            ));
        }
        Ok(TreeParams {
            criterion,
            max_depth: self.tree.max_depth,
            min_samples_split: self.tree.min_samples_split,
            min_samples_leaf: self.tree.min_samples_leaf,
            max_features: if self.tree.n_estimators.is_some() {
                MaxFeatures::Sqrt
            } else {
                MaxFeatures::All
            },
            random_state: self.tree.random_state,
            ..Default::default()
        })
    }

    /// Fits the configured model on labelled rows; returns `P(up)` for `x`.
    fn fit_predict(&self, x_train: &[f64], y_train: &[u32], x: &[f64]) -> Result<Vec<f64>> {
        let d = self.features.len();
        let target = Target::Classes {
            y: y_train,
            n_classes: 2,
        };
        let params = self.tree_params()?;
        let proba = match self.tree.n_estimators {
            None => Tree::fit(x_train, d, target, None, &params)?.predict_values(x, d)?,
            Some(n_estimators) => {
                let forest = ForestParams {
                    tree: params,
                    n_estimators,
                    ..Default::default()
                };
                Forest::fit(x_train, d, target, None, &forest)?.predict_values(x, d)?
            }
        };
        Ok(proba.chunks(2).map(|p| p[1]).collect())
    }
}

/// Kind of an output column, for building the schema in other type systems.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// UTF-8 string.
    String,
    /// The input's timestamp type.
    Time,
    /// 64-bit float.
    Double,
    /// 64-bit integer.
    Long,
    /// 32-bit integer.
    Int,
}

const METRIC_NAMES: [&str; 7] = [
    "total_return",
    "cagr",
    "annual_volatility",
    "sharpe",
    "max_drawdown",
    "trades",
    "exposure",
];

/// The output columns, in order, with their kinds.
pub fn output_columns() -> Vec<(String, ColumnKind)> {
    use ColumnKind::{Double, Int, Long, Time};
    let mut cols: Vec<(String, ColumnKind)> = vec![
        ("record".into(), ColumnKind::String),
        ("symbol".into(), ColumnKind::String),
        ("timestamp".into(), Time),
        ("close".into(), Double),
        ("label".into(), Int),
        ("proba_up".into(), Double),
        ("position".into(), Double),
        ("strategy_return".into(), Double),
        ("equity".into(), Double),
        ("n_train".into(), Long),
        ("n_test".into(), Long),
        ("test_start".into(), Time),
        ("test_end".into(), Time),
        ("accuracy".into(), Double),
    ];
    for prefix in ["strategy", "buy_and_hold"] {
        for m in METRIC_NAMES {
            let kind = if m == "trades" { Long } else { Double };
            cols.push((format!("{prefix}_{m}"), kind));
        }
    }
    cols
}

/// Rows of the symbol being gathered.
#[derive(Default)]
struct Gathered {
    symbol: String,
    times: Vec<i64>,
    close: Vec<f64>,
    features: Vec<f64>,
}

/// Streaming per-symbol train / predict / backtest.
pub struct ModelStage {
    config: ModelConfig,
    runs: RunTracker,
    current: Option<Gathered>,
    time_type: Option<DataType>,
    schema: Option<SchemaRef>,
}

impl ModelStage {
    /// A stage for a validated config.
    pub fn new(config: ModelConfig) -> Result<Self> {
        config.validate()?;
        let runs = RunTracker::new(&config.symbol, &config.timestamp);
        Ok(Self {
            config,
            runs,
            current: None,
            time_type: None,
            schema: None,
        })
    }

    /// The config.
    pub fn config(&self) -> &ModelConfig {
        &self.config
    }

    /// Output schema for a timestamp column of type `time_type`.
    pub fn output_schema(time_type: &DataType) -> SchemaRef {
        let fields: Vec<Field> = output_columns()
            .into_iter()
            .map(|(name, kind)| {
                let dt = match kind {
                    ColumnKind::String => DataType::Utf8,
                    ColumnKind::Time => time_type.clone(),
                    ColumnKind::Double => DataType::Float64,
                    ColumnKind::Long => DataType::Int64,
                    ColumnKind::Int => DataType::Int32,
                };
                Field::new(name, dt, true)
            })
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// Consumes the next batch; returns the outputs of the symbols whose
    /// runs ended in it. On error nothing changes.
    pub fn push(&mut self, batch: &RecordBatch) -> Result<Vec<RecordBatch>> {
        let cfg = &self.config;
        let sym_col = column(batch, &cfg.symbol, "it holds the symbol of each row")?;
        let symbols = Symbols::new(&cfg.symbol, sym_col)?;
        let time_col = column(batch, &cfg.timestamp, "it holds the timestamp of each row")?;
        let time_type = time_col.data_type().clone();
        if !matches!(
            time_type,
            DataType::Timestamp(..) | DataType::Date32 | DataType::Date64 | DataType::Int64 | DataType::Int32
        ) {
            time_values(&cfg.timestamp, time_col)?;
        }
        if let Some(t) = &self.time_type {
            if t != &time_type {
                return Err(BarrowError::WrongType {
                    column: cfg.timestamp.clone(),
                    expected: t.to_string(),
                    found: time_type.to_string(),
                });
            }
        }
        let times = time_values(&cfg.timestamp, time_col)?;
        let context = |row: usize| format!(" (symbol '{}')", symbols.get(row));
        let close = f64_values(
            &cfg.close,
            column(batch, &cfg.close, "labels and the backtest read it")?,
            true,
            &context,
        )?;
        if let Some(row) = close.iter().position(|c| *c <= 0.0) {
            return Err(BarrowError::InvalidValue {
                column: cfg.close.clone(),
                kind: format!("non-positive ({})", close[row]),
                row,
                context: context(row),
            });
        }
        let features = cfg
            .features
            .iter()
            .map(|f| {
                f64_nulls_as_nan(
                    f,
                    std::slice::from_ref(column(batch, f, "the model reads it as a feature")?),
                )
            })
            .collect::<Result<Vec<Vec<f64>>>>()?;
        let segments = self.runs.plan(&symbols, &times)?;

        // Validated: gather, and finish every run that ended.
        self.time_type = Some(time_type);
        let mut out = Vec::new();
        let last = segments.len().saturating_sub(1);
        for (k, seg) in segments.iter().enumerate() {
            if !seg.continues {
                if let Some(done) = self.current.take() {
                    out.push(self.finish_symbol(done)?);
                }
                self.current = Some(Gathered {
                    symbol: symbols.get(seg.start).to_string(),
                    ..Default::default()
                });
            }
            let g = self.current.as_mut().expect("a run is being gathered");
            let range = seg.start..seg.start + seg.len;
            g.times.extend_from_slice(&times[range.clone()]);
            g.close.extend_from_slice(&close[range.clone()]);
            for row in range {
                g.features.extend(features.iter().map(|f| f[row]));
            }
            if k != last {
                let done = self.current.take().expect("a run is being gathered");
                out.push(self.finish_symbol(done)?);
            }
        }
        self.runs.commit(&symbols, &times, &segments);
        Ok(out)
    }

    /// Ends the stream: returns the output of the last symbol, if any.
    pub fn finish(&mut self) -> Result<Vec<RecordBatch>> {
        match self.current.take() {
            Some(done) => Ok(vec![self.finish_symbol(done)?]),
            None => Ok(Vec::new()),
        }
    }

    fn finish_symbol(&mut self, g: Gathered) -> Result<RecordBatch> {
        let cfg = &self.config;
        let d = cfg.features.len();
        let n = g.times.len();
        // (first bar trained, first bar predicted, end of the predicted bars)
        let windows: Vec<(usize, usize, usize)> = match cfg.split {
            SplitRule::Fraction(f) => vec![(0, (((n as f64) * f).floor() as usize).min(n), n)],
            SplitRule::Time(t) => vec![(0, g.times.partition_point(|&x| x < t), n)],
            SplitRule::WalkForward { train, step } => (train.min(n)..n)
                .step_by(step)
                .map(|t0| (t0 - train, t0, (t0 + step).min(n)))
                .collect(),
        };
        let split = windows.first().map_or(n, |w| w.1);
        let finite_row = |i: usize| g.features[i * d..(i + 1) * d].iter().all(|v| v.is_finite());
        let label = |i: usize| (i + 1 < n).then(|| (g.close[i + 1] > g.close[i]) as u32);

        let test: Vec<usize> = (split..n).collect();
        let mut proba = vec![f64::NAN; test.len()];
        let mut n_train = 0;
        for &(lo, t0, end) in &windows {
            let mut x_train = Vec::new();
            let mut y_train = Vec::new();
            // Row t0 - 1's label reads close[t0]: known when bar t0 closes.
            for i in lo..t0 {
                if let (true, Some(y)) = (finite_row(i), label(i)) {
                    x_train.extend_from_slice(&g.features[i * d..(i + 1) * d]);
                    y_train.push(y);
                }
            }
            n_train = n_train.max(y_train.len());
            if y_train.len() < cfg.min_train_rows.max(1) {
                continue;
            }
            let rows: Vec<usize> = (t0..end).filter(|&i| finite_row(i)).collect();
            if rows.is_empty() {
                continue;
            }
            let mut x = Vec::with_capacity(rows.len() * d);
            for &i in &rows {
                x.extend_from_slice(&g.features[i * d..(i + 1) * d]);
            }
            let p = cfg.fit_predict(&x_train, &y_train, &x)?;
            for (k, &i) in rows.iter().enumerate() {
                proba[i - split] = p[k];
            }
        }
        let position: Vec<f64> = proba
            .iter()
            .map(|&p| if p > cfg.threshold { 1.0 } else { 0.0 })
            .collect();
        let (hits, judged) = test
            .iter()
            .zip(&proba)
            .fold((0usize, 0usize), |(h, j), (&i, &p)| match label(i) {
                Some(y) if p.is_finite() => (h + ((p > cfg.threshold) as u32 == y) as usize, j + 1),
                _ => (h, j),
            });
        let accuracy = if judged > 0 {
            hits as f64 / judged as f64
        } else {
            f64::NAN
        };
        let bt_cfg = BacktestConfig {
            fee: cfg.fee,
            periods_per_year: cfg.periods_per_year,
        };
        let backtest = if test.len() >= 2 {
            Some(backtest_positions(&g.close[split..], &position, &bt_cfg)?)
        } else {
            None
        };

        // Build the output: one prediction row per test bar, one metrics row.
        let rows = test.len() + 1;
        let mut record = StringBuilder::with_capacity(rows, rows * 10);
        let mut symbol = StringBuilder::with_capacity(rows, rows * g.symbol.len());
        let mut times: Vec<Option<i64>> = Vec::with_capacity(rows);
        let mut close = Float64Builder::with_capacity(rows);
        let mut labels = Int32Builder::with_capacity(rows);
        let mut proba_col = Float64Builder::with_capacity(rows);
        let mut pos_col = Float64Builder::with_capacity(rows);
        let mut ret_col = Float64Builder::with_capacity(rows);
        let mut eq_col = Float64Builder::with_capacity(rows);
        for (k, &i) in test.iter().enumerate() {
            record.append_value("prediction");
            symbol.append_value(&g.symbol);
            times.push(Some(g.times[i]));
            close.append_value(g.close[i]);
            labels.append_option(label(i).map(|v| v as i32));
            proba_col.append_option(proba[k].is_finite().then_some(proba[k]));
            pos_col.append_value(position[k]);
            ret_col.append_option(backtest.as_ref().map(|b| b.returns[k]));
            eq_col.append_option(backtest.as_ref().map(|b| b.equity[k]));
        }
        record.append_value("metrics");
        symbol.append_value(&g.symbol);
        times.push(None);
        close.append_null();
        labels.append_null();
        proba_col.append_null();
        pos_col.append_null();
        ret_col.append_null();
        eq_col.append_null();

        let pred_rows = test.len();
        let metric_only_long = |v: Option<i64>| {
            let mut b = Int64Builder::with_capacity(rows);
            b.append_nulls(pred_rows);
            b.append_option(v);
            Arc::new(b.finish()) as ArrayRef
        };
        let metric_only_f64 = |v: f64| {
            let mut b = Float64Builder::with_capacity(rows);
            b.append_nulls(pred_rows);
            b.append_option(v.is_finite().then_some(v));
            Arc::new(b.finish()) as ArrayRef
        };
        let metric_only_time = |v: Option<i64>| {
            let mut t = vec![None; pred_rows];
            t.push(v);
            t
        };
        let time_type = self.time_type.clone().unwrap_or(DataType::Int64);
        let schema = self
            .schema
            .get_or_insert_with(|| Self::output_schema(&time_type))
            .clone();
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(record.finish()),
            Arc::new(symbol.finish()),
            time_array(&times, &time_type)?,
            Arc::new(close.finish()),
            Arc::new(labels.finish()),
            Arc::new(proba_col.finish()),
            Arc::new(pos_col.finish()),
            Arc::new(ret_col.finish()),
            Arc::new(eq_col.finish()),
            metric_only_long(Some(n_train as i64)),
            metric_only_long(Some(test.len() as i64)),
            time_array(&metric_only_time(test.first().map(|&i| g.times[i])), &time_type)?,
            time_array(&metric_only_time(test.last().map(|&i| g.times[i])), &time_type)?,
            metric_only_f64(accuracy),
        ];
        let none = Metrics {
            total_return: f64::NAN,
            cagr: f64::NAN,
            annual_volatility: f64::NAN,
            sharpe: f64::NAN,
            max_drawdown: f64::NAN,
            trades: 0,
            exposure: f64::NAN,
        };
        for m in [
            backtest.as_ref().map_or(none, |b| b.strategy),
            backtest.as_ref().map_or(none, |b| b.buy_and_hold),
        ] {
            columns.push(metric_only_f64(m.total_return));
            columns.push(metric_only_f64(m.cagr));
            columns.push(metric_only_f64(m.annual_volatility));
            columns.push(metric_only_f64(m.sharpe));
            columns.push(metric_only_f64(m.max_drawdown));
            columns.push(metric_only_long(backtest.as_ref().map(|_| m.trades as i64)));
            columns.push(metric_only_f64(m.exposure));
        }
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

/// Builds a nullable array of the timestamp column's type from i64 values.
fn time_array(values: &[Option<i64>], dt: &DataType) -> Result<ArrayRef> {
    let n = values.len();
    let valid: Vec<bool> = values.iter().map(Option::is_some).collect();
    let nulls = arrow_buffer::NullBuffer::from(valid);
    let data = match dt {
        DataType::Date32 | DataType::Int32 => {
            let v: Vec<i32> = values.iter().map(|x| x.unwrap_or(0) as i32).collect();
            ArrayData::builder(dt.clone()).len(n).add_buffer(Buffer::from_vec(v))
        }
        _ => {
            let v: Vec<i64> = values.iter().map(|x| x.unwrap_or(0)).collect();
            ArrayData::builder(dt.clone()).len(n).add_buffer(Buffer::from_vec(v))
        }
    };
    Ok(make_array(data.nulls(Some(nulls)).build()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synthetic::{generate_ohlcv, SyntheticConfig};
    use crate::pipeline::compute_table;
    use crate::spec::PipelineSpec;
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::Array;

    fn features_table(symbols: usize, bars: usize) -> RecordBatch {
        let bars = generate_ohlcv(&SyntheticConfig {
            symbols,
            bars,
            ..Default::default()
        })
        .unwrap();
        let spec = PipelineSpec::from_json(
            r#"{"indicators":[{"fn":"RSI","name":"rsi"},{"fn":"LOG_RETURN","name":"r1"},{"fn":"LOG_RETURN","name":"r5","params":{"timeperiod":5}}]}"#,
        )
        .unwrap();
        compute_table(spec, &[bars]).unwrap().remove(0)
    }

    fn config() -> ModelConfig {
        ModelConfig::from_json(r#"{"features":["rsi","r1","r5"],"tree":{"max_depth":3,"min_samples_leaf":5}}"#).unwrap()
    }

    fn run(table: &RecordBatch, chunk: usize) -> Vec<RecordBatch> {
        let mut stage = ModelStage::new(config()).unwrap();
        let mut out = Vec::new();
        let mut off = 0;
        while off < table.num_rows() {
            let len = chunk.min(table.num_rows() - off);
            out.extend(stage.push(&table.slice(off, len)).unwrap());
            off += len;
        }
        out.extend(stage.finish().unwrap());
        out
    }

    #[test]
    fn one_output_per_symbol_with_predictions_for_the_test_bars() {
        let table = features_table(3, 400);
        let out = run(&table, 10_000);
        assert_eq!(out.len(), 3);
        for b in &out {
            assert_eq!(b.num_rows(), 400 - 280 + 1);
            let rec = b.column(0).as_string::<i32>();
            assert_eq!(rec.value(b.num_rows() - 1), "metrics");
            assert!(
                b.column_by_name("proba_up").unwrap().null_count() <= 1,
                "only the metrics row lacks a probability"
            );
        }
    }

    #[test]
    fn batching_does_not_change_the_output() {
        let table = features_table(4, 300);
        let whole = run(&table, 100_000);
        for chunk in [1, 7, 299, 301] {
            assert_eq!(run(&table, chunk), whole, "chunk {chunk}");
        }
    }

    #[test]
    fn future_rows_do_not_change_past_predictions() {
        let table = features_table(1, 400);
        let base = run(&table, 1000);
        // Perturb the closes from row 350 on (and the features computed from them).
        let mut close: Vec<f64> = table.column(5).as_primitive::<Float64Type>().values().to_vec();
        for c in close.iter_mut().skip(350) {
            *c *= 1.3;
        }
        let mut cols = table.columns().to_vec();
        cols[5] = Arc::new(arrow_array::Float64Array::from(close));
        let changed = RecordBatch::try_new(table.schema(), cols).unwrap();
        let spec_cols = ["rsi", "r1", "r5"];
        // Recompute features on the perturbed closes.
        let bars = changed.project(&(0..7).collect::<Vec<_>>()).unwrap();
        let spec = PipelineSpec::from_json(
            r#"{"indicators":[{"fn":"RSI","name":"rsi"},{"fn":"LOG_RETURN","name":"r1"},{"fn":"LOG_RETURN","name":"r5","params":{"timeperiod":5}}]}"#,
        )
        .unwrap();
        let changed = compute_table(spec, &[bars]).unwrap().remove(0);
        assert_eq!(changed.schema().fields().len(), 7 + spec_cols.len());
        let other = run(&changed, 1000);
        let p0 = base[0]
            .column_by_name("proba_up")
            .unwrap()
            .as_primitive::<Float64Type>();
        let p1 = other[0]
            .column_by_name("proba_up")
            .unwrap()
            .as_primitive::<Float64Type>();
        // Test bars start at 280: bars 280..350 are before the perturbation.
        for k in 0..70 {
            assert_eq!(p0.is_null(k), p1.is_null(k));
            assert_eq!(p0.value(k).to_bits(), p1.value(k).to_bits(), "prediction {k} changed");
        }
    }

    #[test]
    fn bad_config_and_input_are_errors() {
        assert!(ModelConfig::from_json(r#"{"features":[]}"#).is_err());
        assert!(ModelConfig::from_json(r#"{"features":["a"],"split":{"fraction":1.5}}"#).is_err());
        assert!(ModelConfig::from_json(r#"{"features":["a"],"fee":-1}"#).is_err());
        let table = features_table(1, 50);
        let mut stage = ModelStage::new(ModelConfig::from_json(r#"{"features":["nope"]}"#).unwrap()).unwrap();
        assert!(stage
            .push(&table)
            .unwrap_err()
            .to_string()
            .contains("missing column 'nope'"));
    }

    #[test]
    fn short_symbols_get_no_model_but_a_metrics_row() {
        let table = features_table(1, 30);
        let out = run(&table, 100);
        let b = &out[0];
        assert_eq!(b.column_by_name("proba_up").unwrap().null_count(), b.num_rows());
        let pos = b.column_by_name("position").unwrap().as_primitive::<Float64Type>();
        assert!((0..b.num_rows() - 1).all(|i| pos.value(i) == 0.0));
    }
}
