//! Typed access to Arrow columns with barrow's validation rules: a column is
//! found by name, must have a usable type, and must hold no null (and, for
//! prices, no NaN or infinite) value. Errors name the column and the row.

use std::borrow::Cow;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt16Type,
    UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, Int32Array, RecordBatch};
use arrow_schema::{DataType, Schema, TimeUnit};

use crate::error::{BarrowError, Result};

/// Finds a column by name, or says which columns exist.
pub fn column<'a>(batch: &'a RecordBatch, name: &str, purpose: &str) -> Result<&'a ArrayRef> {
    match batch.schema().index_of(name) {
        Ok(i) => Ok(batch.column(i)),
        Err(_) => Err(missing(batch.schema().as_ref(), name, purpose)),
    }
}

fn missing(schema: &Schema, name: &str, purpose: &str) -> BarrowError {
    let have: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    BarrowError::MissingColumn {
        column: name.to_string(),
        reason: format!("{purpose}; the input has columns [{}]", have.join(", ")),
    }
}

fn first_null(a: &dyn Array) -> Option<usize> {
    if a.null_count() == 0 {
        return None;
    }
    (0..a.len()).find(|&i| a.is_null(i))
}

/// Errors on the first null of a column, naming it and the row.
fn reject_nulls(name: &str, a: &dyn Array, row_context: &dyn Fn(usize) -> String) -> Result<()> {
    match first_null(a) {
        None => Ok(()),
        Some(row) => Err(BarrowError::InvalidValue {
            column: name.to_string(),
            kind: "null".to_string(),
            row,
            context: row_context(row),
        }),
    }
}

/// Reads a numeric column as f64 without copying when it already is a
/// null-free Float64 column. Nulls are an error; NaN and infinities are an
/// error when `finite` is set. `row_context` names the symbol of a row.
pub fn f64_values<'a>(
    name: &str,
    a: &'a ArrayRef,
    finite: bool,
    row_context: &dyn Fn(usize) -> String,
) -> Result<Cow<'a, [f64]>> {
    reject_nulls(name, a.as_ref(), row_context)?;
    macro_rules! widen {
        ($t:ty) => {
            Cow::Owned(
                a.as_primitive::<$t>()
                    .values()
                    .iter()
                    .map(|&v| v as f64)
                    .collect(),
            )
        };
    }
    let values: Cow<'a, [f64]> = match a.data_type() {
        DataType::Float64 => Cow::Borrowed(a.as_primitive::<Float64Type>().values().as_ref()),
        DataType::Float32 => widen!(Float32Type),
        DataType::Int8 => widen!(Int8Type),
        DataType::Int16 => widen!(Int16Type),
        DataType::Int32 => widen!(Int32Type),
        DataType::Int64 => widen!(Int64Type),
        DataType::UInt8 => widen!(UInt8Type),
        DataType::UInt16 => widen!(UInt16Type),
        DataType::UInt32 => widen!(UInt32Type),
        DataType::UInt64 => widen!(UInt64Type),
        other => {
            let hint = match other {
                DataType::Decimal32(..)
                | DataType::Decimal64(..)
                | DataType::Decimal128(..)
                | DataType::Decimal256(..) => " (cast decimals to float64 first)",
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => " (parse strings to numbers first)",
                _ => "",
            };
            return Err(BarrowError::WrongType {
                column: name.to_string(),
                expected: format!("a float or integer column{hint}"),
                found: other.to_string(),
            });
        }
    };
    if finite {
        if let Some(row) = values.iter().position(|v| !v.is_finite()) {
            let kind = if values[row].is_nan() { "NaN" } else { "infinite" };
            return Err(BarrowError::InvalidValue {
                column: name.to_string(),
                kind: kind.to_string(),
                row,
                context: row_context(row),
            });
        }
    }
    Ok(values)
}

/// Reads a timestamp-like column (timestamp of any unit, date, or integer)
/// as i64 in its own unit. Nulls are an error.
pub fn time_values<'a>(name: &str, a: &'a ArrayRef) -> Result<Cow<'a, [i64]>> {
    reject_nulls(name, a.as_ref(), &|_| String::new())?;
    Ok(match a.data_type() {
        DataType::Timestamp(TimeUnit::Second, _) => Cow::Borrowed(a.as_primitive::<TimestampSecondType>().values()),
        DataType::Timestamp(TimeUnit::Millisecond, _) => {
            Cow::Borrowed(a.as_primitive::<TimestampMillisecondType>().values())
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            Cow::Borrowed(a.as_primitive::<TimestampMicrosecondType>().values())
        }
        DataType::Timestamp(TimeUnit::Nanosecond, _) => {
            Cow::Borrowed(a.as_primitive::<TimestampNanosecondType>().values())
        }
        DataType::Date64 => Cow::Borrowed(a.as_primitive::<Date64Type>().values()),
        DataType::Int64 => Cow::Borrowed(a.as_primitive::<Int64Type>().values()),
        DataType::Date32 => Cow::Owned(
            a.as_primitive::<Date32Type>()
                .values()
                .iter()
                .map(|&v| v as i64)
                .collect(),
        ),
        DataType::Int32 => Cow::Owned(
            a.as_primitive::<Int32Type>()
                .values()
                .iter()
                .map(|&v| v as i64)
                .collect(),
        ),
        other => {
            return Err(BarrowError::WrongType {
                column: name.to_string(),
                expected: "timestamp, date32, date64, int64 or int32".to_string(),
                found: other.to_string(),
            });
        }
    })
}

