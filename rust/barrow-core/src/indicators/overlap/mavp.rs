//! MAVP — moving average with a period chosen per bar.
//!
//! Each bar's period is its `periods` value truncated to an integer and
//! clamped to `[minperiod, maxperiod]` (a NaN counts as below); the output
//! is that bar's value of the MA of that period and type. As in TA-Lib each
//! period's MA is started only as many bars before the first output as its
//! own lookback needs, so all of them are run side by side, one per period
//! in the range. Lookback: the MA lookback of `maxperiod`.

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
    values: Vec<f64>,
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
            values: vec![f64::NAN; mas.len()],
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

impl fp::Kernel for Mavp {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        for i in 0..inputs[0].len() {
            let x = inputs[0][i];
            let t = self.seen;
            self.seen += 1;
            for ((start, ma), value) in self.mas.iter_mut().zip(self.values.iter_mut()) {
                if t >= *start {
                    *value = ma.step(x);
                }
            }
            outputs[0][i] = if t >= self.lookback {
                self.values[self.period_of(inputs[1][i]) - self.min]
            } else {
                f64::NAN
            };
        }
    }
}

impl Indicator for Mavp {
    fn lookback(&self) -> usize {
        self.lookback
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        fp::run_kernel(self, inputs, outputs);
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
}
