//! HA — Heikin-Ashi candles.
//!
//! `haclose = (o + h + l + c) / 4`; `haopen` starts at `(o + c) / 2` and is
//! then the mean of the previous candle's `haopen` and `haclose`;
//! `hahigh = max(h, haopen, haclose)`, `halow = min(l, haopen, haclose)`.
//! Lookback 0.

use super::super::{check_shapes, fp, Indicator};

/// Streaming Heikin-Ashi; inputs are (open, high, low, close), outputs
/// (haopen, hahigh, halow, haclose).
#[derive(Clone, Debug, Default)]
pub struct HeikinAshi {
    prev: Option<(f64, f64)>,
}

impl HeikinAshi {
    /// A fresh transform.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, open: f64, high: f64, low: f64, close: f64) -> [f64; 4] {
        let ha_open = match self.prev {
            Some((o, c)) => (o + c) / 2.0,
            None => (open + close) / 2.0,
        };
        let ha = candle(ha_open, open, high, low, close);
        self.prev = Some((ha[0], ha[3]));
        ha
    }
}

/// The candle (haopen, hahigh, halow, haclose) of a bar given its haopen.
#[inline(always)]
fn candle(ha_open: f64, open: f64, high: f64, low: f64, close: f64) -> [f64; 4] {
    let ha_close = (open + high + low + close) / 4.0;
    let mut ha_high = high;
    let mut ha_low = low;
    for v in [ha_open, ha_close] {
        if v > ha_high {
            ha_high = v;
        }
        if v < ha_low {
            ha_low = v;
        }
    }
    [ha_open, ha_high, ha_low, ha_close]
}

impl Indicator for HeikinAshi {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 4);
        let n = inputs[0].len();
        if n == 0 {
            return;
        }
        let [o0, o1, o2, o3] = outputs else {
            unreachable!("four outputs")
        };
        let mut start = 0;
        if self.prev.is_none() {
            [o0[0], o1[0], o2[0], o3[0]] = self.step(inputs[0][0], inputs[1][0], inputs[2][0], inputs[3][0]);
            start = 1;
        }
        // The previous candle's open and close in locals (the only chain is
        // the open's), with the operations of `step`.
        let (mut po, mut pc) = self.prev.expect("set above");
        let bars = inputs[0][start..]
            .iter()
            .zip(&inputs[1][start..])
            .zip(&inputs[2][start..])
            .zip(&inputs[3][start..]);
        let outs = o0[start..]
            .iter_mut()
            .zip(&mut o1[start..])
            .zip(&mut o2[start..])
            .zip(&mut o3[start..]);
        for ((((&open, &high), &low), &close), (((ho, hh), hl), hc)) in bars.zip(outs) {
            let ha = candle((po + pc) / 2.0, open, high, low, close);
            // Scalars of their own: LLVM otherwise packs the open's chain
            // with the close's sum into one vector and shuffles every bar.
            (po, pc) = (fp::opaque(ha[0]), fp::opaque(ha[3]));
            [*ho, *hh, *hl, *hc] = ha;
        }
        self.prev = Some((po, pc));
    }

    fn reset(&mut self) {
        self.prev = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn heikin_ashi_opens_at_the_previous_candles_midpoint() {
        let mut ha = HeikinAshi::new();
        assert_eq!(ha.step(1.0, 4.0, 0.0, 3.0), [2.0, 4.0, 0.0, 2.0]);
        assert_eq!(ha.step(3.0, 9.0, 3.0, 9.0), [2.0, 9.0, 2.0, 6.0]);
    }

    #[test]
    fn heikin_ashi_is_chunk_invariant() {
        let c = walk(300, 62);
        let o: Vec<f64> = c.iter().map(|x| x * 0.999).collect();
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.98).collect();
        assert_chunk_invariant(&|| Box::new(HeikinAshi::new()), &[&o, &h, &l, &c], 4, &[1, 5, 66]);
    }
}
