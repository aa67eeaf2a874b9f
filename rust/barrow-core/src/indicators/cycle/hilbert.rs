//! Ehlers' Hilbert-transform machinery shared by MAMA and the HT_* functions.
//!
//! Every bar: a 4-bar WMA smooths the price (`(4x₀ + 3x₁ + 2x₂ + x₃) / 10`
//! kept as a running sum and subtotal, as TA-Lib does); the smoothed price
//! goes through four Hilbert FIR filters (detrender, Q1, jI, jQ), each
//! `(0.0962·x₀ + 0.5769·x₂ - 0.5769·x₄ - 0.0962·x₆) · (0.075·period + 0.54)`
//! with separate delay lines for even and odd bars; the homodyne
//! discriminator then gives the cycle period (clamped to 0.67–1.5 times the
//! previous one and to [6, 50], smoothed 0.2/0.8) and the smoothed period
//! (0.33/0.67). TA-Lib starts the transform after a WMA warm-up of
//! `start` bars (12 for the functions with lookback 32, 37 for those with
//! lookback 63); even and odd are the parity of the absolute bar index.
//!
//! The installed TA-Lib (0.8, built with fast-math and FMA) fuses
//! `0.075·period + 0.54`, the 0.2/0.8 smoothings of Q2, I2, Re, Im and
//! period, `I2·I2' + Q2·Q2'` and the 0.33/0.67 period smoothing; everything
//! else rounds in the C source's order. [`HilbertCore`] reproduces that.

use super::super::fp::{madd, opaque, rarely};

/// Hilbert FIR coefficients.
const A: f64 = 0.0962;
const B: f64 = 0.5769;
/// `180 / π`, as TA-Lib computes it (`45 / atan(1)`).
pub(crate) const RAD2DEG: f64 = 57.295_779_513_082_32;
/// `π / 180` (`1 / RAD2DEG`).
pub(crate) const DEG2RAD: f64 = 0.017_453_292_519_943_295;

/// Bars of WMA warm-up before the transform starts, for lookback 32.
pub(crate) const START_SHORT: usize = 12;
/// Bars of WMA warm-up before the transform starts, for lookback 63.
pub(crate) const START_LONG: usize = 37;

/// One Hilbert FIR filter with its 3-slot delay line (one per parity).
#[derive(Clone, Copy, Debug, Default)]
struct Fir {
    delay: [f64; 3],
    prev: f64,
    prev_input: f64,
}

impl Fir {
    #[inline(always)]
    fn step(&mut self, x: f64, slot: usize, adjust: f64) -> f64 {
        let head = A * x;
        let mut v = 0.0 - self.delay[slot];
        self.delay[slot] = head;
        v += head;
        v -= self.prev;
        self.prev = B * self.prev_input;
        v += self.prev;
        self.prev_input = x;
        v * adjust
    }
}

/// The 4-bar WMA price smoother, as a running sum and subtotal.
#[derive(Clone, Copy, Debug, Default)]
struct Smoother {
    sum: f64,
    sub: f64,
    trailing: f64,
    raw: [f64; 4],
}

impl Smoother {
    /// Consumes bar `t`; the smoothed value is meaningful from bar 3 on.
    #[inline(always)]
    fn step(&mut self, t: usize, x: f64) -> f64 {
        self.raw[t & 3] = x;
        match t {
            0 => {
                self.sub = x;
                self.sum = x;
                0.0
            }
            1 | 2 => {
                self.sub += x;
                self.sum += x * (t + 1) as f64;
                0.0
            }
            _ => {
                self.sub += x;
                self.sub -= self.trailing;
                self.sum += x * 4.0;
                // x[t - 3], subtracted on the next bar.
                self.trailing = self.raw[(t + 1) & 3];
                let smoothed = self.sum * 0.1;
                self.sum -= self.sub;
                smoothed
            }
        }
    }
}

/// What one bar of the transform produced.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HtBar {
    /// Absolute bar index.
    pub today: usize,
    /// WMA-smoothed price.
    pub smoothed: f64,
    /// In-phase component (the detrender delayed 3 bars of equal parity).
    pub i1: f64,
    /// Quadrature component.
    pub q1: f64,
    /// Smoothed dominant cycle period.
    pub smooth_period: f64,
}

