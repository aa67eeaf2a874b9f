//! ULTOSC — Williams' ultimate oscillator.
//!
//! Per bar, `bp = close - min(low, prev_close)` and `tr` the true range. With
//! `A_k`, `B_k` their sums over the last `p_k` bars (periods sorted
//! shortest first), `ult = 100 * ((4 A_1/B_1 + 2 A_2/B_2 + A_3/B_3) / 7)`,
//! a term left out while its `B_k` is not positive. As in TA-Lib 0.8 the
//! sums slide by add-then-subtract, and a window is reset to exactly zero
//! once it holds only bars with `bp = tr = 0`. Lookback: the longest period.

use super::super::volatility::true_range;
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming ultimate oscillator; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Ultosc {
    /// The three periods, shortest first.
    periods: [usize; 3],
    /// `bp` and `tr` of the last `periods[2]` bars; term `m` is in slot
    /// `m % periods[2]`.
    bp: Box<[f64]>,
    tr: Box<[f64]>,
    sum_bp: [f64; 3],
    sum_tr: [f64; 3],
    /// Bars in a row with `bp = tr = 0` (capped at the longest period).
    null_run: usize,
    /// Terms stored so far (bars after the first).
    terms: usize,
    prev_close: Option<f64>,
}

impl Ultosc {
    /// Ultimate oscillator over three periods (each `>= 1`, any order).
    pub fn new(p1: usize, p2: usize, p3: usize) -> Result<Self> {
        for (name, p) in [("timeperiod1", p1), ("timeperiod2", p2), ("timeperiod3", p3)] {
            if p < 1 {
                return Err(BarrowError::bad_param(name, p, "must be >= 1"));
            }
        }
        let mut periods = [p1, p2, p3];
        periods.sort_unstable();
        Ok(Self {
            periods,
            bp: vec![0.0; periods[2]].into_boxed_slice(),
            tr: vec![0.0; periods[2]].into_boxed_slice(),
            sum_bp: [0.0; 3],
            sum_tr: [0.0; 3],
            null_run: 0,
            terms: 0,
            prev_close: None,
        })
    }

    /// Consumes one bar.
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let Some(pc) = self.prev_close.replace(close) else {
            return f64::NAN;
        };
        let (bp, tr) = terms(high, low, close, pc);
        let longest = self.periods[2];
        self.bp[self.terms % longest] = bp;
        self.tr[self.terms % longest] = tr;
        self.terms += 1;
        for k in 0..3 {
            self.sum_bp[k] += bp;
            self.sum_tr[k] += tr;
        }
        self.null_run = if tr == 0.0 && bp == 0.0 { self.null_run + 1 } else { 0 };
        for k in 0..3 {
            if self.null_run >= self.periods[k] {
                self.sum_bp[k] = 0.0;
                self.sum_tr[k] = 0.0;
            }
        }
        self.null_run = self.null_run.min(longest);
        let out = if self.terms < longest {
            f64::NAN
        } else {
            let mut acc = 0.0;
            if self.sum_tr[0] > 0.0 {
                acc += (self.sum_bp[0] / self.sum_tr[0]) * 4.0;
            }
            if self.sum_tr[1] > 0.0 {
                let r = self.sum_bp[1] / self.sum_tr[1];
                acc += r + r;
            }
            if self.sum_tr[2] > 0.0 {
                acc += self.sum_bp[2] / self.sum_tr[2];
            }
            (acc / 7.0) * 100.0
        };
        // Drop the bar leaving each window.
        for k in 0..3 {
            if self.terms >= self.periods[k] {
                let slot = (self.terms - self.periods[k]) % longest;
                self.sum_bp[k] -= self.bp[slot];
                self.sum_tr[k] -= self.tr[slot];
            }
        }
        out
    }
}

