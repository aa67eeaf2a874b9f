//! CCI — Lambert's commodity channel index.
//!
//! With `tp = (high + low + close) / 3`, `avg` the mean of the last `p` typical
//! prices and `md` their mean absolute deviation from `avg`,
//! `cci = (tp - avg) / (0.015 * md)`; 0 when `|tp - avg|` or `md` is within
//! `1e-14 |avg|` of zero, as TA-Lib 0.8 tests it. The window is summed in
//! the slot order of a circular buffer that starts at the first bar, as
//! TA-Lib does (the order changes the rounding), so each bar costs O(p);
//! the bars of a segment of `p` are summed together, across vector lanes.
//! Lookback `p - 1`.

use super::super::{check_shapes, fp, Indicator};
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
        let tp = typical(high, low, close);
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
        cci(tp, avg, dev, p)
    }

    /// Bars `from..` of a chunk, every one with a full window, a segment of
    /// `p` bars at a time. Bar `b`'s slot order starts at the multiple of
    /// `p` it shares with its segment, `base = p ⌊(b + 1) / p⌋`: its `k`-th
    /// term is the typical price of bar `base + k` for `k < b + 1 - base`,
    /// else of bar `base + k - p`. So the bars of a segment sum the same two
    /// rows of `p` prices, each choosing between them by its place in the
    /// segment, which vectorizes across the segment's bars with every bar's
    /// sums in TA-Lib's order.
    #[inline(always)]
    fn run_segments(&mut self, inputs: &[&[f64]], out: &mut [f64], from: usize) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let p = self.period;
        let pf = p as f64;
        // Global bar indices: `g0` is bar `from`, `end` is one past the chunk.
        let g0 = self.seen;
        let end = g0 + (out.len() - from);
        let chunk = Chunk { h, l, c, from, g0, end };
        let mut base = p * ((g0 + 1) / p);
        let mut prev = vec![0.0; p];
        for (k, v) in prev.iter_mut().enumerate() {
            *v = chunk.typical(base - p + k, &self.slots);
        }
        let mut cur = vec![0.0; p];
        while base <= end {
            for (k, v) in cur.iter_mut().enumerate() {
                *v = chunk.typical(base + k, &self.slots);
            }
            // The segment's bars `base - 1 + r` in the chunk.
            let (r_lo, r_hi) = (g0.max(base - 1) + 1 - base, p.min(end + 1 - base));
            for t0 in (r_lo..r_hi).step_by(LANES) {
                let lanes = segment_lanes(&prev, &cur, t0, pf);
                for (r, (tp, avg, dev)) in (t0..r_hi.min(t0 + LANES)).zip(lanes) {
                    out[from + (base - 1 + r - g0)] = cci(tp, avg, dev, pf);
                }
            }
            std::mem::swap(&mut prev, &mut cur);
            base += p;
        }
        for g in end.saturating_sub(p).max(g0)..end {
            self.slots[g % p] = chunk.typical(g, &self.slots);
        }
        self.seen = end;
        self.pos = end % p;
    }
}

/// A chunk's inputs, placed among the global bar indices: chunk bar `from`
/// is bar `g0`, and `end` is one past the chunk's last bar.
struct Chunk<'a> {
    h: &'a [f64],
    l: &'a [f64],
    c: &'a [f64],
    from: usize,
    g0: usize,
    end: usize,
}

impl Chunk<'_> {
    /// Bar `g`'s typical price: from `slots` for the last `p` bars before
    /// the chunk, 0 past its end (never chosen by a bar of the chunk).
    #[inline(always)]
    fn typical(&self, g: usize, slots: &[f64]) -> f64 {
        if g < self.g0 {
            slots[g % slots.len()]
        } else if g < self.end {
            let j = self.from + (g - self.g0);
            typical(self.h[j], self.l[j], self.c[j])
        } else {
            0.0
        }
    }
}

/// A bar's typical price.
#[inline(always)]
fn typical(high: f64, low: f64, close: f64) -> f64 {
    (high + low + close) / 3.0
}

/// Bars [`segment_lanes`] computes at once.
const LANES: usize = 16;

/// `(tp, avg, dev)` of the segment's bars `r0..r0 + LANES` (places in the
/// segment; those at or past `p` are filler): a bar at place `r` takes
/// term `k` from `cur` when `k < r`, else from `prev`.
#[inline(always)]
fn segment_lanes(prev: &[f64], cur: &[f64], r0: usize, pf: f64) -> [(f64, f64, f64); LANES] {
    let place: [f64; LANES] = std::array::from_fn(
        #[inline(always)]
        |j| (r0 + j) as f64,
    );
    let mut sum = [0.0; LANES];
    for (k, (&new, &old)) in cur.iter().zip(prev).enumerate() {
        let kf = k as f64;
        for j in 0..LANES {
            sum[j] += if kf < place[j] { new } else { old };
        }
    }
    let avg = sum.map(
        #[inline(always)]
        |s| s / pf,
    );
    let mut dev = [0.0; LANES];
    for (k, (&new, &old)) in cur.iter().zip(prev).enumerate() {
        let kf = k as f64;
        for j in 0..LANES {
            dev[j] += ((if kf < place[j] { new } else { old }) - avg[j]).abs();
        }
    }
    let p = prev.len();
    std::array::from_fn(
        #[inline(always)]
        |j| {
            let r = r0 + j;
            // The bar's own price: the last term it takes.
            let tp = if r == 0 { prev[p - 1] } else { cur[(r - 1).min(p - 1)] };
            (tp, avg[j], dev[j])
        },
    )
}

/// The index from a bar's typical price, the window's mean and the sum of
/// absolute deviations from it, with TA-Lib's tests for zero.
#[inline(always)]
fn cci(tp: f64, avg: f64, dev: f64, p: f64) -> f64 {
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

impl Indicator for Cci {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        let out = &mut *outputs[0];
        let mut i = 0;
        while i < out.len() && self.seen + 1 < self.period {
            out[i] = self.step(inputs[0][i], inputs[1][i], inputs[2][i]);
            i += 1;
        }
        if i < out.len() {
            fp::with_fma(
                #[inline(always)]
                || self.run_segments(inputs, out, i),
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
    fn segments_give_the_bits_of_bar_by_bar_steps() {
        let c = walk(1000, 37);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        // Periods below, at and above the lane count.
        for p in [2, 3, 14, 16, 17, 40] {
            let mut by_step = Cci::new(p).unwrap();
            let want: Vec<f64> = (0..c.len()).map(|i| by_step.step(h[i], l[i], c[i])).collect();
            let got = crate::indicators::run(&mut Cci::new(p).unwrap(), &[&h, &l, &c], 1);
            for (i, (g, w)) in got[0].iter().zip(&want).enumerate() {
                assert!(
                    g.to_bits() == w.to_bits() || (g.is_nan() && w.is_nan()),
                    "p {p}, bar {i}: {g} vs {w}"
                );
            }
        }
    }

    #[test]
    fn cci_is_chunk_invariant() {
        let c = walk(300, 31);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        for p in [14, 20] {
            assert_chunk_invariant(&|| Box::new(Cci::new(p).unwrap()), &[&h, &l, &c], 1, &[1, 13, 50]);
        }
    }
}
