//! Bindings of barrow-core's order-level backtests: signal simulation,
//! parameter sweeps and walk-forward optimization (conversion only).

use barrow_core::backtest::metrics::Metrics;
use barrow_core::backtest::simulate::{
    from_signals, from_targets, Bars, Side, SimConfig, SimResult, TargetKind, TradeDirection,
};
use barrow_core::backtest::sweep::{
    sweep_batch, sweep_schema, walk_forward_batch, walk_forward_schema, SweepSpec, WalkForwardSpec,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::arrow::ArrowData;
use crate::errors::{compute, to_py_err};

fn slice<'a, T: numpy::Element>(a: &'a PyReadonlyArray1<'_, T>, name: &str) -> PyResult<&'a [T]> {
    a.as_slice()
        .map_err(|_| PyValueError::new_err(format!("{name} must be a contiguous 1-D array")))
}

/// Metrics as a dict (floats, and the integer counts).
pub fn metrics_dict<'py>(py: Python<'py>, m: &Metrics) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, v) in Metrics::FLOAT_NAMES.iter().zip(m.float_values()) {
        d.set_item(*name, v)?;
    }
    d.set_item("trades", m.trades)?;
    d.set_item("orders", m.orders)?;
    Ok(d)
}

/// Simulates entry/exit signals; returns the series, orders, trades and
/// metrics as numpy arrays and dicts.
#[pyfunction]
#[pyo3(signature = (close, entries, exits, config_json, open=None, high=None, low=None))]
#[allow(clippy::too_many_arguments)]
pub fn simulate_signals<'py>(
    py: Python<'py>,
    close: PyReadonlyArray1<'py, f64>,
    entries: PyReadonlyArray1<'py, bool>,
    exits: PyReadonlyArray1<'py, bool>,
    config_json: &str,
    open: Option<PyReadonlyArray1<'py, f64>>,
    high: Option<PyReadonlyArray1<'py, f64>>,
    low: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = SimConfig::from_json(config_json).map_err(to_py_err)?;
    let bars = Bars {
        open: open.as_ref().map(|a| slice(a, "open")).transpose()?,
        high: high.as_ref().map(|a| slice(a, "high")).transpose()?,
        low: low.as_ref().map(|a| slice(a, "low")).transpose()?,
        close: slice(&close, "close")?,
    };
    let (en, ex) = (slice(&entries, "entries")?, slice(&exits, "exits")?);
    let r = compute(py, || from_signals(&bars, en, ex, &cfg))?;
    result_dict(py, r)
}

/// Simulates position targets (kind: "percent", "value" or "amount");
/// returns what `simulate_signals` returns.
#[pyfunction]
#[pyo3(signature = (close, target, kind, config_json, open=None, high=None, low=None))]
#[allow(clippy::too_many_arguments)]
pub fn simulate_targets<'py>(
    py: Python<'py>,
    close: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    kind: &str,
    config_json: &str,
    open: Option<PyReadonlyArray1<'py, f64>>,
    high: Option<PyReadonlyArray1<'py, f64>>,
    low: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = SimConfig::from_json(config_json).map_err(to_py_err)?;
    let kind: TargetKind = serde_json::from_value(serde_json::Value::String(kind.to_string()))
        .map_err(|_| PyValueError::new_err(format!("kind = {kind:?}: expected 'percent', 'value' or 'amount'")))?;
    let bars = Bars {
        open: open.as_ref().map(|a| slice(a, "open")).transpose()?,
        high: high.as_ref().map(|a| slice(a, "high")).transpose()?,
        low: low.as_ref().map(|a| slice(a, "low")).transpose()?,
        close: slice(&close, "close")?,
    };
    let t = slice(&target, "target")?;
    let r = compute(py, || from_targets(&bars, t, kind, &cfg))?;
    result_dict(py, r)
}

