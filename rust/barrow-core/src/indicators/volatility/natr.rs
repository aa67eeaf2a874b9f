//! NATR — normalized average true range: `(ATR / close) * 100`.
//! Lookback `p`.

use super::super::{check_shapes, fp, Indicator};
use super::Atr;
use crate::error::Result;

/// Bars per tile of [`Natr`]'s update on one thread: short, so that a
/// tile's divisions run beside the next tile's recursion (2048 → 64: 0.94×
/// the time on AMD Zen 4).
const TILE: usize = 64;

/// Turns ATR values into percents of `close` (as long or longer). A NaN
/// passes through the division with its bits. One select, so every value
/// is stored: keeping a NaN as it was compiles to a masked store, slow on
/// AMD.
#[inline(always)]
fn percent_of_close(tile: &mut [f64], close: &[f64]) {
    for (o, &c) in tile.iter_mut().zip(close) {
        let a = *o;
        *o = if c != 0.0 || a.is_nan() { (a / c) * 100.0 } else { 0.0 };
    }
}

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
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        // By tiles: the ATR recursion into the tile, then the division over
        // it in a loop of its own, which vectorizes. A long series puts the
        // recursion on a helper thread, a tile ahead of the divisions.
        let recursion = |from: usize, tile: &mut [f64]| {
            let to = from + tile.len();
            fp::with_fma(
                #[inline(always)]
                || atr.run_mapped(&[&h[from..to], &l[from..to], &c[from..to]], tile, |a, _| a),
            )
        };
        let divide = |from: usize, tile: &mut [f64]| fp::with_fma(|| percent_of_close(tile, &c[from..]));
        if crate::par::worth_splitting(out.len()) {
            crate::par::pipeline_chunks(out, crate::par::PIPELINE_TILE, recursion, divide);
        } else {
            let mut recursion = recursion;
            for (k, tile) in out.chunks_mut(TILE).enumerate() {
                recursion(k * TILE, tile);
                divide(k * TILE, tile);
            }
        }
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

    #[test]
    fn long_natr_split_across_threads_gives_one_threads_bits() {
        let n = crate::par::SPLIT_MIN * 2 + 777;
        let mut c = crate::indicators::testutil::walk(n, 45);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.985).collect();
        c[n / 2] = 0.0;
        for p in [2, 14, 500] {
            crate::indicators::testutil::assert_split_invariant(&|| Box::new(Natr::new(p).unwrap()), &[&h, &l, &c], 1);
        }
    }
}
