//! KDJ — the slow stochastic with a J line.
//!
//! K and D are STOCH's slow %K and slow %D (see [`Stochastic`]; TA-Lib 0.8
//! smooths both with Wilder's RMA by default, and `matype` 11 means RMA
//! here), and `J = 3 K - 2 D`. Lookback as STOCH's.

use super::super::overlap::MaType;
use super::super::Indicator;
use super::Stochastic;
use crate::error::Result;

/// Streaming KDJ; inputs are (high, low, close), outputs (k, d, j).
pub struct Kdj {
    stoch: Stochastic,
    params: (usize, usize, MaType, usize, MaType),
}

impl Kdj {
    /// KDJ over a raw %K of `k` bars, smoothed over `sk` bars (type
    /// `sk_type`) for K and `sd` bars (type `sd_type`) for D.
    pub fn new(k: usize, sk: usize, sk_type: MaType, sd: usize, sd_type: MaType) -> Result<Self> {
        Ok(Self {
            stoch: Stochastic::slow(k, sk, sk_type, sd, sd_type)?,
            params: (k, sk, sk_type, sd, sd_type),
        })
    }
}

impl Indicator for Kdj {
    fn lookback(&self) -> usize {
        self.stoch.lookback()
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        super::super::check_shapes(inputs, outputs, 3, 3);
        let (kd, j) = outputs.split_at_mut(2);
        self.stoch.update(inputs, kd);
        for (o, (&k, &d)) in j[0].iter_mut().zip(kd[0].iter().zip(kd[1].iter())) {
            *o = 3.0 * k - 2.0 * d;
        }
    }

    fn reset(&mut self) {
        let (k, sk, skt, sd, sdt) = self.params;
        self.stoch = Stochastic::slow(k, sk, skt, sd, sdt).expect("valid parameters");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn j_is_three_k_minus_two_d() {
        let c = walk(200, 81);
        let h: Vec<f64> = c.iter().map(|x| x * 1.01).collect();
        let l: Vec<f64> = c.iter().map(|x| x * 0.99).collect();
        let mut kdj = Kdj::new(9, 3, MaType::Rma, 3, MaType::Rma).unwrap();
        assert_eq!(kdj.lookback(), 12);
        let out = run(&mut kdj, &[&h, &l, &c], 3);
        assert!(out[2][..12].iter().all(|v| v.is_nan()));
        assert_eq!(out[2][50], 3.0 * out[0][50] - 2.0 * out[1][50]);
        assert_chunk_invariant(
            &|| Box::new(Kdj::new(9, 3, MaType::Rma, 3, MaType::Ema).unwrap()),
            &[&h, &l, &c],
            3,
            &[1, 8, 70],
        );
    }
}
