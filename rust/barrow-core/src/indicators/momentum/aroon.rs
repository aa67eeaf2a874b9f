//! AROON and AROONOSC.
//!
//! Over the last `p + 1` bars, the bars since the highest high and since the
//! lowest low (the latest one on ties, as TA-Lib scans): `aroonup =
//! (100 / p) · (p - bars since high)`, `aroondown` likewise for the low, and
//! `AROONOSC = (100 / p) · (index of high - index of low)`. Lookback `p`.

use super::super::overlap::{any_value, History};
use super::super::{check_shapes, Indicator};
use crate::error::{BarrowError, Result};

/// Index-tracked extreme with TA-Lib's tie rule (ties move to the latest).
#[derive(Clone, Debug)]
struct Latest {
    values: History,
    index: Option<usize>,
    best: f64,
    high: bool,
}

impl Latest {
    #[inline(always)]
    fn push(&mut self, today: usize, trailing: usize, v: f64) -> usize {
        self.values.put(today, v);
        let ok = |x: f64, best: f64, high: bool| if high { x >= best } else { x <= best };
        match self.index {
            Some(i) if i >= trailing => {
                if ok(v, self.best, self.high) {
                    self.index = Some(today);
                    self.best = v;
                }
            }
            _ => {
                let mut index = trailing;
                let mut best = self.values.get(trailing);
                for i in trailing + 1..=today {
                    let x = self.values.get(i);
                    if ok(x, best, self.high) {
                        index = i;
                        best = x;
                    }
                }
                self.index = Some(index);
                self.best = best;
            }
        }
        self.index.expect("set above")
    }
}

/// Streaming AROON (outputs aroondown, aroonup) or AROONOSC (`osc`).
#[derive(Clone, Debug)]
pub struct Aroon {
    period: usize,
    factor: f64,
    osc: bool,
    seen: usize,
    highs: Latest,
    lows: Latest,
}

impl Aroon {
    /// AROON (or AROONOSC when `osc`) over `period >= 2` bars.
    pub fn new(period: usize, osc: bool) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        let tracker = |high| Latest {
            values: History::new(period + 1),
            index: None,
            best: 0.0,
            high,
        };
        Ok(Self {
            period,
            factor: 100.0 / period as f64,
            osc,
            seen: 0,
            highs: tracker(true),
            lows: tracker(false),
        })
    }

    #[inline(always)]
    fn step(&mut self, high: f64, low: f64) -> (f64, f64) {
        let today = self.seen;
        self.seen += 1;
        let p = self.period;
        if today < p {
            self.highs.values.put(today, high);
            self.lows.values.put(today, low);
            return (f64::NAN, f64::NAN);
        }
        let trailing = today - p;
        let li = self.lows.push(today, trailing, low);
        let hi = self.highs.push(today, trailing, high);
        if self.osc {
            (self.factor * (hi as f64 - li as f64), f64::NAN)
        } else {
            let pf = p as f64;
            (
                self.factor * (pf - (today - li) as f64),
                self.factor * (pf - (today - hi) as f64),
            )
        }
    }
}

impl Indicator for Aroon {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n_out = if self.osc { 1 } else { 2 };
        check_shapes(inputs, outputs, 2, n_out);
        let (highs, lows) = (inputs[0], &inputs[1][..inputs[0].len()]);
        let n = highs.len();
        let p = self.period;
        // Bars whose window starts in an earlier chunk, and every bar of a
        // chunk holding a NaN, go through `step` (TA-Lib's scan).
        let start = self.seen;
        let nan = |x: &[f64]| any_value(x, f64::is_nan);
        let head = if nan(highs) || nan(lows) { n } else { p.min(n) };
        for i in 0..head {
            let (a, b) = self.step(highs[i], lows[i]);
            outputs[0][i] = a;
            if !self.osc {
                outputs[1][i] = b;
            }
        }
        if head == n {
            return;
        }
        // The rest, NaN-free with windows inside the chunk, by blocks: in a
        // window without NaN the scan's index is the latest extreme, which
        // is what `latest_extremes` finds.
        let (pf, factor) = (p as f64, self.factor);
        let (mut hi, mut li) = (0, 0);
        if self.osc {
            let out = &mut *outputs[0];
            latest_extremes(highs, lows, p + 1, |e, h, l| {
                out[e] = factor * (h as i64 - l as i64) as f64;
                (hi, li) = (h, l);
            });
        } else {
            let [down, up] = outputs else {
                unreachable!("two outputs")
            };
            latest_extremes(highs, lows, p + 1, |e, h, l| {
                // Bar counts below 2^53 convert exactly, as in `step`.
                down[e] = factor * (pf - (e - l) as i64 as f64);
                up[e] = factor * (pf - (e - h) as i64 as f64);
                (hi, li) = (h, l);
            });
        }
        // Leave the scan's state as it is after the chunk's last bar.
        for i in n - p - 1..n {
            self.highs.values.put(start + i, highs[i]);
            self.lows.values.put(start + i, lows[i]);
        }
        (self.highs.index, self.highs.best) = (Some(start + hi), highs[hi]);
        (self.lows.index, self.lows.best) = (Some(start + li), lows[li]);
        self.seen = start + n;
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.osc).expect("valid period");
    }
}