/// Streaming smoother + Hilbert transform + period measurement.
#[derive(Clone, Debug)]
pub(crate) struct HilbertCore {
    start: usize,
    today: usize,
    smoother: Smoother,
    /// Per parity (even, odd): detrender, Q1, jI, jQ.
    fir: [[Fir; 4]; 2],
    slot: usize,
    i1_prev2: [f64; 2],
    i1_prev3: [f64; 2],
    prev_q2: f64,
    prev_i2: f64,
    re: f64,
    im: f64,
    period: f64,
    smooth_period: f64,
}

impl HilbertCore {
    /// A core whose transform starts at bar `start` (>= 3).
    pub(crate) fn new(start: usize) -> Self {
        Self {
            start,
            today: 0,
            smoother: Smoother::default(),
            fir: [[Fir::default(); 4]; 2],
            slot: 0,
            i1_prev2: [0.0; 2],
            i1_prev3: [0.0; 2],
            prev_q2: 0.0,
            prev_i2: 0.0,
            re: 0.0,
            im: 0.0,
            period: 0.0,
            smooth_period: 0.0,
        }
    }

    /// Number of prices consumed so far (the index of the next bar).
    pub(crate) fn bars_seen(&self) -> usize {
        self.today
    }

    /// Consumes one price; `None` while the WMA is still warming up.
    #[inline(always)]
    pub(crate) fn step(&mut self, x: f64) -> Option<HtBar> {
        let t = self.today;
        self.today += 1;
        let smoothed = self.smoother.step(t, x);
        if t < self.start {
            return None;
        }
        let adjust = madd(0.075, self.period, 0.54);
        let p = t & 1;
        let i1 = self.i1_prev3[p];
        let [det_f, q1_f, ji_f, jq_f] = &mut self.fir[p];
        let detrender = det_f.step(smoothed, self.slot, adjust);
        let q1 = q1_f.step(detrender, self.slot, adjust);
        let ji = ji_f.step(i1, self.slot, adjust);
        let jq = jq_f.step(q1, self.slot, adjust);
        if p == 0 {
            self.slot = if self.slot == 2 { 0 } else { self.slot + 1 };
        }
        let q2 = opaque(madd(0.2, q1 + ji, 0.8 * self.prev_q2));
        let i2 = opaque(madd(0.2, i1 - jq, 0.8 * self.prev_i2));
        let other = 1 - p;
        self.i1_prev3[other] = self.i1_prev2[other];
        self.i1_prev2[other] = detrender;

        let (pi2, pq2) = (self.prev_i2, self.prev_q2);
        self.re = opaque(madd(0.8, self.re, 0.2 * madd(i2, pi2, q2 * pq2)));
        self.im = opaque(madd(0.8, self.im, 0.2 * (i2 * pq2 - q2 * pi2)));
        self.prev_q2 = q2;
        self.prev_i2 = i2;
        let before = self.period;
        let mut period = before;
        if self.im != 0.0 && self.re != 0.0 {
            period = 360.0 / ((self.im / self.re).atan() * RAD2DEG);
        }
        // The limits rarely bind: branches (see `rarely`) keep their
        // comparisons off the chain from one bar's period to the next.
        let hi = 1.5 * before;
        if period > hi {
            period = rarely(hi);
        }
        let lo = 0.67 * before;
        if period < lo {
            period = rarely(lo);
        }
        // NaN stays NaN, as with TA-Lib's two comparisons.
        if period < 6.0 {
            period = rarely(6.0);
        }
        if period > 50.0 {
            period = rarely(50.0);
        }
        self.period = madd(0.2, period, 0.8 * before);
        self.smooth_period = madd(0.67, self.smooth_period, 0.33 * self.period);
        Some(HtBar {
            today: t,
            smoothed,
            i1,
            q1,
            smooth_period: self.smooth_period,
        })
    }
}

