//! MAVP — moving average with a period chosen per bar.
//!
//! Each bar's period is its `periods` value truncated to an integer and
//! clamped to `[minperiod, maxperiod]` (a NaN counts as below); the output
//! is that bar's value of the MA of that period and type. As in TA-Lib each
//! period's MA is started only as many bars before the first output as its
//! own lookback needs, so all of them are run side by side, one per period
//! in the range. Lookback: the MA lookback of `maxperiod`.

use rayon::prelude::*;

use super::super::{check_shapes, fp, Indicator};
use super::{Ma, MaType};
use crate::error::{BarrowError, Result};

/// Most values of state (the sum of the periods) MAVP will keep.
const MAX_STATE: usize = 20_000_000;

/// Streaming MAVP; inputs are (real, periods).
#[derive(Clone, Debug)]
pub struct Mavp {
    min: usize,
    max: usize,
    matype: MaType,
    lookback: usize,
    /// One average per period `min..=max`, with the bar it starts at.
    mas: Vec<(usize, Ma)>,
    seen: usize,
}

impl Mavp {
    /// Averages of type `matype` with periods in `1 <= min <= max`.
    pub fn new(min: usize, max: usize, matype: MaType) -> Result<Self> {
        if min == 0 {
            return Err(BarrowError::bad_param("minperiod", min, "must be >= 1"));
        }
        if max < min {
            return Err(BarrowError::bad_param(
                "maxperiod",
                max,
                format!("must be >= minperiod ({min})"),
            ));
        }
        if (min..=max).sum::<usize>() > MAX_STATE {
            return Err(BarrowError::bad_param(
                "maxperiod",
                max,
                format!("MAVP keeps one average per period in [{min}, {max}], more state than barrow allows; narrow the range"),
            ));
        }
        let lookback = Ma::new(max, matype)?.lookback();
        let mas = (min..=max)
            .map(|q| {
                let ma = Ma::new(q, matype)?;
                Ok((lookback.saturating_sub(ma.lookback()), ma))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            min,
            max,
            matype,
            lookback,
            mas,
            seen: 0,
        })
    }

    /// The period a `periods` value selects.
    #[inline(always)]
    fn period_of(&self, p: f64) -> usize {
        // Truncated as C's cast does; NaN and anything below min give min.
        if p >= self.max as f64 {
            self.max
        } else if p >= self.min as f64 {
            p as usize
        } else {
            self.min
        }
    }
}

/// Bars per block: each period's average fills one row of this many values,
/// fewer when there are many periods (at most `ROWS_MAX` values in all).
const BLOCK: usize = 8192;
const ROWS_MAX: usize = 1 << 21;
/// Inputs at least this long run the averages across rayon's threads.
const PARALLEL_MIN: usize = 1 << 17;

impl Mavp {
    /// A chunk: every period's average over a block of bars (each a chunk
    /// of its own, across rayon's threads for long inputs; an average's
    /// values do not depend on the thread), then each bar picks its row.
    fn run(&mut self, x: &[f64], periods: &[f64], out: &mut [f64]) {
        let n = x.len();
        let stride = (ROWS_MAX / self.mas.len()).clamp(64, BLOCK).min(n);
        let mut rows = vec![0.0; self.mas.len() * stride];
        let parallel = n >= PARALLEL_MIN && rayon::current_num_threads() > 1;
        let mut t0 = 0;
        while t0 < n {
            let len = stride.min(n - t0);
            let seen = self.seen;
            // An average starts at its own first bar (`start`); bars before
            // leave its row unset, and no bar picks them (they precede the
            // lookback).
            let feed = |(start, ma): &mut (usize, Ma), row: &mut [f64]| {
                let from = start.saturating_sub(seen).min(len);
                fp::with_fma(
                    #[inline(always)]
                    || ma.update_chunk(&x[t0 + from..t0 + len], &mut row[from..len]),
                );
            };
            if parallel {
                self.mas
                    .par_iter_mut()
                    .zip(rows.par_chunks_mut(stride))
                    .for_each(|(m, r)| feed(m, r));
            } else {
                self.mas
                    .iter_mut()
                    .zip(rows.chunks_mut(stride))
                    .for_each(|(m, r)| feed(m, r));
            }
            for (j, (o, &q)) in out[t0..t0 + len].iter_mut().zip(&periods[t0..t0 + len]).enumerate() {
                *o = if seen + j >= self.lookback {
                    rows[(self.period_of(q) - self.min) * stride + j]
                } else {
                    f64::NAN
                };
            }
            self.seen += len;
            t0 += len;
        }
    }
}

impl Indicator for Mavp {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        self.run(inputs[0], inputs[1], outputs[0]);
    }

    fn reset(&mut self) {
        *self = Self::new(self.min, self.max, self.matype).expect("valid parameters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn mavp_picks_each_bars_period_clamped_to_the_range() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let periods = [9.0, 9.0, 9.0, 1.0, 2.7, f64::NAN];
        let out = run(&mut Mavp::new(2, 3, MaType::Sma).unwrap(), &[&x, &periods], 1);
        assert!(out[0][..2].iter().all(|v| v.is_nan()));
        assert_eq!(out[0][2..], [2.0, 3.5, 4.5, 5.5]);
        assert!(Mavp::new(3, 2, MaType::Sma).is_err());
    }

    #[test]
    fn mavp_is_chunk_invariant() {
        let x = walk(400, 101);
        let periods: Vec<f64> = walk(400, 102).iter().map(|v| (v - 95.0) * 4.0).collect();
        for t in [MaType::Sma, MaType::Ema, MaType::Kama, MaType::Hma] {
            assert_chunk_invariant(
                &|| Box::new(Mavp::new(2, 30, t).unwrap()),
                &[&x, &periods],
                1,
                &[1, 9, 77],
            );
        }
    }

    #[test]
    fn the_averages_across_threads_give_the_bits_of_one_thread() {
        // Long enough for the parallel path in one call; 5,000-bar chunks
        // stay on one thread.
        let x = walk(PARALLEL_MIN + 1000, 103);
        let periods: Vec<f64> = walk(x.len(), 104).iter().map(|v| (v - 90.0) * 2.0).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        pool.install(|| {
            assert_chunk_invariant(
                &|| Box::new(Mavp::new(2, 30, MaType::Ema).unwrap()),
                &[&x, &periods],
                1,
                &[5000],
            );
        });
    }
}
