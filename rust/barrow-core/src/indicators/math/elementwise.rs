//! Element-wise functions (TA-Lib's math transforms and operators, and the
//! price transforms): lookback 0, no state, so any chunking is trivially
//! exact. The transcendental functions call the platform's libm, as TA-Lib
//! does, so they agree with it to the bit.

use super::super::{check_shapes, Indicator};

/// An element-wise function of one input. Generic over the function, so
/// each one is inlined into its own loop (and vectorized where it can be).
#[derive(Clone, Copy, Debug)]
pub struct Map1<F> {
    f: F,
}

impl<F: Fn(f64) -> f64> Map1<F> {
    /// Wraps a function of one value.
    pub fn new(f: F) -> Self {
        Self { f }
    }
}

impl<F: Fn(f64) -> f64 + Send + Sync> Indicator for Map1<F> {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("sse4.1") {
            // SAFETY: the CPU supports SSE4.1, checked just above.
            unsafe { map_sse41(&self.f, inputs[0], outputs[0]) };
            return;
        }
        map(&self.f, inputs[0], outputs[0]);
    }

    fn reset(&mut self) {}
}

#[inline(always)]
fn map<F: Fn(f64) -> f64>(f: &F, x: &[f64], out: &mut [f64]) {
    for (o, &x) in out.iter_mut().zip(x) {
        *o = f(x);
    }
}

/// [`map`] compiled with SSE4.1, whose rounding instruction makes `floor`
/// and `ceil` a single instruction instead of a library call (the result
/// is the same: both are exact).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.1")]
fn map_sse41<F: Fn(f64) -> f64>(f: &F, x: &[f64], out: &mut [f64]) {
    map(f, x, out)
}

/// An element-wise function of 2 to 4 inputs, passed in the first `n`
/// slots of an array (generic over the function, as [`Map1`]).
#[derive(Clone, Copy, Debug)]
pub struct Map2<F> {
    n: usize,
    f: F,
}

impl<F: Fn(&[f64; 4]) -> f64> Map2<F> {
    /// Wraps a function of `n` values, passed in the first `n` slots.
    pub fn new(n: usize, f: F) -> Self {
        assert!((2..=4).contains(&n), "Map2 takes 2 to 4 inputs");
        Self { n, f }
    }
}

impl<F: Fn(&[f64; 4]) -> f64 + Send + Sync> Indicator for Map2<F> {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, self.n, 1);
        let out = &mut *outputs[0];
        let f = &self.f;
        // One loop per arity, so the slots are plain loads the compiler
        // can vectorize.
        match self.n {
            2 => {
                for ((o, &a), &b) in out.iter_mut().zip(inputs[0]).zip(inputs[1]) {
                    *o = f(&[a, b, 0.0, 0.0]);
                }
            }
            3 => {
                for (((o, &a), &b), &c) in out.iter_mut().zip(inputs[0]).zip(inputs[1]).zip(inputs[2]) {
                    *o = f(&[a, b, c, 0.0]);
                }
            }
            _ => {
                let abcd = inputs[0].iter().zip(inputs[1]).zip(inputs[2]).zip(inputs[3]);
                for (o, (((&a, &b), &c), &d)) in out.iter_mut().zip(abcd) {
                    *o = f(&[a, b, c, d]);
                }
            }
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
