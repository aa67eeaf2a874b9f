//! One-shot computation of a named indicator over whole series, with the
//! TA-Lib Python wrapper's conventions: leading rows where any input is NaN
//! are skipped, later NaNs propagate through TA-Lib's arithmetic, and a
//! series shorter than the lookback gives all-NaN output.

use std::collections::BTreeMap;

use crate::error::{BarrowError, Result};
use crate::indicators::{find_function, Indicator, SkipLeadingNan};

/// Computes function `name` with `params` over `inputs` (TA-Lib order) and
/// returns one vector per output.
pub fn compute_series(name: &str, params: &BTreeMap<String, f64>, inputs: &[&[f64]]) -> Result<Vec<Vec<f64>>> {
    let info = find_function(name)?;
    let n = inputs.first().map_or(0, |s| s.len());
    let mut outs: Vec<Vec<f64>> = info.outputs.iter().map(|_| vec![0.0; n]).collect();
    let mut views: Vec<&mut [f64]> = outs.iter_mut().map(Vec::as_mut_slice).collect();
    compute_series_into(name, params, inputs, &mut views)?;
    Ok(outs)
}

/// Like [`compute_series`], writing into caller-provided outputs (one per
/// function output, each as long as the inputs).
pub fn compute_series_into(
    name: &str,
    params: &BTreeMap<String, f64>,
    inputs: &[&[f64]],
    outputs: &mut [&mut [f64]],
) -> Result<()> {
    let info = find_function(name)?;
    if inputs.len() != info.inputs.len() {
        return Err(BarrowError::LengthMismatch(format!(
            "{} takes {} input(s) ({}), got {}",
            info.name,
            info.inputs.len(),
            info.inputs.join(", "),
            inputs.len()
        )));
    }
    let n = inputs[0].len();
    if let Some(k) = inputs.iter().position(|s| s.len() != n) {
        return Err(BarrowError::LengthMismatch(format!(
            "{}: input '{}' has {} values but '{}' has {n}",
            info.name,
            info.inputs[k],
            inputs[k].len(),
            info.inputs[0]
        )));
    }
    if outputs.len() != info.outputs.len() || outputs.iter().any(|o| o.len() != n) {
        return Err(BarrowError::LengthMismatch(format!(
            "{} writes {} output(s) of length {n}",
            info.name,
            info.outputs.len()
        )));
    }
    let inner = info.build_with(params)?;
    let mut ind = SkipLeadingNan::new(inner, info.outputs.len());
    ind.update(inputs, outputs);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_nans_are_skipped_like_the_talib_wrapper() {
        let x = [f64::NAN, f64::NAN, 1.0, 2.0, 3.0, f64::NAN, 4.0, 5.0];
        let p = BTreeMap::from([("timeperiod".to_string(), 2.0)]);
        let out = compute_series("SMA", &p, &[&x]).unwrap();
        let expect = [f64::NAN, f64::NAN, f64::NAN, 1.5, 2.5, f64::NAN, f64::NAN, f64::NAN];
        for (a, b) in out[0].iter().zip(expect) {
            assert!(a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()), "{out:?}");
        }
    }

    #[test]
    fn shape_errors_name_the_inputs() {
        let err = compute_series("ATR", &BTreeMap::new(), &[&[1.0], &[1.0, 2.0], &[1.0]]).unwrap_err();
        assert!(err.to_string().contains("'low'"), "{err}");
        assert!(compute_series("ATR", &BTreeMap::new(), &[&[1.0]]).is_err());
    }

    #[test]
    fn short_series_give_all_nan() {
        let out = compute_series("RSI", &BTreeMap::new(), &[&[1.0, 2.0, 3.0]]).unwrap();
        assert!(out[0].iter().all(|v| v.is_nan()));
        let out = compute_series("RSI", &BTreeMap::new(), &[&[]]).unwrap();
        assert!(out[0].is_empty());
    }
}
