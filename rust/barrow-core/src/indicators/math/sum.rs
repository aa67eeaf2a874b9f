//! SUM — rolling sum over `p` values (also the numerator of SMA).
//!
//! A running total of the last `p - 1` values: each output is that total
//! plus the new value, and the total then moves by the new value minus the
//! trailing one. That puts one addition per bar on the recursion's chain;
//! TA-Lib adds the new value and subtracts the trailing one in turn (two),
//! so sums differ from TA-Lib's in their last bits (rounding errors of a
//! running sum wander rather than grow, about `sqrt(n)` ulps of the total
//! after `n` bars). Lookback `p - 1`; period 1 copies the input.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming rolling sum.
#[derive(Clone, Debug)]
pub struct Sum {
    period: usize,
    seen: usize,
    total: f64,
    window: Ring,
}

impl Sum {
    /// A rolling sum over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            seen: 0,
            total: 0.0,
            window: Ring::new(period - 1),
        })
    }

    /// Consumes one value and returns the sum (NaN during the lookback).
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        if self.period == 1 {
            self.seen += 1;
            return v;
        }
        let trailing = self.window.swap(v);
        let out = if self.seen + 1 >= self.period {
            let out = self.total + v;
            self.total += v - trailing;
            out
        } else {
            self.total += v;
            f64::NAN
        };
        self.seen += 1;
        out
    }
}

impl Sum {
    /// Consumes a chunk, writing `scale(sum)` to `out` (same length). Where
    /// the trailing value lies inside the chunk the total stays in a local
    /// and the ring is skipped; the ring is refilled at the chunk's end. The
    /// operations and their order are those of [`Sum::step`].
    #[inline(always)]
    pub(crate) fn run_chunk(&mut self, x: &[f64], out: &mut [f64], scale: impl Fn(f64) -> f64) {
        self.run_chunk_at(x, out, |_, s| scale(s));
    }

    /// [`Sum::run_chunk`] with `scale` also given the bar's index in the
    /// chunk, for kernels that combine the sum with other values of the bar.
    #[inline(always)]
    pub(crate) fn run_chunk_at(&mut self, x: &[f64], out: &mut [f64], scale: impl Fn(usize, f64) -> f64) {
        let n = x.len().min(out.len());
        self.run_chunk_of(|i| x[i], &mut out[..n], scale);
    }

    /// [`Sum::run_chunk_at`] over the values `value(0), value(1), ...` (one
    /// per output), for sums of a value derived from several inputs: the
    /// value leaving the window is derived again rather than stored.
    #[inline(always)]
    pub(crate) fn run_chunk_of(
        &mut self,
        value: impl Fn(usize) -> f64,
        out: &mut [f64],
        scale: impl Fn(usize, f64) -> f64,
    ) {
        let n = out.len();
        let p = self.period;
        if p == 1 || n < p {
            for (j, o) in out.iter_mut().enumerate() {
                *o = scale(j, self.step(value(j)));
            }
            return;
        }
        // Bars whose trailing value is still in the ring (or before the first output).
        let head = p - 1;
        for (j, o) in out[..head].iter_mut().enumerate() {
            *o = scale(j, self.step(value(j)));
        }
        // After those `p - 1` steps every later bar has an output. By groups
        // of four bars: each group's sums along the chain, then `scale` on
        // the group before it, four values in one vector instruction (a
        // division, say). The two are independent, so the CPU runs one
        // group's vector work while the chain of the next waits on its
        // additions; a separate `scale` pass over longer blocks ran after
        // the chain instead of beside it (SMA at 1M bars: about 0.80 to
        // 0.75 ms on one thread).
        let mut total = self.total;
        let mut j0 = head;
        let mut pending: Option<(usize, [f64; GROUP])> = None;
        while j0 + GROUP <= n {
            let mut sums = [0.0; GROUP];
            for (k, s) in sums.iter_mut().enumerate() {
                let v = value(j0 + k);
                *s = total + v;
                total += v - value(j0 + k - head);
            }
            if let Some((at, sums)) = pending.replace((j0, sums)) {
                scale_group(out, &scale, at, sums);
            }
            j0 += GROUP;
        }
        if let Some((at, sums)) = pending {
            scale_group(out, &scale, at, sums);
        }
        for (k, o) in out[j0..].iter_mut().enumerate() {
            let v = value(j0 + k);
            *o = scale(j0 + k, total + v);
            total += v - value(j0 + k - head);
        }
        self.total = total;
        self.finish_run(n, n - head, value);
    }

    /// After a loop that took `count` more values of a chunk of `n`
    /// (`value(j)` its `j`-th): the count, and the ring refilled with the
    /// chunk's last values.
    #[inline(always)]
    fn finish_run(&mut self, n: usize, count: usize, value: impl Fn(usize) -> f64) {
        self.seen += count;
        let (buf, pos) = self.window.parts();
        let len = buf.len();
        for (k, b) in buf.iter_mut().enumerate() {
            *b = value(n - len + k);
        }
        *pos = 0;
    }
}

/// Bars per group of [`Sum::run_chunk_of`]'s loop.
const GROUP: usize = 4;

/// `out[at + k] = scale(at + k, sums[k])` for the group of bars at `at`
/// (a function, not a closure, so that it can be marked for inlining into
/// its caller's FMA copy).
#[inline(always)]
fn scale_group(out: &mut [f64], scale: &impl Fn(usize, f64) -> f64, at: usize, sums: [f64; GROUP]) {
    let dst: &mut [f64; GROUP] = (&mut out[at..at + GROUP]).try_into().expect("a group of GROUP outputs");
    *dst = std::array::from_fn(
        #[inline(always)]
        |k| scale(at + k, sums[k]),
    );
}