impl Ultosc {
    /// Bars `from..` of a chunk once the longest window is full, with
    /// `step`'s operations: each block's `bp` and `tr` first (on the slices),
    /// then the sums on locals, bar by bar, then the ratios, which vectorize.
    /// The last `longest` values of `bp` and `tr` lead the block buffers, so
    /// the values leaving a window are read there instead of from a ring.
    #[inline(always)]
    fn run_steady(&mut self, high: &[f64], low: &[f64], close: &[f64], out: &mut [f64], from: usize) {
        const B: usize = 32;
        let n = out.len();
        let [p1, p2, p3] = self.periods;
        let l = p3;
        let mut bp = vec![0.0; l + B];
        let mut tr = vec![0.0; l + B];
        for m in 0..l {
            bp[m] = self.bp[(self.terms + m) % l];
            tr[m] = self.tr[(self.terms + m) % l];
        }
        let ([mut s1, mut s2, mut s3], [mut t1, mut t2, mut t3]) = (self.sum_bp, self.sum_tr);
        let mut null_run = self.null_run;
        let prev = self.prev_close.expect("set before the steady state");
        let ([mut a1, mut b1, mut a2], [mut b2, mut a3, mut b3]) = ([[0.0; B]; 3], [[0.0; B]; 3]);
        let mut i0 = from;
        while i0 < n {
            let len = B.min(n - i0);
            // The first bar's previous close may be the carried one; the
            // rest read theirs off the slice, so that the loop vectorizes.
            let pc = if i0 > 0 { close[i0 - 1] } else { prev };
            (bp[l], tr[l]) = terms(high[i0], low[i0], close[i0], pc);
            let r = i0 + 1..i0 + len;
            let bars = high[r.clone()].iter().zip(&low[r.clone()]).zip(&close[r.clone()]);
            let outs = bp[l + 1..l + len].iter_mut().zip(&mut tr[l + 1..l + len]);
            for ((b, t), (((&h, &lo), &c), &pc)) in outs.zip(bars.zip(&close[i0..i0 + len - 1])) {
                (*b, *t) = terms(h, lo, c, pc);
            }
            for j in 0..len {
                let (b, t) = (bp[l + j], tr[l + j]);
                s1 += b;
                t1 += t;
                s2 += b;
                t2 += t;
                s3 += b;
                t3 += t;
                null_run = if t == 0.0 && b == 0.0 { null_run + 1 } else { 0 };
                if null_run >= p1 {
                    (s1, t1) = (0.0, 0.0);
                    if null_run >= p2 {
                        (s2, t2) = (0.0, 0.0);
                    }
                    if null_run >= p3 {
                        (s3, t3) = (0.0, 0.0);
                    }
                }
                null_run = null_run.min(l);
                (a1[j], b1[j], a2[j], b2[j], a3[j], b3[j]) = (s1, t1, s2, t2, s3, t3);
                let at = l + j + 1;
                s1 -= bp[at - p1];
                t1 -= tr[at - p1];
                s2 -= bp[at - p2];
                t2 -= tr[at - p2];
                s3 -= bp[at - p3];
                t3 -= tr[at - p3];
            }
            for j in 0..len {
                out[i0 + j] = oscillator(&[a1[j], b1[j], a2[j], b2[j], a3[j], b3[j]]);
            }
            bp.copy_within(len..len + l, 0);
            tr.copy_within(len..len + l, 0);
            i0 += len;
        }
        (self.sum_bp, self.sum_tr, self.null_run) = ([s1, s2, s3], [t1, t2, t3], null_run);
        self.terms += n - from;
        self.prev_close = Some(close[n - 1]);
        for m in 0..l {
            self.bp[(self.terms + m) % l] = bp[m];
            self.tr[(self.terms + m) % l] = tr[m];
        }
    }
}

/// A bar's `(bp, tr)` after the close `pc`.
#[inline(always)]
fn terms(high: f64, low: f64, close: f64, pc: f64) -> (f64, f64) {
    let true_low = if low < pc { low } else { pc };
    (close - true_low, true_range(high, low, pc))
}

/// The oscillator from `[A_1, B_1, A_2, B_2, A_3, B_3]`, as `step` adds
/// its terms.
#[inline(always)]
fn oscillator(s: &[f64; 6]) -> f64 {
    let sel = std::hint::select_unpredictable::<f64>;
    let mut acc = 0.0;
    acc = sel(s[1] > 0.0, acc + (s[0] / s[1]) * 4.0, acc);
    let r = s[2] / s[3];
    acc = sel(s[3] > 0.0, acc + (r + r), acc);
    acc = sel(s[5] > 0.0, acc + s[4] / s[5], acc);
    (acc / 7.0) * 100.0
}

impl Indicator for Ultosc {
    fn lookback(&self) -> usize {
        self.periods[2]
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        let (high, low, close) = (inputs[0], inputs[1], inputs[2]);
        let out = &mut *outputs[0];
        let n = out.len();
        let longest = self.periods[2];
        // Until the longest window is full, one bar at a time.
        let mut head = 0;
        while head < n && (self.terms < longest || self.prev_close.is_none()) {
            out[head] = self.step(high[head], low[head], close[head]);
            head += 1;
        }
        if head < n {
            fp::with_fma(
                #[inline(always)]
                || self.run_steady(high, low, close, out, head),
            );
        }
    }

    fn reset(&mut self) {
        let [a, b, c] = self.periods;
        *self = Self::new(a, b, c).expect("valid periods");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn ultosc_of_closes_at_the_high_is_100() {
        let mut u = Ultosc::new(1, 2, 3).unwrap();
        let out: Vec<f64> = (0..6)
            .map(|i| u.step(i as f64 + 1.0, i as f64, i as f64 + 1.0))
            .collect();
        assert!(out[..3].iter().all(|v| v.is_nan()));
        assert!(out[3..].iter().all(|&v| v == 100.0), "{out:?}");
    }

    #[test]
    fn ultosc_is_chunk_invariant() {
        let c = walk(300, 51);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(
            &|| Box::new(Ultosc::new(7, 14, 28).unwrap()),
            &[&h, &l, &c],
            1,
            &[1, 13, 50],
        );
    }
}
