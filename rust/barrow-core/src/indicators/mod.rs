//! Streaming technical indicators with TA-Lib's exact arithmetic.
//!
//! Every indicator is a small state machine behind the [`Indicator`] trait:
//! it is built from its parameters, reports its lookback, and consumes a
//! series chunk by chunk. Feeding a series in one call or in any number of
//! chunks gives bit-identical output, because each kernel performs the same
//! floating-point operations in the same order whatever the chunk borders are.
//!
//! ```
//! use barrow_core::indicators::{Indicator, overlap::Sma};
//! let mut sma = Sma::new(3).unwrap();
//! let x = [1.0, 2.0, 3.0, 4.0];
//! let mut a = [0.0; 2];
//! let mut b = [0.0; 2];
//! sma.update(&[&x[..2]], &mut [&mut a[..]]);
//! sma.update(&[&x[2..]], &mut [&mut b[..]]);
//! assert!(a[0].is_nan() && a[1].is_nan());
//! assert_eq!(b, [2.0, 3.0]);
//! ```
//!
//! Files are grouped as TA-Lib groups its functions (overlap, momentum,
//! volatility, math) plus `returns` for features TA-Lib lacks.

pub mod cycle;
pub mod math;
pub mod momentum;
pub mod overlap;
pub mod pattern;
pub mod price;
pub mod registry;
pub mod returns;
pub mod statistic;
pub mod volatility;
pub mod volume;

mod fp;
mod ring;

pub use registry::{find_function, functions, FunctionInfo, ParamInfo, ParamKind};

/// A streaming indicator: parameters, lookback and an update over chunks.
///
/// `update` receives one slice per input (TA-Lib order, e.g. high, low,
/// close) and one output slice per output, all of the same length. Outputs
/// are NaN until the indicator has seen `lookback()` earlier values.
pub trait Indicator: Send + Sync {
    /// Number of leading values for which the output is NaN.
    fn lookback(&self) -> usize;

    /// Consumes the next chunk of the series, continuing exactly where the
    /// previous chunk ended.
    ///
    /// # Panics
    /// Panics if the number or lengths of the slices do not match the
    /// indicator's inputs and outputs; callers in this crate check them.
    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]);

    /// As [`Indicator::update`] for an indicator with one output of
    /// integer codes, written straight to `out`: 0 where the float output
    /// would be NaN, as TA-Lib writes its int32 outputs. The default runs
    /// [`Indicator::update`] on cache-sized blocks and converts them;
    /// pattern recognisers write their codes directly.
    fn update_i32(&mut self, inputs: &[&[f64]], out: &mut [i32]) {
        codes_by_blocks(inputs, out, |ins, outs| self.update(ins, outs));
    }

    /// Whether [`Indicator::update_codes`] writes this indicator's integer
    /// outputs (those with several of them).
    fn writes_codes(&self) -> bool {
        false
    }

    /// As [`Indicator::update_i32`] for an indicator with several integer
    /// outputs, written straight to `outs`; only called where
    /// [`Indicator::writes_codes`] holds.
    ///
    /// # Panics
    /// The default panics: it is never called.
    fn update_codes(&mut self, _inputs: &[&[f64]], _outs: &mut [&mut [i32]]) {
        unreachable!("update_codes is only called where writes_codes holds")
    }

    /// Forgets everything seen, as if newly built.
    fn reset(&mut self);

    /// Tells the indicator that `n` rows before its first value were
    /// dropped (leading NaN rows, see [`SkipLeadingNan`]). Only kernels
    /// whose outputs are bar positions in the whole series need it.
    fn skip_rows(&mut self, _n: usize) {}
}

/// Runs `f` on `state` moved into a local, then moves it back. A kernel's
/// running values then stay in registers through its loop, where fields
/// behind `&mut self` are stored and reloaded around every write the
/// compiler cannot prove distinct from them (ring buffers, outputs).
/// `stand_in` is left in `state` meanwhile; it should not allocate.
#[inline(always)]
pub(crate) fn in_local<T, R>(state: &mut T, stand_in: T, f: impl FnOnce(&mut T) -> R) -> R {
    let mut local = std::mem::replace(state, stand_in);
    let out = f(&mut local);
    *state = local;
    out
}

