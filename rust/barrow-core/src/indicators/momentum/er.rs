//! ER — Kaufman's efficiency ratio.
//!
//! `|x[t] - x[t-p]| / Σ|Δx|` over the last `p` one-bar changes, the path
//! length a running sum (drop the leaving change, add the new one) reset
//! to 0 after `p` exactly flat changes. 1 when the path is not positive or
//! the signed change reaches it, and at most 1, as in TA-Lib 0.8 (the same
//! ratio as KAMA's). Lookback `p`.

use super::super::{check_shapes, fp, ring::Ring, step_while, Indicator};
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

/// Bars taken at a time by [`Er::run_steady`].
const BLOCK: usize = 1024;

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
/// the one-bar move `leave` drops out and `enter` comes in (both absolute);
/// `p` flat moves in a row set it to 0. Returns the new length.
#[inline(always)]
pub(crate) fn path_step(path: &mut f64, flat: &mut usize, p: usize, leave: f64, enter: f64) -> f64 {
    *path -= leave;
    *path += enter;
    *flat = if enter == 0.0 { *flat + 1 } else { 0 };
    if *flat >= p {
        *flat = p;
        *path = 0.0;
    }
    *path
}

/// The path lengths of one block (`paths[k]` after `leave[k]` drops out and
/// `enter[k]` comes in), and in the same loop the ratios due from the block
/// before. Kept out of line: inlined into its caller the running length
/// went through the stack.
#[inline(never)]
fn sums_and_ratios(
    path: &mut f64,
    flat: &mut usize,
    p: usize,
    (paths, leave, enter): (&mut [f64], &[f64], &[f64]),
    (out, due_paths, due_changes): (&mut [f64], &[f64], &[f64]),
) {
    let (mut length, mut run) = (*path, *flat);
    let done = out.len().min(paths.len());
    let sums = paths.iter_mut().zip(leave).zip(enter);
    let mut ratios = out.iter_mut().zip(due_paths).zip(due_changes);
    for (((pb, &leave), &enter), ((o, &dp), &dc)) in sums.zip(ratios.by_ref()) {
        *pb = path_step(&mut length, &mut run, p, leave, enter);
        *o = efficiency_ratio(dp, dc);
    }
    // The first block has no ratios due; the last may be shorter than the one before.
    for ((pb, &leave), &enter) in paths.iter_mut().zip(leave).zip(enter).skip(done) {
        *pb = path_step(&mut length, &mut run, p, leave, enter);
    }
    for ((o, &dp), &dc) in ratios {
        *o = efficiency_ratio(dp, dc);
    }
    (*path, *flat) = (length, run);
}

impl Er {
    /// The bars after the lookback, a block at a time, with the operations
    /// of [`Er::step`]: the block's one-bar changes and window changes first
    /// (vectorized), then the path's running sum and flat counter (the only
    /// chain). The ratios of a block are taken in the loop of the next
    /// block's sums, where their divisions run while the chain waits.
    #[inline(always)]
    fn run_steady(&mut self, x: &[f64], out: &mut [f64]) {
        let p = self.period;
        // The last p + 1 values (x[t-p-1] ... x[t-1]), then the block's.
        let mut ext = Vec::with_capacity(p + 1 + BLOCK);
        ext.push(self.trail);
        ext.extend(self.window.iter());
        let mut moves = vec![0.0; p + BLOCK];
        // The block being summed, and the one whose ratios are due.
        let (mut paths, mut due_paths) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        let (mut changes, mut due_changes) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        let mut due: Option<(usize, usize)> = None;
        let (mut path, mut flat) = (self.path, self.flat);
        let mut start = 0;
        for xs in x.chunks(BLOCK) {
            let m = xs.len();
            ext.extend_from_slice(xs);
            // moves[k] = |ext[k+1] - ext[k]|: bar j's change leaves at j
            // and enters at p + j (|a - b| and |b - a| are the same value).
            for (d, w) in moves.iter_mut().zip(ext.windows(2)) {
                *d = (w[1] - w[0]).abs();
            }
            let (olds, news) = (&ext[1..1 + m], &ext[p + 1..p + 1 + m]);
            for ((c, &v), &old) in changes.iter_mut().zip(news).zip(olds) {
                *c = v - old;
            }
            let (leave, enter) = (&moves[..m], &moves[p..p + m]);
            let (s, len) = due.unwrap_or((0, 0));
            let ratios = (&mut out[s..s + len], &due_paths[..len], &due_changes[..len]);
            sums_and_ratios(&mut path, &mut flat, p, (&mut paths[..m], leave, enter), ratios);
            std::mem::swap(&mut paths, &mut due_paths);
            std::mem::swap(&mut changes, &mut due_changes);
            due = Some((start, m));
            start += m;
            ext.drain(..m);
        }
        if let Some((s, len)) = due {
            for ((o, &dp), &dc) in out[s..s + len]
                .iter_mut()
                .zip(&due_paths[..len])
                .zip(&due_changes[..len])
            {
                *o = efficiency_ratio(dp, dc);
            }
        }
        self.trail = ext[0];
        self.window.load(&ext[1..]);
        self.prev = ext[p];
        (self.path, self.flat) = (path, flat);
        self.seen += x.len();
    }
}

impl Indicator for Er {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let i = step_while(self, x, out, |s| s.seen <= s.period, Er::step);
        if i < x.len() {
            // The vectorized passes are twice as wide in the AVX encoding.
            fp::with_fma(
                #[inline(always)]
                || self.run_steady(&x[i..], &mut out[i..]),
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
