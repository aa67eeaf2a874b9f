//! OBV — on-balance volume.
//!
//! Starts at the first bar's volume; each later bar adds its volume when
//! the price rose, subtracts it when the price fell. Lookback 0.

use super::super::{check_shapes, Indicator};

/// Streaming on-balance volume; inputs are (real, volume).
#[derive(Clone, Debug, Default)]
pub struct Obv {
    state: Option<(f64, f64)>,
}

impl Obv {
    /// A fresh OBV.
    pub fn new() -> Self {
        Self::default()
    }

    /// Consumes one bar.
    #[inline(always)]
    pub fn step(&mut self, price: f64, volume: f64) -> f64 {
        let obv = match self.state {
            None => volume,
            Some((obv, prev)) => moved(obv, prev, price, volume),
        };
        self.state = Some((obv, price));
        obv
    }
}

/// `obv` after a bar at `price` following one at `prev`: plus the volume
/// on a rise, minus it on a fall. Selects, not branches: up and down bars
/// alternate unpredictably, and a mispredicted branch per bar costs more
/// than both sums.
#[inline(always)]
fn moved(obv: f64, prev: f64, price: f64, volume: f64) -> f64 {
    let fell = std::hint::select_unpredictable(price < prev, obv - volume, obv);
    std::hint::select_unpredictable(price > prev, obv + volume, fell)
}

impl Indicator for Obv {
    fn lookback(&self) -> usize {
        0
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let n = check_shapes(inputs, outputs, 2, 1);
        let (price, volume, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        if n == 0 {
            return;
        }
        let mut start = 0;
        if self.state.is_none() {
            out[0] = self.step(price[0], volume[0]);
            start = 1;
        }
        let (mut obv, mut prev) = self.state.expect("set by the first bar");
        for i in start..n {
            obv = moved(obv, prev, price[i], volume[i]);
            prev = price[i];
            out[i] = obv;
        }
        self.state = Some((obv, prev));
    }

    fn reset(&mut self) {
        self.state = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obv_follows_the_direction_of_price() {
        let mut o = Obv::new();
        let out: Vec<f64> = [(1.0, 10.0), (2.0, 5.0), (1.5, 3.0), (1.5, 7.0)]
            .iter()
            .map(|&(p, v)| o.step(p, v))
            .collect();
        assert_eq!(out, vec![10.0, 15.0, 12.0, 12.0]);
    }
}
