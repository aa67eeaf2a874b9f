//! `barrow._native`: the Python binding of barrow-core.
//!
//! Only conversion lives here: numpy and Arrow (PyCapsule interface) in and
//! out, GIL release around every computation, and error mapping. All math is
//! in barrow-core.

mod arrow;
mod errors;
mod simulation;

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::arrow::ArrowData;
use arrow_array::{ArrayRef, Float64Array, Int32Array};
use barrow_core::backtest::{backtest_positions, BacktestConfig, Metrics};
use barrow_core::data::synthetic::{generate_ohlcv, SyntheticConfig};
use barrow_core::model::{ModelConfig, ModelStage as CoreModelStage};
use barrow_core::pipeline::Pipeline as CorePipeline;
use barrow_core::spec::PipelineSpec;
use barrow_core::tree::{Fitted, Forest, ForestParams, Model as CoreModel, Target, Tree, TreeFitParams};
use barrow_core::{columns, indicators, series};
use errors::{compute, to_py_err};
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Computes indicator `name` over float64 numpy arrays; returns one numpy
/// array per output (int32 for integer outputs, as in TA-Lib).
#[pyfunction]
fn indicator_numpy<'py>(
    py: Python<'py>,
    name: &str,
    inputs: Vec<PyReadonlyArray1<'py, f64>>,
    params: BTreeMap<String, f64>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let slices = inputs
        .iter()
        .map(|a| {
            a.as_slice()
                .map_err(|e| PyValueError::new_err(format!("{name}: input is not contiguous: {e}")))
        })
        .collect::<PyResult<Vec<&[f64]>>>()?;
    let info = indicators::find_function(name).map_err(to_py_err)?;
    let n = slices.first().map_or(0, |s| s.len());
    // numpy allocates the outputs (its allocator asks for huge pages, which
    // makes first writes to large arrays much cheaper than a fresh Vec).
    let arrays: Vec<Bound<'py, PyAny>> = (0..info.outputs.len())
        .map(|k| {
            if info.integer_output(k) {
                unsafe { PyArray1::<i32>::new(py, n, false) }.into_any()
            } else {
                unsafe { PyArray1::<f64>::new(py, n, false) }.into_any()
            }
        })
        .collect();
    {
        // SAFETY: the arrays were just created here and are not shared; no
        // Python code runs while the views are alive.
        let mut views: Vec<series::OutColumn> = arrays
            .iter()
            .map(|a| match a.cast::<PyArray1<i32>>() {
                Ok(ints) => series::OutColumn::I32(unsafe { ints.as_slice_mut() }.expect("new arrays are contiguous")),
                Err(_) => {
                    let floats = a.cast::<PyArray1<f64>>().expect("outputs are float64 or int32");
                    series::OutColumn::F64(unsafe { floats.as_slice_mut() }.expect("new arrays are contiguous"))
                }
            })
            .collect();
        compute(py, || series::compute_series_typed(name, &params, &slices, &mut views))?;
    }
    Ok(arrays)
}

