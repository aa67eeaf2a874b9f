//! NATR — normalized average true range: `(ATR / close) * 100`.
//! Lookback `p`.

use super::super::{check_shapes, fp, Indicator};
use super::Atr;
use crate::error::Result;

/// Streaming NATR; inputs are (high, low, close).
#[derive(Clone, Debug)]
pub struct Natr {
    atr: Atr,
}

impl Natr {
    /// NATR over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(crate::error::BarrowError::bad_param(
                "timeperiod",
                period,
                "must be >= 2",
            ));
        }
        Ok(Self { atr: Atr::new(period)? })
    }
}

impl Indicator for Natr {
    fn lookback(&self) -> usize {
        self.atr.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 3, 1);
        let atr = &mut self.atr;
        let out = &mut *outputs[0];
        fp::with_fma(
            #[inline(always)]
            || {
                atr.run_mapped(inputs, out, |a, c| {
                    if a.is_nan() {
                        a
                    } else if c != 0.0 {
                        (a / c) * 100.0
                    } else {
                        0.0
                    }
                })
            },
        );
    }

    fn reset(&mut self) {
        self.atr.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;

    #[test]
    fn natr_is_atr_over_close_in_percent() {
        let c = [10.0, 10.0, 10.0];
        let h = [11.0, 11.0, 11.0];
        let l = [9.0, 9.0, 9.0];
        let out = run(&mut Natr::new(2).unwrap(), &[&h, &l, &c], 1);
        assert_eq!(out[0][2], 20.0);
        assert!(Natr::new(1).is_err());
    }
}
