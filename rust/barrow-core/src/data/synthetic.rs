//! Seeded synthetic OHLCV bars for many symbols.
//!
//! Log returns follow a GARCH(1,1) process (`σ²ₜ = ω + α·r²ₜ₋₁ + β·σ²ₜ₋₁`),
//! which gives the volatility clustering of real prices. Each bar opens near
//! the previous close, high and low extend beyond open and close by a random
//! fraction of the day's volatility, and volume rises with the absolute
//! return. Timestamps are business days (Monday to Friday) at midnight UTC,
//! in microseconds. Symbol `i` draws from its own stream, so a symbol's bars
//! do not depend on how many symbols are generated.

use std::sync::Arc;

use arrow_array::{Float64Array, RecordBatch, StringArray, TimestampMicrosecondArray};
use arrow_schema::{DataType, Field, Schema, TimeUnit};

use super::rng::SplitMix64;
use crate::error::{BarrowError, Result};

/// What to generate.
#[derive(Clone, Debug)]
pub struct SyntheticConfig {
    /// Number of symbols (`SYM0000`, `SYM0001`, ...).
    pub symbols: usize,
    /// Bars per symbol.
    pub bars: usize,
    /// Seed of the whole data set.
    pub seed: u64,
    /// First day, as days since 1970-01-01 (moved forward to a weekday).
    pub start_day: i64,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        Self {
            symbols: 10,
            bars: 2520,
            seed: 42,
            // 2015-01-02
            start_day: 16_437,
        }
    }
}

/// Schema of generated bars.
pub fn ohlcv_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("symbol", DataType::Utf8, false),
        Field::new(
            "timestamp",
            DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
            false,
        ),
        Field::new("open", DataType::Float64, false),
        Field::new("high", DataType::Float64, false),
        Field::new("low", DataType::Float64, false),
        Field::new("close", DataType::Float64, false),
        Field::new("volume", DataType::Float64, false),
    ]))
}

fn is_weekday(day: i64) -> bool {
    // 1970-01-01 was a Thursday (weekday index 3 with Monday = 0).
    (day + 3).rem_euclid(7) < 5
}

/// Generates bars sorted by (symbol, timestamp) in one record batch.
pub fn generate_ohlcv(cfg: &SyntheticConfig) -> Result<RecordBatch> {
    if cfg.symbols == 0 || cfg.bars == 0 {
        return Err(BarrowError::bad_param(
            "symbols/bars",
            format!("{}/{}", cfg.symbols, cfg.bars),
            "both must be >= 1",
        ));
    }
    let mut days = Vec::with_capacity(cfg.bars);
    let mut day = cfg.start_day;
    while days.len() < cfg.bars {
        if is_weekday(day) {
            days.push(day * 86_400_000_000);
        }
        day += 1;
    }
    let n = cfg.symbols * cfg.bars;
    let mut sym = Vec::with_capacity(n);
    let mut ts = Vec::with_capacity(n);
    let (mut open, mut high, mut low, mut close, mut volume) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for s in 0..cfg.symbols {
        let mut rng = SplitMix64::new(cfg.seed ^ (s as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        let name = format!("SYM{s:04}");
        let drift = 0.0002 + 0.0003 * (rng.next_f64() - 0.5);
        let long_var = (0.01 + 0.015 * rng.next_f64()).powi(2);
        let (alpha, beta) = (0.08, 0.90);
        let omega = long_var * (1.0 - alpha - beta);
        let mut var = long_var;
        let mut last_ret: f64 = 0.0;
        let mut prev_close = 20.0 + 180.0 * rng.next_f64();
        let base_volume = 1e5 + 5e6 * rng.next_f64();
        for &t in &days {
            var = omega + alpha * last_ret * last_ret + beta * var;
            let sigma = var.sqrt();
            let ret = drift + sigma * rng.normal();
            let o = prev_close * (0.2 * sigma * rng.normal()).exp();
            let c = prev_close * ret.exp();
            let h = o.max(c) * (0.5 * sigma * rng.normal().abs()).exp();
            let l = o.min(c) * (-0.5 * sigma * rng.normal().abs()).exp();
            let v = (base_volume * (1.0 + ret.abs() / sigma) * (0.3 * rng.normal()).exp())
                .round()
                .max(1.0);
            sym.push(name.clone());
            ts.push(t);
            open.push(o);
            high.push(h);
            low.push(l);
            close.push(c);
            volume.push(v);
            prev_close = c;
            last_ret = ret - drift;
        }
    }
    Ok(RecordBatch::try_new(
        ohlcv_schema(),
        vec![
            Arc::new(StringArray::from(sym)),
            Arc::new(TimestampMicrosecondArray::from(ts).with_timezone("UTC")),
            Arc::new(Float64Array::from(open)),
            Arc::new(Float64Array::from(high)),
            Arc::new(Float64Array::from(low)),
            Arc::new(Float64Array::from(close)),
            Arc::new(Float64Array::from(volume)),
        ],
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, TimestampMicrosecondType};

    #[test]
    fn bars_are_consistent_and_deterministic() {
        let cfg = SyntheticConfig {
            symbols: 3,
            bars: 500,
            ..Default::default()
        };
        let a = generate_ohlcv(&cfg).unwrap();
        let b = generate_ohlcv(&cfg).unwrap();
        assert_eq!(a, b);
        let col = |i: usize| a.column(i).as_primitive::<Float64Type>().values().to_vec();
        let (o, h, l, c, v) = (col(2), col(3), col(4), col(5), col(6));
        for i in 0..a.num_rows() {
            assert!(h[i] >= o[i].max(c[i]) && l[i] <= o[i].min(c[i]) && l[i] > 0.0 && v[i] > 0.0);
        }
        let ts = a.column(1).as_primitive::<TimestampMicrosecondType>().values();
        for &t in ts.iter() {
            assert!(is_weekday(t / 86_400_000_000));
        }
    }

    #[test]
    fn a_symbol_does_not_depend_on_the_symbol_count() {
        let small = generate_ohlcv(&SyntheticConfig {
            symbols: 1,
            bars: 50,
            ..Default::default()
        })
        .unwrap();
        let big = generate_ohlcv(&SyntheticConfig {
            symbols: 4,
            bars: 50,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(small, big.slice(0, 50));
    }

    #[test]
    fn returns_cluster_in_volatility() {
        let a = generate_ohlcv(&SyntheticConfig {
            symbols: 1,
            bars: 5000,
            ..Default::default()
        })
        .unwrap();
        let c = a.column(5).as_primitive::<Float64Type>().values();
        let r: Vec<f64> = c.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
        let m = r.iter().sum::<f64>() / r.len() as f64;
        let sq: Vec<f64> = r.iter().map(|x| (x - m).powi(2)).collect();
        let ms = sq.iter().sum::<f64>() / sq.len() as f64;
        let cov: f64 = sq.windows(2).map(|w| (w[0] - ms) * (w[1] - ms)).sum::<f64>();
        let var: f64 = sq.iter().map(|x| (x - ms).powi(2)).sum::<f64>();
        assert!(
            cov / var > 0.02,
            "squared returns should be autocorrelated: {}",
            cov / var
        );
    }
}