/// For each window of `w` bars (ending at `e = w - 1 .. highs.len()`),
/// `emit(e, high index, low index)` with the indices of its latest highest
/// high and latest lowest low, by van Herk–Gil-Werman blocks: extremes
/// running forward (prefixes) and backward (suffixes) in blocks of `w`, so
/// every window is one suffix and one prefix. The extremes' values run as
/// `max`/`min` chains and their indices follow by selects, with no branch
/// on the data. The inputs must hold no NaN.
fn latest_extremes(highs: &[f64], lows: &[f64], w: usize, mut emit: impl FnMut(usize, usize, usize)) {
    const TILE: usize = 2048;
    let n = highs.len();
    if n < w {
        return;
    }
    let sel = std::hint::select_unpredictable::<usize>;
    let mx = |a: f64, b: f64| if a > b { a } else { b };
    let mn = |a: f64, b: f64| if a < b { a } else { b };
    let mut pre = vec![(0usize, 0usize); TILE + w];
    let mut suf = vec![(0usize, 0usize); TILE + w];
    let mut e0 = w - 1;
    while e0 < n {
        let e1 = (e0 + TILE).min(n);
        let base = e0 + 1 - w;
        let (hs, ls) = (&highs[base..e1], &lows[base..e1]);
        let len = hs.len();
        let (pre, suf) = (&mut pre[..len], &mut suf[..len]);
        for b in (0..len).step_by(w) {
            let end = (b + w).min(len);
            // Forward: a tie goes to the later bar.
            let (mut hi, mut hv, mut li, mut lv) = (b, hs[b], b, ls[b]);
            pre[b] = (b, b);
            for k in b + 1..end {
                let (h, l) = (hs[k], ls[k]);
                hi = sel(h >= hv, k, hi);
                li = sel(l <= lv, k, li);
                (hv, lv) = (mx(h, hv), mn(l, lv));
                pre[k] = (hi, li);
            }
            // Backward: the earlier bar needs to be strictly beyond.
            let (mut hi, mut hv, mut li, mut lv) = (end - 1, hs[end - 1], end - 1, ls[end - 1]);
            suf[end - 1] = (hi, li);
            for k in (b..end - 1).rev() {
                let (h, l) = (hs[k], ls[k]);
                hi = sel(h > hv, k, hi);
                li = sel(l < lv, k, li);
                (hv, lv) = (mx(h, hv), mn(l, lv));
                suf[k] = (hi, li);
            }
        }
        for e in w - 1..len {
            let ((sh, sl), (ph, pl)) = (suf[e + 1 - w], pre[e]);
            emit(
                base + e,
                base + sel(hs[ph] >= hs[sh], ph, sh),
                base + sel(ls[pl] <= ls[sl], pl, sl),
            );
        }
        e0 = e1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn aroon_up_is_100_on_a_new_high() {
        let mut a = Aroon::new(2, false).unwrap();
        a.step(1.0, 1.0);
        a.step(2.0, 0.5);
        let (down, up) = a.step(3.0, 2.0);
        assert_eq!(up, 100.0);
        assert_eq!(down, 50.0);
    }

    #[test]
    fn aroon_is_chunk_invariant() {
        let c = walk(300, 24);
        let h: Vec<f64> = c.iter().map(|v| v * 1.01).collect();
        for osc in [false, true] {
            let n = if osc { 1 } else { 2 };
            assert_chunk_invariant(&|| Box::new(Aroon::new(14, osc).unwrap()), &[&h, &c], n, &[1, 9, 60]);
        }
    }

    #[test]
    fn the_block_path_gives_the_scans_bits_on_ties_and_nans() {
        // Whole-number prices tie often; one run has a NaN in the middle.
        let c: Vec<f64> = walk(900, 5).iter().map(|v| (v / 2.0).round()).collect();
        let mut gappy = c.clone();
        gappy[450] = f64::NAN;
        for x in [&c, &gappy] {
            let h: Vec<f64> = x.iter().map(|v| v + 1.0).collect();
            for osc in [false, true] {
                let n_out = if osc { 1 } else { 2 };
                let mut scan = Aroon::new(7, osc).unwrap();
                let bars: Vec<(f64, f64)> = h.iter().zip(x.iter()).map(|(&a, &b)| scan.step(a, b)).collect();
                let make = || Box::new(Aroon::new(7, osc).unwrap()) as Box<dyn Indicator>;
                let whole = crate::indicators::run(make().as_mut(), &[&h, x], n_out);
                for (i, &(a, b)) in bars.iter().enumerate() {
                    assert_eq!(whole[0][i].to_bits(), a.to_bits(), "bar {i}");
                    if !osc {
                        assert_eq!(whole[1][i].to_bits(), b.to_bits(), "bar {i}");
                    }
                }
                assert_chunk_invariant(&make, &[&h, x], n_out, &[1, 8, 100, 333]);
            }
        }
    }
}
