//! SAR and SAREXT — Wilder's parabolic stop and reverse.
//!
//! Each bar the stop moves toward the extreme point `ep` of the current
//! trend, `sar = sar + af * (ep - sar)` (fused multiply-add, as TA-Lib 0.8
//! computes it), and is kept outside the range of the last two bars; the
//! acceleration `af` grows by its step at each new extreme up to its maximum.
//! When a bar crosses the stop the trend reverses and the stop restarts at
//! the old `ep`. The first bar only seeds the stop: the initial direction is
//! short when the second bar has a minus directional movement, long
//! otherwise (SAREXT can force it with `startvalue`). SAREXT also moves
//! the stop by `sar * offsetonreverse` (not fused) on reversal and reports
//! short stops as negative values.
//! Lookback 1.

use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};
use std::hint::select_unpredictable;

/// SAREXT's parameters; SAR uses [`SarParams::sar`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SarParams {
    /// 0: direction from the first two bars; > 0 start long at this stop;
    /// < 0 start short at its absolute value.
    pub start: f64,
    /// Fraction the stop is moved beyond the extreme on a reversal.
    pub offset_on_reverse: f64,
    /// Acceleration at the start of a long trend, its step and maximum.
    pub long: (f64, f64, f64),
    /// Acceleration at the start of a short trend, its step and maximum.
    pub short: (f64, f64, f64),
    /// Report short stops as negative values (SAREXT).
    pub signed: bool,
}

impl SarParams {
    /// TA-Lib's SAR: the same acceleration `acceleration` (start and step)
    /// and `maximum` both ways.
    pub fn sar(acceleration: f64, maximum: f64) -> Self {
        Self {
            start: 0.0,
            offset_on_reverse: 0.0,
            long: (acceleration, acceleration, maximum),
            short: (acceleration, acceleration, maximum),
            signed: false,
        }
    }
}

/// Streaming parabolic SAR; inputs are (high, low).
#[derive(Clone, Debug)]
pub struct Sar {
    params: SarParams,
    /// Acceleration start, step and maximum after TA-Lib's corrections.
    long: (f64, f64, f64),
    short: (f64, f64, f64),
    seen: usize,
    prev_high: f64,
    prev_low: f64,
    is_long: bool,
    sar: f64,
    ep: f64,
    af_long: f64,
    af_short: f64,
}

/// A start or step larger than the maximum is lowered to it, as TA-Lib does.
fn coherent((init, step, max): (f64, f64, f64)) -> (f64, f64, f64) {
    (
        if init > max { max } else { init },
        if step > max { max } else { step },
        max,
    )
}

impl Sar {
    /// Builds the stop from its parameters (accelerations must be `>= 0`).
    pub fn new(params: SarParams) -> Result<Self> {
        let named: &[(&str, f64)] = if params.signed {
            &[
                ("offsetonreverse", params.offset_on_reverse),
                ("accelerationinitlong", params.long.0),
                ("accelerationlong", params.long.1),
                ("accelerationmaxlong", params.long.2),
                ("accelerationinitshort", params.short.0),
                ("accelerationshort", params.short.1),
                ("accelerationmaxshort", params.short.2),
            ]
        } else {
            &[("acceleration", params.long.0), ("maximum", params.long.2)]
        };
        for &(name, v) in named {
            if v.is_nan() || v < 0.0 {
                return Err(BarrowError::bad_param(name, v, "must be >= 0"));
            }
        }
        let (long, short) = (coherent(params.long), coherent(params.short));
        Ok(Self {
            params,
            long,
            short,
            seen: 0,
            prev_high: 0.0,
            prev_low: 0.0,
            is_long: true,
            sar: 0.0,
            ep: 0.0,
            af_long: long.0,
            af_short: short.0,
        })
    }

