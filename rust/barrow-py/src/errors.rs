//! Mapping of core errors and panics to Python exceptions.

use std::panic::{catch_unwind, AssertUnwindSafe};

use barrow_core::BarrowError;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;

/// `TypeError` for type problems, `ValueError` for everything else.
pub fn to_py_err(e: BarrowError) -> PyErr {
    if e.is_type_error() {
        PyTypeError::new_err(e.to_string())
    } else {
        PyValueError::new_err(e.to_string())
    }
}

/// Runs `f` without the GIL; a core error becomes a Python exception and a
/// panic becomes a `RuntimeError` instead of crossing into Python.
pub fn compute<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> barrow_core::Result<T> + Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(result) => result.map_err(to_py_err),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(PyRuntimeError::new_err(format!("barrow internal error: {msg}")))
        }
    }
}