fn result_dict(py: Python<'_>, r: SimResult) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("value", PyArray1::from_vec(py, r.value))?;
    d.set_item("cash", PyArray1::from_vec(py, r.cash))?;
    d.set_item("position", PyArray1::from_vec(py, r.position))?;
    d.set_item("returns", PyArray1::from_vec(py, r.returns))?;
    d.set_item("drawdown", PyArray1::from_vec(py, r.drawdown))?;
    let o = PyDict::new(py);
    let col = |f: &dyn Fn(&barrow_core::backtest::Order) -> f64| r.orders.iter().map(f).collect::<Vec<f64>>();
    o.set_item(
        "idx",
        PyArray1::from_vec(py, r.orders.iter().map(|x| x.idx as i64).collect()),
    )?;
    o.set_item("size", PyArray1::from_vec(py, col(&|x| x.size)))?;
    o.set_item("price", PyArray1::from_vec(py, col(&|x| x.price)))?;
    o.set_item("fees", PyArray1::from_vec(py, col(&|x| x.fees)))?;
    o.set_item(
        "side",
        PyArray1::from_vec(py, r.orders.iter().map(|x| (x.side == Side::Sell) as i8).collect()),
    )?;
    o.set_item(
        "stop",
        PyArray1::from_vec(py, r.orders.iter().map(|x| x.stop).collect()),
    )?;
    d.set_item("orders", o)?;
    let t = PyDict::new(py);
    let tcol = |f: &dyn Fn(&barrow_core::backtest::Trade) -> f64| r.trades.iter().map(f).collect::<Vec<f64>>();
    let tidx =
        |f: &dyn Fn(&barrow_core::backtest::Trade) -> usize| r.trades.iter().map(|x| f(x) as i64).collect::<Vec<i64>>();
    t.set_item("entry_idx", PyArray1::from_vec(py, tidx(&|x| x.entry_idx)))?;
    t.set_item("exit_idx", PyArray1::from_vec(py, tidx(&|x| x.exit_idx)))?;
    t.set_item("size", PyArray1::from_vec(py, tcol(&|x| x.size)))?;
    t.set_item("entry_price", PyArray1::from_vec(py, tcol(&|x| x.entry_price)))?;
    t.set_item("entry_fees", PyArray1::from_vec(py, tcol(&|x| x.entry_fees)))?;
    t.set_item("exit_price", PyArray1::from_vec(py, tcol(&|x| x.exit_price)))?;
    t.set_item("exit_fees", PyArray1::from_vec(py, tcol(&|x| x.exit_fees)))?;
    t.set_item("pnl", PyArray1::from_vec(py, tcol(&|x| x.pnl)))?;
    t.set_item("return", PyArray1::from_vec(py, tcol(&|x| x.ret)))?;
    t.set_item("duration", PyArray1::from_vec(py, tidx(&|x| x.duration())))?;
    t.set_item(
        "direction",
        PyArray1::from_vec(
            py,
            r.trades
                .iter()
                .map(|x| (x.direction == TradeDirection::Short) as i8)
                .collect(),
        ),
    )?;
    t.set_item(
        "closed",
        PyArray1::from_vec(py, r.trades.iter().map(|x| x.closed).collect()),
    )?;
    d.set_item("trades", t)?;
    d.set_item("metrics", metrics_dict(py, &r.metrics)?)?;
    Ok(d)
}

fn column_kinds(schema: &arrow_schema::Schema) -> Vec<(String, String)> {
    schema
        .fields()
        .iter()
        .map(|f| {
            let kind = match f.data_type() {
                arrow_schema::DataType::Utf8 => "string",
                arrow_schema::DataType::Int64 => "long",
                _ => "double",
            };
            (f.name().clone(), kind.to_string())
        })
        .collect()
}

/// Checks a sweep (or, with `walk_forward`, a walk-forward) spec; returns
/// its normalized JSON and output columns as (name, "string" | "long" |
/// "double") pairs.
#[pyfunction]
#[pyo3(signature = (spec_json, walk_forward=false))]
pub fn plan_sweep(spec_json: &str, walk_forward: bool) -> PyResult<(String, Vec<(String, String)>)> {
    if walk_forward {
        let spec: WalkForwardSpec = serde_json::from_str(spec_json)
            .map_err(|e| PyValueError::new_err(format!("invalid spec: walk-forward: {e}")))?;
        SweepSpec::from_json(&serde_json::to_string(&spec.sweep).expect("spec serializes")).map_err(to_py_err)?;
        let json = serde_json::to_string(&spec).expect("spec serializes");
        Ok((json, column_kinds(&walk_forward_schema(&spec))))
    } else {
        let spec = SweepSpec::from_json(spec_json).map_err(to_py_err)?;
        let json = serde_json::to_string(&spec).expect("spec serializes");
        Ok((json, column_kinds(&sweep_schema(&spec))))
    }
}

/// Sweeps a table (anything with `__arrow_c_stream__` or
/// `__arrow_c_array__`); returns one row per (symbol, combination).
#[pyfunction]
pub fn sweep_table(py: Python<'_>, spec_json: &str, table: &Bound<'_, PyAny>) -> PyResult<ArrowData> {
    let spec = SweepSpec::from_json(spec_json).map_err(to_py_err)?;
    let (_, batches) = crate::arrow::import_batches(table)?;
    let out = compute(py, || sweep_batch(&batches, &spec))?;
    Ok(ArrowData::from_batches(out.schema(), vec![out]))
}

/// Walk-forward optimization over every symbol of a table; one row per
/// (symbol, window).
#[pyfunction]
pub fn walk_forward_table(py: Python<'_>, spec_json: &str, table: &Bound<'_, PyAny>) -> PyResult<ArrowData> {
    let spec: WalkForwardSpec = serde_json::from_str(spec_json)
        .map_err(|e| PyValueError::new_err(format!("invalid spec: walk-forward: {e}")))?;
    let (_, batches) = crate::arrow::import_batches(table)?;
    let out = compute(py, || walk_forward_batch(&batches, &spec))?;
    Ok(ArrowData::from_batches(out.schema(), vec![out]))
}
