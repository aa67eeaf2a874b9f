//! Ordering of a stream sorted by (symbol, timestamp), checked batch by
//! batch: each symbol's rows form one contiguous run with strictly
//! increasing timestamps, and a run may continue from one batch into the
//! next. Shared by the indicator pipeline and the model stage.

use std::collections::HashSet;

use crate::columns::Symbols;
use crate::error::{BarrowError, Result};

/// A contiguous run of one symbol within a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First row.
    pub start: usize,
    /// Number of rows.
    pub len: usize,
    /// True when the run continues the one still open from the last batch.
    pub continues: bool,
}

/// Tracks the open run and the finished symbols of a stream.
#[derive(Debug, Default)]
pub struct RunTracker {
    symbol_column: String,
    time_column: String,
    open: Option<(String, i64)>,
    closed: HashSet<String>,
}

impl RunTracker {
    /// A tracker for the given key columns (used in error messages).
    pub fn new(symbol_column: &str, time_column: &str) -> Self {
        Self {
            symbol_column: symbol_column.to_string(),
            time_column: time_column.to_string(),
            open: None,
            closed: HashSet::new(),
        }
    }

    /// The symbol whose run is open at the end of the last batch.
    pub fn open_symbol(&self) -> Option<&str> {
        self.open.as_ref().map(|(s, _)| s.as_str())
    }

    /// Splits a batch into runs and checks the ordering against everything
    /// seen before, without changing any state.
    pub fn plan(&self, symbols: &Symbols<'_>, times: &[i64]) -> Result<Vec<Segment>> {
        let n = times.len();
        let mut segments = Vec::new();
        let mut in_batch: HashSet<&str> = HashSet::new();
        let unsorted = |row: usize, symbol: &str, column: &str, reason: String| BarrowError::Unsorted {
            column: column.to_string(),
            symbol: symbol.to_string(),
            row,
            reason,
        };
        let mut row = 0;
        while row < n {
            let symbol = symbols.get(row);
            let start = row;
            let mut prev_time = match &self.open {
                Some((open, last)) if start == 0 && open == symbol => Some(*last),
                _ => None,
            };
            let continues = prev_time.is_some();
            if self.closed.contains(symbol)
                || !in_batch.insert(symbol)
                || (!continues && self.open_symbol() == Some(symbol))
            {
                let reason = "symbol appears again after other symbols".to_string();
                return Err(unsorted(row, symbol, &self.symbol_column, reason));
            }
            while row < n && symbols.get(row) == symbol {
                let t = times[row];
                if let Some(p) = prev_time {
                    if t == p {
                        return Err(unsorted(
                            row,
                            symbol,
                            &self.time_column,
                            format!("duplicate timestamp {t}"),
                        ));
                    }
                    if t < p {
                        let reason = format!("timestamp {t} comes after {p}");
                        return Err(unsorted(row, symbol, &self.time_column, reason));
                    }
                }
                prev_time = Some(t);
                row += 1;
            }
            segments.push(Segment {
                start,
                len: row - start,
                continues,
            });
        }
        Ok(segments)
    }

    /// Records a planned batch: every run but the last is finished, the last
    /// stays open. An empty batch changes nothing.
    pub fn commit(&mut self, symbols: &Symbols<'_>, times: &[i64], segments: &[Segment]) {
        let Some(last) = segments.last() else { return };
        if let Some((open, _)) = self.open.take() {
            if !segments[0].continues {
                self.closed.insert(open);
            }
        }
        for seg in &segments[..segments.len() - 1] {
            self.closed.insert(symbols.get(seg.start).to_string());
        }
        let end = last.start + last.len - 1;
        self.open = Some((symbols.get(last.start).to_string(), times[end]));
    }
}
