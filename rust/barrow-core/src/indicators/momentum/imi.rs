//! IMI — intraday momentum index.
//!
//! Over the last `p` bars, `up` sums `close - open` of rising candles and
//! `down` sums `open - close` of the others; `IMI = 100 (up / (up + down))`,
//! 50 when `up + down` is exactly 0 (a window of doji), as in TA-Lib 0.8.
//! Summed afresh over the window each bar, as TA-Lib does. Lookback `p - 1`.

use super::super::{check_shapes, ring::Ring, Indicator};
use crate::error::{BarrowError, Result};

/// Bars taken at a time once every bar has a full window.
const BLOCK: usize = 1024;

/// Streaming intraday momentum index; inputs are (open, close).
#[derive(Clone, Debug)]
pub struct Imi {
    period: usize,
    seen: usize,
    opens: Ring,
    closes: Ring,
}

impl Imi {
    /// IMI over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            opens: Ring::new(period),
            closes: Ring::new(period),
        })
    }

    /// Consumes one bar (NaN during the lookback).
    #[inline]
    pub fn step(&mut self, open: f64, close: f64) -> f64 {
        self.opens.swap(open);
        self.closes.swap(close);
        self.seen += 1;
        if self.seen < self.period {
            return f64::NAN;
        }
        let (mut up, mut down) = (0.0, 0.0);
        for (o, c) in self.opens.iter().zip(self.closes.iter()) {
            if c > o {
                up += c - o;
            } else {
                down += o - c;
            }
        }
        let total = up + down;
        if total == 0.0 {
            50.0
        } else {
            100.0 * (up / total)
        }
    }
}

impl Indicator for Imi {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        let (open, close, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let (n, p) = (open.len(), self.period);
        let mut i = 0;
        while i < n && self.seen + 1 < p {
            out[i] = self.step(open[i], close[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        // Every later bar has a full window. A block at a time: each bar's
        // terms (a falling bar adds +0 to `up`, a rising one +0 to `down`,
        // which leaves those sums as they are: they are never -0), then the
        // window sums one offset at a time, oldest first as in `step`, so
        // the additions vectorize across bars.
        let w = p - 1;
        let mut ext_o: Vec<f64> = Vec::with_capacity(w + BLOCK);
        let mut ext_c: Vec<f64> = Vec::with_capacity(w + BLOCK);
        ext_o.extend(self.opens.iter().skip(1));
        ext_c.extend(self.closes.iter().skip(1));
        let (mut ups, mut downs) = (vec![0.0; w + BLOCK], vec![0.0; w + BLOCK]);
        let (mut up, mut down) = (vec![0.0; BLOCK], vec![0.0; BLOCK]);
        let mut start = i;
        while start < n {
            let m = BLOCK.min(n - start);
            ext_o.extend_from_slice(&open[start..start + m]);
            ext_c.extend_from_slice(&close[start..start + m]);
            for (((u, d), &o), &c) in ups.iter_mut().zip(downs.iter_mut()).zip(&ext_o).zip(&ext_c) {
                let rising = c > o;
                *u = if rising { c - o } else { 0.0 };
                *d = if rising { 0.0 } else { o - c };
            }
            let (up, down) = (&mut up[..m], &mut down[..m]);
            up.fill(0.0);
            down.fill(0.0);
            for k in 0..p {
                for (s, &t) in up.iter_mut().zip(&ups[k..k + m]) {
                    *s += t;
                }
                for (s, &t) in down.iter_mut().zip(&downs[k..k + m]) {
                    *s += t;
                }
            }
            for ((o, &u), &d) in out[start..start + m].iter_mut().zip(&*up).zip(&*down) {
                let total = u + d;
                *o = if total == 0.0 { 50.0 } else { 100.0 * (u / total) };
            }
            if start + m == n {
                self.opens.load(&ext_o[ext_o.len() - p..]);
                self.closes.load(&ext_c[ext_c.len() - p..]);
            }
            ext_o.drain(..m);
            ext_c.drain(..m);
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
    fn imi_is_the_share_of_rising_bodies() {
        let mut m = Imi::new(2).unwrap();
        assert!(m.step(1.0, 4.0).is_nan());
        assert_eq!(m.step(3.0, 2.0), 75.0);
        assert_eq!(m.step(2.0, 2.0), 0.0);
        // Two doji: no body at all.
        assert_eq!(m.step(2.0, 2.0), 50.0);
    }

    #[test]
    fn imi_is_chunk_invariant() {
        let c = walk(300, 57);
        let o: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(i, v)| v * (1.0 + 0.002 * ((i % 5) as f64 - 2.0)))
            .collect();
        assert_chunk_invariant(&|| Box::new(Imi::new(14).unwrap()), &[&o, &c], 1, &[1, 9, 100]);
    }
}
