//! TA-Lib 0.8's running variance: sums of `x - K` and `(x - K)²` around a
//! shift `K`, rebuilt from the window (with `K` moved to the window mean)
//! when cancellation threatens and at least every `32 p` values. Shared by
//! VAR, STDDEV and BBANDS.

use super::super::fp;

/// Relative drift test: rebuild when `var < mean_square * REL`.
pub(crate) const REL: f64 = 1e-6;
/// Absolute drift test: rebuild when a leaving square exceeds `ABS` times
/// the remaining sum of squares.
pub(crate) const ABS: f64 = 1e6;
/// After a rebuild, a variance below `mean_square * FLOOR` is zero.
pub(crate) const FLOOR: f64 = 1e-12;

/// Streaming shifted variance over a window of `p` values (TA-Lib 0.8's
/// `VAR`/`BBANDS` deviation).
#[derive(Clone, Debug)]
pub(crate) struct ShiftedVariance {
    period: usize,
    rcp: f64,
    shift: f64,
    s1: f64,
    s2: f64,
    countdown: usize,
}

impl ShiftedVariance {
    pub(crate) fn new(period: usize) -> Self {
        Self {
            period,
            rcp: 1.0 / period as f64,
            shift: 0.0,
            s1: 0.0,
            s2: 0.0,
            countdown: 32 * period,
        }
    }

    /// Adds a value while the first window fills (`first` marks the very
    /// first value, which becomes the shift).
    #[inline(always)]
    pub(crate) fn fill(&mut self, v: f64, first: bool) {
        if first {
            self.shift = v;
        }
        let d = v - self.shift;
        self.s1 += d;
        self.s2 += d * d;
    }

    /// Adds `v`, whose window holds `old` (the value leaving) and the values
    /// after it (`window()` yields the `p - 1` values before `v`, oldest
    /// first), and returns the variance plus the mean square when it came
    /// from a rebuild, leaving `old` out of the sums.
    #[inline(always)]
    pub(crate) fn step<I: Iterator<Item = f64>>(
        &mut self,
        v: f64,
        old: f64,
        window: impl Fn() -> I,
    ) -> (f64, Option<f64>) {
        let d = v - self.shift;
        self.s1 += d;
        self.s2 += d * d;
        let m = self.rcp * self.s1;
        let var = self.rcp * self.s2 - m * m;
        let d_old = old - self.shift;
        let q = d_old * d_old;
        self.s2 -= q;
        let rebuild = (self.rcp * self.s2) * REL > var || q > self.s2 * ABS || {
            self.countdown -= 1;
            self.countdown == 0
        };
        if !rebuild {
            self.s1 -= d_old;
            return (var, None);
        }
        self.rebuild(v, old, window)
    }

    /// [`ShiftedVariance::step`] for values `x[from..]` whose windows lie
    /// in `x` (`from >= period - 1`), with the sums in locals: calls
    /// `emit(i, var, rebuilt)` for each, with the same operations as `step`.
    #[inline(always)]
    pub(crate) fn run_slice(&mut self, x: &[f64], from: usize, mut emit: impl FnMut(usize, f64, Option<f64>)) {
        let p = self.period;
        debug_assert!(p >= 2 && from + 1 >= p);
        let rcp = self.rcp;
        let (mut shift, mut s1, mut s2, mut countdown) = (self.shift, self.s1, self.s2, self.countdown);
        for (k, (&v, &old)) in x[from..].iter().zip(&x[from + 1 - p..]).enumerate() {
            let i = from + k;
            let d = v - shift;
            s1 += d;
            s2 += d * d;
            let m = rcp * s1;
            let var = rcp * s2 - m * m;
            let d_old = old - shift;
            let q = d_old * d_old;
            s2 -= q;
            let rebuild = (rcp * s2) * REL > var || q > s2 * ABS || {
                countdown -= 1;
                countdown == 0
            };
            if !rebuild {
                s1 -= d_old;
                emit(i, var, None);
                continue;
            }
            (self.shift, self.s1, self.s2, self.countdown) = (shift, s1, s2, countdown);
            // The window is captured by value: a closure holding `i` by
            // reference makes LLVM store `i` to the stack on every bar.
            let window = &x[i + 1 - p..i];
            let (var, mean_sq) = self.rebuild(v, old, move || window.iter().copied());
            // `opaque` keeps the reloaded sums scalar (see `fp::opaque`).
            (shift, s1, s2, countdown) = (
                fp::opaque(self.shift),
                fp::opaque(self.s1),
                fp::opaque(self.s2),
                self.countdown,
            );
            emit(i, var, mean_sq);
        }
        (self.shift, self.s1, self.s2, self.countdown) = (shift, s1, s2, countdown);
    }

    #[cold]
    #[inline(never)]
    fn rebuild<I: Iterator<Item = f64>>(&mut self, v: f64, old: f64, window: impl Fn() -> I) -> (f64, Option<f64>) {
        let mut total = 0.0;
        for x in window().chain(std::iter::once(v)) {
            total += x;
        }
        self.shift = total * self.rcp;
        self.s1 = 0.0;
        self.s2 = 0.0;
        for x in window().chain(std::iter::once(v)) {
            let d = x - self.shift;
            self.s1 += d;
            self.s2 += d * d;
        }
        let mean_sq = self.rcp * self.s2;
        let m = self.rcp * self.s1;
        let var = mean_sq - m * m;
        let d_old = old - self.shift;
        self.s1 -= d_old;
        self.s2 -= d_old * d_old;
        self.countdown = 32 * self.period;
        (var, Some(mean_sq))
    }

    pub(crate) fn reset(&mut self) {
        *self = Self::new(self.period);
    }
}
