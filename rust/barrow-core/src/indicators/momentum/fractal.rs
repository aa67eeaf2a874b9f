//! FRACTAL — Williams' fractal swing points.
//!
//! The bar `rightbars` back is a swing high (100) when its high beats every
//! other high in the window of `leftbars + rightbars + 1` bars, and a swing
//! low (100) when its low is below every other low; 0 otherwise. Reported
//! on the bar that completes the window, as TA-Lib does. Lookback
//! `leftbars + rightbars`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming fractals; inputs are (high, low), outputs (swinghigh, swinglow).
#[derive(Clone, Debug)]
pub struct Fractal {
    left: usize,
    right: usize,
    seen: usize,
    highs: Ring,
    lows: Ring,
}

impl Fractal {
    /// Fractals with `left >= 1` bars before and `right >= 1` after the pivot.
    pub fn new(left: usize, right: usize) -> Result<Self> {
        if left == 0 {
            return Err(BarrowError::bad_param("leftbars", left, "must be >= 1"));
        }
        if right == 0 {
            return Err(BarrowError::bad_param("rightbars", right, "must be >= 1"));
        }
        Ok(Self {
            left,
            right,
            seen: 0,
            highs: Ring::new(left + right + 1),
            lows: Ring::new(left + right + 1),
        })
    }

    /// Consumes one bar: (swing high, swing low) as 100 or 0, NaN during
    /// the lookback.
    #[inline]
    pub fn step(&mut self, high: f64, low: f64) -> (f64, f64) {
        self.highs.swap(high);
        self.lows.swap(low);
        self.seen += 1;
        if self.seen <= self.left + self.right {
            return (f64::NAN, f64::NAN);
        }
        judge(self.left, self.highs.iter().zip(self.lows.iter()))
    }
}

/// The flags for a window of (high, low) bars, oldest first: the oldest
/// bar seeds the others' extremes (it is never the pivot, as
/// `leftbars >= 1`).
#[inline(always)]
fn judge(pivot: usize, bars: impl Iterator<Item = (f64, f64)>) -> (f64, f64) {
    let (mut pivot_high, mut pivot_low) = (0.0, 0.0);
    let (mut other_high, mut other_low) = (0.0, 0.0);
    for (k, (h, l)) in bars.enumerate() {
        if k == pivot {
            (pivot_high, pivot_low) = (h, l);
        } else if k == 0 {
            (other_high, other_low) = (h, l);
        } else {
            if h > other_high {
                other_high = h;
            }
            if l < other_low {
                other_low = l;
            }
        }
    }
    (flag(pivot_high > other_high), flag(pivot_low < other_low))
}

#[inline(always)]
fn flag(hit: bool) -> f64 {
    if hit {
        100.0
    } else {
        0.0
    }
}

impl Indicator for Fractal {
    fn lookback(&self) -> usize {
        self.left + self.right
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 2);
        let (hi, lo) = (inputs[0], inputs[1]);
        let (highs, lows) = outputs.split_at_mut(1);
        let (highs, lows) = (&mut *highs[0], &mut *lows[0]);
        let n = hi.len();
        let w = self.left + self.right + 1;
        let head = (w - 1).min(n);
        for i in 0..head {
            (highs[i], lows[i]) = self.step(hi[i], lo[i]);
        }
        if head == n {
            return;
        }
        // Windows inside the chunk are judged on the slices, a block of
        // bars at a time and one window offset at a time, so each step is
        // an element-wise max or min over the block (as `judge` folds them).
        const BLOCK: usize = 32;
        let pivot = self.left;
        let (mut oh, mut ol) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut i0 = head;
        while i0 < n {
            let len = BLOCK.min(n - i0);
            let s0 = i0 + 1 - w;
            let (oh, ol) = (&mut oh[..len], &mut ol[..len]);
            oh.copy_from_slice(&hi[s0..s0 + len]);
            ol.copy_from_slice(&lo[s0..s0 + len]);
            for k in (1..w).filter(|&k| k != pivot) {
                for ((a, b), (&h, &l)) in oh
                    .iter_mut()
                    .zip(ol.iter_mut())
                    .zip(hi[s0 + k..].iter().zip(&lo[s0 + k..]))
                {
                    *a = if h > *a { h } else { *a };
                    *b = if l < *b { l } else { *b };
                }
            }
            let pivots = hi[s0 + pivot..].iter().zip(&lo[s0 + pivot..]);
            let outs = highs[i0..i0 + len].iter_mut().zip(lows[i0..i0 + len].iter_mut());
            for (((sh, sl), (&ph, &pl)), (&a, &b)) in outs.zip(pivots).zip(oh.iter().zip(ol.iter())) {
                *sh = flag(ph > a);
                *sl = flag(pl < b);
            }
            i0 += len;
        }
        self.seen += n - head;
        self.highs.load(&hi[n - w..]);
        self.lows.load(&lo[n - w..]);
    }

    fn reset(&mut self) {
        *self = Self::new(self.left, self.right).expect("valid bars");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn fractal_marks_a_strict_swing_when_the_window_completes() {
        let highs = [1.0, 2.0, 5.0, 3.0, 5.0];
        let lows = [3.0, 2.0, 1.0, 2.0, 3.0];
        let mut f = Fractal::new(2, 2).unwrap();
        let out: Vec<(f64, f64)> = highs.iter().zip(&lows).map(|(&h, &l)| f.step(h, l)).collect();
        assert!(out[3].0.is_nan());
        // The pivot low 1 is a swing low; the pivot high 5 only ties the last bar.
        assert_eq!(out[4], (0.0, 100.0));
    }

    #[test]
    fn fractal_is_chunk_invariant() {
        let c = walk(300, 63);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(&|| Box::new(Fractal::new(2, 3).unwrap()), &[&h, &l], 2, &[1, 9, 100]);
    }
}
