//! HA — Heikin-Ashi candles.
//!
//! `haclose = (o + h + l + c) / 4`; `haopen` starts at `(o + c) / 2` and is
//! then the mean of the previous candle's `haopen` and `haclose`;
//! `hahigh = max(h, haopen, haclose)`, `halow = min(l, haopen, haclose)`.
//! Lookback 0.

use super::super::{check_shapes, Indicator};

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
        let ha_close = (open + high + low + close) / 4.0;
        let ha_open = match self.prev {
            Some((o, c)) => (o + c) / 2.0,
            None => (open + close) / 2.0,
        };
        self.prev = Some((ha_open, ha_close));
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
}

impl Indicator for HeikinAshi {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 4);
        for i in 0..inputs[0].len() {
            let ha = self.step(inputs[0][i], inputs[1][i], inputs[2][i], inputs[3][i]);
            for (out, v) in outputs.iter_mut().zip(ha) {
                out[i] = v;
            }
        }
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
