//! CMF, EFI and RVOL — volume studies over a window.
//!
//! * CMF (Chaikin money flow, lookback `p - 1`): `sum(mfv) / sum(v)` over
//!   the last `p` bars, `mfv = ((c - l) - (h - c)) / (h - l) * v` (0 when
//!   `h - l` is not positive); each sum drops its trailing term before
//!   adding the new one, and the output is 0 when the volume sum is not
//!   positive.
//! * EFI (Elder's force index, lookback `p`): the EMA(p) (see [`Ema`]) of
//!   `(c - c_prev) * v`.
//! * RVOL (relative volume, lookback `p`): `v / SMA(v, p)` of the `p`
//!   previous bars, a plain division (NaN or inf on a zero average).

use super::super::overlap::{Ema, Sma};
use super::super::ring::Ring;
use super::super::{check_shapes, fp, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming Chaikin money flow; inputs are (high, low, close, volume).
#[derive(Clone, Debug)]
pub struct Cmf {
    period: usize,
    seen: usize,
    sum_flow: f64,
    sum_volume: f64,
    flows: Ring,
    volumes: Ring,
}

impl Cmf {
    /// A CMF over `period >= 2` bars.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            seen: 0,
            sum_flow: 0.0,
            sum_volume: 0.0,
            flows: Ring::new(period),
            volumes: Ring::new(period),
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        let flow = money_flow(high, low, close, volume);
        let old_flow = self.flows.swap(flow);
        let old_volume = self.volumes.swap(volume);
        if self.seen >= self.period {
            self.sum_flow -= old_flow;
            self.sum_volume -= old_volume;
        }
        self.sum_flow += flow;
        self.sum_volume += volume;
        self.seen += 1;
        if self.seen < self.period {
            f64::NAN
        } else if self.sum_volume > 0.0 {
            self.sum_flow / self.sum_volume
        } else {
            0.0
        }
    }
}

/// One bar's money flow.
#[inline(always)]
fn money_flow(high: f64, low: f64, close: f64, volume: f64) -> f64 {
    let range = high - low;
    let flow = (close - low - (high - close)) / range * volume;
    std::hint::select_unpredictable(range > 0.0, flow, 0.0)
}

impl Cmf {
    /// Bars `from..` of a chunk once the window is full, in blocks small
    /// enough to stay in L1, each in three passes: the flows (one division
    /// per bar), the two running sums (the chain of additions), then the
    /// ratios (a second division). The passes without a chain are
    /// element-wise, so their divisions run as vector instructions, which
    /// on some CPUs (AMD Zen 4) take a quarter of the time per value that
    /// scalar ones do; in one loop the scalar divisions set the pace there.
    /// The last `period` flows and volumes lead the block buffers, so the
    /// values leaving the window are read there instead of from the rings.
    #[inline(always)]
    fn run_steady(&mut self, inputs: &[&[f64]], out: &mut [f64], from: usize) {
        const B: usize = 128;
        let (high, low, close, volume) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        let n = out.len();
        let l = self.period;
        let mut flows = vec![0.0; l + B];
        let mut vols = vec![0.0; l + B];
        for ((f, v), (old_f, old_v)) in flows
            .iter_mut()
            .zip(vols.iter_mut())
            .zip(self.flows.iter().zip(self.volumes.iter()))
        {
            (*f, *v) = (old_f, old_v);
        }
        let mut sums_flow = [0.0; B];
        let mut sums_volume = [0.0; B];
        let (mut sum_flow, mut sum_volume) = (self.sum_flow, self.sum_volume);
        let mut i0 = from;
        while i0 < n {
            let len = B.min(n - i0);
            let r = i0..i0 + len;
            for ((((f, v), &h), (&lo, &c)), &vol) in flows[l..l + len]
                .iter_mut()
                .zip(vols[l..l + len].iter_mut())
                .zip(&high[r.clone()])
                .zip(low[r.clone()].iter().zip(&close[r.clone()]))
                .zip(&volume[r.clone()])
            {
                (*f, *v) = (money_flow(h, lo, c, vol), vol);
            }
            for (j, (sf, sv)) in sums_flow[..len].iter_mut().zip(&mut sums_volume[..len]).enumerate() {
                sum_flow = fp::opaque(sum_flow - flows[j]);
                sum_volume = fp::opaque(sum_volume - vols[j]);
                sum_flow += flows[l + j];
                sum_volume += vols[l + j];
                (*sf, *sv) = (sum_flow, sum_volume);
            }
            for (o, (&sf, &sv)) in out[r].iter_mut().zip(sums_flow[..len].iter().zip(&sums_volume[..len])) {
                *o = if sv > 0.0 { sf / sv } else { 0.0 };
            }
            flows.copy_within(len..len + l, 0);
            vols.copy_within(len..len + l, 0);
            i0 += len;
        }
        (self.sum_flow, self.sum_volume) = (sum_flow, sum_volume);
        self.seen += n - from;
        self.flows.load(&flows[..l]);
        self.volumes.load(&vols[..l]);
    }
}

