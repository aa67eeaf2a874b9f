//! Multi-symbol indicator pipelines over Arrow record batches.
//!
//! A [`Pipeline`] receives the batches of a table sorted by (symbol,
//! timestamp), in order, and appends the spec's indicator columns to each.
//! Each symbol's rows form one contiguous run that may span several
//! batches; the indicator state of the run that is still open at the end of
//! a batch carries into the next one, so any batching of the table gives
//! bit-identical output. Segments and indicators of one batch are computed
//! in parallel with rayon.
//!
//! A batch is validated completely before any state changes: on error the
//! pipeline is as it was before the call and nothing partial is returned.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, RecordBatchOptions};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use rayon::prelude::*;

use crate::columns::{column, f64_values, integer_array, time_values, Symbols};
use crate::error::{BarrowError, Result};
use crate::indicators::Indicator;
use crate::runs::RunTracker;
use crate::spec::{IndicatorPlan, PipelineSpec};

/// Streaming, stateful indicator computation over sorted batches.
pub struct Pipeline {
    spec: PipelineSpec,
    plans: Vec<IndicatorPlan>,
    runs: RunTracker,
    /// Indicator state of the run still open at the end of the last batch.
    open_state: Option<Vec<Box<dyn Indicator>>>,
    input_schema: Option<SchemaRef>,
    output_schema: Option<SchemaRef>,
}

impl Pipeline {
    /// Validates the spec and builds an empty pipeline.
    pub fn new(spec: PipelineSpec) -> Result<Self> {
        let plans = spec.plan()?;
        let runs = RunTracker::new(&spec.symbol, &spec.timestamp);
        Ok(Self {
            spec,
            plans,
            runs,
            open_state: None,
            input_schema: None,
            output_schema: None,
        })
    }

    /// The spec this pipeline runs.
    pub fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    /// Names of the appended columns, in order.
    pub fn output_columns(&self) -> Vec<&str> {
        self.plans
            .iter()
            .flat_map(|p| p.output_columns.iter().map(String::as_str))
            .collect()
    }

    /// The schema of output batches for a given input schema.
    pub fn output_schema(&self, input: &Schema) -> Result<SchemaRef> {
        let mut fields: Vec<Arc<Field>> = input.fields().iter().cloned().collect();
        for (name, ty) in self.plans.iter().flat_map(IndicatorPlan::output_fields) {
            if input.index_of(name).is_ok() {
                return Err(BarrowError::Spec(format!(
                    "output column '{name}' already exists in the input; give the indicator another name"
                )));
            }
            fields.push(Arc::new(Field::new(name, ty, true)));
        }
        Ok(Arc::new(Schema::new_with_metadata(fields, input.metadata().clone())))
    }

