//! Element-wise functions (TA-Lib's math transforms and operators, and the
//! price transforms): lookback 0, no state, so any chunking is trivially
//! exact. The transcendental functions call the platform's libm, as TA-Lib
//! does, so they agree with it to the bit. Long inputs of the one-input
//! functions are split across rayon's threads, which changes nothing in
//! the values.

use super::super::{check_shapes, Indicator};

/// Inputs of [`Map1`] and [`Map2`] at least this long are split across
/// rayon's threads.
const PARALLEL_MIN: usize = 1 << 17;

/// The values of one task when a long input is split: small enough that
/// the caller's thread takes over the part of a worker that wakes late.
const PART: usize = 1 << 14;

/// Calls `body(inputs, out)` on the whole series, or on parts of it in
/// parallel when the series is long and rayon has more than one thread
/// ([`crate::par::for_each`]: the calling thread works through the parts
/// while a pool thread that takes a millisecond to wake, as an idle core
/// of a virtual machine does, joins late or not at all).
pub(crate) fn in_parts(inputs: &[&[f64]], out: &mut [f64], body: impl Fn(&[&[f64]], &mut [f64]) + Sync) {
    let n = out.len();
    if n < PARALLEL_MIN || rayon::current_num_threads() < 2 {
        body(inputs, out);
        return;
    }
    let mut parts: Vec<(usize, &mut [f64])> = out.chunks_mut(PART).enumerate().collect();
    crate::par::for_each(&mut parts, |(k, part)| {
        let from = *k * PART;
        let mut ins: [&[f64]; 4] = [&[]; 4];
        for (slot, x) in ins.iter_mut().zip(inputs) {
            *slot = &x[from..from + part.len()];
        }
        body(&ins[..inputs.len()], part);
    });
}

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
        let f = &self.f;
        in_parts(inputs, outputs[0], |x, out| {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2, checked just above.
                unsafe { map_avx2(f, x[0], out) };
                return;
            }
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("sse4.1") {
                // SAFETY: the CPU supports SSE4.1, checked just above.
                unsafe { map_sse41(f, x[0], out) };
                return;
            }
            map(f, x[0], out);
        });
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

/// [`map`] compiled with AVX2 (which includes SSE4.1's rounding): four
/// values per instruction where the function vectorizes (square root,
/// `floor`, `ceil`), the same values.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn map_avx2<F: Fn(f64) -> f64>(f: &F, x: &[f64], out: &mut [f64]) {
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
        let f = &self.f;
        in_parts(&inputs[..self.n], outputs[0], |ins, out| map_into(f, ins, out));
    }

    fn reset(&mut self) {}
}

/// Writes `f` of the values at `i` of 2 to 4 equally long `inputs` (in
/// the first slots of its argument) to `out[i]`, in [`Map2`]'s loop: AVX2
/// where the CPU has it, one thread. Plain stores: an output buffer is
/// usually memory just freed and still cached, where streaming stores
/// cost more than they save.
#[inline(always)]
pub(crate) fn map_into<F: Fn(&[f64; 4]) -> f64>(f: &F, inputs: &[&[f64]], out: &mut [f64]) {
    let n = inputs.len();
    assert!((2..=4).contains(&n) && inputs.iter().all(|x| x.len() == out.len()));
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        unsafe { map_n_avx2(f, n, inputs, out) };
        return;
    }
    map_n(f, n, inputs, out)
}

/// [`map_n`] compiled with AVX2: four values per instruction instead of
/// two. Rust never fuses a multiply and an add on its own, so the values
/// are the same.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn map_n_avx2<F: Fn(&[f64; 4]) -> f64>(f: &F, n: usize, inputs: &[&[f64]], out: &mut [f64]) {
    map_n(f, n, inputs, out)
}

/// One loop per arity, so the slots are plain loads the compiler can
/// vectorize.
#[inline(always)]
fn map_n<F: Fn(&[f64; 4]) -> f64>(f: &F, n: usize, inputs: &[&[f64]], out: &mut [f64]) {
    match n {
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

    #[test]
    fn long_series_split_across_threads_give_the_same_values() {
        let n = 3 * PARALLEL_MIN + 7;
        let x: Vec<f64> = (0..n).map(|i| (i as f64) * 0.001 - 50.0).collect();
        let y: Vec<f64> = x.iter().map(|v| v * 0.5 + 1.0).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(3).build().unwrap();
        let (sin, div) = pool.install(|| {
            (
                run(&mut Map1::new(f64::sin), &[&x], 1),
                run(&mut Map2::new(2, |v| v[0] / v[1]), &[&x, &y], 1),
            )
        });
        for i in 0..n {
            assert_eq!(sin[0][i].to_bits(), x[i].sin().to_bits(), "sin at {i}");
            assert_eq!(div[0][i].to_bits(), (x[i] / y[i]).to_bits(), "div at {i}");
        }
    }
}
