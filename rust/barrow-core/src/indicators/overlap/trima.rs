//! TRIMA — triangular moving average.
//!
//! TA-Lib's running numerator: a left half summed with rising weights and a
//! right half with falling ones, updated by adding and subtracting partial
//! sums in TA-Lib's exact order (which differs for odd and even periods),
//! times `1 / (h (h + 1))` (even) or `1 / (h + 1)²` (odd), `h = p / 2`.
//! Lookback `p - 1`; period 1 copies the input.

use super::history::History;
use crate::error::{BarrowError, Result};

/// Streaming TRIMA.
#[derive(Clone, Debug)]
pub struct Trima {
    period: usize,
    half: usize,
    factor: f64,
    seen: usize,
    num: f64,
    nsub: f64,
    nadd: f64,
    window: History,
}

impl Trima {
    /// A TRIMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let half = period >> 1;
        let factor = if period.is_multiple_of(2) {
            1.0 / ((half + 1) as f64 * half as f64)
        } else {
            1.0 / ((half + 1) as f64 * (half + 1) as f64)
        };
        Ok(Self {
            period,
            half,
            factor,
            seen: 0,
            num: 0.0,
            nsub: 0.0,
            nadd: 0.0,
            window: History::new(period + 1),
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.period - 1
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let (p, h) = (self.period, self.half);
        if p == 1 {
            return v;
        }
        self.window.put(i, v);
        if i + 1 < p {
            return f64::NAN;
        }
        let even = p % 2 == 0;
        if i + 1 == p {
            // Seed from the first window: left half backwards, then right half.
            let left_end = if even { h - 1 } else { h };
            for k in (0..=left_end).rev() {
                self.nsub += self.window.get(k);
                self.num += self.nsub;
            }
            for k in left_end + 1..=i {
                self.nadd += self.window.get(k);
                self.num += self.nadd;
            }
            return self.factor * self.num;
        }
        let trail = self.window.get(i - p);
        if even {
            let mid = self.window.get(i - p + h);
            self.num -= self.nsub;
            self.nsub -= trail;
            self.nadd -= mid;
            self.nsub += mid;
            self.num += self.nadd;
            self.nadd += v;
            self.num += v;
        } else {
            let mid = self.window.get(i - p + 1 + h);
            self.num -= self.nsub;
            self.nsub -= trail;
            self.num += self.nadd;
            self.nsub += mid;
            self.nadd -= mid;
            self.num += v;
            self.nadd += v;
        }
        self.factor * self.num
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }

    /// Consumes a chunk into `out` (same length). Bars whose trailing and
    /// middle values lie in the chunk run on the slice with the sums in
    /// locals, with the same operations as [`Trima::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let (p, h) = (self.period, self.half);
        let head = if p == 1 { n } else { p.min(n) };
        for (o, &v) in out[..head].iter_mut().zip(x) {
            *o = self.step(v);
        }
        if head == n {
            return;
        }
        let factor = self.factor;
        let (mut num, mut nsub, mut nadd) = (self.num, self.nsub, self.nadd);
        if p % 2 == 0 {
            for i in head..n {
                let (v, trail, mid) = (x[i], x[i - p], x[i - p + h]);
                num -= nsub;
                nsub -= trail;
                nadd -= mid;
                nsub += mid;
                num += nadd;
                nadd += v;
                num += v;
                out[i] = factor * num;
            }
        } else {
            for i in head..n {
                let (v, trail, mid) = (x[i], x[i - p], x[i - p + 1 + h]);
                num -= nsub;
                nsub -= trail;
                num += nadd;
                nsub += mid;
                nadd -= mid;
                num += v;
                nadd += v;
                out[i] = factor * num;
            }
        }
        (self.num, self.nsub, self.nadd) = (num, nsub, nadd);
        // Keep the last bars for windows that reach into the next chunk.
        let base = self.seen - head;
        for (i, &v) in x.iter().enumerate().take(n).skip(n - p) {
            self.window.put(base + i, v);
        }
        self.seen += n - head;
    }
}
