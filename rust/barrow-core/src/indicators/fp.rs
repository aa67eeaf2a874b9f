//! Floating-point contraction as TA-Lib's published builds do it.
//!
//! The TA-Lib C library shipped in the PyPI wheels is compiled with
//! fast-math and, on x86-64, with FMA function clones chosen at run time:
//! on a CPU with FMA, `a * b + c` in its smoothing loops is one fused
//! multiply-add (one rounding instead of two). To give the same bits as
//! TA-Lib on the same machine, barrow fuses exactly those operations when
//! the CPU has FMA (always on aarch64) and keeps them separate otherwise.
//! `f64::mul_add` is correctly rounded on every platform, so the fused
//! path is exact wherever it runs.

use std::sync::OnceLock;

/// True when TA-Lib's build fuses multiply-adds on this CPU.
#[inline]
pub(crate) fn fused() -> bool {
    static FUSED: OnceLock<bool> = OnceLock::new();
    *FUSED.get_or_init(detect)
}

#[cfg(any(target_arch = "x86", target_arch = "x86_64"))]
fn detect() -> bool {
    std::arch::is_x86_feature_detected!("fma")
}

#[cfg(target_arch = "aarch64")]
fn detect() -> bool {
    true
}

#[cfg(not(any(target_arch = "x86", target_arch = "x86_64", target_arch = "aarch64")))]
fn detect() -> bool {
    false
}

/// `a * b + c`, fused when `fused` is set.
#[inline(always)]
pub(crate) fn madd(a: f64, b: f64, c: f64, fused: bool) -> f64 {
    if fused {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}
