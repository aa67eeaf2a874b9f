//! WILLR — Williams' %R.
//!
//! `((hh - close) / (hh - ll)) * -100`, clamped to [-100, 0], 0 when the
//! range is within `1e-14 (|hh| + |ll|)` of zero. The window extremes are
//! computed as TA-Lib 0.8 does, by blocks of `p` outputs: at each block
//! start, suffix extremes of the window; within the block, running prefix
//! extremes of the new bars combined with those suffixes (which fixes how
//! NaNs propagate). Lookback `p - 1`.

use super::super::overlap::History;
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

#[inline(always)]
fn mx(a: f64, b: f64) -> f64 {
    if a > b {
        a
    } else {
        b
    }
}

#[inline(always)]
fn mn(a: f64, b: f64) -> f64 {
    if a < b {
        a
    } else {
        b
    }
}

/// Streaming Williams' %R; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Willr {
    period: usize,
    seen: usize,
    highs: History,
    lows: History,
    suffix_high: Vec<f64>,
    suffix_low: Vec<f64>,
    prefix_high: f64,
    prefix_low: f64,
}

fn value(hh: f64, ll: f64, close: f64) -> f64 {
    let range = hh - ll;
    if (hh.abs() + ll.abs()) * 1e-14 >= range.abs() {
        return 0.0;
    }
    // A NaN passes through the clamp, as in TA-Lib.
    (((hh - close) / range) * -100.0).clamp(-100.0, 0.0)
}

impl Willr {
    /// %R over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            highs: History::new(period),
            lows: History::new(period),
            suffix_high: vec![0.0; period],
            suffix_low: vec![0.0; period],
            prefix_high: 0.0,
            prefix_low: 0.0,
        })
    }

    /// Consumes one bar.
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let p = self.period;
        self.highs.put(i, high);
        self.lows.put(i, low);
        if i + 1 < p {
            return f64::NAN;
        }
        let k = (i + 1 - p) % p;
        if k == 0 {
            let (mut ah, mut al) = (high, low);
            self.suffix_high[p - 1] = ah;
            self.suffix_low[p - 1] = al;
            for j in (0..p - 1).rev() {
                let idx = i + 1 - p + j;
                ah = mx(self.highs.get(idx), ah);
                al = mn(self.lows.get(idx), al);
                self.suffix_high[j] = ah;
                self.suffix_low[j] = al;
            }
            return value(self.suffix_high[0], self.suffix_low[0], close);
        }
        if k == 1 {
            self.prefix_high = high;
            self.prefix_low = low;
        } else {
            self.prefix_high = mx(high, self.prefix_high);
            self.prefix_low = mn(low, self.prefix_low);
        }
        let hh = mx(self.prefix_high, self.suffix_high[k]);
        let ll = mn(self.prefix_low, self.suffix_low[k]);
        value(hh, ll, close)
    }
}

impl Indicator for Willr {
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
    fn willr_spans_minus_100_to_0() {
        let mut w = Willr::new(2).unwrap();
        w.step(10.0, 8.0, 9.0);
        assert_eq!(w.step(11.0, 9.0, 8.0), -100.0);
        let mut w = Willr::new(2).unwrap();
        w.step(10.0, 8.0, 9.0);
        assert_eq!(w.step(11.0, 9.0, 11.0), 0.0);
    }

    #[test]
    fn willr_is_chunk_invariant() {
        let c = walk(300, 16);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Willr::new(14).unwrap()), &[&h, &l, &c], 1, &[1, 13, 50]);
    }
}
