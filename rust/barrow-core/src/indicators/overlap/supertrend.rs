//! SUPERTREND — ATR trailing stop that flips with the trend.
//!
//! With `atr` = ATR(p) (see [`Atr`]), `mid = (h + l) / 2` and
//! `band = multiplier * atr`, the basic bands are `mid ± band`. The final
//! upper band follows the basic one when that is lower or the previous
//! close was above it; the final lower band likewise upwards. The trend
//! starts up at the first output (bar `p`, where both final bands take
//! their basic values), turns down when the close falls below the final
//! lower band and up when it rises above the final upper band. Outputs: the
//! final lower band in an uptrend or the final upper band in a downtrend,
//! and the trend (1 or -1; 0 during the lookback). Lookback `p`.

use super::super::volatility::{true_range, Atr};
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};
use std::hint::select_unpredictable;

/// Streaming SuperTrend; inputs are (high, low, close), outputs
/// (supertrend, trend).
#[derive(Clone, Debug)]
pub struct SuperTrend {
    period: usize,
    multiplier: f64,
    atr: Atr,
    seen: usize,
    state: Option<Bands>,
}

#[derive(Clone, Copy, Debug)]
struct Bands {
    upper: f64,
    lower: f64,
    up: bool,
    prev_close: f64,
}

impl SuperTrend {
    /// A SuperTrend over an ATR of `period >= 2` bars, `multiplier >= 0`.
    pub fn new(period: usize, multiplier: f64) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        if !(multiplier >= 0.0 && multiplier.is_finite()) {
            return Err(BarrowError::bad_param(
                "multiplier",
                multiplier,
                "must be finite and >= 0",
            ));
        }
        Ok(Self {
            period,
            multiplier,
            atr: Atr::new(period)?,
            seen: 0,
            state: None,
        })
    }

    /// Consumes one bar: (supertrend, trend).
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> (f64, f64) {
        let atr = self.atr.step(high, low, close);
        self.seen += 1;
        if self.seen <= self.period {
            return (f64::NAN, 0.0);
        }
        let mid = (high + low) / 2.0;
        let band = self.multiplier * atr;
        let (basic_upper, basic_lower) = (mid + band, mid - band);
        match self.state.as_mut() {
            None => self
                .state
                .insert(Bands {
                    upper: basic_upper,
                    lower: basic_lower,
                    up: true,
                    prev_close: close,
                })
                .output(),
            Some(s) => s.advance(basic_upper, basic_lower, close),
        }
    }
}

impl Bands {
    /// Takes a bar's basic bands and close; returns (supertrend, trend).
    /// The band and trend updates are selects: whether a band moves is a
    /// coin toss.
    #[inline(always)]
    fn advance(&mut self, basic_upper: f64, basic_lower: f64, close: f64) -> (f64, f64) {
        let (upper, lower, prev) = (self.upper, self.lower, self.prev_close);
        self.upper = select_unpredictable((basic_upper < upper) | (prev > upper), basic_upper, upper);
        self.lower = select_unpredictable((basic_lower > lower) | (prev < lower), basic_lower, lower);
        let breaks_down = close < self.lower;
        self.up = select_unpredictable(self.up, !breaks_down, close > self.upper);
        self.prev_close = close;
        self.output()
    }

    /// The final lower band in an uptrend, the upper one in a downtrend,
    /// and the trend.
    #[inline(always)]
    fn output(&self) -> (f64, f64) {
        select_unpredictable(self.up, (self.lower, 1.0), (self.upper, -1.0))
    }
}

impl fp::Kernel for SuperTrend {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [line, trend] = outputs else { unreachable!() };
        let n = h.len();
        let mut i = 0;
        while i < n && (self.state.is_none() || self.atr.steady().is_none()) {
            (line[i], trend[i]) = self.step(h[i], l[i], c[i]);
            i += 1;
        }
        let (Some(s), Some((mut atr, keep, take, _))) = (self.state.as_mut(), self.atr.steady()) else {
            return;
        };
        // The operations of `step` with the state in locals (the bands are
        // a copy, their previous close the ATR's).
        let multiplier = self.multiplier;
        let mut bands = *s;
        let bars = h[i..].iter().zip(&l[i..]).zip(&c[i..]);
        for ((o, t), ((&hi, &lo), &cl)) in line[i..].iter_mut().zip(&mut trend[i..]).zip(bars) {
            let tr = true_range(hi, lo, bands.prev_close);
            atr = fp::madd(atr, keep, tr * take);
            let mid = (hi + lo) / 2.0;
            let band = multiplier * atr;
            (*o, *t) = bands.advance(mid + band, mid - band, cl);
        }
        *s = bands;
        self.atr.advance(atr, bands.prev_close, n - i);
        self.seen += n - i;
    }
}

impl Indicator for SuperTrend {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 2);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.multiplier).expect("valid parameters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn supertrend_starts_long_and_flips_when_the_close_breaks_the_band() {
        // Range 2 every bar, so ATR(2) = 2 and the bands are mid ± 2.
        let h = [11.0, 11.0, 11.0, 11.0, 5.0];
        let l = [9.0, 9.0, 9.0, 9.0, 3.0];
        let c = [10.0, 10.0, 10.0, 10.0, 4.0];
        let out = run(&mut SuperTrend::new(2, 1.0).unwrap(), &[&h, &l, &c], 2);
        assert!(out[0][..2].iter().all(|v| v.is_nan()));
        assert_eq!(out[1][..2], [0.0, 0.0]);
        assert_eq!(out[0][2..4], [8.0, 8.0]);
        assert_eq!(out[1][2..], [1.0, 1.0, -1.0]);
        // True range 7 on the gap bar: ATR (2 + 7) / 2 = 4.5, and the upper
        // band drops from 12 to 4 + 4.5.
        assert_eq!(out[0][4], 8.5);
    }

    #[test]
    fn supertrend_is_chunk_invariant() {
        let c = walk(500, 71);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.985).collect();
        assert_chunk_invariant(
            &|| Box::new(SuperTrend::new(10, 1.0).unwrap()),
            &[&h, &l, &c],
            2,
            &[1, 7, 90],
        );
    }
}