/// The dominant cycle phase (degrees) from a one-cycle DFT of the smoothed
/// price, as TA-Lib's HT_DCPHASE, HT_SINE and HT_TRENDMODE compute it.
///
/// Over the last `n = ⌊smooth_period + 0.5⌋` smoothed prices (a 50-slot ring
/// that starts as zeros), `re = Σ sin(2πi/n)·p`, `im = Σ cos(2πi/n)·p`; the
/// phase is `atan(re/im)` in degrees (±90 when `im` is 0), plus 90, plus
/// `360 / smooth_period` for the WMA lag, plus 180 when `im < 0`, wrapped
/// below 315.
#[derive(Clone, Debug)]
pub(crate) struct CyclePhase {
    prices: [f64; 50],
    pos: usize,
    phase: f64,
    /// [`dft_table`].
    table: &'static [(f64, f64)],
}

/// `(sin, cos)` of `2πi/n` for every `n` in `1..=50` and `i < n`, row `n`
/// from offset `n(n - 1)/2`: the terms of [`CyclePhase`]'s sums, computed
/// once per process with the same expression and the same library calls,
/// so the same bits as computing them on every bar.
fn dft_table() -> &'static [(f64, f64)] {
    static TABLE: std::sync::OnceLock<Box<[(f64, f64)]>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (1..=50usize)
            .flat_map(|n| (0..n).map(move |i| (i as f64 * std::f64::consts::TAU / n as f64).sin_cos()))
            .collect()
    })
}

impl CyclePhase {
    pub(crate) fn new() -> Self {
        Self {
            prices: [0.0; 50],
            pos: 0,
            phase: 0.0,
            table: dft_table(),
        }
    }

    /// Consumes one bar of the transform; returns the phase.
    #[inline(always)]
    pub(crate) fn step(&mut self, bar: &HtBar) -> f64 {
        self.prices[self.pos] = bar.smoothed;
        let n = dc_period_int(bar.smooth_period);
        let (mut re, mut im) = (0.0, 0.0);
        let mut idx = self.pos;
        let row = n * n.saturating_sub(1) / 2;
        for &(s, c) in &self.table[row..row + n] {
            let v = self.prices[idx];
            re += s * v;
            im += c * v;
            idx = if idx == 0 { 49 } else { idx - 1 };
        }
        let mut phase = self.phase;
        let m = im.abs();
        if m > 0.0 {
            phase = (re / im).atan() * RAD2DEG;
        } else if m <= 0.01 {
            if re < 0.0 {
                phase -= 90.0;
            } else if re > 0.0 {
                phase += 90.0;
            }
        }
        phase += 90.0;
        phase += 360.0 / bar.smooth_period;
        if im < 0.0 {
            phase += 180.0;
        }
        if phase > 315.0 {
            phase -= 360.0;
        }
        self.phase = phase;
        self.pos = if self.pos == 49 { 0 } else { self.pos + 1 };
        phase
    }
}

/// `(int)(smooth_period + 0.5)` as a loop count (0 for NaN or negatives).
#[inline(always)]
pub(crate) fn dc_period_int(smooth_period: f64) -> usize {
    let n = (smooth_period + 0.5) as i64;
    n.clamp(0, 50) as usize
}

/// The instantaneous trendline: the raw price averaged over the dominant
/// cycle (`n = ⌊smooth_period + 0.5⌋` bars, summed newest first), then a
/// 4-3-2-1 WMA of that average: `(4·a₀ + 3·a₁ + 2·a₂ + a₃) / 10`, the first
/// two products fused as TA-Lib's build does.
#[derive(Clone, Debug)]
pub(crate) struct Trendline {
    raw: [f64; 64],
    i_trend: [f64; 3],
}

impl Trendline {
    pub(crate) fn new() -> Self {
        Self {
            raw: [0.0; 64],
            i_trend: [0.0; 3],
        }
    }

    /// Records the raw price of bar `today` (every bar, warm-up included).
    #[inline(always)]
    pub(crate) fn push(&mut self, today: usize, x: f64) {
        self.raw[today & 63] = x;
    }

