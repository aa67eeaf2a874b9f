//! T3 — Tillson's T3: six chained EMAs combined with coefficients from the
//! volume factor `v`.
//!
//! Each stage updates as `e = fma(e, 1 - k, k · input)` with
//! `k = 2 / (p + 1)`, and is seeded with the mean of its first `p` inputs
//! (the previous stage's seed and the next `p - 1` values). The output is
//! `c1 e6 + c2 e5 + c3 e4 + c4 e3`, accumulated with fused multiply-adds in
//! TA-Lib 0.8's order. Lookback `6 (p - 1)`; period 1 copies the input.

use super::super::fp;
use crate::error::{BarrowError, Result};

#[derive(Clone, Copy, Debug, Default)]
struct Stage {
    count: usize,
    acc: f64,
    value: f64,
}

/// Streaming T3.
#[derive(Clone, Debug)]
pub struct T3 {
    period: usize,
    k: f64,
    k1: f64,
    c: [f64; 4],
    stages: [Stage; 6],
    seen: usize,
}

impl T3 {
    /// A T3 over `period >= 1` values with volume factor `vfactor` in [0, 1].
    pub fn new(period: usize, vfactor: f64) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        if !(0.0..=1.0).contains(&vfactor) {
            return Err(BarrowError::bad_param("vfactor", vfactor, "must be in [0, 1]"));
        }
        let k = 2.0 / (period as f64 + 1.0);
        let v = vfactor;
        let v2 = v * v;
        let v3 = v * v2;
        let c1 = 0.0 - v3;
        let c2 = (v2 - c1) * 3.0;
        let c3 = v2 * -6.0 - (v - c1) * 3.0;
        let c4 = fp::madd(v2, 3.0, fp::madd(v, 3.0, 1.0) - c1);
        Ok(Self {
            period,
            k,
            k1: 1.0 - k,
            c: [c1, c2, c3, c4],
            stages: [Stage::default(); 6],
            seen: 0,
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        6 * (self.period - 1)
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        self.seen += 1;
        let p = self.period;
        if p == 1 {
            return v;
        }
        let mut input = Some(v);
        for stage in self.stages.iter_mut() {
            let Some(x) = input else { break };
            if stage.count < p {
                stage.acc = if stage.count == 0 { x } else { stage.acc + x };
                stage.count += 1;
                if stage.count == p {
                    stage.value = stage.acc / p as f64;
                    input = Some(stage.value);
                } else {
                    input = None;
                }
            } else {
                stage.value = fp::madd(stage.value, self.k1, self.k * x);
                input = Some(stage.value);
            }
        }
        if input.is_none() {
            return f64::NAN;
        }
        let e = &self.stages;
        let [c1, c2, c3, c4] = self.c;
        let r = c2 * e[4].value;
        let r = fp::madd(c1, e[5].value, r);
        let r = fp::madd(c3, e[3].value, r);
        fp::madd(c4, e[2].value, r)
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.stages = [Stage::default(); 6];
        self.seen = 0;
    }

    /// Consumes a chunk into `out` (same length). Once all six stages are
    /// seeded they run in one loop on local values, with the same
    /// operations as [`T3::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let p = self.period;
        let mut i = 0;
        while i < n && (p == 1 || self.stages[5].count < p) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        let (k, k1) = (self.k, self.k1);
        let [c1, c2, c3, c4] = self.c;
        let mut e = self.stages.map(|s| s.value);
        for (o, &v) in out[i..n].iter_mut().zip(&x[i..n]) {
            e[0] = fp::madd(e[0], k1, k * v);
            e[1] = fp::madd(e[1], k1, k * e[0]);
            e[2] = fp::madd(e[2], k1, k * e[1]);
            e[3] = fp::madd(e[3], k1, k * e[2]);
            e[4] = fp::madd(e[4], k1, k * e[3]);
            e[5] = fp::madd(e[5], k1, k * e[4]);
            let r = c2 * e[4];
            let r = fp::madd(c1, e[5], r);
            let r = fp::madd(c3, e[3], r);
            *o = fp::madd(c4, e[2], r);
        }
        for (stage, value) in self.stages.iter_mut().zip(e) {
            stage.value = value;
        }
        self.seen += n - i;
    }
}
