//! Arrow PyCapsule interface: import from any object exposing
//! `__arrow_c_array__` / `__arrow_c_stream__` (pyarrow, polars, ...) and
//! export through the same protocol, without copying buffers.

use std::ffi::CStr;
use std::sync::Arc;

use arrow_array::ffi::{from_ffi, FFI_ArrowArray, FFI_ArrowSchema};
use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use arrow_array::{make_array, Array, ArrayRef, RecordBatch, RecordBatchIterator, StructArray};
use arrow_schema::{ArrowError, DataType, Field, SchemaRef};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyTuple};

const SCHEMA: &CStr = c"arrow_schema";
const ARRAY: &CStr = c"arrow_array";
const STREAM: &CStr = c"arrow_array_stream";

fn arrow_err(e: ArrowError) -> PyErr {
    PyValueError::new_err(format!("arrow error: {e}"))
}

fn capsule_ptr<'py>(obj: &Bound<'py, PyAny>, name: &CStr) -> PyResult<*mut std::ffi::c_void> {
    let cap = obj.cast::<PyCapsule>()?;
    Ok(cap.pointer_checked(Some(name))?.as_ptr())
}

/// Imports an object with `__arrow_c_array__` as (field, array).
fn import_c_array(obj: &Bound<'_, PyAny>) -> PyResult<(Field, ArrayRef)> {
    let pair = obj.call_method0("__arrow_c_array__")?;
    let pair = pair.cast::<PyTuple>()?;
    if pair.len() != 2 {
        return Err(PyTypeError::new_err(
            "__arrow_c_array__ must return (schema, array) capsules",
        ));
    }
    let schema_ptr = capsule_ptr(&pair.get_item(0)?, SCHEMA)? as *mut FFI_ArrowSchema;
    let array_ptr = capsule_ptr(&pair.get_item(1)?, ARRAY)? as *mut FFI_ArrowArray;
    // SAFETY: the capsules are named per the Arrow PyCapsule interface, so
    // they hold valid C structs; the array is moved out (its capsule is left
    // released) and the schema is only borrowed.
    let (field, data) = unsafe {
        let schema = &*schema_ptr;
        let field = Field::try_from(schema).map_err(arrow_err)?;
        let array = FFI_ArrowArray::from_raw(array_ptr);
        (field, from_ffi(array, schema).map_err(arrow_err)?)
    };
    Ok((field, make_array(data)))
}

/// Imports an object with `__arrow_c_stream__` as a reader.
fn import_c_stream(obj: &Bound<'_, PyAny>) -> PyResult<ArrowArrayStreamReader> {
    let cap = obj.call_method0("__arrow_c_stream__")?;
    let ptr = capsule_ptr(&cap, STREAM)? as *mut FFI_ArrowArrayStream;
    // SAFETY: a capsule named "arrow_array_stream" holds a valid stream,
    // which is moved out and leaves the capsule's copy released.
    let stream = unsafe { FFI_ArrowArrayStream::from_raw(ptr) };
    ArrowArrayStreamReader::try_new(stream).map_err(arrow_err)
}

/// True if `obj` speaks the Arrow PyCapsule interface.
pub fn is_arrow(obj: &Bound<'_, PyAny>) -> bool {
    obj.hasattr("__arrow_c_stream__").unwrap_or(false) || obj.hasattr("__arrow_c_array__").unwrap_or(false)
}

/// Imports a table-like object (record batch, table, stream) as batches.
pub fn import_batches(obj: &Bound<'_, PyAny>) -> PyResult<(SchemaRef, Vec<RecordBatch>)> {
    if obj.hasattr("__arrow_c_stream__")? {
        let reader = import_c_stream(obj)?;
        let schema = arrow_array::RecordBatchReader::schema(&reader);
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(arrow_err)?;
        return Ok((schema, batches));
    }
    let batch = import_batch(obj)?;
    Ok((batch.schema(), vec![batch]))
}