    /// One bar of the transform; returns the trendline.
    #[inline(always)]
    pub(crate) fn step(&mut self, bar: &HtBar) -> f64 {
        let n = dc_period_int(bar.smooth_period);
        let mut avg = 0.0;
        for i in 0..n {
            avg += self.raw[bar.today.wrapping_sub(i) & 63];
        }
        if n > 0 {
            avg /= n as f64;
        }
        let [t1, t2, t3] = self.i_trend;
        let line = (madd(2.0, t2, madd(4.0, avg, 3.0 * t1)) + t3) / 10.0;
        self.i_trend = [avg, t1, t2];
        line
    }
}

/// Implements `Default`, the FMA-dispatched chunk loop and [`Indicator`]
/// for a Hilbert-transform indicator of one series: a type with `new()`,
/// `step(x)` returning one value (`1`) or a pair of values (`2`), and a
/// fixed lookback.
///
/// [`Indicator`]: crate::indicators::Indicator
macro_rules! hilbert_indicator {
    ($ty:ident, $lookback:expr, 1) => {
        impl $crate::indicators::fp::Kernel for $ty {
            #[inline(always)]
            fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
                for (o, &x) in outputs[0].iter_mut().zip(inputs[0]) {
                    *o = self.step(x);
                }
            }
        }
        $crate::indicators::cycle::hilbert::hilbert_indicator!(@common $ty, $lookback, 1);
    };
    ($ty:ident, $lookback:expr, 2) => {
        impl $crate::indicators::fp::Kernel for $ty {
            #[inline(always)]
            fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
                let (a, b) = outputs.split_at_mut(1);
                for ((first, second), &x) in a[0].iter_mut().zip(b[0].iter_mut()).zip(inputs[0]) {
                    (*first, *second) = self.step(x);
                }
            }
        }
        $crate::indicators::cycle::hilbert::hilbert_indicator!(@common $ty, $lookback, 2);
    };
    (@common $ty:ident, $lookback:expr, $n_out:literal) => {
        impl Default for $ty {
            fn default() -> Self {
                Self::new()
            }
        }

        impl $crate::indicators::Indicator for $ty {
            fn lookback(&self) -> usize {
                $lookback
            }

            fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
                $crate::indicators::check_shapes(inputs, outputs, 1, $n_out);
                $crate::indicators::fp::run_kernel(self, inputs, outputs);
            }

            fn reset(&mut self) {
                *self = Self::new();
            }
        }
    };
}
pub(crate) use hilbert_indicator;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn angle_constants_match_talib_derivation() {
        let q = 1f64.atan();
        assert_eq!(RAD2DEG.to_bits(), (45.0 / q).to_bits());
        assert_eq!(RAD2DEG.to_bits(), (180.0 / (4.0 * q)).to_bits());
        assert_eq!(DEG2RAD.to_bits(), (1.0 / RAD2DEG).to_bits());
        assert_eq!(std::f64::consts::TAU.to_bits(), (q * 8.0).to_bits());
    }

    #[test]
    fn smoother_is_the_4_bar_wma() {
        let mut s = Smoother::default();
        let xs = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let out: Vec<f64> = xs.iter().enumerate().map(|(t, &x)| s.step(t, x)).collect();
        // (4·4 + 3·3 + 2·2 + 1) / 10 = 3, then 4, 5.
        assert!((out[3] - 3.0).abs() < 1e-12 && (out[4] - 4.0).abs() < 1e-12 && (out[5] - 5.0).abs() < 1e-12);
    }

    #[test]
    fn period_starts_at_the_lower_clamp() {
        let mut core = HilbertCore::new(START_SHORT);
        let mut last = None;
        for t in 0..=START_SHORT {
            last = core.step(100.0 + t as f64);
        }
        // First transform bar: period 0 → clamped to 6 → 0.2·6 = 1.2 (fused),
        // smoothed 0.33·1.2.
        let bar = last.expect("transform started");
        assert_eq!(bar.today, START_SHORT);
        assert_eq!(bar.smooth_period, madd(0.67, 0.0, 0.33 * madd(0.2, 6.0, 0.0)));
    }
}
