//! STOCHF and STOCH — stochastic oscillators.
//!
//! Raw %K at bar `t` is `((close - lowest low) / (highest high - lowest
//! low)) * 100` over the last `fastk_period` bars, or 0 when the range is
//! within `1e-14 (|hh| + |ll|)` of zero. The extremes are tracked as in
//! TA-Lib's MAX and MIN (`overlap::Extremes`). STOCHF
//! outputs raw %K and its MA (fast %D); STOCH outputs the MA of %K (slow %K)
//! and the MA of that (slow %D). Outputs start when the last MA has its
//! first value.

use super::super::overlap::{ExtremeKind, Extremes, Ma, MaType};
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Raw %K.
#[derive(Clone, Debug)]
struct RawK {
    period: usize,
    lows: Extremes,
    highs: Extremes,
}

impl RawK {
    fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            lows: Extremes::new(ExtremeKind::Min, period)?,
            highs: Extremes::new(ExtremeKind::Max, period)?,
        })
    }

    /// %K once the window is full, else `None`.
    #[inline(always)]
    fn step(&mut self, high: f64, low: f64, close: f64) -> Option<f64> {
        let ll = self.lows.step_as::<false>(low);
        let hh = self.highs.step_as::<true>(high);
        if self.lows.seen() < self.period {
            return None;
        }
        Some(raw_k(hh, ll, close))
    }

    /// A chunk of at most `BLOCK` bars: raw %K of its bars that have one
    /// into `raw` (from the start); returns how many bars came before the
    /// first value. The extremes run a chunk at a time (`Extremes::run`).
    #[inline(always)]
    fn run<const BLOCK: usize>(&mut self, high: &[f64], low: &[f64], close: &[f64], raw: &mut [f64]) -> usize {
        let n = high.len();
        let skip = (self.period - 1).saturating_sub(self.lows.seen()).min(n);
        let (mut hh, mut ll) = ([0.0; BLOCK], [0.0; BLOCK]);
        self.highs.run::<true>(high, &mut hh[..n]);
        self.lows.run::<false>(low, &mut ll[..n]);
        let bars = hh[skip..n].iter().zip(&ll[skip..n]).zip(&close[skip..n]);
        for (r, ((&hh, &ll), &c)) in raw.iter_mut().zip(bars) {
            *r = raw_k(hh, ll, c);
        }
        skip
    }
}

/// Raw %K from the highest high, lowest low and close.
#[inline(always)]
fn raw_k(hh: f64, ll: f64, close: f64) -> f64 {
    let k = ((close - ll) / (hh - ll)) * 100.0;
    std::hint::select_unpredictable((hh.abs() + ll.abs()) * 1e-14 >= (hh - ll).abs(), 0.0, k)
}

/// Streaming STOCHF (`slow = None`) or STOCH (`slow = Some(..)`).
#[derive(Clone, Debug)]
pub struct Stochastic {
    raw: RawK,
    first: Ma,
    second: Option<Ma>,
    first_seen: usize,
    lookback: usize,
    seen: usize,
}

impl Stochastic {
    /// STOCHF(fastk_period, fastd_period, fastd_matype).
    pub fn fast(k: usize, d: usize, d_type: MaType) -> Result<Self> {
        Self::build(k, Ma::new(d, d_type)?, None)
    }

    /// STOCH(fastk_period, slowk_period, slowk_matype, slowd_period, slowd_matype).
    pub fn slow(k: usize, sk: usize, sk_type: MaType, sd: usize, sd_type: MaType) -> Result<Self> {
        Self::build(k, Ma::new(sk, sk_type)?, Some(Ma::new(sd, sd_type)?))
    }

    fn build(k: usize, first: Ma, second: Option<Ma>) -> Result<Self> {
        if k < 1 {
            return Err(BarrowError::bad_param("fastk_period", k, "must be >= 1"));
        }
        let lookback = (k - 1) + first.lookback() + second.as_ref().map_or(0, Ma::lookback);
        Ok(Self {
            raw: RawK::new(k)?,
            first,
            second,
            first_seen: 0,
            lookback,
            seen: 0,
        })
    }

