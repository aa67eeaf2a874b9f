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
        let mut run = self.run();
        for i in head..n {
            out[i] = run.push(x[i], x[i - p], || &x[i + 1 - p..=i]);
        }
        self.finish(run, n - head, &x[n - p..n]);
    }
}

/// A [`Wma`]'s sums in locals, for loops that run it on values whose
/// trailing value and window they can hand over (see [`Wma::run`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct WmaRun {
    period: usize,
    pf: f64,
    divider: f64,
    psum: f64,
    wsum: f64,
    until: usize,
}

impl WmaRun {
    /// Takes `v`, whose trailing value (`p` values back) is `trail`, and
    /// returns the average, with the operations of [`Wma::step`];
    /// `window()` gives the last `p` values, ending with `v`, for the
    /// periodic rebuild.
    #[inline(always)]
    pub(crate) fn push<'a>(&mut self, v: f64, trail: f64, window: impl FnOnce() -> &'a [f64]) -> f64 {
        self.push_weighted(v, trail, window) / self.divider
    }

    /// [`WmaRun::push`] without the final division: the weighted sum, for
    /// loops that divide a block of them at once (see [`WmaRun::divider`]).
    #[inline(always)]
    pub(crate) fn push_weighted<'a>(&mut self, v: f64, trail: f64, window: impl FnOnce() -> &'a [f64]) -> f64 {
        self.until -= 1;
        let ws = if self.until == 0 {
            self.until = 8 * self.period;
            let (mut sum, mut ws) = (0.0, 0.0);
            for (k, &w) in window().iter().enumerate() {
                sum += w;
                ws += (k + 1) as f64 * w;
            }
            self.psum = sum;
            ws
        } else {
            self.psum = (self.psum + v) - trail;
            v * self.pf + self.wsum
        };
        self.wsum = ws - self.psum;
        ws
    }

    /// What a weighted sum is divided by to give the average.
    #[inline(always)]
    pub(crate) fn divider(&self) -> f64 {
        self.divider
    }
}

impl Wma {
    /// Whether the average takes the next value in its steady form (past
    /// its first `p` values, and `p >= 2`).
    #[inline(always)]
    pub(crate) fn steady(&self) -> bool {
        self.period >= 2 && self.seen >= self.period
    }

    /// Values taken so far.
    #[inline(always)]
    pub(crate) fn seen(&self) -> usize {
        self.seen
    }

    /// The value taken at `index` (counting from 0), one of the last `p`.
    #[inline(always)]
    pub(crate) fn value(&self, index: usize) -> f64 {
        self.window.get(index)
    }

    /// The sums in locals; valid once [`Wma::steady`]. Report back with
    /// [`Wma::finish`].
    #[inline(always)]
    pub(crate) fn run(&self) -> WmaRun {
        debug_assert!(self.steady());
        WmaRun {
            period: self.period,
            pf: self.period as f64,
            divider: self.divider,
            psum: self.psum,
            wsum: self.wsum,
            until: self.until_rebuild,
        }
    }

    /// Records that `count` values went through `run`, the last `p` of
    /// them `last`.
    #[inline(always)]
    pub(crate) fn finish(&mut self, run: WmaRun, count: usize, last: &[f64]) {
        (self.psum, self.wsum, self.until_rebuild) = (run.psum, run.wsum, run.until);
        self.seen += count;
        self.trail = last[0];
        let base = self.seen - last.len();
        for (k, &v) in last.iter().enumerate() {
            self.window.put(base + k, v);
        }
    }
}
