//! WMA — linearly weighted moving average, weights 1..p (newest heaviest).
//!
//! TA-Lib 0.8's running form: a plain sum and a weighted sum updated per
//! bar (`psum = (psum + x) - trailing`, `ws = x * p + wsum`,
//! `wsum = ws - psum`, `out = ws / (p (p + 1) / 2)`), recomputed from the
//! window every `8 p` outputs. Lookback `p - 1`; period 1 copies the input.

use super::history::History;
use crate::error::{BarrowError, Result};

/// Streaming WMA.
#[derive(Clone, Debug)]
pub struct Wma {
    period: usize,
    divider: f64,
    seen: usize,
    psum: f64,
    wsum: f64,
    trail: f64,
    window: History,
    /// Outputs left until the sums are rebuilt from the window (every 8p).
    until_rebuild: usize,
}

impl Wma {
    /// A WMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            divider: ((period + 1) * period) as f64 * 0.5,
            seen: 0,
            psum: 0.0,
            wsum: 0.0,
            trail: 0.0,
            window: History::new(period),
            until_rebuild: 8 * period,
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.period - 1
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let today = self.seen;
        self.seen += 1;
        let p = self.period;
        if p == 1 {
            return v;
        }
        self.window.put(today, v);
        if today + 1 < p {
            self.psum += v;
            self.wsum += (today + 1) as f64 * v;
            return f64::NAN;
        }
        self.until_rebuild -= 1;
        let ws = if self.until_rebuild == 0 {
            self.until_rebuild = 8 * p;
            let (mut psum, mut ws) = (0.0, 0.0);
            for (k, i) in (today + 1 - p..=today).enumerate() {
                let x = self.window.get(i);
                psum += x;
                ws += (k + 1) as f64 * x;
            }
            self.psum = psum;
            ws
        } else {
            self.psum = (self.psum + v) - self.trail;
            v * p as f64 + self.wsum
        };
        self.wsum = ws - self.psum;
        self.trail = self.window.get(today + 1 - p);
        ws / self.divider
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }

    /// Consumes a chunk into `out` (same length). Bars whose window and
    /// trailing value lie in the chunk run on the slice with the sums in
    /// locals, with the same operations as [`Wma::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let p = self.period;
        let head = if p == 1 { n } else { p.min(n) };
        for (o, &v) in out[..head].iter_mut().zip(x) {
            *o = self.step(v);
        }
        if head == n {
            return;
        }
        let pf = p as f64;
        let divider = self.divider;
        let (mut psum, mut wsum, mut until) = (self.psum, self.wsum, self.until_rebuild);
        for i in head..n {
            let v = x[i];
            until -= 1;
            let ws = if until == 0 {
                until = 8 * p;
                let (mut sum, mut ws) = (0.0, 0.0);
                for (k, &w) in x[i + 1 - p..=i].iter().enumerate() {
                    sum += w;
                    ws += (k + 1) as f64 * w;
                }
                psum = sum;
                ws
            } else {
                psum = (psum + v) - x[i - p];
                v * pf + wsum
            };
            wsum = ws - psum;
            out[i] = ws / divider;
        }
        (self.psum, self.wsum, self.until_rebuild) = (psum, wsum, until);
        self.trail = x[n - p];
        // Keep the last bars for windows that reach into the next chunk.
        let base = self.seen - head;
        for (i, &v) in x.iter().enumerate().take(n).skip(n - p) {
            self.window.put(base + i, v);
        }
        self.seen += n - head;
    }
}