/// Computes indicator `name` over Arrow columns (nulls read as NaN);
/// returns one Arrow float64 array per output.
#[pyfunction]
fn indicator_arrow(
    py: Python<'_>,
    name: &str,
    inputs: Vec<Bound<'_, PyAny>>,
    params: BTreeMap<String, f64>,
) -> PyResult<Vec<ArrowData>> {
    let info = indicators::find_function(name).map_err(to_py_err)?;
    let mut chunks = Vec::with_capacity(inputs.len());
    for obj in &inputs {
        if !crate::arrow::is_arrow(obj) {
            return Err(PyTypeError::new_err(format!(
                "{name}: expected Arrow arrays for every input, got {}",
                obj.get_type().name()?
            )));
        }
        chunks.push(crate::arrow::import_array(obj)?);
    }
    let outs = compute(py, || {
        let values = chunks
            .iter()
            .enumerate()
            .map(|(k, c)| columns::f64_nulls_as_nan(info.inputs.get(k).copied().unwrap_or("input"), c))
            .collect::<barrow_core::Result<Vec<Vec<f64>>>>()?;
        let views: Vec<&[f64]> = values.iter().map(Vec::as_slice).collect();
        let n = views.first().map_or(0, |v| v.len());
        let (mut floats, mut ints): (Vec<Vec<f64>>, Vec<Vec<i32>>) = (0..info.outputs.len())
            .map(|k| {
                if info.integer_output(k) {
                    (Vec::new(), vec![0; n])
                } else {
                    (vec![0.0; n], Vec::new())
                }
            })
            .unzip();
        let mut outs: Vec<series::OutColumn> = floats
            .iter_mut()
            .zip(ints.iter_mut())
            .enumerate()
            .map(|(k, (f, i))| {
                if info.integer_output(k) {
                    series::OutColumn::I32(i)
                } else {
                    series::OutColumn::F64(f)
                }
            })
            .collect();
        series::compute_series_typed(name, &params, &views, &mut outs)?;
        Ok(floats
            .into_iter()
            .zip(ints)
            .enumerate()
            .map(|(k, (f, i))| -> ArrayRef {
                if info.integer_output(k) {
                    Arc::new(Int32Array::from(i))
                } else {
                    Arc::new(Float64Array::from(f))
                }
            })
            .collect::<Vec<ArrayRef>>())
    })?;
    Ok(outs
        .into_iter()
        .zip(info.outputs)
        .map(|(array, out)| ArrowData::from_array(out, array))
        .collect())
}

/// The function catalogue as JSON (names, inputs, parameters, outputs).
#[pyfunction]
fn functions_json() -> String {
    serde_json::to_string(indicators::functions()).expect("catalogue serializes")
}

/// Checks a spec and returns its normalized JSON and output columns as
/// (name, "double" | "int") pairs.
#[pyfunction]
fn plan_spec(spec_json: &str) -> PyResult<(String, Vec<(String, String)>)> {
    let spec = PipelineSpec::from_json(spec_json).map_err(to_py_err)?;
    let plans = spec.plan().map_err(to_py_err)?;
    let cols = plans
        .iter()
        .flat_map(|p| p.output_fields())
        .map(|(name, ty)| {
            let kind = if ty == arrow_schema::DataType::Int32 {
                "int"
            } else {
                "double"
            };
            (name.to_string(), kind.to_string())
        })
        .collect();
    Ok((spec.to_json(), cols))
}

/// Computes a spec over a whole table (anything with `__arrow_c_stream__`
/// or `__arrow_c_array__`); returns the table with indicator columns.
#[pyfunction]
fn compute_spec(py: Python<'_>, spec_json: &str, table: &Bound<'_, PyAny>) -> PyResult<ArrowData> {
    let spec = PipelineSpec::from_json(spec_json).map_err(to_py_err)?;
    let (_, batches) = crate::arrow::import_batches(table)?;
    let (schema, out) = compute(py, || {
        let first = match batches.first() {
            Some(b) if batches.iter().any(|b| b.num_rows() > 0) => b,
            _ => {
                return Err(barrow_core::BarrowError::EmptyInput(
                    "the table has no rows".to_string(),
                ))
            }
        };
        let mut pipeline = CorePipeline::new(spec)?;
        let schema = pipeline.output_schema(&first.schema())?;
        let out = batches
            .iter()
            .map(|b| pipeline.process(b))
            .collect::<barrow_core::Result<Vec<_>>>()?;
        Ok((schema, out))
    })?;
    Ok(ArrowData::from_batches(schema, out))
}

/// A stateful pipeline over a stream of batches sorted by (symbol, time):
/// state carries from one `process` call to the next.
#[pyclass(module = "barrow._native")]
struct Pipeline {
    inner: CorePipeline,
}

#[pymethods]
impl Pipeline {
    #[new]
    fn new(spec_json: &str) -> PyResult<Self> {
        let spec = PipelineSpec::from_json(spec_json).map_err(to_py_err)?;
        Ok(Self {
            inner: CorePipeline::new(spec).map_err(to_py_err)?,
        })
    }

