//! MINMAX, MINMAXINDEX, MAXINDEX, MININDEX — the lowest and highest values
//! of the last `p` bars, or their bar positions.
//!
//! The same scan as MIN and MAX (see [`Extremes`]): the running extreme is
//! replaced by a value that ties or beats it, and found again from the
//! oldest bar of the window, strictly, when it leaves. Positions count from
//! the first bar of the whole series, leading rows the TA-Lib wrapper drops
//! included, as `talib.MAXINDEX` returns them; they are 0 during the
//! lookback. Lookback `p - 1`.

use super::super::overlap::{ExtremeKind, Extremes};
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// What [`WindowExtremes`] outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowExtremesKind {
    /// MINMAX: (min, max).
    MinMax,
    /// MINMAXINDEX: (position of min, position of max).
    MinMaxIndex,
    /// MAXINDEX: position of max.
    MaxIndex,
    /// MININDEX: position of min.
    MinIndex,
}

/// Streaming window extremes and their positions.
#[derive(Clone, Debug)]
pub struct WindowExtremes {
    kind: WindowExtremesKind,
    min: Extremes,
    max: Extremes,
    skipped: usize,
}

impl WindowExtremes {
    /// Extremes over `period >= 2` bars.
    pub fn new(kind: WindowExtremesKind, period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            kind,
            min: Extremes::new(ExtremeKind::Min, period)?,
            max: Extremes::new(ExtremeKind::Max, period)?,
            skipped: 0,
        })
    }
}

impl Indicator for WindowExtremes {
    fn lookback(&self) -> usize {
        self.max.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        use WindowExtremesKind as K;
        let n_out = match self.kind {
            K::MinMax | K::MinMaxIndex => 2,
            K::MaxIndex | K::MinIndex => 1,
        };
        check_shapes(inputs, outputs, 1, n_out);
        let x = inputs[0];
        let skipped = self.skipped;
        let at = |i: Option<usize>| i.map_or(0.0, |i| (i + skipped) as f64);
        match self.kind {
            K::MinMax => {
                let (lo, hi) = outputs.split_at_mut(1);
                self.min.scan::<false>(x, |i, best, _| lo[0][i] = best);
                self.max.scan::<true>(x, |i, best, _| hi[0][i] = best);
            }
            K::MinMaxIndex => {
                let (lo, hi) = outputs.split_at_mut(1);
                self.min.scan_into::<false, _>(x, lo[0], |_, index| at(index));
                self.max.scan_into::<true, _>(x, hi[0], |_, index| at(index));
            }
            K::MaxIndex => self.max.scan_into::<true, _>(x, outputs[0], |_, index| at(index)),
            K::MinIndex => self.min.scan_into::<false, _>(x, outputs[0], |_, index| at(index)),
        }
    }

    fn update_i32(&mut self, inputs: &[&[f64]], out: &mut [i32]) {
        use WindowExtremesKind as K;
        let (x, skipped) = (&inputs[0][..out.len()], self.skipped);
        let at = |i: Option<usize>| i.map_or(0, |i| (i + skipped) as i32);
        match self.kind {
            K::MaxIndex => self.max.scan_into::<true, i32>(x, out, |_, index| at(index)),
            K::MinIndex => self.min.scan_into::<false, i32>(x, out, |_, index| at(index)),
            // Float outputs: converted by blocks.
            K::MinMax | K::MinMaxIndex => {
                crate::indicators::codes_by_blocks(inputs, out, |ins, outs| self.update(ins, outs))
            }
        }
    }

    fn writes_codes(&self) -> bool {
        self.kind == WindowExtremesKind::MinMaxIndex
    }

    fn update_codes(&mut self, inputs: &[&[f64]], outs: &mut [&mut [i32]]) {
        assert!(self.writes_codes() && outs.len() == 2, "MINMAXINDEX writes two codes");
        let (x, skipped) = (&inputs[0][..outs[0].len()], self.skipped);
        let at = |i: Option<usize>| i.map_or(0, |i| (i + skipped) as i32);
        let (lo, hi) = outs.split_at_mut(1);
        self.min.scan_into::<false, i32>(x, lo[0], |_, index| at(index));
        self.max.scan_into::<true, i32>(x, hi[0], |_, index| at(index));
    }

    fn reset(&mut self) {
        self.min.reset();
        self.max.reset();
        self.skipped = 0;
    }

    fn skip_rows(&mut self, n: usize) {
        self.skipped += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};
    use crate::indicators::{run, SkipLeadingNan};

    #[test]
    fn positions_prefer_the_oldest_tie_on_rescan_and_the_newest_otherwise() {
        let x = [1.0, 3.0, 2.0, 5.0, 4.0, 4.0, 1.0, 6.0, 5.0, 7.0];
        let mut m = WindowExtremes::new(WindowExtremesKind::MaxIndex, 3).unwrap();
        let out = run(&mut m, &[&x], 1);
        assert_eq!(out[0], vec![0.0, 0.0, 1.0, 3.0, 3.0, 3.0, 4.0, 7.0, 7.0, 9.0]);
    }

    #[test]
    fn positions_count_the_leading_rows_the_wrapper_drops() {
        let x = [f64::NAN, f64::NAN, 1.0, 3.0, 2.0, 5.0];
        let inner = Box::new(WindowExtremes::new(WindowExtremesKind::MinMaxIndex, 3).unwrap());
        let mut m = SkipLeadingNan::new(inner, 2);
        let out = run(&mut m, &[&x[..3]], 2);
        assert!(out[0][..2].iter().all(|v| v.is_nan()));
        let out = run(&mut m, &[&x[3..]], 2);
        assert_eq!(out[0], vec![0.0, 2.0, 4.0]);
        assert_eq!(out[1], vec![0.0, 3.0, 5.0]);
    }

    #[test]
    fn window_extremes_are_chunk_invariant() {
        let x: Vec<f64> = walk(400, 41).iter().map(|v| v.round()).collect();
        for kind in [
            WindowExtremesKind::MinMax,
            WindowExtremesKind::MinMaxIndex,
            WindowExtremesKind::MaxIndex,
            WindowExtremesKind::MinIndex,
        ] {
            let n_out = if matches!(kind, WindowExtremesKind::MinMax | WindowExtremesKind::MinMaxIndex) {
                2
            } else {
                1
            };
            assert_chunk_invariant(
                &|| Box::new(WindowExtremes::new(kind, 7).unwrap()),
                &[&x],
                n_out,
                &[1, 6, 90],
            );
        }
    }
}
