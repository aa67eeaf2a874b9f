//! MA — TA-Lib's moving averages by type, and DEMA / TEMA.
//!
//! TA-Lib 0.8 numbers its types 0..=13: 0 SMA, 1 EMA, 2 WMA, 3 DEMA, 4 TEMA,
//! 5 TRIMA, 6 KAMA, 7 MAMA, 8 T3, 9 HMA, 10 identity (no averaging), 11 the
//! calling function's own default type, 12 ZLEMA, 13 Wilder's RMA.

use super::{Ema, Hma, Kama, Mama, Rma, Sma, Trima, Wma, Zlema, T3};
use crate::error::{BarrowError, Result};
use crate::indicators::fp;

/// TA-Lib's moving-average types (`matype`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaType {
    /// 0: simple.
    Sma,
    /// 1: exponential.
    Ema,
    /// 2: weighted.
    Wma,
    /// 3: double exponential.
    Dema,
    /// 4: triple exponential.
    Tema,
    /// 5: triangular.
    Trima,
    /// 6: Kaufman adaptive.
    Kama,
    /// 7: MESA adaptive (MAMA with limits 0.5 and 0.05; the period is
    /// ignored unless it is 1).
    Mama,
    /// 8: Tillson T3 (volume factor 0.7).
    T3,
    /// 9: Hull.
    Hma,
    /// 10: no averaging, the input itself (lookback 0).
    Identity,
    /// 12: zero-lag exponential.
    Zlema,
    /// 13: Wilder's smoothing.
    Rma,
}

/// The largest `matype` code TA-Lib 0.8 accepts.
pub const MAX_MATYPE: i64 = 13;

/// `matype` 11: the calling function's own default type.
pub const MATYPE_DEFAULT: i64 = 11;

impl MaType {
    /// Maps TA-Lib's integer code for a function whose own default type is
    /// SMA (MA, BBANDS, STOCH, ...), so 11 means SMA. Functions with another default use
    /// [`MaType::from_code_or`].
    pub fn from_code(code: i64) -> Result<Self> {
        Self::from_code_or(code, MaType::Sma)
    }

    /// Maps TA-Lib's integer code, 11 meaning `default` (the calling
    /// function's own default type, as in TA-Lib 0.8).
    pub fn from_code_or(code: i64, default: MaType) -> Result<Self> {
        Ok(match code {
            0 => MaType::Sma,
            1 => MaType::Ema,
            2 => MaType::Wma,
            3 => MaType::Dema,
            4 => MaType::Tema,
            5 => MaType::Trima,
            6 => MaType::Kama,
            8 => MaType::T3,
            9 => MaType::Hma,
            10 => MaType::Identity,
            MATYPE_DEFAULT => default,
            12 => MaType::Zlema,
            13 => MaType::Rma,
            7 => MaType::Mama,
            _ => return Err(BarrowError::bad_param("matype", code, "must be an integer in 0..=13")),
        })
    }
}

/// DEMA (`stages = 2`: `2 e1 - e2`) or TEMA (`stages = 3`:
/// `3 e1 - 3 e2 + e3`): chained EMAs, each seeded with the mean of its first
/// `p` inputs. Lookback `stages (p - 1)`; period 1 copies the input.
#[derive(Clone, Debug)]
pub struct MultiEma {
    period: usize,
    emas: Vec<Ema>,
    seen: usize,
}

impl MultiEma {
    /// Chains `stages` (2 or 3) EMAs of `period >= 1`. Two stages run in
    /// pairs of steps; three step one value at a time (see [`Ema`]).
    pub fn new(period: usize, stages: usize) -> Result<Self> {
        let make = |_| Ema::new(period).map(|e| if stages == 2 { e.in_pairs() } else { e });
        let emas = (0..stages).map(make).collect::<Result<_>>()?;
        Ok(Self { period, emas, seen: 0 })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        self.emas.len() * (self.period - 1)
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let i = self.seen;
        self.seen += 1;
        if self.period == 1 {
            return v;
        }
        let w = self.period - 1;
        let mut values = [f64::NAN; 3];
        let mut input = v;
        for (k, ema) in self.emas.iter_mut().enumerate() {
            // Stage k starts when stage k - 1 produced its first value.
            if i < k * w {
                break;
            }
            input = ema.step(input);
            values[k] = input;
        }
        if i < self.lookback() {
            return f64::NAN;
        }
        match self.emas.len() {
            2 => (values[0] + values[0]) - values[1],
            _ => (values[0] * 3.0 - values[1] * 3.0) + values[2],
        }
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.emas.iter_mut().for_each(crate::indicators::Indicator::reset);
        self.seen = 0;
    }

