//! Candlestick pattern recognition: TA-Lib's 61 `CDL*` functions.
//!
//! Every pattern is a short rule over one shared streaming core
//! ([`Candles`]): a ring of recent bars and, per (candle setting, bar
//! offset) the rule averages, a running total of ranges over the bars before
//! that candle, kept as TA-Lib keeps it so that comparisons against
//! "long", "short", "near" ... averages give TA-Lib's answers bit for bit.
//! Outputs are TA-Lib's integer codes (0, ±80, ±100, ±200) as exact `f64`,
//! NaN during the lookback, or int32 (0 there) through
//! [`Indicator::update_i32`](crate::indicators::Indicator::update_i32).
//!
//! On real prices most of a rule's tests are coin tosses for the branch
//! predictor (is this candle white, is its body longer than the average),
//! so rules join their tests with `&`, without a branch per test, and
//! select the code. The few rules with many averages (each a division)
//! whose shape rarely holds test the shape first and branch once before
//! the averages (CDL3WHITESOLDIERS, ...). The tests are pure, so the order
//! and the joining change no output.
//!
//! Past its first bars a pattern runs in tiles of 256 bars: the running
//! totals first, in a loop of their own (the serial additions TA-Lib makes,
//! in its order), then the rule over the tile, which the compiler
//! vectorizes where the rule has no branch. The rules measured slower that
//! way (the hikkake pair, which carry memory across bars, and three more)
//! keep the rule in the totals loop ([`Pattern`]'s `fused`). On 1M
//! bars (Intel Xeon, `benches/bench_talib.py --only` the patterns) the 61
//! patterns went from a median of 0.49x TA-Lib's time, 47 at or below 0.7,
//! to 0.39-0.43x, 53-56 at or below 0.7.

mod candle;
mod double;
mod multi;
mod single;
mod triple;

