//! Typed errors shared by every barrow kernel.
//!
//! Each variant names what was wrong and where (column, row, symbol or
//! parameter), so that the Python binding can turn it into a `ValueError` or
//! `TypeError` whose message a user can act on without reading the source.

use thiserror::Error;

/// Result alias used across the crate.
pub type Result<T, E = BarrowError> = std::result::Result<T, E>;

/// Everything that can go wrong in barrow-core.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum BarrowError {
    /// A column the computation needs is absent from the input.
    #[error("missing column '{column}': {reason}")]
    MissingColumn {
        /// Column name.
        column: String,
        /// Why the column is needed, and what the input does have.
        reason: String,
    },
    /// A column has a data type the computation cannot use.
    #[error("column '{column}' has type {found}; expected {expected}")]
    WrongType {
        /// Column name.
        column: String,
        /// Accepted type(s).
        expected: String,
        /// Type found in the input.
        found: String,
    },
    /// A value is null, NaN or infinite where a finite number is required.
    #[error("column '{column}' has a {kind} value at row {row}{context}")]
    InvalidValue {
        /// Column name.
        column: String,
        /// `null`, `NaN`, `infinite`, ...
        kind: String,
        /// Row index within the batch.
        row: usize,
        /// Extra context, such as the symbol.
        context: String,
    },
    /// Timestamps are not strictly increasing within a symbol.
    #[error("column '{column}': {reason} for symbol '{symbol}' at row {row}; rows must be sorted by (symbol, timestamp) with unique timestamps per symbol")]
    Unsorted {
        /// Timestamp or symbol column name.
        column: String,
        /// Symbol whose ordering is broken.
        symbol: String,
        /// Row index within the batch.
        row: usize,
        /// `duplicate timestamp`, `timestamp goes backwards`, ...
        reason: String,
    },
    /// The input holds no rows where at least one is required.
    #[error("empty input: {0}")]
    EmptyInput(String),
    /// A parameter is out of range or of the wrong kind.
    #[error("bad parameter '{name}' = {value}: {reason}")]
    BadParameter {
        /// Parameter name, as in TA-Lib or scikit-learn.
        name: String,
        /// Offending value, formatted.
        value: String,
        /// What would be valid.
        reason: String,
    },
    /// Inputs that must have equal lengths do not.
    #[error("length mismatch: {0}")]
    LengthMismatch(String),
    /// A specification (JSON) could not be understood.
    #[error("invalid spec: {0}")]
    Spec(String),
    /// Arrow-level failure (FFI import/export, array construction).
    #[error("arrow error: {0}")]
    Arrow(String),
    /// A model was used before being fitted, or with inputs of the wrong shape.
    #[error("model error: {0}")]
    Model(String),
}

impl BarrowError {
    /// True for errors about the *type* of an input (mapped to `TypeError`).
    pub fn is_type_error(&self) -> bool {
        matches!(self, BarrowError::WrongType { .. })
    }

    /// Shorthand for [`BarrowError::BadParameter`].
    pub fn bad_param(name: &str, value: impl std::fmt::Display, reason: impl Into<String>) -> Self {
        BarrowError::BadParameter {
            name: name.to_string(),
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}

impl From<arrow_schema::ArrowError> for BarrowError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        BarrowError::Arrow(e.to_string())
    }
}
