//! ER — Kaufman's efficiency ratio.
//!
//! `|x[t] - x[t-p]| / Σ|Δx|` over the last `p` one-bar changes, the path
//! length a running sum moved by `(entering - leaving)` in one addition
//! (TA-Lib subtracts the leaving change, then adds the entering one: the
//! values agree to a few ulps of the path length), reset to 0 after `p`
//! exactly flat changes. 1 when the path is not positive or
//! the signed change reaches it, and at most 1, as in TA-Lib 0.8 (the same
//! ratio as KAMA's). Lookback `p`.

use super::super::{check_shapes, fp, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming efficiency ratio.
#[derive(Clone, Debug)]
pub struct Er {
    period: usize,
    seen: usize,
    prev: f64,
    trail: f64,
    path: f64,
    flat: usize,
    window: Ring,
}

impl Er {
    /// ER over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            prev: 0.0,
            trail: 0.0,
            path: 0.0,
            flat: 0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        let t = self.seen;
        self.seen += 1;
        let old = self.window.swap(v);
        let prev = std::mem::replace(&mut self.prev, v);
        if t == 0 {
            return f64::NAN;
        }
        if t <= self.period {
            let d = prev - v;
            self.path += d.abs();
            self.flat = if d == 0.0 { self.flat + 1 } else { 0 };
            if t < self.period {
                return f64::NAN;
            }
        } else {
            let (leave, enter) = ((self.trail - old).abs(), (v - prev).abs());
            path_step(&mut self.path, &mut self.flat, self.period, leave, enter);
        }
        self.trail = old;
        efficiency_ratio(self.path, v - old)
    }
}

/// Bars taken at a time by [`Er::run_direct`].
const BLOCK: usize = 32;

/// The efficiency ratio of a path length and the signed change over the
/// window, shared with KAMA: 1 when the path is not positive or the change
/// reaches it, else `|change / path|` clamped to 1 (a falling window can
/// exceed it by a few ulps); a NaN passes through, as in TA-Lib. Its cases
/// are selects, so the division can run ahead of whatever waits on it.
#[inline(always)]
pub(crate) fn efficiency_ratio(path: f64, change: f64) -> f64 {
    let r = (change / path).abs();
    let r = if 1.0 < r { 1.0 } else { r };
    if path <= 0.0 || path <= change {
        1.0
    } else {
        r
    }
}

/// One step of the path length once its window is full, shared with KAMA:
/// the one-bar move `leave` drops out and `enter` comes in (both absolute),
/// one addition on the length's chain; `p` flat moves in a row set it to
/// 0. Returns the new length.
#[inline(always)]
pub(crate) fn path_step(path: &mut f64, flat: &mut usize, p: usize, leave: f64, enter: f64) -> f64 {
    *path += enter - leave;
    *flat = if enter == 0.0 { *flat + 1 } else { 0 };
    if *flat >= p {
        *flat = p;
        *path = 0.0;
    }
    *path
}

impl Er {
    /// Bars `from..` of the chunk, each window inside it (`from > p`), a
    /// block at a time with the operations of [`Er::step`]: the path
    /// lengths first (the only chain), then the block's ratios, whose
    /// divisions vectorize.
    #[inline(always)]
    fn run_direct(&mut self, x: &[f64], out: &mut [f64], from: usize) {
        let p = self.period;
        let n = x.len();
        let mut paths = [0.0; BLOCK];
        let (mut path, mut flat) = (self.path, self.flat);
        let mut j = from;
        while j < n {
            let end = (j + BLOCK).min(n);
            let enters = x[j - 1..end - 1].iter().zip(&x[j..end]);
            let leaves = x[j - p - 1..end - p - 1].iter().zip(&x[j - p..end - p]);
            for ((slot, (&a, &b)), (&c, &d)) in paths.iter_mut().zip(enters).zip(leaves) {
                *slot = path_step(&mut path, &mut flat, p, (c - d).abs(), (b - a).abs());
            }
            let changes = x[j..end].iter().zip(&x[j - p..end - p]);
            for ((o, &pa), (&v, &old)) in out[j..end].iter_mut().zip(&paths).zip(changes) {
                *o = efficiency_ratio(pa, v - old);
            }
            j = end;
        }
        (self.path, self.flat) = (path, flat);
        self.trail = x[n - p - 1];
        self.window.load(&x[n - p..]);
        self.prev = x[n - 1];
        self.seen += n - from;
    }
}

impl Indicator for Er {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        // Bars whose window reaches before the chunk go through `step`.
        let p = self.period;
        let mut i = 0;
        while i < x.len() && (self.seen <= p || i <= p) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i < x.len() {
            // The vectorized passes are twice as wide in the AVX encoding.
            fp::with_fma(
                #[inline(always)]
                || self.run_direct(x, out, i),
            );
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
    fn er_is_one_on_a_straight_path_and_falls_with_noise() {
        let mut e = Er::new(2).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 2.0, 2.0, 2.0].iter().map(|&v| e.step(v)).collect();
        assert!(out[1].is_nan());
        assert_eq!(out[2], 1.0);
        assert_eq!(out[3], 0.0);
        assert_eq!(out[4], 1.0);
        // A flat window: the path is reset to 0 and the ratio is 1.
        assert_eq!(out[5], 1.0);
    }

    #[test]
    fn er_is_clamped_to_one_on_a_falling_path() {
        // |1.4 - 7.2| / (|7.2 - 6.1| + |6.1 - 1.4|) rounds to 1 + 2^-52.
        let mut e = Er::new(2).unwrap();
        let out: Vec<f64> = [7.2, 6.1, 1.4].iter().map(|&v| e.step(v)).collect();
        assert_eq!(out[2], 1.0);
    }

    #[test]
    fn er_is_chunk_invariant() {
        let x = walk(300, 54);
        assert_chunk_invariant(&|| Box::new(Er::new(10).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