    /// Consumes a chunk into `out` (same length). Once every stage is
    /// seeded the stages run in one loop on local values, with the same
    /// operations as [`MultiEma::step`].
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        let n = x.len().min(out.len());
        let mut i = 0;
        let steady = |e: &Ema| e.running().is_some() || e.seeded().is_some();
        while i < n && !self.emas.iter().all(steady) {
            out[i] = self.step(x[i]);
            i += 1;
        }
        if i == n || self.period == 1 {
            for (o, &v) in out[i..].iter_mut().zip(&x[i..]) {
                *o = self.step(v);
            }
            return;
        }
        if let [first, second, third] = &mut self.emas[..] {
            let (mut e0, k) = first.seeded().expect("seeded");
            let (mut e1, _) = second.seeded().expect("seeded");
            let (mut e2, _) = third.seeded().expect("seeded");
            for (o, &v) in out[i..n].iter_mut().zip(&x[i..n]) {
                e0 = fp::ema(e0, v, k);
                e1 = fp::ema(e1, e0, k);
                e2 = fp::ema(e2, e1, k);
                *o = (e0 * 3.0 - e1 * 3.0) + e2;
            }
            first.advance(e0, n - i);
            second.advance(e1, n - i);
            third.advance(e2, n - i);
        } else {
            let mut r0 = self.emas[0].running().expect("paired");
            let mut r1 = self.emas[1].running().expect("paired");
            for (o, &v) in out[i..n].iter_mut().zip(&x[i..n]) {
                let e0 = r0.next(v);
                let e1 = r1.next(e0);
                *o = (e0 + e0) - e1;
            }
            self.emas[0].resume(r0, n - i);
            self.emas[1].resume(r1, n - i);
        }
        self.seen += n - i;
    }
}

/// Applies the same expression to whichever average an [`Ma`] holds.
macro_rules! each_ma {
    ($ma:expr, $m:ident => $e:expr) => {
        match $ma {
            Ma::Sma($m) => $e,
            Ma::Ema($m) => $e,
            Ma::Wma($m) => $e,
            Ma::Multi($m) => $e,
            Ma::Trima($m) => $e,
            Ma::Kama($m) => $e,
            Ma::T3($m) => $e,
            Ma::Hma($m) => $e,
            Ma::Identity($m) => $e,
            Ma::Zlema($m) => $e,
            Ma::Rma($m) => $e,
            Ma::Mama($m) => $e,
        }
    };
}

/// Any of TA-Lib's moving averages.
#[derive(Clone, Debug)]
pub enum Ma {
    /// SMA.
    Sma(Sma),
    /// EMA.
    Ema(Ema),
    /// WMA.
    Wma(Wma),
    /// DEMA or TEMA.
    Multi(MultiEma),
    /// TRIMA.
    Trima(Trima),
    /// KAMA.
    Kama(Kama),
    /// T3.
    T3(T3),
    /// HMA.
    Hma(Hma),
    /// No averaging.
    Identity(Identity),
    /// ZLEMA.
    Zlema(Zlema),
    /// RMA.
    Rma(Rma),
    /// MAMA's `mama` line.
    Mama(Box<MamaAverage>),
}

/// MAMA as a moving average (`matype` 7): the `mama` line of
/// `MAMA(0.5, 0.05)`, as TA-Lib's MA computes it.
#[derive(Clone, Debug)]
pub struct MamaAverage(Mama);

impl MamaAverage {
    /// Lookback [`MAMA_LOOKBACK`](super::MAMA_LOOKBACK).
    pub fn lookback(&self) -> usize {
        self.0.lookback()
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        self.0.step(v).0
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        self.0.reset()
    }
}

/// The identity "average" (`matype` 10): each value passes through.
#[derive(Clone, Copy, Debug, Default)]
pub struct Identity;

impl Identity {
    /// Lookback 0.
    pub fn lookback(&self) -> usize {
        0
    }

    /// Returns `v`.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        v
    }

    /// Nothing to forget.
    pub fn reset(&mut self) {}
}