    /// Processes one record batch; returns it with the indicator columns.
    fn process(&mut self, py: Python<'_>, batch: &Bound<'_, PyAny>) -> PyResult<ArrowData> {
        let batch = crate::arrow::import_batch(batch)?;
        let inner = &mut self.inner;
        let out = compute(py, || inner.process(&batch))?;
        Ok(ArrowData::from_batches(out.schema(), vec![out]))
    }

    /// Names of the appended columns.
    #[getter]
    fn output_columns(&self) -> Vec<String> {
        self.inner.output_columns().into_iter().map(str::to_string).collect()
    }

    /// The normalized spec as JSON.
    #[getter]
    fn spec_json(&self) -> String {
        self.inner.spec().to_json()
    }
}

/// Per-symbol train / predict / backtest over a stream sorted by (symbol,
/// time): `push` returns the outputs of symbols whose runs ended, `finish`
/// the last one.
#[pyclass(module = "barrow._native")]
struct ModelStage {
    inner: CoreModelStage,
}

#[pymethods]
impl ModelStage {
    #[new]
    fn new(config_json: &str) -> PyResult<Self> {
        let config = ModelConfig::from_json(config_json).map_err(to_py_err)?;
        Ok(Self {
            inner: CoreModelStage::new(config).map_err(to_py_err)?,
        })
    }

    /// Consumes one record batch.
    fn push(&mut self, py: Python<'_>, batch: &Bound<'_, PyAny>) -> PyResult<Vec<ArrowData>> {
        let batch = crate::arrow::import_batch(batch)?;
        let inner = &mut self.inner;
        let out = compute(py, || inner.push(&batch))?;
        Ok(out
            .into_iter()
            .map(|b| ArrowData::from_batches(b.schema(), vec![b]))
            .collect())
    }

    /// Ends the stream.
    fn finish(&mut self, py: Python<'_>) -> PyResult<Vec<ArrowData>> {
        let inner = &mut self.inner;
        let out = compute(py, || inner.finish())?;
        Ok(out
            .into_iter()
            .map(|b| ArrowData::from_batches(b.schema(), vec![b]))
            .collect())
    }

    /// The normalized config as JSON.
    #[getter]
    fn config_json(&self) -> String {
        self.inner.config().to_json()
    }

    /// Output columns as (name, kind) with kind in string, time, double,
    /// long, int ("time" has the input timestamp's type).
    #[staticmethod]
    fn output_columns() -> Vec<(String, String)> {
        barrow_core::model::output_columns()
            .into_iter()
            .map(|(name, kind)| {
                (
                    name,
                    serde_json::to_value(kind)
                        .expect("kind")
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                )
            })
            .collect()
    }
}

/// Generates seeded synthetic OHLCV bars as one Arrow record batch.
#[pyfunction]
#[pyo3(signature = (symbols, bars, seed=42, start_day=16437))]
fn generate(py: Python<'_>, symbols: usize, bars: usize, seed: u64, start_day: i64) -> PyResult<ArrowData> {
    let cfg = SyntheticConfig {
        symbols,
        bars,
        seed,
        start_day,
    };
    let batch = compute(py, || generate_ohlcv(&cfg))?;
    Ok(ArrowData::from_batches(batch.schema(), vec![batch]))
}

fn slice2<'a>(x: &'a PyReadonlyArray2<'_, f64>) -> PyResult<&'a [f64]> {
    x.as_slice()
        .map_err(|_| PyValueError::new_err("X must be a C-contiguous float64 matrix"))
}

