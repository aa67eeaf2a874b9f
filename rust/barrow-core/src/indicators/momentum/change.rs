//! MOM, ROC, ROCP, ROCR, ROCR100 and LOG_RETURN — change over `p` bars.
//!
//! With `x0 = x[t-p]`: MOM `x - x0`; ROC `(x / x0 - 1) * 100`; ROCP
//! `(x - x0) / x0`; ROCR `x / x0`; ROCR100 `(x / x0) * 100` (the ratios are
//! 0 when `x0` is 0, as in TA-Lib); LOG_RETURN `ln(x / x0)`. Lookback `p`.

use super::super::math::in_parts;
use super::super::{check_shapes, fp, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Which change to compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeKind {
    /// Difference.
    Mom,
    /// Percentage change.
    Roc,
    /// Fractional change.
    Rocp,
    /// Ratio.
    Rocr,
    /// Ratio times 100.
    Rocr100,
    /// Log return (not in TA-Lib).
    Log,
}

/// Streaming change over `p` bars.
#[derive(Clone, Debug)]
pub struct Change {
    kind: ChangeKind,
    period: usize,
    seen: usize,
    window: Ring,
}

impl Change {
    /// A change over `period >= 1` bars.
    pub fn new(kind: ChangeKind, period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            kind,
            period,
            seen: 0,
            window: Ring::new(period),
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        let x0 = self.window.swap(x);
        let seen = self.seen;
        self.seen += 1;
        if seen < self.period {
            return f64::NAN;
        }
        change(self.kind, x, x0)
    }
}

/// The change from `x0` to `x`, by kind.
#[inline(always)]
fn change(kind: ChangeKind, x: f64, x0: f64) -> f64 {
    match kind {
        ChangeKind::Mom => x - x0,
        ChangeKind::Log => (x / x0).ln(),
        _ if x0 == 0.0 => 0.0,
        ChangeKind::Roc => ((x / x0) - 1.0) * 100.0,
        ChangeKind::Rocp => (x - x0) / x0,
        ChangeKind::Rocr => x / x0,
        ChangeKind::Rocr100 => (x / x0) * 100.0,
    }
}

impl fp::Kernel for Change {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let (n, p) = (x.len(), self.period);
        // The first p values reach back into earlier chunks through the ring.
        let head = p.min(n);
        for (o, &v) in out[..head].iter_mut().zip(&x[..head]) {
            *o = self.step(v);
        }
        if n == head {
            return;
        }
        // Later values lag values of this chunk: the same operations,
        // straight from the slice, one loop per kind with the zero test as a
        // select, so each loop vectorizes.
        let (out, now, then) = (&mut out[head..], &x[head..], &x[..n - head]);
        let sel = std::hint::select_unpredictable::<f64>;
        match self.kind {
            ChangeKind::Mom => lagged(out, now, then, |x, x0| x - x0),
            ChangeKind::Log => lagged(out, now, then, |x, x0| (x / x0).ln()),
            ChangeKind::Roc => lagged(out, now, then, |x, x0| sel(x0 == 0.0, 0.0, ((x / x0) - 1.0) * 100.0)),
            ChangeKind::Rocp => lagged(out, now, then, |x, x0| sel(x0 == 0.0, 0.0, (x - x0) / x0)),
            ChangeKind::Rocr => lagged(out, now, then, |x, x0| sel(x0 == 0.0, 0.0, x / x0)),
            ChangeKind::Rocr100 => lagged(out, now, then, |x, x0| sel(x0 == 0.0, 0.0, (x / x0) * 100.0)),
        }
        self.window.load(&x[n - p..]);
        self.seen += n - head;
    }
}

/// `out[i] = f(now[i], then[i])`, in parts across rayon's threads for long
/// chunks (each value depends on its two inputs alone).
#[inline(always)]
fn lagged(out: &mut [f64], now: &[f64], then: &[f64], f: impl Fn(f64, f64) -> f64 + Sync) {
    in_parts(&[now, then], out, |ins, out| {
        for ((o, &v), &v0) in out.iter_mut().zip(ins[0]).zip(ins[1]) {
            *o = f(v, v0);
        }
    });
}

impl Indicator for Change {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.seen = 0;
        self.window.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn changes_over_two_bars() {
        let x = [2.0, 3.0, 4.0, 6.0];
        let run = |k| {
            let mut c = Change::new(k, 2).unwrap();
            x.iter().map(|&v| c.step(v)).collect::<Vec<_>>()
        };
        assert_eq!(run(ChangeKind::Mom)[2..], [2.0, 3.0]);
        assert_eq!(run(ChangeKind::Rocr)[2..], [2.0, 2.0]);
        assert_eq!(run(ChangeKind::Roc)[2..], [100.0, 100.0]);
        assert_eq!(run(ChangeKind::Log)[2..], [2f64.ln(), 2f64.ln()]);
    }

    #[test]
    fn change_is_chunk_invariant() {
        let x = walk(100, 14);
        assert_chunk_invariant(
            &|| Box::new(Change::new(ChangeKind::Roc, 10).unwrap()),
            &[&x],
            1,
            &[1, 3, 11],
        );
    }
}
