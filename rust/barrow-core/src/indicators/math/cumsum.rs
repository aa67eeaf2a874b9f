//! CUMSUM — running sum of the series from its first value. Lookback 0.

use super::super::{check_shapes, Indicator};

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
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn cumsum_adds_every_value_so_far() {
        let out = crate::indicators::run(&mut CumSum::new(), &[&[1.0, 2.0, -4.0]], 1);
        assert_eq!(out[0], vec![1.0, 3.0, -1.0]);
        let x = walk(200, 33);
        assert_chunk_invariant(&|| Box::new(CumSum::new()), &[&x], 1, &[1, 9, 50]);
    }
}
