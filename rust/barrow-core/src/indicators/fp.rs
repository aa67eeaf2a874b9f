//! Fused multiply-add, as TA-Lib 0.8 computes its smoothing updates.
//!
//! TA-Lib 0.8's C sources call `fma()` in several recurrences (EMA, the
//! Wilder smoothing of ATR, the upper Bollinger band, ...): one rounding
//! instead of two. `f64::mul_add` is correctly rounded on every platform,
//! so barrow gives the same bits everywhere. Without the FMA instruction
//! enabled at compile time `mul_add` is a library call, so kernels that use
//! it implement [`Kernel`] and run through [`run_kernel`], which picks a
//! copy of the loop compiled with FMA when the CPU has it.

/// `a * b + c` with a single rounding.
#[inline(always)]
pub(crate) fn madd(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// One exponential smoothing step, `prev + k (v - prev)`, computed as
/// `prev (1 - k) + k v` with the multiply-add fused: the recursion's chain
/// is then one multiply-add per value, where TA-Lib's
/// `(v - prev) k + prev` chains a subtraction and a multiply-add. The
/// result differs from TA-Lib's in the last bits (the smoothing contracts
/// errors, so they do not grow along the series).
#[inline(always)]
pub(crate) fn ema(prev: f64, v: f64, k: f64) -> f64 {
    madd(prev, 1.0 - k, k * v)
}

/// Two steps of the smoothing `y = a y + b x` taken as one:
/// `y[t] = a² y[t-2] + (a b x[t-1] + b x[t])`. The recursion's chain then
/// waits on one multiply-add every two values instead of every value (the
/// even and the odd values form two chains that overlap). The result
/// differs from the step-by-step one in the last bits; the smoothing
/// contracts errors (`a < 1`), so they do not grow along the series.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pair {
    a2: f64,
    ab: f64,
    b: f64,
}

impl Pair {
    /// The pair of steps of `y = a y + b x`.
    pub(crate) fn new(a: f64, b: f64) -> Self {
        Self {
            a2: a * a,
            ab: a * b,
            b,
        }
    }

    /// `y[t]` from `y[t-2]`, `x[t-1]` and `x[t]`.
    #[inline(always)]
    pub(crate) fn next(&self, y2: f64, x1: f64, x: f64) -> f64 {
        madd(y2, self.a2, madd(self.ab, x1, self.b * x))
    }
}

/// A paired smoothing's state in a loop: the last value, the one before it
/// and the input the last value took in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PairRun {
    pub prev: f64,
    pub prev2: f64,
    pub last: f64,
    pub pair: Pair,
}

impl PairRun {
    /// The value after `x`.
    #[inline(always)]
    pub(crate) fn next(&mut self, x: f64) -> f64 {
        let next = self.pair.next(self.prev2, self.last, x);
        (self.prev2, self.prev, self.last) = (self.prev, next, x);
        next
    }
}

/// A chunk loop that [`run_kernel`] can compile twice. Implementations must
/// be `#[inline(always)]` so the loop is inlined into the FMA copy.
pub(crate) trait Kernel {
    /// Processes one chunk (shapes already checked).
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]);
}

/// Runs a kernel, with the FMA instruction set when the CPU has it.
#[inline(always)]
pub(crate) fn run_kernel<K: Kernel>(k: &mut K, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports FMA, checked just above.
        unsafe { run_with_fma(k, inputs, outputs) };
        return;
    }
    k.kernel(inputs, outputs)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
fn run_with_fma<K: Kernel>(k: &mut K, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    k.kernel(inputs, outputs)
}

/// Runs `f` with the FMA instruction set when the CPU has it, like
/// [`run_kernel`] for code that is not a [`Kernel`]. Each closure is its
/// own type, so its body is compiled into its own FMA copy, provided it is
/// inlined there: mark the closure `#[inline(always)]`, and what it calls
/// too. Left to itself, LLVM may compile the closure as a separate function
/// without FMA, and whether it does changes with the crate's partitioning.
#[inline(always)]
pub(crate) fn with_fma<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU supports FMA, checked just above.
        return unsafe { call_with_fma(f) };
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
fn call_with_fma<R>(f: impl FnOnce() -> R) -> R {
    f()
}

/// `x`, unchanged, hidden from the optimizer: a running sum passed through
/// this stays a scalar in its own register. Without it LLVM packs two
/// independent running sums into one vector register and shuffles between
/// them every bar, which lengthens the chain the loop waits on. No
/// instruction is emitted.
#[inline(always)]
pub(crate) fn opaque(x: f64) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        let mut x = x;
        // SAFETY: an empty template that only names the register; it reads
        // and writes no memory and changes no flags.
        unsafe { std::arch::asm!("/* {0} */", inout(xmm_reg) x, options(pure, nomem, nostack, preserves_flags)) };
        x
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        x
    }
}

/// `x`, returned by a function kept out of line and marked cold, for a
/// rarely taken assignment on a chain of dependencies:
/// `if v > hi { v = rarely(hi) }` compiles to a branch predicted not taken,
/// which the chain through `v` does not wait on, where a plain assignment
/// becomes a select (a min or max) that the chain does wait on.
#[cold]
#[inline(never)]
pub(crate) fn rarely(x: f64) -> f64 {
    x
}
