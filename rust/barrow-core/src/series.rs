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
    let lens: Vec<usize> = outputs.iter().map(|o| o.len()).collect();
    let mut ind = build_checked(name, params, inputs, &lens)?;
    ind.update(inputs, outputs);
    Ok(())
}

/// One output column of [`compute_series_typed`].
pub enum OutColumn<'a> {
    /// A float output.
    F64(&'a mut [f64]),
    /// An integer output ([`crate::indicators::FunctionInfo::integer_output`]):
    /// the code, or 0 where the function has no value.
    I32(&'a mut [i32]),
}

impl OutColumn<'_> {
    fn len(&self) -> usize {
        match self {
            OutColumn::F64(s) => s.len(),
            OutColumn::I32(s) => s.len(),
        }
    }
}

/// Rows computed at a time when some output is an integer column.
const BLOCK: usize = crate::indicators::CODE_BLOCK;

/// Like [`compute_series_into`], with integer outputs written straight to
/// `i32` columns. The series is computed in blocks (the indicators are
/// streaming, so the values are the same), converting each block's integer
/// codes from a cache-sized scratch instead of a full-length float column.
pub fn compute_series_typed(
    name: &str,
    params: &BTreeMap<String, f64>,
    inputs: &[&[f64]],
    outputs: &mut [OutColumn<'_>],
) -> Result<()> {
    let lens: Vec<usize> = outputs.iter().map(OutColumn::len).collect();
    let mut ind = build_checked(name, params, inputs, &lens)?;
    let n = inputs[0].len();
    if outputs.iter().all(|o| matches!(o, OutColumn::F64(_))) {
        let mut views: Vec<&mut [f64]> = outputs
            .iter_mut()
            .map(|o| match o {
                OutColumn::F64(s) => &mut **s,
                OutColumn::I32(_) => unreachable!("all outputs are float"),
            })
            .collect();
        ind.update(inputs, &mut views);
        return Ok(());
    }
    if let [OutColumn::I32(out)] = outputs {
        ind.update_i32(inputs, out);
        return Ok(());
    }
    if ind.writes_codes() && outputs.iter().all(|o| matches!(o, OutColumn::I32(_))) {
        let mut codes: Vec<&mut [i32]> = outputs
            .iter_mut()
            .map(|o| match o {
                OutColumn::I32(s) => &mut **s,
                OutColumn::F64(_) => unreachable!("all outputs are integer"),
            })
            .collect();
        ind.update_codes(inputs, &mut codes);
        return Ok(());
    }
    let mut scratch: Vec<Vec<f64>> = outputs.iter().map(|_| vec![0.0; BLOCK.min(n)]).collect();
    let mut start = 0;
    while start < n {
        let end = (start + BLOCK).min(n);
        let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..end]).collect();
        {
            let mut views: Vec<&mut [f64]> = outputs
                .iter_mut()
                .zip(scratch.iter_mut())
                .map(|(o, tmp)| match o {
                    OutColumn::F64(s) => &mut s[start..end],
                    OutColumn::I32(_) => &mut tmp[..end - start],
                })
                .collect();
            ind.update(&ins, &mut views);
        }
        for (o, tmp) in outputs.iter_mut().zip(&scratch) {
            if let OutColumn::I32(s) = o {
                for (d, &v) in s[start..end].iter_mut().zip(tmp) {
                    *d = if v.is_nan() { 0 } else { v as i32 };
                }
            }
        }
        start = end;
    }
    Ok(())
}

/// Checks the shapes of a call and builds its indicator (skipping leading
/// NaN rows as TA-Lib's wrapper does).
fn build_checked(
    name: &str,
    params: &BTreeMap<String, f64>,
    inputs: &[&[f64]],
    output_lens: &[usize],
) -> Result<SkipLeadingNan> {
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
    if output_lens.len() != info.outputs.len() || output_lens.iter().any(|&l| l != n) {
        return Err(BarrowError::LengthMismatch(format!(
            "{} writes {} output(s) of length {n}",
            info.name,
            info.outputs.len()
        )));
    }
    let inner = info.build_with(params)?;
    Ok(SkipLeadingNan::new(inner, info.outputs.len()))
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

    #[test]
    fn typed_outputs_equal_the_float_outputs_across_blocks() {
        let n = 3 * BLOCK + 17;
        let mut rng = crate::data::rng::SplitMix64::new(3);
        let mut x = 100.0;
        let close: Vec<f64> = (0..n)
            .map(|_| {
                x += (rng.next_f64() - 0.5).round();
                x
            })
            .collect();
        let open: Vec<f64> = (0..n)
            .map(|i| {
                if i == 0 {
                    100.0
                } else {
                    close[i - 1] + ((i * 7) % 5) as f64 - 2.0
                }
            })
            .collect();
        let high: Vec<f64> = open.iter().zip(&close).map(|(a, b)| a.max(*b) + 0.5).collect();
        let low: Vec<f64> = open.iter().zip(&close).map(|(a, b)| a.min(*b) - 0.5).collect();
        for name in ["CDLDOJI", "CDLENGULFING", "MINMAXINDEX", "SUPERTREND", "HT_TRENDMODE"] {
            let info = find_function(name).unwrap();
            let ins: Vec<&[f64]> = info
                .inputs
                .iter()
                .map(|i| match *i {
                    "open" => open.as_slice(),
                    "high" => high.as_slice(),
                    "low" => low.as_slice(),
                    _ => close.as_slice(),
                })
                .collect();
            let p = BTreeMap::new();
            let floats = compute_series(name, &p, &ins).unwrap();
            let mut f64s: Vec<Vec<f64>> = floats.iter().map(|_| vec![0.0; n]).collect();
            let mut i32s: Vec<Vec<i32>> = floats.iter().map(|_| vec![7; n]).collect();
            let mut outs: Vec<OutColumn> = f64s
                .iter_mut()
                .zip(i32s.iter_mut())
                .enumerate()
                .map(|(k, (f, i))| {
                    if info.integer_output(k) {
                        OutColumn::I32(i)
                    } else {
                        OutColumn::F64(f)
                    }
                })
                .collect();
            compute_series_typed(name, &p, &ins, &mut outs).unwrap();
            for (k, want) in floats.iter().enumerate() {
                if info.integer_output(k) {
                    let want: Vec<i32> = want.iter().map(|v| if v.is_nan() { 0 } else { *v as i32 }).collect();
                    assert_eq!(i32s[k], want, "{name} output {k}");
                    assert!(want.iter().any(|&v| v != 0), "{name} output {k} is all zero");
                } else {
                    assert!(
                        f64s[k].iter().zip(want).all(|(a, b)| a.to_bits() == b.to_bits()),
                        "{name} {k}"
                    );
                }
            }
        }
    }
}
