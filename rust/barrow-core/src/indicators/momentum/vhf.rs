//! VHF — vertical horizontal filter.
//!
//! `(highest - lowest) / Σ|Δx|`: the range of the last `p` values over the
//! path of the last `p` one-bar changes (which reach one bar further back);
//! 0 when the path is not positive. Recomputed from the window each bar,
//! as TA-Lib does. Lookback `p`.

use super::super::{check_shapes, fp, ring::Ring, step_while, Indicator};
use crate::error::{BarrowError, Result};

/// Bars taken at a time once every bar has a full window.
const BLOCK: usize = 1024;

/// Streaming vertical horizontal filter.
#[derive(Clone, Debug)]
pub struct Vhf {
    period: usize,
    seen: usize,
    window: Ring,
}

impl Vhf {
    /// VHF over `period >= 2` changes.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            window: Ring::new(period + 1),
        })
    }

    /// Consumes one value (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, v: f64) -> f64 {
        self.window.swap(v);
        self.seen += 1;
        if self.seen <= self.period {
            return f64::NAN;
        }
        let (mut highest, mut lowest) = (v, v);
        let mut path = 0.0;
        let mut values = self.window.iter();
        let mut prev = values.next().expect("window holds p + 1 values");
        for x in values {
            path += (x - prev).abs();
            if x > highest {
                highest = x;
            }
            if x < lowest {
                lowest = x;
            }
            prev = x;
        }
        if path > 0.0 {
            (highest - lowest) / path
        } else {
            0.0
        }
    }
}

/// Bars [`window_stats`] takes at once: four AVX registers per sum, so
/// that the chains of additions of a tile overlap.
const TILE: usize = 16;

/// For each bar `j < path.len()` of a block: the path (the sum of
/// `moves[j..j + p]`, oldest first) and the highest and lowest of
/// `ext[j + 1..=j + p]`, compared in that order against `ext[j + p]`. Tiles
/// of bars keep their sums and extremes in registers while the window
/// offset runs; the bars left over run through the same operations one
/// offset at a time.
#[inline(always)]
fn window_stats(ext: &[f64], moves: &[f64], p: usize, path: &mut [f64], highest: &mut [f64], lowest: &mut [f64]) {
    let m = path.len();
    let tiles = m / TILE * TILE;
    for t0 in (0..tiles).step_by(TILE) {
        let mut s = [0.0; TILE];
        let mut h: [f64; TILE] = ext[p + t0..p + t0 + TILE].try_into().expect("a tile");
        let mut l = h;
        for k in 1..=p {
            let d: &[f64; TILE] = moves[k - 1 + t0..k - 1 + t0 + TILE].try_into().expect("a tile");
            let v: &[f64; TILE] = ext[k + t0..k + t0 + TILE].try_into().expect("a tile");
            for j in 0..TILE {
                s[j] += d[j];
                h[j] = if v[j] > h[j] { v[j] } else { h[j] };
                l[j] = if v[j] < l[j] { v[j] } else { l[j] };
            }
        }
        path[t0..t0 + TILE].copy_from_slice(&s);
        highest[t0..t0 + TILE].copy_from_slice(&h);
        lowest[t0..t0 + TILE].copy_from_slice(&l);
    }
    let (path, highest, lowest) = (&mut path[tiles..], &mut highest[tiles..], &mut lowest[tiles..]);
    let rest = path.len();
    path.fill(0.0);
    highest.copy_from_slice(&ext[p + tiles..p + tiles + rest]);
    lowest.copy_from_slice(&ext[p + tiles..p + tiles + rest]);
    for k in 1..=p {
        for (s, &d) in path.iter_mut().zip(&moves[k - 1 + tiles..k - 1 + tiles + rest]) {
            *s += d;
        }
        for ((h, l), &v) in highest
            .iter_mut()
            .zip(lowest.iter_mut())
            .zip(&ext[k + tiles..k + tiles + rest])
        {
            *h = if v > *h { v } else { *h };
            *l = if v < *l { v } else { *l };
        }
    }
}

impl Indicator for Vhf {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let (n, p) = (x.len(), self.period);
        let i = step_while(self, x, out, |s| s.seen < p, Vhf::step);
        if i == n {
            return;
        }
        // Every later bar has a full window. A block at a time, each window
        // with the operations of `step` in its order, one offset at a time
        // so that they vectorize across bars. `ext` holds the last p values,
        // then the block's.
        let mut ext: Vec<f64> = Vec::with_capacity(p + BLOCK);
        ext.extend(self.window.iter().skip(1));
        let mut moves = vec![0.0; p + BLOCK];
        let (mut path, mut highest, mut lowest) = (vec![0.0; BLOCK], vec![0.0; BLOCK], vec![0.0; BLOCK]);
        let mut start = i;
        while start < n {
            let m = BLOCK.min(n - start);
            ext.extend_from_slice(&x[start..start + m]);
            for (d, w) in moves.iter_mut().zip(ext.windows(2)) {
                *d = (w[1] - w[0]).abs();
            }
            let (path, highest, lowest) = (&mut path[..m], &mut highest[..m], &mut lowest[..m]);
            fp::with_fma(
                #[inline(always)]
                || window_stats(&ext, &moves, p, path, highest, lowest),
            );
            for (((o, &s), &h), &l) in out[start..start + m]
                .iter_mut()
                .zip(&*path)
                .zip(&*highest)
                .zip(&*lowest)
            {
                *o = if s > 0.0 { (h - l) / s } else { 0.0 };
            }
            if start + m == n {
                self.window.load(&ext[ext.len() - (p + 1)..]);
            }
            ext.drain(..m);
            start += m;
        }
        self.seen += n - i;
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
    fn vhf_is_range_over_path() {
        let mut f = Vhf::new(2).unwrap();
        let out: Vec<f64> = [5.0, 1.0, 2.0, 4.0, 4.0, 4.0].iter().map(|&v| f.step(v)).collect();
        assert!(out[1].is_nan());
        // Changes -4, +1; range of the last two values (1, 2) is 1.
        assert_eq!(out[2], 1.0 / 5.0);
        assert_eq!(out[3], 2.0 / 3.0);
        assert_eq!(out[5], 0.0);
    }

    #[test]
    fn vhf_is_chunk_invariant() {
        let x = walk(300, 56);
        assert_chunk_invariant(&|| Box::new(Vhf::new(28).unwrap()), &[&x], 1, &[1, 9, 100]);
    }
}
