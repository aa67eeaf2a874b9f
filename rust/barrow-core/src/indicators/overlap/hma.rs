//! HMA — Hull moving average.
//!
//! `HMA(p) = WMA(2 WMA(x, p / 2) - WMA(x, p), floor(sqrt p))`, each WMA with
//! TA-Lib's running arithmetic (see [`Wma`]); as in TA-Lib 0.8, the
//! half-period WMA starts only `p / 2 - 1` bars before the full one's first
//! value (so its periodic refresh falls where TA-Lib's does). Lookback
//! `(p - 1) + (floor(sqrt p) - 1)`; period 1 copies the input, and periods 2
//! and 3 reduce to `2 x - WMA(x, p)`.

use super::Wma;
use crate::error::{BarrowError, Result};

/// Streaming Hull moving average.
#[derive(Clone, Debug)]
pub struct Hma {
    period: usize,
    full: Wma,
    half: Wma,
    outer: Wma,
    seen: usize,
}

impl Hma {
    /// An HMA over `period >= 1` values.
    pub fn new(period: usize) -> Result<Self> {
        if period == 0 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 1"));
        }
        let root = ((period as f64).sqrt() as usize).max(1);
        Ok(Self {
            period,
            full: Wma::new(period)?,
            half: Wma::new((period / 2).max(1))?,
            outer: Wma::new(root)?,
            seen: 0,
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.full.lookback() + self.outer.lookback()
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        if self.period == 1 {
            return v;
        }
        let full = self.full.step(v);
        self.seen += 1;
        let half_period = (self.period / 2).max(1);
        if self.seen + half_period <= self.period {
            return f64::NAN;
        }
        let half = self.half.step(v);
        if self.seen < self.period {
            // The de-lagged series starts with the full WMA's first value.
            return f64::NAN;
        }
        self.outer.step(2.0 * half - full)
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.full.reset();
        self.half.reset();
        self.outer.reset();
        self.seen = 0;
    }

    /// Consumes a chunk into `out` (same length). Once all three WMAs are
    /// past their first values they run a block of bars at a time: the
    /// weighted sums of the two inner averages, then the block's de-lagged
    /// values (their divisions vectorized), then the outer average's sums,
    /// which run in the loop of the next block's inner sums so that all
    /// three chains of additions overlap, then the outer divisions.
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        const BLOCK: usize = 64;
        let n = x.len().min(out.len());
        let p = self.period;
        let (ph, r) = ((p / 2).max(1), ((p as f64).sqrt() as usize).max(1));
        if ph < 2 || r < 2 {
            // Periods 1 to 3: one or two averages copy their input.
            for (o, &v) in out[..n].iter_mut().zip(x) {
                *o = self.step(v);
            }
            return;
        }
        // Until all three are steady and the full window lies in the chunk.
        let mut i = 0;
        while i < n && (i < p || !self.outer.steady()) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n {
            return;
        }
        let (mut full, mut half, mut outer) = (self.full.run(), self.half.run(), self.outer.run());
        let (df, dh, d_outer) = (full.divider(), half.divider(), outer.divider());
        // The last r de-lagged values, then those of the block the outer
        // average takes next.
        let mut y = vec![0.0; r + BLOCK];
        for (k, v) in y[..r].iter_mut().enumerate() {
            *v = self.outer.value(self.outer.seen() - r + k);
        }
        let (mut ws_full, mut ws_half, mut ws_outer) = ([0.0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        let start = i;
        // The block whose de-lagged values are in `y`: (first bar, length).
        let mut pending = (i, 0);
        loop {
            let m = BLOCK.min(n - i);
            let (ps, pm) = pending;
            let both = m.min(pm);
            // All bars but those of the first and last blocks, without
            // bounds checks.
            let news = x[i..i + both].iter().zip(&x[i - p..]).zip(&x[i - ph..]);
            let sums = ws_full[..both].iter_mut().zip(&mut ws_half[..both]);
            let outer_in = y[r..r + both].iter().zip(&y[..both]).zip(&mut ws_outer[..both]);
            for (k, ((((&v, &tf), &th), (wf, wh)), ((&u, &tu), wo))) in news.zip(sums).zip(outer_in).enumerate() {
                let j = i + k;
                *wf = full.push_weighted(v, tf, || &x[j + 1 - p..=j]);
                *wh = half.push_weighted(v, th, || &x[j + 1 - ph..=j]);
                *wo = outer.push_weighted(u, tu, || &y[k + 1..=r + k]);
            }
            // The first block has no outer sums due, the last may be shorter
            // than the one before.
            for k in both..m {
                let j = i + k;
                ws_full[k] = full.push_weighted(x[j], x[j - p], || &x[j + 1 - p..=j]);
                ws_half[k] = half.push_weighted(x[j], x[j - ph], || &x[j + 1 - ph..=j]);
            }
            for k in both..pm {
                ws_outer[k] = outer.push_weighted(y[r + k], y[k], || &y[k + 1..=r + k]);
            }
            for (o, &ws) in out[ps..ps + pm].iter_mut().zip(&ws_outer[..pm]) {
                *o = ws / d_outer;
            }
            // Keep the last r de-lagged values taken.
            y.copy_within(pm..pm + r, 0);
            if m == 0 {
                break;
            }
            for ((d, &f), &h) in y[r..r + m].iter_mut().zip(&ws_full[..m]).zip(&ws_half[..m]) {
                *d = 2.0 * (h / dh) - f / df;
            }
            pending = (i, m);
            i += m;
        }
        let count = n - start;
        self.full.finish(full, count, &x[n - p..n]);
        self.half.finish(half, count, &x[n - ph..n]);
        self.outer.finish(outer, count, &y[..r]);
        self.seen += count;
    }
}

#[cfg(test)]
mod tests {
    use super::super::MaIndicator;
    use super::*;
    use crate::indicators::overlap::Ma;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn hma_of_a_ramp_tracks_the_ramp_without_lag() {
        // On a straight line every WMA lags by a constant, which the
        // de-lagging cancels: HMA reproduces the line exactly.
        let mut h = Hma::new(9).unwrap();
        assert_eq!(h.lookback(), 8 + 2);
        let out: Vec<f64> = (0..20).map(|i| h.step(i as f64)).collect();
        assert!(out[..10].iter().all(|v| v.is_nan()));
        for (i, v) in out.iter().enumerate().skip(10) {
            assert!((v - i as f64).abs() < 1e-12, "{i}: {v}");
        }
    }

    #[test]
    fn hma_is_chunk_invariant() {
        let x = walk(600, 21);
        for p in [2, 3, 4, 9, 20] {
            assert_chunk_invariant(
                &|| Box::new(MaIndicator(Ma::Hma(Hma::new(p).unwrap()))),
                &[&x],
                1,
                &[1, 5, 64],
            );
        }
    }
}