    /// Wraps computed outputs as Arrow arrays of each column's type.
    fn output_arrays(&self, outputs: Vec<Vec<f64>>) -> impl Iterator<Item = ArrayRef> + '_ {
        let types = self.plans.iter().flat_map(IndicatorPlan::output_fields).map(|(_, t)| t);
        outputs.into_iter().zip(types).map(|(v, t)| match t {
            DataType::Int32 => Arc::new(integer_array(&v)) as ArrayRef,
            _ => Arc::new(Float64Array::from(v)) as ArrayRef,
        })
    }

    /// Processes the next batch and returns it with the indicator columns
    /// appended.
    pub fn process(&mut self, batch: &RecordBatch) -> Result<RecordBatch> {
        let schema = batch.schema();
        let out_schema = match (&self.input_schema, &self.output_schema) {
            (Some(s), Some(o)) if s == &schema => o.clone(),
            (Some(s), _) => {
                return Err(BarrowError::Spec(format!(
                    "batch schema changed within the stream: first {s:?}, now {schema:?}"
                )))
            }
            _ => {
                let o = self.output_schema(&schema)?;
                self.input_schema = Some(schema.clone());
                self.output_schema = Some(o.clone());
                o
            }
        };
        let n = batch.num_rows();

        // Validate everything before touching any state.
        let sym_name = &self.spec.symbol;
        let time_name = &self.spec.timestamp;
        let symbols = Symbols::new(sym_name, column(batch, sym_name, "it holds the symbol of each row")?)?;
        let times = time_values(
            time_name,
            column(batch, time_name, "it holds the timestamp of each row")?,
        )?;
        let context = |row: usize| format!(" (symbol '{}')", symbols.get(row));
        let mut inputs: HashMap<&str, Cow<'_, [f64]>> = HashMap::new();
        for plan in &self.plans {
            for col in &plan.input_columns {
                if !inputs.contains_key(col.as_str()) {
                    let purpose = format!("{} reads it", plan.info.name);
                    let values = f64_values(col, column(batch, col, &purpose)?, true, &context)?;
                    inputs.insert(col.as_str(), values);
                }
            }
        }
        let segments = self.runs.plan(&symbols, &times)?;

        // Compute: one work item per (segment, indicator), in parallel.
        let n_cols: usize = self.plans.iter().map(|p| p.output_columns.len()).sum();
        let mut outputs: Vec<Vec<f64>> = (0..n_cols).map(|_| vec![0.0; n]).collect();
        let options = RecordBatchOptions::new().with_row_count(Some(n));
        if segments.is_empty() {
            // An empty batch: nothing to compute, and the open run stays open.
            let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
            columns.extend(self.output_arrays(outputs));
            return Ok(RecordBatch::try_new_with_options(out_schema, columns, &options)?);
        }
        let mut carried = match segments.first() {
            Some(first) if first.continues => self.open_state.take(),
            _ => None,
        };
        let mut states: Vec<Vec<Box<dyn Indicator>>> = Vec::with_capacity(segments.len());
        for _ in &segments {
            match carried.take() {
                Some(state) => states.push(state),
                None => states.push(self.plans.iter().map(IndicatorPlan::build).collect()),
            }
        }
        {
            let mut out_views: Vec<Vec<&mut [f64]>> = segments.iter().map(|_| Vec::with_capacity(n_cols)).collect();
            for col in outputs.iter_mut() {
                let mut rest: &mut [f64] = col.as_mut_slice();
                for (k, seg) in segments.iter().enumerate() {
                    let (head, tail) = std::mem::take(&mut rest).split_at_mut(seg.len);
                    out_views[k].push(head);
                    rest = tail;
                }
            }
            let mut work = Vec::with_capacity(segments.len() * self.plans.len());
            for ((seg, seg_states), views) in segments.iter().zip(states.iter_mut()).zip(out_views) {
                let mut views = views.into_iter();
                for (plan, state) in self.plans.iter().zip(seg_states.iter_mut()) {
                    let ins: Vec<&[f64]> = plan
                        .input_columns
                        .iter()
                        .map(|c| &inputs[c.as_str()][seg.start..seg.start + seg.len])
                        .collect();
                    let outs: Vec<&mut [f64]> = views.by_ref().take(plan.output_columns.len()).collect();
                    work.push((state, ins, outs));
                }
            }
            work.par_iter_mut()
                .for_each(|(state, ins, outs)| state.update(ins, outs));
        }

        // Commit: the last run stays open with its state.
        self.runs.commit(&symbols, &times, &segments);
        self.open_state = states.pop();

        let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
        columns.extend(self.output_arrays(outputs));
        Ok(RecordBatch::try_new_with_options(out_schema, columns, &options)?)
    }
}

