//! NATR — normalized average true range: `(ATR / close) * 100`.
//! Lookback `p`.

use super::super::{check_shapes, fp, Indicator};
use super::Atr;
use crate::error::Result;

/// Bars per tile of [`Natr`]'s update.
const TILE: usize = 2048;

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
        // By tiles: the ATR recursion into the tile, then the division over
        // it in a loop of its own, which vectorizes.
        fp::with_fma(
            #[inline(always)]
            || {
                let mut start = 0;
                while start < out.len() {
                    let end = (start + TILE).min(out.len());
                    let ins = [&inputs[0][start..end], &inputs[1][start..end], &inputs[2][start..end]];
                    let tile = &mut out[start..end];
                    atr.run_mapped(&ins, tile, |a, _| a);
                    // A NaN passes through the division with its bits. One
                    // select, so every value is stored: keeping a NaN as it
                    // was compiles to a masked store, slow on AMD.
                    for (o, &c) in tile.iter_mut().zip(ins[2]) {
                        let a = *o;
                        *o = if c != 0.0 || a.is_nan() { (a / c) * 100.0 } else { 0.0 };
                    }
                    start = end;
                }
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
