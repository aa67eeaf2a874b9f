//! CCI — Lambert's commodity channel index.
//!
//! With `tp = (high + low + close) / 3`, `avg` the mean of the last `p` typical
//! prices and `md` their mean absolute deviation from `avg`,
//! `cci = (tp - avg) / (0.015 * md)`; 0 when `|tp - avg|` or `md` is within
//! `1e-14 |avg|` of zero, as TA-Lib 0.8 tests it. The window is summed in
//! the slot order of a circular buffer that starts at the first bar, as
//! TA-Lib does (the order changes the rounding), so each bar costs O(p).
//! Lookback `p - 1`.

use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming commodity channel index; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Cci {
    period: usize,
    /// Typical prices; bar `k` lives in slot `k % period`.
    slots: Box<[f64]>,
    seen: usize,
    pos: usize,
}

impl Cci {
    /// CCI over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            slots: vec![0.0; period].into_boxed_slice(),
            seen: 0,
            pos: 0,
        })
    }

    /// Consumes one bar.
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let tp = (high + low + close) / 3.0;
        self.slots[self.pos] = tp;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        self.seen += 1;
        if self.seen < self.period {
            return f64::NAN;
        }
        let p = self.period as f64;
        let avg = self.slots.iter().fold(0.0, |s, &v| s + v) / p;
        let dev = self.slots.iter().fold(0.0, |s, &v| s + (v - avg).abs());
        let eps = avg.abs() * 1e-14;
        let diff = tp - avg;
        if eps >= diff.abs() {
            return 0.0;
        }
        let md = dev / p;
        if eps >= md.abs() {
            return 0.0;
        }
        let den = md * 0.015;
        if den == 0.0 {
            0.0
        } else {
            diff / den
        }
    }
}

impl Indicator for Cci {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = self.step(inputs[0][i], inputs[1][i], inputs[2][i]);
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn cci_measures_distance_in_mean_deviations() {
        // Typical prices 1, 2, 3: avg 2, mean deviation 2/3.
        let mut c = Cci::new(3).unwrap();
        assert!(c.step(1.0, 1.0, 1.0).is_nan());
        assert!(c.step(2.0, 2.0, 2.0).is_nan());
        let v = c.step(3.0, 3.0, 3.0);
        assert!((v - 1.0 / (0.015 * (2.0 / 3.0))).abs() < 1e-9, "{v}");
        // A flat window gives 0.
        let mut c = Cci::new(2).unwrap();
        c.step(5.0, 5.0, 5.0);
        assert_eq!(c.step(5.0, 5.0, 5.0), 0.0);
    }

    #[test]
    fn cci_is_chunk_invariant() {
        let c = walk(300, 31);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Cci::new(14).unwrap()), &[&h, &l, &c], 1, &[1, 13, 50]);
    }
}
