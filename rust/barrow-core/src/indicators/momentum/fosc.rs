//! FOSC — forecast oscillator.
//!
//! `100 (x[t] - TSF[t-1]) / x[t]`: how far the price lands from the time
//! series forecast made one bar earlier (0 when the price is 0). The
//! forecast is TSF's kernel (see `statistic::linearreg`), so the two share
//! their bits. Lookback `p`.

use super::super::statistic::linearreg::{LinRegCore, Line, Lines};
use super::super::{check_shapes, fp, Indicator};
use crate::error::Result;

/// Streaming forecast oscillator.
#[derive(Clone, Debug)]
pub struct Fosc {
    period: usize,
    core: LinRegCore,
    forecast: Option<f64>,
}

impl Fosc {
    /// FOSC over a regression of `period >= 2` values.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            core: LinRegCore::new(period)?,
            forecast: None,
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let out = self.forecast.map_or(f64::NAN, |f| oscillate(v, f));
        self.forecast = self
            .core
            .step(v)
            .map(|Line { m, b }| fp::madd(m, self.period as f64, b));
        out
    }
}

/// How far `v` lands from the forecast `f`, in percent of `v` (0 at 0).
#[inline(always)]
fn oscillate(v: f64, f: f64) -> f64 {
    let o = 100.0 * (v - f) / v;
    std::hint::select_unpredictable(v != 0.0, o, 0.0)
}

/// FOSC's outputs from blocks of lines, carrying the last forecast.
struct Oscillate<'a> {
    x: &'a [f64],
    out: &'a mut [f64],
    pf: f64,
    prev: f64,
}

impl Lines for &mut Oscillate<'_> {
    #[inline(always)]
    fn lines(&mut self, start: usize, ms: &[f64], bs: &[f64]) {
        let len = ms.len();
        self.out[start] = oscillate(self.x[start], self.prev);
        let bars = self.out[start + 1..start + len].iter_mut().zip(&self.x[start + 1..]);
        for ((o, &v), (&m, &b)) in bars.zip(ms.iter().zip(bs)) {
            *o = oscillate(v, fp::madd(m, self.pf, b));
        }
        self.prev = fp::madd(ms[len - 1], self.pf, bs[len - 1]);
    }
}

impl fp::Kernel for Fosc {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let pf = self.period as f64;
        let mut forecast = self.forecast;
        let first = self.core.run_head(x, |i, line| {
            out[i] = forecast.map_or(f64::NAN, |f| oscillate(x[i], f));
            forecast = line.map(|Line { m, b }| fp::madd(m, pf, b));
        });
        // Past the head every bar follows a full window, so `forecast` is
        // set; each block's bars use the forecast of the bar before them.
        let mut sink = Oscillate {
            x,
            out,
            pf,
            prev: forecast.unwrap_or(f64::NAN),
        };
        self.core.run_steady::<true>(x, first, &mut sink);
        if first < x.len() {
            forecast = Some(sink.prev);
        }
        self.forecast = forecast;
    }
}

impl Indicator for Fosc {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.core.reset();
        self.forecast = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn fosc_is_zero_on_a_straight_line() {
        let mut f = Fosc::new(3).unwrap();
        let out: Vec<f64> = (1..8).map(|t| f.step(t as f64)).collect();
        assert!(out[2].is_nan());
        assert!(out[3..].iter().all(|&v| v == 0.0), "{out:?}");
        // The forecast continues the line 1, 2, 3 to 4; a 5 is 20% above it.
        let mut f = Fosc::new(3).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 5.0].iter().map(|&v| f.step(v)).collect();
        assert!((out[3] - 20.0).abs() < 1e-12);
    }

    #[test]
    fn fosc_is_chunk_invariant() {
        let x = walk(800, 61);
        assert_chunk_invariant(&|| Box::new(Fosc::new(5).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
