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
use arrow_array::{ArrayRef, Float64Array};
use barrow_core::backtest::{backtest_positions, BacktestConfig, Metrics};
use barrow_core::data::synthetic::{generate_ohlcv, SyntheticConfig};
use barrow_core::model::{ModelConfig, ModelStage as CoreModelStage};
use barrow_core::pipeline::Pipeline as CorePipeline;
use barrow_core::spec::PipelineSpec;
use barrow_core::tree::{DecisionTreeClassifier as CoreTree, TreeParams};
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
    let arrays: Vec<Bound<'py, PyArray1<f64>>> = info
        .outputs
        .iter()
        .map(|_| unsafe { PyArray1::<f64>::new(py, n, false) })
        .collect();
    {
        // SAFETY: the arrays were just created here and are not shared; no
        // Python code runs while the views are alive.
        let mut views: Vec<&mut [f64]> = arrays
            .iter()
            .map(|a| unsafe { a.as_slice_mut() }.expect("new arrays are contiguous"))
            .collect();
        compute(py, || series::compute_series_into(name, &params, &slices, &mut views))?;
    }
    Ok(arrays
        .into_iter()
        .enumerate()
        .map(|(k, a)| {
            if info.integer_output(k) {
                let ints = columns::integer_array(a.readonly().as_slice().expect("new arrays are contiguous"));
                PyArray1::from_slice(py, ints.values()).into_any()
            } else {
                a.into_any()
            }
        })
        .collect())
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
        series::compute_series(name, &params, &views)
    })?;
    Ok(outs
        .into_iter()
        .zip(info.outputs)
        .enumerate()
        .map(|(k, (v, out))| {
            let array: ArrayRef = if info.integer_output(k) {
                Arc::new(columns::integer_array(&v))
            } else {
                Arc::new(Float64Array::from(v))
            };
            ArrowData::from_array(out, array)
        })
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

/// CART classifier over float64 matrices and integer labels `0..n_classes`.
#[pyclass(module = "barrow._native")]
struct DecisionTree {
    inner: CoreTree,
}

#[pymethods]
impl DecisionTree {
    #[new]
    #[pyo3(signature = (max_depth=None, min_samples_split=2, min_samples_leaf=1))]
    fn new(max_depth: Option<usize>, min_samples_split: usize, min_samples_leaf: usize) -> PyResult<Self> {
        let params = TreeParams {
            max_depth,
            min_samples_split,
            min_samples_leaf,
        };
        Ok(Self {
            inner: CoreTree::new(params).map_err(to_py_err)?,
        })
    }

    fn fit(
        &mut self,
        py: Python<'_>,
        x: PyReadonlyArray2<'_, f64>,
        y: PyReadonlyArray1<'_, u32>,
        n_classes: usize,
    ) -> PyResult<()> {
        let d = x.shape()[1];
        let xs = x
            .as_slice()
            .map_err(|_| PyValueError::new_err("X must be C-contiguous"))?;
        let ys = y
            .as_slice()
            .map_err(|_| PyValueError::new_err("y must be contiguous"))?;
        let inner = &mut self.inner;
        compute(py, || inner.fit(xs, d, ys, n_classes))
    }

    fn predict<'py>(&self, py: Python<'py>, x: PyReadonlyArray2<'py, f64>) -> PyResult<Bound<'py, PyArray1<u32>>> {
        let d = x.shape()[1];
        let xs = x
            .as_slice()
            .map_err(|_| PyValueError::new_err("X must be C-contiguous"))?;
        let inner = &self.inner;
        let out = compute(py, || inner.predict(xs, d))?;
        Ok(PyArray1::from_vec(py, out))
    }

    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArray2<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let (n, d) = (x.shape()[0], x.shape()[1]);
        let xs = x
            .as_slice()
            .map_err(|_| PyValueError::new_err("X must be C-contiguous"))?;
        let inner = &self.inner;
        let out = compute(py, || inner.predict_proba(xs, d))?;
        let k = inner.n_classes();
        PyArray1::from_vec(py, out).reshape([n, k])
    }

    #[getter]
    fn feature_importances<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<f64>> {
        PyArray1::from_slice(py, self.inner.feature_importances())
    }

    #[getter]
    fn node_count(&self) -> usize {
        self.inner.node_count()
    }

    #[getter]
    fn depth(&self) -> usize {
        self.inner.depth()
    }

    /// Serializes the tree (parameters and fitted nodes) to JSON.
    fn to_json(&self) -> String {
        serde_json::to_string(&self.inner).expect("tree serializes")
    }

    /// Restores a tree from `to_json` output.
    #[staticmethod]
    fn from_json(json: &str) -> PyResult<Self> {
        let inner: CoreTree =
            serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("invalid tree JSON: {e}")))?;
        Ok(Self { inner })
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
    m.add_class::<DecisionTree>()?;
    m.add_class::<ArrowData>()?;
    Ok(())
}
