//! AD — Chaikin accumulation/distribution line.
//!
//! `ad += ((close - low) - (high - close)) / (high - low) * volume` for bars
//! with a positive range; lookback 0.

use super::super::{check_shapes, Indicator};

/// Streaming A/D line; inputs are (high, low, close, volume).
#[derive(Clone, Debug, Default)]
pub struct Ad {
    /// The line's current value (read and advanced by ADOSC's fused loop).
    pub(super) ad: f64,
}

impl Ad {
    /// A fresh A/D line.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, high: f64, low: f64, close: f64, volume: f64) -> f64 {
        self.ad = accumulate(self.ad, high, low, close, volume);
        self.ad
    }
}

/// The line `ad` moved by one bar's money flow (unchanged on a bar without
/// a positive range).
#[inline(always)]
pub(super) fn accumulate(ad: f64, high: f64, low: f64, close: f64, volume: f64) -> f64 {
    let range = high - low;
    if range > 0.0 {
        ad + (((close - low) - (high - close)) / range) * volume
    } else {
        ad
    }
}

/// The bar's term of [`accumulate`] as a value: +0 without a positive
/// range, which added to the line leaves it as it is (the line starts at +0
/// and a sum is -0 only if both terms are), so the division can run ahead
/// of the line's chain.
#[inline(always)]
pub(super) fn flow_or_zero(high: f64, low: f64, close: f64, volume: f64) -> f64 {
    let range = high - low;
    let flow = (((close - low) - (high - close)) / range) * volume;
    if range > 0.0 {
        flow
    } else {
        0.0
    }
}

impl Indicator for Ad {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 4, 1);
        let (h, l, c, v) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        // `step` with the running value in a local.
        let mut ad = self.ad;
        for (j, o) in outputs[0].iter_mut().enumerate() {
            ad = accumulate(ad, h[j], l[j], c[j], v[j]);
            *o = ad;
        }
        self.ad = ad;
    }

    fn reset(&mut self) {
        self.ad = 0.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ad_accumulates_money_flow() {
        let mut a = Ad::new();
        assert_eq!(a.step(10.0, 8.0, 10.0, 100.0), 100.0);
        assert_eq!(a.step(10.0, 8.0, 8.0, 50.0), 50.0);
        assert_eq!(a.step(9.0, 9.0, 9.0, 50.0), 50.0);
    }
}
