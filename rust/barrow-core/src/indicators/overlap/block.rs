//! Window highs and lows by blocks, as TA-Lib 0.8 computes them for WILLR,
//! MIDPOINT and MIDPRICE.
//!
//! Outputs come in blocks of `p`: at a block's first bar, suffix extremes of
//! its window are computed backwards; at the block's later bars, running
//! prefix extremes of the new bars are combined with those suffixes. With
//! `max(a, b) = if a > b { a } else { b }` (and likewise `min`), a NaN
//! propagates exactly as in TA-Lib.

use super::History;

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

/// Highest high and lowest low of the last `p` bars, by blocks.
#[derive(Clone, Debug)]
pub(crate) struct BlockExtremes {
    period: usize,
    seen: usize,
    /// Position of the next output within its block (0 starts a block).
    k: usize,
    highs: History,
    lows: History,
    suffix_high: Vec<f64>,
    suffix_low: Vec<f64>,
    prefix_high: f64,
    prefix_low: f64,
}

impl BlockExtremes {
    pub(crate) fn new(period: usize) -> Self {
        Self {
            period,
            seen: 0,
            k: 0,
            highs: History::new(period),
            lows: History::new(period),
            suffix_high: vec![0.0; period],
            suffix_low: vec![0.0; period],
            prefix_high: 0.0,
            prefix_low: 0.0,
        }
    }

    /// Consumes one bar; `(highest high, lowest low)` once `p` bars are in.
    #[inline]
    pub(crate) fn push(&mut self, high: f64, low: f64) -> Option<(f64, f64)> {
        let i = self.seen;
        self.seen += 1;
        let p = self.period;
        self.highs.put(i, high);
        self.lows.put(i, low);
        if i + 1 < p {
            return None;
        }
        let k = self.k;
        self.k = if k + 1 == p { 0 } else { k + 1 };
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
            return Some((self.suffix_high[0], self.suffix_low[0]));
        }
        if k == 1 {
            self.prefix_high = high;
            self.prefix_low = low;
        } else {
            self.prefix_high = mx(high, self.prefix_high);
            self.prefix_low = mn(low, self.prefix_low);
        }
        Some((
            mx(self.prefix_high, self.suffix_high[k]),
            mn(self.prefix_low, self.suffix_low[k]),
        ))
    }
}

/// MAX or MIN over the last `p` values, by blocks (branch-free). Lookback
/// `p - 1`.
#[derive(Clone, Debug)]
pub struct BlockExtreme {
    kind: super::ExtremeKind,
    period: usize,
    block: BlockExtremes,
}

impl BlockExtreme {
    /// The highest or lowest of the last `period >= 2` values.
    pub fn new(kind: super::ExtremeKind, period: usize) -> crate::error::Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self {
            kind,
            period,
            block: BlockExtremes::new(period),
        })
    }
}

impl crate::indicators::Indicator for BlockExtreme {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        crate::indicators::check_shapes(inputs, outputs, 1, 1);
        let max = self.kind == super::ExtremeKind::Max;
        for (o, &x) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = match self.block.push(x, x) {
                Some((hh, ll)) => {
                    if max {
                        hh
                    } else {
                        ll
                    }
                }
                None => f64::NAN,
            };
        }
    }

    fn reset(&mut self) {
        self.block = BlockExtremes::new(self.period);
    }
}

/// MIDPOINT (one series) or MIDPRICE (high, low): `(highest + lowest) / 2`
/// over the last `p` bars. Lookback `p - 1`.
#[derive(Clone, Debug)]
pub struct MidRange {
    period: usize,
    two_inputs: bool,
    block: BlockExtremes,
}

impl MidRange {
    /// MIDPOINT (`two_inputs = false`) or MIDPRICE over `period >= 2` bars.
    pub fn new(period: usize, two_inputs: bool) -> crate::error::Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self {
            period,
            two_inputs,
            block: BlockExtremes::new(period),
        })
    }
}

impl crate::indicators::Indicator for MidRange {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n_in = if self.two_inputs { 2 } else { 1 };
        crate::indicators::check_shapes(inputs, outputs, n_in, 1);
        let (hi, lo) = (inputs[0], inputs[n_in - 1]);
        for (i, o) in outputs[0].iter_mut().enumerate() {
            *o = match self.block.push(hi[i], lo[i]) {
                Some((hh, ll)) => (hh + ll) / 2.0,
                None => f64::NAN,
            };
        }
    }

    fn reset(&mut self) {
        self.block = BlockExtremes::new(self.period);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn block_extremes_match_a_naive_window_scan() {
        let x = walk(200, 25);
        let mut b = BlockExtremes::new(7);
        for (i, &v) in x.iter().enumerate() {
            let got = b.push(v, v);
            if i >= 6 {
                let w = &x[i - 6..=i];
                let hh = w.iter().cloned().fold(f64::MIN, f64::max);
                let ll = w.iter().cloned().fold(f64::MAX, f64::min);
                assert_eq!(got, Some((hh, ll)));
            }
        }
    }

    #[test]
    fn midrange_is_chunk_invariant() {
        let x = walk(300, 26);
        let y: Vec<f64> = x.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(MidRange::new(14, false).unwrap()), &[&x], 1, &[1, 9, 60]);
        assert_chunk_invariant(
            &|| Box::new(MidRange::new(14, true).unwrap()),
            &[&x, &y],
            1,
            &[1, 9, 60],
        );
    }
}