    /// Consumes one bar and returns the two outputs.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> (f64, f64) {
        let i = self.seen;
        self.seen += 1;
        let Some(k) = self.raw.step(high, low, close) else {
            return (f64::NAN, f64::NAN);
        };
        let m1 = self.first.step(k);
        let j = self.first_seen;
        self.first_seen += 1;
        let out = match &mut self.second {
            None => (k, m1),
            Some(second) => {
                if j < self.first.lookback() {
                    return (f64::NAN, f64::NAN);
                }
                (m1, second.step(m1))
            }
        };
        if i < self.lookback {
            (f64::NAN, f64::NAN)
        } else {
            out
        }
    }
}

impl fp::Kernel for Stochastic {
    /// Block by block: raw %K for the block, then each average over the
    /// block through its own chunk loop; the same values, in the same
    /// order, as [`Stochastic::step`].
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        const BLOCK: usize = 2048;
        let [a, b] = outputs else { unreachable!() };
        let (high, low, close) = (inputs[0], inputs[1], inputs[2]);
        let n = a.len();
        let (mut raw, mut first) = ([0.0; BLOCK], [0.0; BLOCK]);
        let mut start = 0;
        while start < n {
            let end = (start + BLOCK).min(n);
            // Bars before raw %K's first value give NaN and feed nothing.
            let skip = self
                .raw
                .run::<BLOCK>(&high[start..end], &low[start..end], &close[start..end], &mut raw);
            let m = end - start - skip;
            let (a, b) = (&mut a[start..end], &mut b[start..end]);
            a[..skip].fill(f64::NAN);
            b[..skip].fill(f64::NAN);
            let (raw, first) = (&raw[..m], &mut first[..m]);
            self.first.update_chunk(raw, first);
            match &mut self.second {
                None => {
                    a[skip..].copy_from_slice(raw);
                    b[skip..].copy_from_slice(first);
                }
                Some(second) => {
                    // The second average starts at the first average's first value.
                    let wait = self.first.lookback().saturating_sub(self.first_seen).min(m);
                    a[skip..skip + wait].fill(f64::NAN);
                    b[skip..skip + wait].fill(f64::NAN);
                    a[skip + wait..].copy_from_slice(&first[wait..]);
                    second.update_chunk(&first[wait..], &mut b[skip + wait..]);
                }
            }
            self.first_seen += m;
            // Both outputs are NaN until the whole lookback has passed.
            let valid_from = self.lookback.saturating_sub(self.seen).min(end - start);
            a[..valid_from].fill(f64::NAN);
            b[..valid_from].fill(f64::NAN);
            self.seen += end - start;
            start = end;
        }
    }
}

impl Indicator for Stochastic {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 2);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        self.raw = RawK::new(self.raw.period).expect("valid period");
        self.first.reset();
        if let Some(s) = &mut self.second {
            s.reset();
        }
        self.first_seen = 0;
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn raw_k_is_the_close_position_in_the_range() {
        let mut s = Stochastic::fast(2, 1, MaType::Sma).unwrap();
        s.step(10.0, 8.0, 9.0);
        let (k, d) = s.step(12.0, 9.0, 11.0);
        assert_eq!(k, 75.0);
        assert_eq!(d, 75.0);
    }

    #[test]
    fn stochastics_are_chunk_invariant() {
        let c = walk(400, 21);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|v| v * 0.99).collect();
        assert_chunk_invariant(
            &|| Box::new(Stochastic::fast(5, 3, MaType::Sma).unwrap()),
            &[&h, &l, &c],
            2,
            &[1, 4, 50],
        );
        assert_chunk_invariant(
            &|| Box::new(Stochastic::slow(14, 3, MaType::Ema, 5, MaType::Kama).unwrap()),
            &[&h, &l, &c],
            2,
            &[1, 4, 50],
        );
    }
}