/// Computes a spec over a whole table given as batches; the table must not
/// be empty.
pub fn compute_table(spec: PipelineSpec, batches: &[RecordBatch]) -> Result<Vec<RecordBatch>> {
    if batches.iter().all(|b| b.num_rows() == 0) {
        return Err(BarrowError::EmptyInput("the table has no rows".to_string()));
    }
    let mut pipeline = Pipeline::new(spec)?;
    batches.iter().map(|b| pipeline.process(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synthetic::{generate_ohlcv, SyntheticConfig};
    use arrow_array::cast::AsArray;
    use arrow_array::types::Float64Type;
    use arrow_array::{Int64Array, StringArray};

    fn spec() -> PipelineSpec {
        PipelineSpec::from_json(
            r#"{"indicators":[{"fn":"SMA","params":{"timeperiod":5}},{"fn":"MACD"},{"fn":"ATR"},{"fn":"RSI"},{"fn":"BBANDS"},{"fn":"LOG_RETURN"}]}"#,
        )
        .unwrap()
    }

    fn tiny(symbols: &[&str], times: &[i64], close: &[f64]) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![
            Field::new("symbol", DataType::Utf8, false),
            Field::new("timestamp", DataType::Int64, false),
            Field::new("close", DataType::Float64, true),
        ]));
        RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(symbols.to_vec())),
                Arc::new(Int64Array::from(times.to_vec())),
                Arc::new(Float64Array::from(close.to_vec())),
            ],
        )
        .unwrap()
    }

    fn sma_spec() -> PipelineSpec {
        PipelineSpec::from_json(r#"{"indicators":[{"fn":"SMA","params":{"timeperiod":2}}]}"#).unwrap()
    }

    #[test]
    fn any_batching_gives_identical_output() {
        let table = generate_ohlcv(&SyntheticConfig {
            symbols: 7,
            bars: 300,
            seed: 3,
            ..Default::default()
        })
        .unwrap();
        let whole = compute_table(spec(), std::slice::from_ref(&table)).unwrap();
        for size in [1usize, 13, 299, 300, 301, 1000] {
            let mut batches = Vec::new();
            let mut off = 0;
            while off < table.num_rows() {
                let len = size.min(table.num_rows() - off);
                batches.push(table.slice(off, len));
                off += len;
            }
            let parts = compute_table(spec(), &batches).unwrap();
            let start = table.num_columns();
            for c in start..whole[0].num_columns() {
                let mut joined = Vec::new();
                for p in &parts {
                    joined.extend_from_slice(p.column(c).as_primitive::<Float64Type>().values());
                }
                let one = whole[0].column(c).as_primitive::<Float64Type>().values();
                assert!(
                    joined.iter().zip(one.iter()).all(|(a, b)| a.to_bits() == b.to_bits()),
                    "column {c} differs with batch size {size}"
                );
            }
        }
    }

    #[test]
    fn symbols_get_independent_state() {
        let b = tiny(&["A", "A", "B", "B"], &[1, 2, 1, 2], &[1.0, 3.0, 10.0, 30.0]);
        let out = compute_table(sma_spec(), &[b]).unwrap();
        let v = out[0].column(3).as_primitive::<Float64Type>();
        assert!(v.value(0).is_nan() && v.value(2).is_nan());
        assert_eq!(v.value(1), 2.0);
        assert_eq!(v.value(3), 20.0);
    }

    #[test]
    fn rejects_unsorted_duplicate_and_interleaved_rows() {
        let cases = [
            (tiny(&["A", "A"], &[2, 1], &[1.0, 2.0]), "comes after"),
            (tiny(&["A", "A"], &[1, 1], &[1.0, 2.0]), "duplicate timestamp"),
            (tiny(&["A", "B", "A"], &[1, 1, 2], &[1.0, 2.0, 3.0]), "appears again"),
        ];
        for (b, needle) in cases {
            let err = compute_table(sma_spec(), &[b]).unwrap_err().to_string();
            assert!(err.contains(needle) && err.contains("symbol 'A'"), "{err}");
        }
    }

    #[test]
    fn ordering_is_checked_across_batches_and_errors_leave_state_unchanged() {
        let mut p = Pipeline::new(sma_spec()).unwrap();
        p.process(&tiny(&["A"], &[5], &[1.0])).unwrap();
        assert!(p.process(&tiny(&["A"], &[5], &[1.0])).is_err());
        assert!(p.process(&tiny(&["A", "A"], &[6, 6], &[1.0, 2.0])).is_err());
        let empty = p.process(&tiny(&["A"], &[9], &[9.0]).slice(0, 0)).unwrap();
        assert_eq!((empty.num_rows(), empty.num_columns()), (0, 4));
        let out = p.process(&tiny(&["A", "B"], &[6, 1], &[3.0, 4.0])).unwrap();
        assert_eq!(out.column(3).as_primitive::<Float64Type>().value(0), 2.0);
        assert!(p
            .process(&tiny(&["A"], &[7], &[1.0]))
            .unwrap_err()
            .to_string()
            .contains("appears again"));
    }

    #[test]
    fn rejects_missing_columns_nan_and_empty_tables() {
        let b = tiny(&["A", "A"], &[1, 2], &[1.0, f64::NAN]);
        let err = compute_table(sma_spec(), &[b]).unwrap_err().to_string();
        assert!(
            err.contains("'close'") && err.contains("NaN") && err.contains("row 1"),
            "{err}"
        );
        let b = tiny(&["A"], &[1], &[1.0]);
        let err = compute_table(spec(), std::slice::from_ref(&b)).unwrap_err().to_string();
        assert!(err.contains("missing column 'high'"), "{err}");
        let err = compute_table(sma_spec(), &[b.slice(0, 0)]).unwrap_err();
        assert!(matches!(err, BarrowError::EmptyInput(_)));
    }
}
