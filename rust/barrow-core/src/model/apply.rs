//! Applying a fitted tree or forest to Arrow batches: the executor side of
//! a pooled model trained on the driver and broadcast as JSON.
//!
//! The feature columns (any numeric type; null reads as missing, like NaN)
//! are gathered row-major and passed through the model. A classifier
//! appends `{prefix}prediction` (the most probable class index, Int32) and
//! `{prefix}proba_{k}` for each class `k`; a regressor appends
//! `{prefix}prediction` (Float64).

use std::sync::Arc;

use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use crate::columns::{column, f64_nulls_as_nan};
use crate::error::{BarrowError, Result};
use crate::tree::{argmax_rows, Model};

/// The columns [`predict_batch`] appends, with their types.
pub fn prediction_fields(model: &Model, prefix: &str) -> Vec<(String, DataType)> {
    if model.n_classes == 0 {
        return vec![(format!("{prefix}prediction"), DataType::Float64)];
    }
    let mut fields = vec![(format!("{prefix}prediction"), DataType::Int32)];
    fields.extend((0..model.n_classes).map(|k| (format!("{prefix}proba_{k}"), DataType::Float64)));
    fields
}

/// Appends the model's predictions for every row of `batch`.
pub fn predict_batch(model: &Model, batch: &RecordBatch, features: &[String], prefix: &str) -> Result<RecordBatch> {
    if features.len() != model.n_features() {
        return Err(BarrowError::Model(format!(
            "{} feature columns given, but the model was fitted with {}",
            features.len(),
            model.n_features()
        )));
    }
    let n = batch.num_rows();
    let d = features.len();
    let mut x = vec![0.0; n * d];
    for (j, name) in features.iter().enumerate() {
        let col = column(batch, name, "the model reads it as a feature")?;
        let values = f64_nulls_as_nan(name, std::slice::from_ref(col))?;
        if let Some(i) = values.iter().position(|v| v.is_infinite()) {
            return Err(BarrowError::InvalidValue {
                column: name.clone(),
                kind: "infinite".to_string(),
                row: i,
                context: " (null and NaN read as missing; infinities are not allowed)".to_string(),
            });
        }
        for (i, v) in values.into_iter().enumerate() {
            x[i * d + j] = v;
        }
    }
    let values = if n == 0 {
        Vec::new()
    } else {
        model.predict_values(&x, d)?
    };
    let fields = prediction_fields(model, prefix);
    let schema = batch.schema();
    let mut all: Vec<Arc<Field>> = schema.fields().iter().cloned().collect();
    for (name, ty) in &fields {
        if schema.index_of(name).is_ok() {
            return Err(BarrowError::Spec(format!(
                "output column '{name}' already exists in the input; choose another prefix"
            )));
        }
        all.push(Arc::new(Field::new(name, ty.clone(), true)));
    }
    let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
    if model.n_classes == 0 {
        columns.push(Arc::new(Float64Array::from(values)));
    } else {
        let k = model.n_classes;
        let classes: Vec<i32> = argmax_rows(&values, k).into_iter().map(|c| c as i32).collect();
        columns.push(Arc::new(Int32Array::from(classes)));
        for c in 0..k {
            columns.push(Arc::new(Float64Array::from_iter_values(
                values.iter().skip(c).step_by(k).copied(),
            )));
        }
    }
    Ok(RecordBatch::try_new(
        Arc::new(Schema::new_with_metadata(all, schema.metadata().clone())),
        columns,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{Fitted, Target, Tree, TreeParams};
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int32Type};

    #[test]
    fn appends_class_and_probabilities_with_nulls_as_missing() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let y = [0, 0, 1, 1];
        let t = Tree::fit(
            &x,
            1,
            Target::Classes { y: &y, n_classes: 2 },
            None,
            &TreeParams::default(),
        )
        .unwrap();
        let model = Model::new(Fitted::Tree(t), 2);
        let f = Arc::new(Float64Array::from(vec![Some(1.5), Some(3.5), None]));
        let batch = RecordBatch::try_from_iter([("f", f as ArrayRef)]).unwrap();
        let out = predict_batch(&model, &batch, &["f".to_string()], "m_").unwrap();
        assert_eq!(out.schema().field(1).name(), "m_prediction");
        let pred = out.column(1).as_primitive::<Int32Type>();
        assert_eq!((pred.value(0), pred.value(1)), (0, 1));
        let p1 = out.column(3).as_primitive::<Float64Type>();
        assert_eq!((p1.value(0), p1.value(1)), (0.0, 1.0));
        let err = predict_batch(&model, &batch, &["g".to_string()], "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("'g'"), "{err}");
    }
}