impl fp::Kernel for Cmf {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let out = &mut *outputs[0];
        let n = out.len();
        let mut head = 0;
        while head < n && self.seen < self.period {
            out[head] = self.step(inputs[0][head], inputs[1][head], inputs[2][head], inputs[3][head]);
            head += 1;
        }
        if head < n {
            self.run_steady(inputs, out, head);
        }
    }
}

impl Indicator for Cmf {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period).expect("valid period");
    }
}

/// Streaming Elder force index; inputs are (close, volume).
#[derive(Clone, Debug)]
pub struct Efi {
    period: usize,
    prev: Option<f64>,
    ema: Ema,
}

impl Efi {
    /// An EFI smoothed over `period >= 1` bars.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            prev: None,
            ema: Ema::new(period)?.in_pairs(),
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    fn step(&mut self, c: f64, v: f64) -> f64 {
        match self.prev.replace(c) {
            Some(pc) => self.ema.step((c - pc) * v),
            None => f64::NAN,
        }
    }
}

struct EfiKernel<'a>(&'a mut Efi);

impl fp::Kernel for EfiKernel<'_> {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let e = &mut *self.0;
        let (close, volume, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let n = out.len();
        // Bar by bar until the average runs in pairs; then `step`'s
        // operations with the state in registers.
        let mut i = 0;
        while i < n && e.ema.running().is_none() {
            out[i] = e.step(close[i], volume[i]);
            i += 1;
        }
        let (Some(mut run), Some(mut pc)) = (e.ema.running(), e.prev) else {
            return;
        };
        for ((o, &c), &v) in out[i..].iter_mut().zip(&close[i..n]).zip(&volume[i..n]) {
            *o = run.next((c - pc) * v);
            pc = c;
        }
        e.prev = Some(pc);
        e.ema.resume(run, n - i);
    }
}

impl Indicator for Efi {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 2, 1);
        fp::run_kernel(&mut EfiKernel(self), inputs, outputs);
    }

    fn reset(&mut self) {
        self.prev = None;
        self.ema.reset();
    }
}

/// Turns `out`, the averages at each bar of `volume`, into each bar's
/// volume over the average before it (`prev` the one before the first, left
/// at the last), a block at a time so that the divisions vectorize.
#[inline(always)]
fn rvol_ratios(prev: &mut f64, volume: &[f64], out: &mut [f64]) {
    const BLOCK: usize = 32;
    fp::with_fma(
        #[inline(always)]
        || {
            for (o, v) in out.chunks_mut(BLOCK).zip(volume.chunks(BLOCK)) {
                let mut avg = [0.0; BLOCK];
                let m = o.len();
                avg[..m].copy_from_slice(o);
                o[0] = v[0] / *prev;
                for ((o, &v), &a) in o[1..].iter_mut().zip(&v[1..]).zip(&avg[..m - 1]) {
                    *o = v / a;
                }
                *prev = avg[m - 1];
            }
        },
    );
}

