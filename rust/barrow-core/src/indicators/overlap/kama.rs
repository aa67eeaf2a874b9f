//! KAMA — Kaufman adaptive moving average.
//!
//! Efficiency ratio `|x[t] - x[t-p]| / Σ|Δx|` over the last `p` changes
//! (1 when the path length is not positive or the change reaches it),
//! smoothing `sc = (ER · (2/3 - 2/31) + 2/31)²` as one fused multiply-add
//! squared, `kama = kama · (1 - sc) + sc · x` fused (`fp::ema`; TA-Lib's
//! `sc · (x - kama) + kama` agrees to a few ulps); seeded with the previous
//! price. The path length is a running sum moved in one addition (as in
//! ER), set to 0 after `p` exactly flat changes, as in TA-Lib 0.8.
//! Lookback `p`; period 1 copies the input.

use super::super::fp;
use super::super::momentum::{efficiency_ratio, path_step};
use super::history::History;
use crate::error::{BarrowError, Result};

const C_SLOW: f64 = 2.0 / 31.0;
const C_DIFF: f64 = 2.0 / 3.0 - 2.0 / 31.0;

/// Streaming KAMA.
#[derive(Clone, Debug)]
pub struct Kama {
    period: usize,
    seen: usize,
    path: f64,
    flat: usize,
    kama: f64,
    trail: f64,
    window: History,
}

impl Kama {
    /// A KAMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        Ok(Self {
            period,
            seen: 0,
            path: 0.0,
            flat: 0,
            kama: 0.0,
            trail: 0.0,
            window: History::new(period + 1),
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        if self.period == 1 {
            0
        } else {
            self.period
        }
    }

    #[inline(always)]
    fn smooth(&mut self, er: f64, v: f64, from: f64) {
        let sc = fp::madd(er, C_DIFF, C_SLOW);
        let sc = sc * sc;
        self.kama = fp::ema(from, v, sc);
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        let p = self.period;
        if p == 1 {
            return v;
        }
        self.window.put(i, v);
        if i == 0 {
            return f64::NAN;
        }
        let prev = self.window.get(i - 1);
        if i <= p {
            let d = prev - v;
            self.path += d.abs();
            self.flat = if d == 0.0 { self.flat + 1 } else { 0 };
            if i < p {
                return f64::NAN;
            }
            let er = efficiency_ratio(self.path, v - self.window.get(0));
            self.smooth(er, v, prev);
            self.trail = self.window.get(0);
            return self.kama;
        }
        let new_trail = self.window.get(i - p);
        path_step(
            &mut self.path,
            &mut self.flat,
            p,
            (self.trail - new_trail).abs(),
            (v - prev).abs(),
        );
        let er = efficiency_ratio(self.path, v - new_trail);
        self.trail = new_trail;
        let from = self.kama;
        self.smooth(er, v, from);
        self.kama
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }

    /// Consumes a chunk into `out` (same length). Bars whose window lies in
    /// the chunk run on the slice with the state in locals, with the same
    /// operations as [`Kama::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let p = self.period;
        let head = if p == 1 { n } else { (p + 1).min(n) };
        for (o, &v) in out[..head].iter_mut().zip(x) {
            *o = self.step(v);
        }
        if head == n {
            return;
        }
        // One block of bars at a time: the path lengths run first, then the
        // block's smoothing constants are computed together (vectorized),
        // then the average's recursion takes them. The recursion of one
        // block runs in the same loop as the path lengths of the next, so
        // the two chains overlap; the long computation from a path length
        // to its constant stays off both. 32-bar blocks keep the constants'
        // divisions within reach of the chains (256 → 32 bars: 1.09–1.10 →
        // 1.00–1.06 × TA-Lib on the Intel VM).
        const BLOCK: usize = 32;
        let (mut path, mut flat, mut kama) = (self.path, self.flat, self.kama);
        let (mut paths, mut consts) = ([0.0; BLOCK], [0.0; BLOCK]);
        // The block whose constants are ready: (first bar, length).
        let mut ready: Option<(usize, usize)> = None;
        let mut j0 = head;
        while j0 < n {
            let m = BLOCK.min(n - j0);
            // Bar `j0 + k` reads x[j0 + k] and the values 1, p and p + 1 bars back.
            let bars = x[j0..j0 + m]
                .iter()
                .zip(&x[j0 - 1..])
                .zip(&x[j0 - p..])
                .zip(&x[j0 - p - 1..]);
            let paths = &mut paths[..m];
            if let Some((s, len)) = ready {
                let smoothed = out[s..s + len].iter_mut().zip(&x[s..s + len]).zip(&consts[..len]);
                let mut smoothed = smoothed.into_iter();
                for ((dst, (((&v, &prev), &new_trail), &trail)), ((o, &u), &sc)) in
                    paths.iter_mut().zip(bars).zip(smoothed.by_ref())
                {
                    *dst = path_step(&mut path, &mut flat, p, (trail - new_trail).abs(), (v - prev).abs());
                    kama = fp::ema(kama, u, sc);
                    *o = kama;
                }
                for ((o, &u), &sc) in smoothed {
                    kama = fp::ema(kama, u, sc);
                    *o = kama;
                }
            } else {
                for (dst, (((&v, &prev), &new_trail), &trail)) in paths.iter_mut().zip(bars) {
                    *dst = path_step(&mut path, &mut flat, p, (trail - new_trail).abs(), (v - prev).abs());
                }
            }
            let changes = x[j0..j0 + m].iter().zip(&x[j0 - p..]);
            for (c, (&path, (&v, &new_trail))) in consts.iter_mut().zip(paths.iter().zip(changes)) {
                let sc = fp::madd(efficiency_ratio(path, v - new_trail), C_DIFF, C_SLOW);
                *c = sc * sc;
            }
            ready = Some((j0, m));
            j0 += m;
        }
        if let Some((s, len)) = ready {
            for ((o, &u), &sc) in out[s..s + len].iter_mut().zip(&x[s..s + len]).zip(&consts[..len]) {
                kama = fp::ema(kama, u, sc);
                *o = kama;
            }
        }
        (self.path, self.flat, self.kama) = (path, flat, kama);
        self.trail = x[n - 1 - p];
        // Keep the last bars for windows that reach into the next chunk.
        let base = self.seen - head;
        for (i, &v) in x.iter().enumerate().take(n).skip(n - p - 1) {
            self.window.put(base + i, v);
        }
        self.seen += n - head;
    }
}