/// Imports one record batch from an object with `__arrow_c_array__`.
pub fn import_batch(obj: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    if !obj.hasattr("__arrow_c_array__")? {
        return Err(PyTypeError::new_err(format!(
            "expected an Arrow record batch (an object with __arrow_c_array__), got {}",
            obj.get_type().name()?
        )));
    }
    let (field, array) = import_c_array(obj)?;
    match array.data_type() {
        DataType::Struct(_) => {
            let s = array.as_any().downcast_ref::<StructArray>().expect("struct array");
            let batch = RecordBatch::from(s.clone());
            // Keep the schema-level metadata carried on the field.
            let schema = Arc::new(batch.schema().as_ref().clone().with_metadata(field.metadata().clone()));
            batch.with_schema(schema).map_err(arrow_err)
        }
        other => Err(PyTypeError::new_err(format!(
            "expected an Arrow record batch (struct array), got an array of {other}"
        ))),
    }
}

/// Imports a column-like object (array, chunked array, polars series) as
/// its chunks.
pub fn import_array(obj: &Bound<'_, PyAny>) -> PyResult<Vec<ArrayRef>> {
    if obj.hasattr("__arrow_c_array__")? {
        return Ok(vec![import_c_array(obj)?.1]);
    }
    let reader = import_c_stream(obj)?;
    let mut chunks = Vec::new();
    for batch in reader {
        let batch = batch.map_err(arrow_err)?;
        if batch.num_columns() != 1 {
            return Err(PyTypeError::new_err(format!(
                "expected a single Arrow column, got a stream of {} columns",
                batch.num_columns()
            )));
        }
        chunks.push(batch.column(0).clone());
    }
    Ok(chunks)
}

/// Arrow data produced by barrow, exported through the PyCapsule interface:
/// `pyarrow.table(x)`, `pyarrow.record_batch(x)` or `pyarrow.array(x)` take
/// it without copying.
#[pyclass(module = "barrow._native", frozen)]
pub struct ArrowData {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    array: Option<(Field, ArrayRef)>,
}

impl ArrowData {
    /// Wraps record batches sharing `schema`.
    pub fn from_batches(schema: SchemaRef, batches: Vec<RecordBatch>) -> Self {
        Self {
            schema,
            batches,
            array: None,
        }
    }

    /// Wraps a single array.
    pub fn from_array(name: &str, array: ArrayRef) -> Self {
        let field = Field::new(name, array.data_type().clone(), true);
        Self {
            schema: Arc::new(arrow_schema::Schema::empty()),
            batches: Vec::new(),
            array: Some((field, array)),
        }
    }
}

#[pymethods]
impl ArrowData {
    /// Exports a stream of the batches (or of the single array as one column).
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let (schema, batches) = match &self.array {
            Some((field, array)) => {
                let schema = Arc::new(arrow_schema::Schema::new(vec![field.clone()]));
                let batch = RecordBatch::try_new(schema.clone(), vec![array.clone()]).map_err(arrow_err)?;
                (schema, vec![batch])
            }
            None => (self.schema.clone(), self.batches.clone()),
        };
        let reader = RecordBatchIterator::new(batches.into_iter().map(Ok), schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    /// Exports the single array, or the single batch as a struct array.
    #[pyo3(signature = (requested_schema=None))]
    fn __arrow_c_array__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let _ = requested_schema;
        let (field, array): (Field, ArrayRef) = match &self.array {
            Some((f, a)) => (f.clone(), a.clone()),
            None => {
                if self.batches.len() != 1 {
                    return Err(PyTypeError::new_err(format!(
                        "this result holds {} batches; read it as a stream (pyarrow.table)",
                        self.batches.len()
                    )));
                }
                let s: StructArray = self.batches[0].clone().into();
                let field = Field::new("", s.data_type().clone(), false).with_metadata(self.schema.metadata().clone());
                (field, Arc::new(s))
            }
        };
        let schema = FFI_ArrowSchema::try_from(&field).map_err(arrow_err)?;
        let array = FFI_ArrowArray::new(&array.to_data());
        let schema = PyCapsule::new_with_value(py, schema, SCHEMA)?;
        let array = PyCapsule::new_with_value(py, array, ARRAY)?;
        PyTuple::new(py, [schema.into_any(), array.into_any()])
    }

    /// Number of rows.
    fn __len__(&self) -> usize {
        match &self.array {
            Some((_, a)) => a.len(),
            None => self.batches.iter().map(|b| b.num_rows()).sum(),
        }
    }
}