/// Fits a tree (`kind="tree"`) or random forest (`kind="forest"`) on a
/// float64 matrix (NaN is missing). Classification takes `y_classes`
/// (labels `0..n_classes`), regression `y_values`; `params_json` holds the
/// tree parameters and, for forests, the forest's.
#[pyfunction]
#[pyo3(signature = (kind, x, params_json, y_classes=None, n_classes=0, y_values=None, sample_weight=None))]
#[allow(clippy::too_many_arguments)]
fn fit_model(
    py: Python<'_>,
    kind: &str,
    x: PyReadonlyArray2<'_, f64>,
    params_json: &str,
    y_classes: Option<PyReadonlyArray1<'_, u32>>,
    n_classes: usize,
    y_values: Option<PyReadonlyArray1<'_, f64>>,
    sample_weight: Option<PyReadonlyArray1<'_, f64>>,
) -> PyResult<Model> {
    let d = x.shape()[1];
    let xs = slice2(&x)?;
    let contiguous = |e| PyValueError::new_err(format!("{e}: arrays must be contiguous"));
    let target = match (&y_classes, &y_values) {
        (Some(y), None) => Target::Classes {
            y: y.as_slice().map_err(|_| contiguous("y"))?,
            n_classes,
        },
        (None, Some(y)) => Target::Values(y.as_slice().map_err(|_| contiguous("y"))?),
        _ => return Err(PyValueError::new_err("give exactly one of y_classes and y_values")),
    };
    let weights = sample_weight
        .as_ref()
        .map(|w| w.as_slice().map_err(|_| contiguous("sample_weight")))
        .transpose()?;
    let bad_params = |e: serde_json::Error| PyValueError::new_err(format!("invalid model parameters: {e}"));
    let fitted = match kind {
        "tree" => {
            let p: TreeFitParams = serde_json::from_str(params_json).map_err(bad_params)?;
            Fitted::Tree(compute(py, || {
                Tree::fit_with_class_weight(xs, d, target, weights, &p.class_weight, &p.tree)
            })?)
        }
        "forest" => {
            let params: ForestParams = serde_json::from_str(params_json).map_err(bad_params)?;
            Fitted::Forest(compute(py, || Forest::fit(xs, d, target, weights, &params))?)
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "kind must be 'tree' or 'forest', got '{other}'"
            )))
        }
    };
    Ok(Model {
        inner: CoreModel::new(fitted, n_classes),
    })
}

/// A fitted tree or forest.
#[pyclass(module = "barrow._native", frozen)]
struct Model {
    inner: CoreModel,
}

#[pymethods]
impl Model {
    /// Leaf values per row: class probabilities (`n × n_classes`) or
    /// predictions (`n × 1`).
    fn predict_values<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let (n, d) = (x.shape()[0], x.shape()[1]);
        let xs = slice2(&x)?;
        let inner = &self.inner;
        let out = compute(py, || inner.predict_values(xs, d))?;
        let width = out.len().checked_div(n).unwrap_or(inner.n_classes.max(1));
        PyArray1::from_vec(py, out).reshape([n, width])
    }

    #[getter]
    fn feature_importances<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_vec(py, self.inner.feature_importances())
    }

    #[getter]
    fn n_features(&self) -> usize {
        self.inner.n_features()
    }

    /// Depth, node and leaf counts of each tree.
    #[getter]
    fn tree_sizes(&self) -> Vec<(usize, usize, usize)> {
        let size = |t: &Tree| (t.depth(), t.node_count(), t.leaf_count());
        match &self.inner.fitted {
            Fitted::Tree(t) => vec![size(t)],
            Fitted::Forest(f) => f.trees().iter().map(size).collect(),
        }
    }

    /// Out-of-bag score (forests fitted with `oob_score`).
    #[getter]
    fn oob_score(&self) -> Option<f64> {
        match &self.inner.fitted {
            Fitted::Forest(f) => f.oob_score(),
            Fitted::Tree(_) => None,
        }
    }

    /// Out-of-bag averaged leaf values, `n × width` (NaN rows: never out of bag).
    fn oob_prediction<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyArray2<f64>>>> {
        match &self.inner.fitted {
            Fitted::Forest(f) if !f.oob_prediction().is_empty() => {
                let w = f.width();
                let v = f.oob_prediction().to_vec();
                let n = v.len() / w;
                Ok(Some(PyArray1::from_vec(py, v).reshape([n, w])?))
            }
            _ => Ok(None),
        }
    }

    /// Appends predictions for an Arrow record batch: `{prefix}prediction`
    /// and, for classifiers, `{prefix}proba_{k}` (nulls in features are missing).
    #[pyo3(signature = (batch, features, prefix=""))]
    fn predict_batch(
        &self,
        py: Python<'_>,
        batch: &Bound<'_, PyAny>,
        features: Vec<String>,
        prefix: &str,
    ) -> PyResult<ArrowData> {
        let batch = crate::arrow::import_batch(batch)?;
        let inner = &self.inner;
        let out = compute(py, || {
            barrow_core::model::predict_batch(inner, &batch, &features, prefix)
        })?;
        Ok(ArrowData::from_batches(out.schema(), vec![out]))
    }

    /// (name, "int" | "double") of the columns `predict_batch` appends.
    #[pyo3(signature = (prefix=""))]
    fn prediction_fields(&self, prefix: &str) -> Vec<(String, String)> {
        barrow_core::model::prediction_fields(&self.inner, prefix)
            .into_iter()
            .map(|(n, t)| {
                (
                    n,
                    if t == arrow_schema::DataType::Int32 {
                        "int"
                    } else {
                        "double"
                    }
                    .to_string(),
                )
            })
            .collect()
    }

    /// Number of classes (0 for a regressor).
    #[getter]
    fn n_classes(&self) -> usize {
        self.inner.n_classes
    }

    /// Serializes the model (versioned JSON).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Restores a model from `to_json` output.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        Ok(Self {
            inner: CoreModel::from_json(json).map_err(to_py_err)?,
        })
    }
}