impl Sum {
    /// Advances two sums over the same values `x` in one loop, so that their
    /// chains of additions overlap, writing `finish(sum_a, sum_b)` to `out`
    /// (same length; NaN sums during a lookback). Each sum performs the
    /// operations of [`Sum::step`] in its order; `finish` runs over blocks
    /// of totals after their chains, so that it vectorizes.
    #[inline(always)]
    pub(crate) fn run_pair(a: &mut Sum, b: &mut Sum, x: &[f64], out: &mut [f64], finish: impl Fn(f64, f64) -> f64) {
        let n = x.len().min(out.len());
        Sum::run_pair_of(a, b, |j| x[j], |j| x[j], &mut out[..n], finish);
    }

    /// [`Sum::run_pair`] over values `value_a(j)` and `value_b(j)` (one per
    /// output), derived again for the values leaving the windows rather
    /// than stored.
    #[inline(always)]
    pub(crate) fn run_pair_of(
        a: &mut Sum,
        b: &mut Sum,
        value_a: impl Fn(usize) -> f64,
        value_b: impl Fn(usize) -> f64,
        out: &mut [f64],
        finish: impl Fn(f64, f64) -> f64,
    ) {
        let n = out.len();
        let head = a.period.max(b.period) - 1;
        if a.period == 1 || b.period == 1 || n <= head {
            for (j, o) in out.iter_mut().enumerate() {
                *o = finish(a.step(value_a(j)), b.step(value_b(j)));
            }
            return;
        }
        // Bars whose trailing value is still in a ring (or before the first output).
        for (j, o) in out[..head].iter_mut().enumerate() {
            *o = finish(a.step(value_a(j)), b.step(value_b(j)));
        }
        // From here on both sums have an output every bar and their
        // trailing values are derived from the chunk.
        const BLOCK: usize = 256;
        let (la, lb) = (a.period - 1, b.period - 1);
        let (mut ta, mut tb) = (a.total, b.total);
        let (mut sa, mut sb) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut j0 = head;
        while j0 < n {
            let m = BLOCK.min(n - j0);
            for k in 0..m {
                let j = j0 + k;
                let (u, w) = (value_a(j), value_b(j));
                sa[k] = ta + u;
                sb[k] = tb + w;
                ta = super::super::fp::opaque(ta + (u - value_a(j - la)));
                tb = super::super::fp::opaque(tb + (w - value_b(j - lb)));
            }
            for ((o, &u), &w) in out[j0..j0 + m].iter_mut().zip(&sa[..m]).zip(&sb[..m]) {
                *o = finish(u, w);
            }
            j0 += m;
        }
        (a.total, b.total) = (ta, tb);
        a.finish_run(n, n - head, value_a);
        b.finish_run(n, n - head, value_b);
    }
}

impl Sum {
    /// The running total, the window of the last `period - 1` values and
    /// the count of values seen, for kernels that advance several sums in
    /// one loop with the operations of [`Sum::step`].
    #[inline(always)]
    pub(crate) fn parts(&mut self) -> (&mut f64, &mut Ring, &mut usize) {
        (&mut self.total, &mut self.window, &mut self.seen)
    }

    /// Whether every further value gives an output (the lookback is over).
    #[inline(always)]
    pub(crate) fn warmed_up(&self) -> bool {
        self.period > 1 && self.seen + 1 >= self.period
    }

    /// A cursor with the total and the ring position in locals, for loops
    /// that push to several sums; valid once [`Sum::warmed_up`].
    #[inline(always)]
    pub(crate) fn cursor(&mut self) -> SumCursor<'_> {
        debug_assert!(self.warmed_up());
        let (total, pos) = (self.total, *self.window.parts().1);
        SumCursor {
            total,
            pos,
            pushed: 0,
            sum: self,
        }
    }
}

/// See [`Sum::cursor`].
pub(crate) struct SumCursor<'a> {
    total: f64,
    pos: usize,
    pushed: usize,
    sum: &'a mut Sum,
}

impl SumCursor<'_> {
    /// Adds `v` and returns the sum of the window ending with it, with the
    /// operations of [`Sum::step`].
    #[inline(always)]
    pub(crate) fn push(&mut self, v: f64) -> f64 {
        let out = self.total + v;
        let (buf, _) = self.sum.window.parts();
        let old = std::mem::replace(&mut buf[self.pos], v);
        self.pos += 1;
        if self.pos == buf.len() {
            self.pos = 0;
        }
        self.total += v - old;
        self.pushed += 1;
        out
    }

    /// Stores the state back in the sum.
    #[inline(always)]
    pub(crate) fn finish(self) {
        self.sum.total = self.total;
        *self.sum.window.parts().1 = self.pos;
        self.sum.seen += self.pushed;
    }
}

impl Indicator for Sum {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        self.run_chunk(inputs[0], outputs[0], |s| s);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.total = 0.0;
        self.window.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn sum_is_a_running_total() {
        let mut s = Sum::new(3).unwrap();
        let out: Vec<f64> = [1.0, 2.0, 3.0, 4.0].iter().map(|&v| s.step(v)).collect();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], &[6.0, 9.0]);
    }

    #[test]
    fn sum_is_chunk_invariant() {
        let x = walk(200, 12);
        assert_chunk_invariant(&|| Box::new(Sum::new(30).unwrap()), &[&x], 1, &[1, 7, 31]);
    }
}