pub(crate) use candle::{tile_totals, MAX_TOTALS, TILE};
pub use candle::{Candles, ChunkFn, CodeOut, CodesFn, Pattern};
pub use double::*;
pub use multi::*;
pub use single::*;
pub use triple::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};
    use crate::indicators::{functions, run, Indicator, SkipLeadingNan};

    /// OHLC bars with varied bodies, gaps and shadows (dojis from rounding).
    fn bars(n: usize, seed: u64) -> [Vec<f64>; 4] {
        let w = walk(n + 1, seed);
        let r = walk(n, seed + 1);
        let mut o = Vec::with_capacity(n);
        let mut h = Vec::with_capacity(n);
        let mut l = Vec::with_capacity(n);
        let mut c = Vec::with_capacity(n);
        for i in 0..n {
            let open = (w[i] * 10.0).round() / 10.0;
            let close = (w[i + 1] * 10.0).round() / 10.0;
            let wiggle = (r[i] - 100.0).abs() * 0.3;
            o.push(open);
            c.push(close);
            h.push(open.max(close) + ((wiggle * 10.0).round() / 10.0) * (i % 3 != 0) as u8 as f64);
            l.push(open.min(close) - ((wiggle * 7.0).round() / 10.0) * (i % 4 != 0) as u8 as f64);
        }
        [o, h, l, c]
    }

    #[test]
    fn every_pattern_is_chunk_invariant() {
        let [o, h, l, c] = bars(400, 7);
        for f in functions().iter().filter(|f| f.group == "Pattern Recognition") {
            let make = || f.build_with(&Default::default()).unwrap();
            assert_chunk_invariant(&make, &[&o, &h, &l, &c], 1, &[1, 3, 17, 50]);
        }
    }

    #[test]
    fn int32_codes_equal_the_float_outputs_in_any_chunking() {
        let [mut o, mut h, mut l, mut c] = bars(300, 11);
        // Leading NaNs are skipped (0 there), a later NaN gap propagates.
        for col in [&mut o, &mut h, &mut l, &mut c] {
            col[..3].fill(f64::NAN);
        }
        (o[150], c[151]) = (f64::NAN, f64::NAN);
        let inputs: [&[f64]; 4] = [&o, &h, &l, &c];
        for f in functions().iter().filter(|f| f.group == "Pattern Recognition") {
            let make = || SkipLeadingNan::new(f.build_with(&Default::default()).unwrap(), 1);
            let floats = run(&mut make(), &inputs, 1).remove(0);
            let want: Vec<i32> = floats.iter().map(|v| if v.is_nan() { 0 } else { *v as i32 }).collect();
            for size in [1, 7, 64, 300] {
                let mut ind = make();
                let mut got = vec![-1; 300];
                for start in (0..300).step_by(size) {
                    let end = (start + size).min(300);
                    let ins: Vec<&[f64]> = inputs.iter().map(|s| &s[start..end]).collect();
                    ind.update_i32(&ins, &mut got[start..end]);
                }
                assert_eq!(got, want, "{}: int32 codes differ (chunks of {size})", f.name);
            }
        }
    }

    #[test]
    fn lookbacks_are_talibs() {
        // talib.abstract.Function(name).lookback for TA-Lib's 61 patterns.
        let expected = [
            ("CDL2CROWS", 12),
            ("CDL3BLACKCROWS", 13),
            ("CDL3INSIDE", 12),
            ("CDL3LINESTRIKE", 8),
            ("CDL3OUTSIDE", 3),
            ("CDL3STARSINSOUTH", 12),
            ("CDL3WHITESOLDIERS", 12),
            ("CDLABANDONEDBABY", 12),
            ("CDLADVANCEBLOCK", 12),
            ("CDLBELTHOLD", 10),
            ("CDLBREAKAWAY", 14),
            ("CDLCLOSINGMARUBOZU", 10),
            ("CDLCONCEALBABYSWALL", 13),
            ("CDLCOUNTERATTACK", 11),
            ("CDLDARKCLOUDCOVER", 11),
            ("CDLDOJI", 10),
            ("CDLDOJISTAR", 11),
            ("CDLDRAGONFLYDOJI", 10),
            ("CDLENGULFING", 2),
            ("CDLEVENINGDOJISTAR", 12),
            ("CDLEVENINGSTAR", 12),
            ("CDLGAPSIDESIDEWHITE", 7),
            ("CDLGRAVESTONEDOJI", 10),
            ("CDLHAMMER", 11),
            ("CDLHANGINGMAN", 11),
            ("CDLHARAMI", 11),
            ("CDLHARAMICROSS", 11),
            ("CDLHIGHWAVE", 10),
            ("CDLHIKKAKE", 5),
            ("CDLHIKKAKEMOD", 10),
            ("CDLHOMINGPIGEON", 11),
            ("CDLIDENTICAL3CROWS", 12),
            ("CDLINNECK", 11),
            ("CDLINVERTEDHAMMER", 11),
            ("CDLKICKING", 11),
            ("CDLKICKINGBYLENGTH", 11),
            ("CDLLADDERBOTTOM", 14),
            ("CDLLONGLEGGEDDOJI", 10),
            ("CDLLONGLINE", 10),
            ("CDLMARUBOZU", 10),
            ("CDLMATCHINGLOW", 6),
            ("CDLMATHOLD", 14),
            ("CDLMORNINGDOJISTAR", 12),
            ("CDLMORNINGSTAR", 12),
            ("CDLONNECK", 11),
            ("CDLPIERCING", 11),
            ("CDLRICKSHAWMAN", 10),
            ("CDLRISEFALL3METHODS", 14),
            ("CDLSEPARATINGLINES", 11),
            ("CDLSHOOTINGSTAR", 11),
            ("CDLSHORTLINE", 10),
            ("CDLSPINNINGTOP", 10),
            ("CDLSTALLEDPATTERN", 12),
            ("CDLSTICKSANDWICH", 7),
            ("CDLTAKURI", 10),
            ("CDLTASUKIGAP", 7),
            ("CDLTHRUSTING", 11),
            ("CDLTRISTAR", 12),
            ("CDLUNIQUE3RIVER", 12),
            ("CDLUPSIDEGAP2CROWS", 12),
            ("CDLXSIDEGAP3METHODS", 2),
        ];
        let ours: Vec<_> = functions()
            .iter()
            .filter(|f| f.group == "Pattern Recognition")
            .collect();
        assert_eq!(ours.len(), expected.len());
        for (name, lookback) in expected {
            let f = ours
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("{name} missing"));
            let got = f.build_with(&Default::default()).unwrap().lookback();
            assert_eq!(got, lookback, "{name}: lookback {got}, TA-Lib {lookback}");
        }
    }

    #[test]
    fn doji_compares_body_with_a_tenth_of_the_prior_ranges() {
        // Ten bars of range 2 give a doji threshold of 0.2 for bar 10.
        let mut o = vec![10.0; 12];
        let mut c = vec![11.0; 12];
        let h = vec![12.0; 12];
        let l = vec![10.0; 12];
        (o[10], c[10]) = (11.0, 11.2);
        (o[11], c[11]) = (11.0, 11.25);
        let mut ind = Candles::new(&CDLDOJI, 0.0).unwrap();
        assert_eq!(ind.lookback(), 10);
        let out = run(&mut ind, &[&o, &h, &l, &c], 1);
        assert!(out[0][..10].iter().all(|v| v.is_nan()));
        assert_eq!(&out[0][10..], &[100.0, 0.0]);
    }

    #[test]
    fn hikkake_confirms_a_setup_seen_during_warm_up() {
        // Bar 3 is inside bar 2, bar 4 breaks down (setup +100, before the
        // first output), bar 5 closes above bar 3's high: confirmation +200.
        let h = [10.0, 10.0, 12.0, 11.0, 10.0, 12.0];
        let l = [0.0, 0.0, 0.0, 1.0, 0.5, 9.0];
        let o = [5.0, 5.0, 6.0, 6.0, 5.0, 10.0];
        let c = [5.0, 5.0, 6.0, 6.0, 5.0, 11.5];
        let out = run(&mut Candles::new(&CDLHIKKAKE, 0.0).unwrap(), &[&o, &h, &l, &c], 1);
        assert!(out[0][..5].iter().all(|v| v.is_nan()));
        assert_eq!(out[0][5], 200.0);
    }

    #[test]
    fn engulfing_scores_80_when_one_end_matches() {
        let o = [10.0, 9.0, 11.0];
        let c = [9.0, 11.0, 8.5];
        let h = [11.0, 11.5, 11.5];
        let l = [8.0, 8.0, 8.0];
        let out = run(&mut Candles::new(&CDLENGULFING, 0.0).unwrap(), &[&o, &h, &l, &c], 1);
        assert!(out[0][0].is_nan() && out[0][1].is_nan());
        assert_eq!(out[0][2], -80.0);
    }
}