fn metrics_dict<'py>(py: Python<'py>, m: &Metrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("total_return", m.total_return)?;
    d.set_item("cagr", m.cagr)?;
    d.set_item("annual_volatility", m.annual_volatility)?;
    d.set_item("sharpe", m.sharpe)?;
    d.set_item("max_drawdown", m.max_drawdown)?;
    d.set_item("trades", m.trades)?;
    d.set_item("exposure", m.exposure)?;
    Ok(d)
}

/// Backtests a position series over closes; returns returns, equity and
/// metrics of the strategy and of buy-and-hold.
#[pyfunction]
#[pyo3(signature = (close, position, fee=0.0, periods_per_year=252.0))]
fn backtest<'py>(
    py: Python<'py>,
    close: PyReadonlyArray1<'py, f64>,
    position: PyReadonlyArray1<'py, f64>,
    fee: f64,
    periods_per_year: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let c = close
        .as_slice()
        .map_err(|_| PyValueError::new_err("close must be contiguous"))?;
    let p = position
        .as_slice()
        .map_err(|_| PyValueError::new_err("position must be contiguous"))?;
    let cfg = BacktestConfig { fee, periods_per_year };
    let r = compute(py, || backtest_positions(c, p, &cfg))?;
    let d = PyDict::new(py);
    d.set_item("returns", PyArray1::from_vec(py, r.returns))?;
    d.set_item("equity", PyArray1::from_vec(py, r.equity))?;
    d.set_item("strategy", metrics_dict(py, &r.strategy)?)?;
    d.set_item("buy_and_hold", metrics_dict(py, &r.buy_and_hold)?)?;
    Ok(d)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(indicator_numpy, m)?)?;
    m.add_function(wrap_pyfunction!(indicator_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(functions_json, m)?)?;
    m.add_function(wrap_pyfunction!(plan_spec, m)?)?;
    m.add_function(wrap_pyfunction!(compute_spec, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(backtest, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::simulate_signals, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::simulate_targets, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::plan_sweep, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::sweep_table, m)?)?;
    m.add_function(wrap_pyfunction!(simulation::walk_forward_table, m)?)?;
    m.add_class::<Pipeline>()?;
    m.add_class::<ModelStage>()?;
    m.add_class::<Model>()?;
    m.add_function(wrap_pyfunction!(fit_model, m)?)?;
    m.add_class::<ArrowData>()?;
    Ok(())
}
