//! One-shot computation of a named indicator over whole series, with the
//! TA-Lib Python wrapper's conventions: leading rows where any input is NaN
//! are skipped, later NaNs propagate through TA-Lib's arithmetic, and a
//! series shorter than the lookback gives all-NaN output.

use std::collections::BTreeMap;

use crate::error::{BarrowError, Result};
use crate::indicators::{find_function, run, SkipLeadingNan};

/// Computes function `name` with `params` over `inputs` (TA-Lib order) and
/// returns one vector per output.
pub fn compute_series(name: &str, params: &BTreeMap<String, f64>, inputs: &[&[f64]]) -> Result<Vec<Vec<f64>>> {
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
    let inner = info.build_with(params)?;
    let mut ind = SkipLeadingNan::new(inner, info.outputs.len());
    Ok(run(&mut ind, inputs, info.outputs.len()))
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
