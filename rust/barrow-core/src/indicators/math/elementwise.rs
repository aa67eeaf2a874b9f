//! Element-wise functions (TA-Lib's math transforms and operators, and the
//! price transforms): lookback 0, no state, so any chunking is trivially
//! exact. The transcendental functions call the platform's libm, as TA-Lib
//! does, so they agree with it to the bit.

use super::super::{check_shapes, Indicator};

/// `out[i] = f(x[i])`.
#[derive(Clone, Copy, Debug)]
pub struct Map1 {
    f: fn(f64) -> f64,
}

impl Map1 {
    /// Wraps a function of one value.
    pub fn new(f: fn(f64) -> f64) -> Self {
        Self { f }
    }
}

impl Indicator for Map1 {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        for (o, &x) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = (self.f)(x);
        }
    }

    fn reset(&mut self) {}
}

/// `out[i] = f(x[i], y[i], ...)` over `n` inputs (2 to 4).
#[derive(Clone, Copy, Debug)]
pub struct Map2 {
    n: usize,
    f: fn(&[f64; 4]) -> f64,
}

impl Map2 {
    /// Wraps a function of `n` values, passed in the first `n` slots.
    pub fn new(n: usize, f: fn(&[f64; 4]) -> f64) -> Self {
        assert!((2..=4).contains(&n), "Map2 takes 2 to 4 inputs");
        Self { n, f }
    }
}

impl Indicator for Map2 {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, self.n, 1);
        let mut v = [0.0; 4];
        for (i, o) in outputs[0].iter_mut().enumerate() {
            for (k, slot) in v.iter_mut().enumerate().take(self.n) {
                *slot = inputs[k][i];
            }
            *o = (self.f)(&v);
        }
    }

    fn reset(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;

    #[test]
    fn maps_apply_element_wise() {
        let x = [1.0, 4.0, 9.0];
        assert_eq!(run(&mut Map1::new(f64::sqrt), &[&x], 1)[0], vec![1.0, 2.0, 3.0]);
        let y = [1.0, 2.0, 3.0];
        let add = Map2::new(2, |v| v[0] + v[1]);
        assert_eq!(run(&mut add.clone(), &[&x, &y], 1)[0], vec![2.0, 6.0, 12.0]);
    }
}