/// Streaming relative volume; input is the volume.
#[derive(Clone, Debug)]
pub struct Rvol {
    period: usize,
    average: Sma,
    prev_average: f64,
}

impl Rvol {
    /// RVOL against the average of the `period >= 1` previous bars.
    pub fn new(period: usize) -> Result<Self> {
        Ok(Self {
            period,
            average: Sma::new(period)?,
            prev_average: f64::NAN,
        })
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, volume: f64) -> f64 {
        let out = volume / self.prev_average;
        self.prev_average = self.average.step(volume);
        out
    }
}

impl Indicator for Rvol {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        // By tiles that stay in the first-level cache: the averages (the
        // SMA's own chunk loop), then each bar's volume over the average
        // before it, a block at a time so that the divisions vectorize:
        // `step`'s operations, in another order.
        const TILE: usize = 1024;
        let mut prev = self.prev_average;
        for (ot, xt) in out.chunks_mut(TILE).zip(x.chunks(TILE)) {
            self.average.update_chunk(xt, ot);
            rvol_ratios(&mut prev, xt, ot);
        }
        self.prev_average = prev;
    }

    fn reset(&mut self) {
        self.average.reset();
        self.prev_average = f64::NAN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, assert_split_invariant, walk};

    #[test]
    fn cmf_is_the_volume_weighted_close_location() {
        // Closes at the high give +1, at the low -1, weighted by volume.
        let (h, l) = ([2.0, 2.0, 2.0], [1.0, 1.0, 1.0]);
        let out = run(
            &mut Cmf::new(2).unwrap(),
            &[&h, &l, &[2.0, 1.0, 1.0], &[1.0, 3.0, 0.0]],
            1,
        );
        assert!(out[0][0].is_nan());
        assert_eq!(out[0][1..], [-0.5, -1.0]);
    }

    #[test]
    fn efi_and_rvol_start_after_a_full_window_of_changes() {
        let out = run(
            &mut Efi::new(2).unwrap(),
            &[&[1.0, 2.0, 4.0, 3.0], &[5.0, 1.0, 1.0, 2.0]],
            1,
        );
        assert!(out[0][..2].iter().all(|v| v.is_nan()));
        assert_eq!(out[0][2], 1.5);
        let out = run(&mut Rvol::new(2).unwrap(), &[&[2.0, 4.0, 6.0, 0.0]], 1);
        assert!(out[0][..2].iter().all(|v| v.is_nan()));
        assert_eq!(out[0][2..], [2.0, 0.0]);
    }

    #[test]
    fn flow_studies_are_chunk_invariant() {
        let c = walk(300, 53);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.98).collect();
        let v: Vec<f64> = walk(300, 54).iter().map(|x| (x * 100.0).round()).collect();
        let sizes = [1, 6, 64];
        assert_chunk_invariant(&|| Box::new(Cmf::new(10).unwrap()), &[&h, &l, &c, &v], 1, &sizes);
        assert_chunk_invariant(&|| Box::new(Efi::new(13).unwrap()), &[&c, &v], 1, &sizes);
        assert_chunk_invariant(&|| Box::new(Rvol::new(20).unwrap()), &[&v], 1, &sizes);
    }

    #[test]
    fn long_rvol_gives_the_same_bits_on_any_pool() {
        let n = crate::par::SPLIT_MIN * 2 + 777;
        let mut v: Vec<f64> = walk(n, 44).iter().map(|x| (x * 10.0).round()).collect();
        for p in [1, 20, 300] {
            assert_split_invariant(&|| Box::new(Rvol::new(p).unwrap()), &[&v], 1);
        }
        v[n / 3] = f64::NAN;
        v[n / 3 + 5000] = 0.0;
        assert_split_invariant(&|| Box::new(Rvol::new(20).unwrap()), &[&v], 1);
    }
}
