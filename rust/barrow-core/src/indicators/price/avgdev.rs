//! AVGDEV — average absolute deviation from the mean.
//!
//! `sum(|x - mean|) / p` over the last `p` values, both sums taken from the
//! newest value to the oldest, recomputed each bar as TA-Lib does (so each
//! bar costs O(p), and a NaN leaves the window after `p` bars). Lookback
//! `p - 1`.

use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming average deviation; input is one series.
#[derive(Clone, Debug)]
pub struct AvgDev {
    period: usize,
    /// The last `period` values; the next one goes to `pos`.
    window: Box<[f64]>,
    pos: usize,
    seen: usize,
}

impl AvgDev {
    /// Average deviation over `period >= 2` values.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            window: vec![0.0; period].into_boxed_slice(),
            pos: 0,
            seen: 0,
        })
    }

    /// The window from the newest value to the oldest.
    fn newest_first(&self) -> impl Iterator<Item = f64> + '_ {
        let (older, newer) = self.window.split_at(self.pos);
        older.iter().rev().chain(newer.iter().rev()).copied()
    }

    /// Consumes one value.
    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        self.window[self.pos] = x;
        self.pos += 1;
        if self.pos == self.period {
            self.pos = 0;
        }
        self.seen += 1;
        if self.seen < self.period {
            return f64::NAN;
        }
        let p = self.period as f64;
        let mean = self.newest_first().fold(0.0, |s, v| s + v) / p;
        self.newest_first().fold(0.0, |s, v| s + (v - mean).abs()) / p
    }
}

impl fp::Kernel for AvgDev {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let n = x.len();
        let p = self.period;
        let head = (p - 1).min(n);
        for i in 0..head {
            out[i] = self.step(x[i]);
        }
        if head == n {
            return;
        }
        // Windows inside the chunk: a block of bars at a time, each bar's
        // sums taken in `step`'s order (newest value first) but one window
        // offset at a time across the block, so the additions vectorize.
        const BLOCK: usize = 32;
        let pf = p as f64;
        let (mut sum, mut mean) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut i0 = head;
        while i0 < n {
            let len = BLOCK.min(n - i0);
            let (sum, mean) = (&mut sum[..len], &mut mean[..len]);
            sum.fill(0.0);
            for k in 0..p {
                for (s, &v) in sum.iter_mut().zip(&x[i0 - k..]) {
                    *s += v;
                }
            }
            for (m, &s) in mean.iter_mut().zip(sum.iter()) {
                *m = s / pf;
            }
            sum.fill(0.0);
            for k in 0..p {
                for ((s, &v), &m) in sum.iter_mut().zip(&x[i0 - k..]).zip(mean.iter()) {
                    *s += (v - m).abs();
                }
            }
            for (o, &s) in out[i0..i0 + len].iter_mut().zip(sum.iter()) {
                *o = s / pf;
            }
            i0 += len;
        }
        self.seen += n - head;
        self.window.copy_from_slice(&x[n - p..]);
        self.pos = 0;
    }
}

impl Indicator for AvgDev {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
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
    fn avgdev_is_the_mean_distance_to_the_mean() {
        let mut a = AvgDev::new(4).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 6.0, 6.0].iter().map(|&x| a.step(x)).collect();
        assert!(out[..3].iter().all(|v| v.is_nan()));
        // Mean 3: (2 + 1 + 0 + 3) / 4.
        assert_eq!(out[3], 1.5);
        // Mean 4.25: (2.25 + 1.25 + 1.75 + 1.75) / 4.
        assert_eq!(out[4], 1.75);
    }

    #[test]
    fn avgdev_is_chunk_invariant() {
        let x = walk(300, 81);
        assert_chunk_invariant(&|| Box::new(AvgDev::new(14).unwrap()), &[&x], 1, &[1, 13, 50]);
    }
}
