//! CUMSUM — running sum of the series from its first value. Lookback 0.

use super::super::{check_shapes, fp, Indicator};

/// Streaming cumulative sum.
#[derive(Clone, Debug, Default)]
pub struct CumSum {
    total: f64,
}

impl CumSum {
    /// A fresh sum at 0.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Indicator for CumSum {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        if inputs[0].len() >= crate::par::SPLIT_MIN {
            // An output past the caches: streamed out.
            self.total = fp::running_sum_streamed(self.total, inputs[0], outputs[0]);
            return;
        }
        for (o, &x) in outputs[0].iter_mut().zip(inputs[0]) {
            self.total += x;
            *o = self.total;
        }
    }

    fn reset(&mut self) {
        self.total = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, assert_split_invariant, walk};

    #[test]
    fn cumsum_adds_every_value_so_far() {
        let out = crate::indicators::run(&mut CumSum::new(), &[&[1.0, 2.0, -4.0]], 1);
        assert_eq!(out[0], vec![1.0, 3.0, -1.0]);
        let x = walk(200, 33);
        assert_chunk_invariant(&|| Box::new(CumSum::new()), &[&x], 1, &[1, 9, 50]);
    }

    #[test]
    fn long_cumsum_streamed_out_gives_the_plain_loops_bits() {
        // Every alignment of the output: the streamed pairs start where
        // the output is 16-byte aligned.
        let n = crate::par::SPLIT_MIN + 9;
        let x = walk(n + 1, 34);
        let mut want = vec![0.0; n];
        let mut t = 0.5;
        for (w, &v) in want.iter_mut().zip(&x[1..]) {
            t += v;
            *w = t;
        }
        let mut buf = vec![0.0; n + 1];
        for offset in [0, 1] {
            let out = &mut buf[offset..offset + n];
            let last = crate::indicators::fp::running_sum_streamed(0.5, &x[1..], out);
            assert_eq!(last.to_bits(), t.to_bits());
            assert!(
                out.iter().zip(&want).all(|(a, b)| a.to_bits() == b.to_bits()),
                "offset {offset}"
            );
        }
        assert_split_invariant(&|| Box::new(CumSum::new()), &[&x], 1);
    }
}