    fn start(&mut self, high: f64, low: f64) {
        let start = self.params.start;
        self.is_long = if start == 0.0 {
            // Short when the bar has a minus directional movement.
            let up = high - self.prev_high;
            let down = self.prev_low - low;
            !(down > 0.0 && up < down)
        } else {
            start > 0.0
        };
        let (first_high, first_low) = (self.prev_high, self.prev_low);
        if self.is_long {
            self.ep = high;
            self.sar = if start == 0.0 { first_low } else { start };
        } else {
            self.ep = low;
            self.sar = if start == 0.0 { first_high } else { start.abs() };
        }
        // The first iteration takes this bar as the previous one too.
        self.prev_high = high;
        self.prev_low = low;
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        if t == 0 {
            self.prev_high = high;
            self.prev_low = low;
            return f64::NAN;
        }
        if t == 1 {
            self.start(high, low);
        }
        let (prev_high, prev_low) = (self.prev_high, self.prev_low);
        self.prev_high = high;
        self.prev_low = low;
        let offset = self.params.offset_on_reverse;
        let out;
        if self.is_long {
            if low <= self.sar {
                // Reverse to short at the old extreme, above both highs.
                self.is_long = false;
                let mut sar = self.ep.max_below(prev_high).max_below(high);
                if offset != 0.0 {
                    sar += sar * offset;
                }
                out = if self.params.signed { 0.0 - sar } else { sar };
                self.af_short = self.short.0;
                self.ep = low;
                sar = fp::madd(self.af_short, self.ep - sar, sar);
                self.sar = sar.max_below(prev_high).max_below(high);
            } else {
                out = self.sar;
                // Whether the bar makes a new extreme is a coin toss: both
                // outcomes are computed and one is selected.
                let extreme = high > self.ep;
                let af = (self.af_long + self.long.1).min_above(self.long.2);
                self.af_long = select_unpredictable(extreme, af, self.af_long);
                self.ep = select_unpredictable(extreme, high, self.ep);
                let sar = fp::madd(self.af_long, self.ep - self.sar, self.sar);
                self.sar = sar.min_above(prev_low).min_above(low);
            }
        } else if high >= self.sar {
            // Reverse to long at the old extreme, below both lows.
            self.is_long = true;
            let mut sar = self.ep.min_above(prev_low).min_above(low);
            if offset != 0.0 {
                sar -= sar * offset;
            }
            out = sar;
            self.af_long = self.long.0;
            self.ep = high;
            sar = fp::madd(self.af_long, self.ep - sar, sar);
            self.sar = sar.min_above(prev_low).min_above(low);
        } else {
            out = if self.params.signed { 0.0 - self.sar } else { self.sar };
            let extreme = low < self.ep;
            let af = (self.af_short + self.short.1).min_above(self.short.2);
            self.af_short = select_unpredictable(extreme, af, self.af_short);
            self.ep = select_unpredictable(extreme, low, self.ep);
            let sar = fp::madd(self.af_short, self.ep - self.sar, self.sar);
            self.sar = sar.max_below(prev_high).max_below(high);
        }
        out
    }
}

/// TA-Lib's clamps: `if sar < x { sar = x }` and `if sar > x { sar = x }`.
trait Clamp {
    fn max_below(self, x: f64) -> f64;
    fn min_above(self, x: f64) -> f64;
}

impl Clamp for f64 {
    #[inline(always)]
    fn max_below(self, x: f64) -> f64 {
        if self < x {
            x
        } else {
            self
        }
    }

    #[inline(always)]
    fn min_above(self, x: f64) -> f64 {
        if self > x {
            x
        } else {
            self
        }
    }
}

impl fp::Kernel for Sar {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        // A local copy (the state holds no heap data) keeps the state in
        // registers through the loop.
        let mut sar = self.clone();
        for (o, (&high, &low)) in outputs[0].iter_mut().zip(inputs[0].iter().zip(inputs[1])) {
            *o = sar.step(high, low);
        }
        *self = sar;
    }
}

impl Indicator for Sar {
    fn lookback(&self) -> usize {
        1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.params).expect("valid parameters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn sar_trails_a_rising_market_then_reverses() {
        let mut s = Sar::new(SarParams::sar(0.02, 0.2)).unwrap();
        assert!(s.step(10.0, 9.0).is_nan());
        // Long from the first low; the stop rises toward the highs.
        assert_eq!(s.step(11.0, 10.0), 9.0);
        let third = s.step(12.0, 11.0);
        assert!(third > 9.0 && third < 10.0, "{third}");
        // A collapse below the stop reverses to the extreme high.
        assert_eq!(s.step(8.0, 7.0), 12.0);
    }

    #[test]
    fn sarext_reports_short_stops_as_negative() {
        let params = SarParams {
            start: -20.0,
            offset_on_reverse: 0.0,
            long: (0.02, 0.02, 0.2),
            short: (0.02, 0.02, 0.2),
            signed: true,
        };
        let mut s = Sar::new(params).unwrap();
        s.step(10.0, 9.0);
        assert_eq!(s.step(10.0, 9.0), -20.0);
    }

    #[test]
    fn sar_is_chunk_invariant() {
        let c = walk(300, 71);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(
            &|| Box::new(Sar::new(SarParams::sar(0.02, 0.2)).unwrap()),
            &[&h, &l],
            1,
            &[1, 13, 50],
        );
    }
}