/// Rows converted at a time when integer codes come from float outputs:
/// small enough for the float scratch to stay in cache.
pub(crate) const CODE_BLOCK: usize = 4096;

/// Runs `update` (one float output) over `inputs` block by block and
/// writes the outputs to `out` as int32 codes (NaN as 0).
pub(crate) fn codes_by_blocks(
    inputs: &[&[f64]],
    out: &mut [i32],
    mut update: impl FnMut(&[&[f64]], &mut [&mut [f64]]),
) {
    let n = out.len();
    let mut scratch = vec![0.0; CODE_BLOCK.min(n)];
    let mut start = 0;
    while start < n {
        let end = (start + CODE_BLOCK).min(n);
        let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..end]).collect();
        let tmp = &mut scratch[..end - start];
        update(&ins, &mut [&mut *tmp]);
        for (d, &v) in out[start..end].iter_mut().zip(tmp.iter()) {
            *d = if v.is_nan() { 0 } else { v as i32 };
        }
        start = end;
    }
}

/// Steps a one-input kernel over the first values of a chunk while
/// `warming` holds (the bars its steady loop cannot take yet), writing
/// their outputs; returns how many it took.
#[inline(always)]
pub(crate) fn step_while<K>(
    kernel: &mut K,
    x: &[f64],
    out: &mut [f64],
    warming: impl Fn(&K) -> bool,
    step: impl Fn(&mut K, f64) -> f64,
) -> usize {
    let mut i = 0;
    while i < x.len() && warming(kernel) {
        out[i] = step(kernel, x[i]);
        i += 1;
    }
    i
}

/// Checks the slice shapes promised by [`Indicator::update`].
#[inline]
pub(crate) fn check_shapes(inputs: &[&[f64]], outputs: &[&mut [f64]], n_in: usize, n_out: usize) -> usize {
    assert_eq!(inputs.len(), n_in, "indicator expects {n_in} input(s)");
    assert_eq!(outputs.len(), n_out, "indicator expects {n_out} output(s)");
    let n = inputs[0].len();
    assert!(
        inputs.iter().all(|s| s.len() == n) && outputs.iter().all(|s| s.len() == n),
        "indicator inputs and outputs must have equal lengths"
    );
    n
}

/// Wraps an indicator so that leading rows where any input is NaN are
/// skipped (output NaN) and the computation starts at the first complete
/// row, as the TA-Lib Python wrapper does.
pub struct SkipLeadingNan {
    inner: Box<dyn Indicator>,
    n_outputs: usize,
    started: bool,
}

impl SkipLeadingNan {
    /// Wraps `inner`, which has `n_outputs` outputs.
    pub fn new(inner: Box<dyn Indicator>, n_outputs: usize) -> Self {
        Self {
            inner,
            n_outputs,
            started: false,
        }
    }

    /// The first row of a chunk of `n` rows that goes to the inner
    /// indicator: past the leading rows with a NaN until the series has
    /// started (the inner indicator is told of the rows dropped), 0 after.
    /// `None` when the whole chunk is dropped.
    fn first_row(&mut self, inputs: &[&[f64]], n: usize) -> Option<usize> {
        if self.started {
            return Some(0);
        }
        let start = (0..n).find(|&i| !inputs.iter().any(|s| s[i].is_nan())).unwrap_or(n);
        self.inner.skip_rows(start);
        self.started = start < n;
        self.started.then_some(start)
    }
}

impl Indicator for SkipLeadingNan {
    fn lookback(&self) -> usize {
        self.inner.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n = check_shapes(inputs, outputs, inputs.len(), self.n_outputs);
        let start = self.first_row(inputs, n);
        for out in outputs.iter_mut() {
            out[..start.unwrap_or(n)].fill(f64::NAN);
        }
        let Some(start) = start else { return };
        let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..]).collect();
        let mut outs: Vec<&mut [f64]> = outputs.iter_mut().map(|s| &mut s[start..]).collect();
        self.inner.update(&ins, &mut outs);
    }

    fn update_i32(&mut self, inputs: &[&[f64]], out: &mut [i32]) {
        assert_eq!(self.n_outputs, 1, "integer codes come from indicators with one output");
        let n = out.len();
        let start = self.first_row(inputs, n);
        out[..start.unwrap_or(n)].fill(0);
        let Some(start) = start else { return };
        let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..]).collect();
        self.inner.update_i32(&ins, &mut out[start..]);
    }

    fn writes_codes(&self) -> bool {
        self.inner.writes_codes()
    }

    fn update_codes(&mut self, inputs: &[&[f64]], outs: &mut [&mut [i32]]) {
        let n = outs[0].len();
        let start = self.first_row(inputs, n);
        for out in outs.iter_mut() {
            out[..start.unwrap_or(n)].fill(0);
        }
        let Some(start) = start else { return };
        let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..]).collect();
        let mut rest: Vec<&mut [i32]> = outs.iter_mut().map(|s| &mut s[start..]).collect();
        self.inner.update_codes(&ins, &mut rest);
    }

    fn reset(&mut self) {
        self.started = false;
        self.inner.reset();
    }
}

