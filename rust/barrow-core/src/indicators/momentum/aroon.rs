//! AROON and AROONOSC.
//!
//! Over the last `p + 1` bars, the bars since the highest high and since the
//! lowest low (the latest one on ties, as TA-Lib scans): `aroonup =
//! (100 / p) · (p - bars since high)`, `aroondown` likewise for the low, and
//! `AROONOSC = (100 / p) · (index of high - index of low)`. Lookback `p`.

use super::super::overlap::History;
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Index-tracked extreme with TA-Lib's tie rule (ties move to the latest).
#[derive(Clone, Debug)]
struct Latest {
    values: History,
    index: Option<usize>,
    best: f64,
    high: bool,
}

impl Latest {
    #[inline(always)]
    fn push(&mut self, today: usize, trailing: usize, v: f64) -> usize {
        self.values.put(today, v);
        let ok = |x: f64, best: f64, high: bool| if high { x >= best } else { x <= best };
        match self.index {
            Some(i) if i >= trailing => {
                if ok(v, self.best, self.high) {
                    self.index = Some(today);
                    self.best = v;
                }
            }
            _ => {
                let mut index = trailing;
                let mut best = self.values.get(trailing);
                for i in trailing + 1..=today {
                    let x = self.values.get(i);
                    if ok(x, best, self.high) {
                        index = i;
                        best = x;
                    }
                }
                self.index = Some(index);
                self.best = best;
            }
        }
        self.index.expect("set above")
    }
}

/// Streaming AROON (outputs aroondown, aroonup) or AROONOSC (`osc`).
#[derive(Clone, Debug)]
pub struct Aroon {
    period: usize,
    factor: f64,
    osc: bool,
    seen: usize,
    highs: Latest,
    lows: Latest,
}

impl Aroon {
    /// AROON (or AROONOSC when `osc`) over `period >= 2` bars.
    pub fn new(period: usize, osc: bool) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        let tracker = |high| Latest {
            values: History::new(period + 1),
            index: None,
            best: 0.0,
            high,
        };
        Ok(Self {
            period,
            factor: 100.0 / period as f64,
            osc,
            seen: 0,
            highs: tracker(true),
            lows: tracker(false),
        })
    }

    #[inline(always)]
    fn step(&mut self, high: f64, low: f64) -> (f64, f64) {
        let today = self.seen;
        self.seen += 1;
        let p = self.period;
        if today < p {
            self.highs.values.put(today, high);
            self.lows.values.put(today, low);
            return (f64::NAN, f64::NAN);
        }
        let trailing = today - p;
        let li = self.lows.push(today, trailing, low);
        let hi = self.highs.push(today, trailing, high);
        if self.osc {
            (self.factor * (hi as f64 - li as f64), f64::NAN)
        } else {
            let pf = p as f64;
            (
                self.factor * (pf - (today - li) as f64),
                self.factor * (pf - (today - hi) as f64),
            )
        }
    }
}

impl Indicator for Aroon {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n_out = if self.osc { 1 } else { 2 };
        check_shapes(inputs, outputs, 2, n_out);
        for i in 0..inputs[0].len() {
            let (a, b) = self.step(inputs[0][i], inputs[1][i]);
            outputs[0][i] = a;
            if !self.osc {
                outputs[1][i] = b;
            }
        }
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.osc).expect("valid period");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn aroon_up_is_100_on_a_new_high() {
        let mut a = Aroon::new(2, false).unwrap();
        a.step(1.0, 1.0);
        a.step(2.0, 0.5);
        let (down, up) = a.step(3.0, 2.0);
        assert_eq!(up, 100.0);
        assert_eq!(down, 50.0);
    }

    #[test]
    fn aroon_is_chunk_invariant() {
        let c = walk(300, 24);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        for osc in [false, true] {
            let n = if osc { 1 } else { 2 };
            assert_chunk_invariant(&|| Box::new(Aroon::new(14, osc).unwrap()), &[&h, &c], n, &[1, 9, 60]);
        }
    }
}