impl Ma {
    /// A moving average of the given type over `period >= 1` values.
    pub fn new(period: usize, matype: MaType) -> Result<Self> {
        Ok(match matype {
            MaType::Sma => Ma::Sma(Sma::new(period)?),
            MaType::Ema => Ma::Ema(Ema::new(period)?.in_pairs()),
            MaType::Wma => Ma::Wma(Wma::new(period)?),
            MaType::Dema => Ma::Multi(MultiEma::new(period, 2)?),
            MaType::Tema => Ma::Multi(MultiEma::new(period, 3)?),
            MaType::Trima => Ma::Trima(Trima::new(period)?),
            MaType::Kama => Ma::Kama(Kama::new(period)?),
            MaType::T3 => Ma::T3(T3::new(period, 0.7)?),
            MaType::Hma => Ma::Hma(Hma::new(period)?),
            MaType::Identity => Ma::Identity(Identity),
            MaType::Zlema => Ma::Zlema(Zlema::new(period)?),
            MaType::Rma => Ma::Rma(Rma::new(period)?),
            // TA-Lib's MA copies the input for period 1, whatever the type.
            MaType::Mama if period == 1 => Ma::Identity(Identity),
            MaType::Mama => Ma::Mama(Box::new(MamaAverage(Mama::new(0.5, 0.05)?))),
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        each_ma!(self, m => m.step(v))
    }

    /// Consumes a chunk into `out` (same length): one loop per average
    /// type, so the type is matched once per chunk rather than per value.
    #[inline(always)]
    pub fn update_chunk(&mut self, x: &[f64], out: &mut [f64]) {
        match self {
            Ma::Multi(m) => return m.update_chunk(x, out),
            Ma::Sma(m) => return m.update_chunk(x, out),
            Ma::Ema(m) => return m.update_chunk(x, out),
            Ma::Wma(m) => return m.update_chunk(x, out),
            Ma::Trima(m) => return m.update_chunk(x, out),
            Ma::Zlema(m) => return m.update_chunk(x, out),
            Ma::Kama(m) => return m.update_chunk(x, out),
            Ma::T3(m) => return m.update_chunk(x, out),
            Ma::Hma(m) => return m.update_chunk(x, out),
            Ma::Rma(m) => return m.update_chunk(x, out),
            _ => {}
        }
        each_ma!(self, m => {
            for (o, &v) in out.iter_mut().zip(x) {
                *o = m.step(v);
            }
        })
    }

    /// Lookback.
    pub fn lookback(&self) -> usize {
        use crate::indicators::Indicator;
        each_ma!(self, m => m.lookback())
    }

    /// Forgets everything.
    pub fn reset(&mut self) {
        use crate::indicators::Indicator;
        each_ma!(self, m => m.reset())
    }
}

/// Runs any moving average as an [`Indicator`](crate::indicators::Indicator).
#[derive(Clone, Debug)]
pub struct MaIndicator(pub Ma);

impl crate::indicators::Indicator for MaIndicator {
    fn lookback(&self) -> usize {
        self.0.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        crate::indicators::check_shapes(inputs, outputs, 1, 1);
        let ma = &mut self.0;
        super::super::fp::run_kernel(&mut MaKernel(ma), inputs, outputs);
    }

    fn reset(&mut self) {
        self.0.reset();
    }
}

struct MaKernel<'a>(&'a mut Ma);

impl super::super::fp::Kernel for MaKernel<'_> {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.0.update_chunk(inputs[0], outputs[0]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    fn run(ma: &mut Ma, x: &[f64]) -> Vec<f64> {
        x.iter().map(|&v| ma.step(v)).collect()
    }

    #[test]
    fn weighted_and_triangular_averages_of_a_ramp() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let wma = run(&mut Ma::new(3, MaType::Wma).unwrap(), &x);
        assert_eq!(wma[2], 14.0 / 6.0);
        assert_eq!(wma[3], 20.0 / 6.0);
        let trima = run(&mut Ma::new(3, MaType::Trima).unwrap(), &x);
        assert_eq!(trima[2], 2.0);
        assert_eq!(trima[3], 3.0);
    }

    #[test]
    fn every_average_of_a_constant_is_the_constant_after_its_lookback() {
        let x = vec![7.25; 200];
        for t in [
            MaType::Sma,
            MaType::Ema,
            MaType::Wma,
            MaType::Dema,
            MaType::Tema,
            MaType::Trima,
            MaType::Kama,
            MaType::T3,
            MaType::Hma,
            MaType::Identity,
            MaType::Zlema,
            MaType::Rma,
        ] {
            let mut ma = Ma::new(6, t).unwrap();
            let lb = ma.lookback();
            let out = run(&mut ma, &x);
            assert!(out[..lb].iter().all(|v| v.is_nan()), "{t:?} lookback {lb}");
            assert!(
                out[lb..].iter().all(|v| (v - 7.25).abs() < 1e-12),
                "{t:?}: {:?}",
                &out[lb..lb + 3]
            );
        }
    }

    #[test]
    fn period_one_copies_the_input() {
        let x = walk(50, 17);
        for t in [
            MaType::Wma,
            MaType::Dema,
            MaType::Tema,
            MaType::Trima,
            MaType::Kama,
            MaType::T3,
            MaType::Hma,
            MaType::Identity,
            MaType::Zlema,
            MaType::Rma,
        ] {
            assert_eq!(run(&mut Ma::new(1, t).unwrap(), &x), x, "{t:?}");
        }
    }

    #[test]
    fn every_average_is_chunk_invariant() {
        // Long enough for WMA's periodic recomputation (every 8 p outputs).
        let x = walk(700, 18);
        for t in [
            MaType::Wma,
            MaType::Dema,
            MaType::Tema,
            MaType::Trima,
            MaType::Kama,
            MaType::T3,
        ] {
            for p in [2, 5, 14] {
                assert_chunk_invariant(
                    &|| Box::new(MaIndicator(Ma::new(p, t).unwrap())),
                    &[&x],
                    1,
                    &[1, 7, 100],
                );
            }
        }
    }

    #[test]
    fn mama_is_reported_as_not_implemented() {
        assert_eq!(MaType::from_code(7).unwrap(), MaType::Mama);
    }

    #[test]
    fn code_11_is_the_callers_default_and_14_is_out_of_range() {
        assert_eq!(MaType::from_code(11).unwrap(), MaType::Sma);
        assert_eq!(MaType::from_code_or(11, MaType::Rma).unwrap(), MaType::Rma);
        assert_eq!(MaType::from_code_or(13, MaType::Ema).unwrap(), MaType::Rma);
        assert!(MaType::from_code(14).unwrap_err().to_string().contains("0..=13"));
    }
}