/// Runs `indicator` over whole series and returns its outputs.
pub fn run(indicator: &mut dyn Indicator, inputs: &[&[f64]], n_outputs: usize) -> Vec<Vec<f64>> {
    let n = inputs.first().map_or(0, |s| s.len());
    let mut outs: Vec<Vec<f64>> = (0..n_outputs).map(|_| vec![0.0; n]).collect();
    {
        let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| v.as_mut_slice()).collect();
        indicator.update(inputs, &mut views);
    }
    outs
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::Indicator;

    /// Deterministic pseudo-random walk for kernel tests.
    pub fn walk(n: usize, seed: u64) -> Vec<f64> {
        let mut rng = crate::data::rng::SplitMix64::new(seed);
        let mut x = 100.0;
        (0..n)
            .map(|_| {
                x *= 1.0 + 0.02 * (rng.next_f64() - 0.5);
                x
            })
            .collect()
    }

    /// Asserts that feeding `inputs` in chunks of the given sizes gives the
    /// same bits as one call.
    pub fn assert_chunk_invariant(
        make: &dyn Fn() -> Box<dyn Indicator>,
        inputs: &[&[f64]],
        n_out: usize,
        sizes: &[usize],
    ) {
        let n = inputs[0].len();
        let whole = super::run(make().as_mut(), inputs, n_out);
        let mut ind = make();
        let mut outs = vec![vec![0.0; n]; n_out];
        let mut start = 0;
        let mut k = 0;
        while start < n {
            let len = sizes[k % sizes.len()].min(n - start);
            k += 1;
            let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..start + len]).collect();
            let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[start..start + len]).collect();
            ind.update(&ins, &mut views);
            start += len;
        }
        for (o, (a, b)) in whole.iter().zip(&outs).enumerate() {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert!(
                    x.to_bits() == y.to_bits(),
                    "output {o} differs at {i}: {x} vs {y} (chunks {sizes:?})"
                );
            }
        }
    }

    /// Asserts that a series long enough to be split across threads gives,
    /// on pools of 2 and 3 threads, whole and in chunks (long ones that are
    /// split and short ones that are not), the bits of one call on one
    /// thread, which does not split.
    pub fn assert_split_invariant(make: &dyn Fn() -> Box<dyn Indicator>, inputs: &[&[f64]], n_out: usize) {
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let mut single = make();
        let want = one.install(|| super::run(single.as_mut(), inputs, n_out));
        let n = inputs[0].len();
        assert!(n > crate::par::SPLIT_MIN, "a series long enough to split");
        for threads in [2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for sizes in [vec![n], vec![crate::par::SPLIT_MIN + 5, 999]] {
                let mut ind = make();
                let mut outs = vec![vec![0.0; n]; n_out];
                let (mut start, mut k) = (0, 0);
                while start < n {
                    let len = sizes[k % sizes.len()].min(n - start);
                    k += 1;
                    let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..start + len]).collect();
                    let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[start..start + len]).collect();
                    pool.install(|| ind.update(&ins, &mut views));
                    start += len;
                }
                for (o, (a, b)) in want.iter().zip(&outs).enumerate() {
                    let first = a.iter().zip(b).position(|(x, y)| x.to_bits() != y.to_bits());
                    assert!(
                        first.is_none(),
                        "output {o} differs at {first:?} ({threads} threads, chunks {sizes:?})"
                    );
                }
            }
        }
    }
}