/// Row accessor for a string-like symbol column.
pub enum Symbols<'a> {
    /// `Utf8`.
    Utf8(&'a arrow_array::StringArray),
    /// `LargeUtf8`.
    Large(&'a arrow_array::LargeStringArray),
    /// `Utf8View`.
    View(&'a arrow_array::StringViewArray),
}

impl<'a> Symbols<'a> {
    /// Wraps a symbol column; it must be a null-free string column.
    pub fn new(name: &str, a: &'a ArrayRef) -> Result<Self> {
        let s = match a.data_type() {
            DataType::Utf8 => Symbols::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Symbols::Large(a.as_string::<i64>()),
            DataType::Utf8View => Symbols::View(a.as_string_view()),
            other => {
                return Err(BarrowError::WrongType {
                    column: name.to_string(),
                    expected: "a string column (utf8, large_utf8 or utf8_view)".to_string(),
                    found: other.to_string(),
                })
            }
        };
        reject_nulls(name, a.as_ref(), &|_| String::new())?;
        Ok(s)
    }

    /// The symbol at `row`.
    #[inline]
    pub fn get(&self, row: usize) -> &'a str {
        match self {
            Symbols::Utf8(a) => a.value(row),
            Symbols::Large(a) => a.value(row),
            Symbols::View(a) => a.value(row),
        }
    }
}

/// Concatenates numeric chunks into f64 values with nulls read as NaN, as
/// TA-Lib sees missing values. Non-numeric types are an error naming `name`.
pub fn f64_nulls_as_nan(name: &str, chunks: &[ArrayRef]) -> Result<Vec<f64>> {
    let mut out = Vec::with_capacity(chunks.iter().map(|c| c.len()).sum());
    for chunk in chunks {
        let start = out.len();
        let stripped = strip_nulls(chunk);
        out.extend_from_slice(&f64_values(name, &stripped, false, &|_| String::new())?);
        if chunk.null_count() > 0 {
            for (i, v) in out[start..].iter_mut().enumerate() {
                if chunk.is_null(i) {
                    *v = f64::NAN;
                }
            }
        }
    }
    Ok(out)
}

fn strip_nulls(a: &ArrayRef) -> ArrayRef {
    if a.null_count() == 0 {
        return a.clone();
    }
    let data = a.to_data().into_builder().nulls(None).build();
    match data {
        Ok(d) => arrow_array::make_array(d),
        Err(_) => a.clone(),
    }
}

/// An integer output column from exact `f64` values (pattern codes, bar
/// indices); NaN, where TA-Lib has no value, becomes 0 as in TA-Lib.
pub fn integer_array(values: &[f64]) -> Int32Array {
    values
        .iter()
        .map(|&v| if v.is_nan() { 0 } else { v as i32 })
        .collect::<Vec<i32>>()
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Decimal128Array, Float64Array, Int32Array, StringArray};
    use std::sync::Arc;

    #[test]
    fn nulls_become_nan_and_integers_widen() {
        let a: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), None, Some(3)]));
        let b: ArrayRef = Arc::new(Float64Array::from(vec![4.5]));
        let v = f64_nulls_as_nan("x", &[a, b]).unwrap();
        assert_eq!(v[0], 1.0);
        assert!(v[1].is_nan());
        assert_eq!(&v[2..], &[3.0, 4.5]);
    }

    #[test]
    fn strings_and_decimals_are_type_errors_naming_the_column() {
        let s: ArrayRef = Arc::new(StringArray::from(vec!["1"]));
        let e = f64_nulls_as_nan("close", &[s]).unwrap_err();
        assert!(e.is_type_error() && e.to_string().contains("'close'"));
        let d: ArrayRef = Arc::new(Decimal128Array::from(vec![1]).with_precision_and_scale(10, 2).unwrap());
        assert!(f64_nulls_as_nan("close", &[d])
            .unwrap_err()
            .to_string()
            .contains("decimal"));
    }
}
