//! VAR and STDDEV — rolling population variance and standard deviation.
//!
//! Both use TA-Lib 0.8's shifted running variance (see `variance`): the
//! value of a fast step is output as computed; after a rebuild, a variance
//! below `1e-12` of the mean square is 0. STDDEV is `sqrt(var) * nbdev`.
//! Lookback `p - 1`.

use super::super::{check_shapes, fp, ring::Ring, Indicator};
use super::variance::{ShiftedVariance, FLOOR};
use crate::error::{BarrowError, Result};

/// Streaming VAR (`sqrt = false`) or STDDEV (`sqrt = true`).
#[derive(Clone, Debug)]
pub struct Deviation {
    period: usize,
    nbdev: f64,
    sqrt: bool,
    seen: usize,
    variance: ShiftedVariance,
    window: Ring,
}

impl Deviation {
    /// VAR over `period >= 1` values (`nbdev` is accepted and ignored, as in TA-Lib).
    pub fn var(period: usize) -> Result<Self> {
        Self::new(period, 1.0, false)
    }

    /// STDDEV over `period >= 2` values, times `nbdev`.
    pub fn stddev(period: usize, nbdev: f64) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Self::new(period, nbdev, true)
    }

    fn new(period: usize, nbdev: f64, sqrt: bool) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        if !nbdev.is_finite() {
            return Err(BarrowError::bad_param("nbdev", nbdev, "must be finite"));
        }
        Ok(Self {
            period,
            nbdev,
            sqrt,
            seen: 0,
            variance: ShiftedVariance::new(period),
            window: Ring::new(period - 1),
        })
    }

    /// Consumes one value and returns VAR or STDDEV (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let seen = self.seen;
        self.seen += 1;
        if self.period == 1 {
            return 0.0;
        }
        if seen + 1 < self.period {
            self.variance.fill(v, seen == 0);
            self.window.swap(v);
            return f64::NAN;
        }
        let old = self.window.oldest();
        let window = std::mem::replace(&mut self.window, Ring::new(0));
        let (var, rebuilt) = self.variance.step(v, old, || window.iter());
        self.window = window;
        self.window.swap(v);
        finish(var, rebuilt, self.sqrt, self.nbdev)
    }
}

/// The output for a variance: 0 below the floor after a rebuild, then the
/// square root times `nbdev` for STDDEV.
#[inline(always)]
fn finish(var: f64, rebuilt: Option<f64>, sqrt: bool, nbdev: f64) -> f64 {
    let var = match rebuilt {
        Some(mean_sq) if var < mean_sq * FLOOR || var.is_nan() => 0.0,
        _ => var,
    };
    if sqrt {
        var.sqrt() * nbdev
    } else {
        var
    }
}

impl Indicator for Deviation {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let n = x.len();
        let head = if self.period == 1 { n } else { (self.period - 1).min(n) };
        for (o, &v) in out[..head].iter_mut().zip(x) {
            *o = self.step(v);
        }
        if head == n {
            return;
        }
        // The remaining windows lie in this chunk: run on the slice.
        let (sqrt, nbdev) = (self.sqrt, self.nbdev);
        let variance = &mut self.variance;
        // The AVX encoding of the FMA copy saves the register copies of the
        // two-operand SSE forms; the loop is bound by its instruction count.
        fp::with_fma(
            #[inline(always)]
            move || {
                variance.run_slice(x, head, move |i, var, rebuilt| {
                    out[i] = finish(var, rebuilt, sqrt, nbdev)
                })
            },
        );
        self.seen += n - head;
        self.window.load(&x[n - head..]);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.variance.reset();
        self.window.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn variance_of_a_window() {
        let mut v = Deviation::var(3).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 5.0].iter().map(|&x| v.step(x)).collect();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert!((out[2] - 2.0 / 3.0).abs() < 1e-12 && (out[3] - 14.0 / 9.0).abs() < 1e-12);
    }

    #[test]
    fn deviation_is_chunk_invariant() {
        let x = walk(900, 13);
        assert_chunk_invariant(
            &|| Box::new(Deviation::stddev(10, 2.0).unwrap()),
            &[&x],
            1,
            &[1, 9, 400],
        );
    }
}
