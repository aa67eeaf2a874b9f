//! Catalogue entries for the candlestick patterns (TA-Lib's "Pattern
//! Recognition" group): inputs (open, high, low, close), an optional
//! `penetration`, one `integer` output.

use super::super::fp;
use super::super::pattern::{self as p, tile_totals, Candles, ChunkFn, CodesFn, MAX_TOTALS, TILE};
use super::{FunctionInfo, ParamInfo, ParamKind, OHLC};

const fn penetration(default: f64) -> ParamInfo {
    ParamInfo {
        name: "penetration",
        kind: ParamKind::Float,
        default,
        min: 0.0,
        max: 3e37,
    }
}

/// One entry per pattern; `NAME(default)` adds a `penetration` parameter.
macro_rules! entries {
    ($($name:ident $(($pen:expr))?),* $(,)?) => {
        pub(super) static ENTRIES: &[FunctionInfo] = &[$(
            FunctionInfo {
                name: p::$name.name,
                group: "Pattern Recognition",
                doc: p::$name.doc,
                inputs: OHLC,
                params: &[$(penetration($pen))?],
                outputs: &["integer"],
                build: |params| {
                    // The pattern is a constant here, so its rule and
                    // averages compile into this pattern's own chunk loop,
                    // with FMA when the CPU has it (the rules that take
                    // TA-Lib's fused multiply-add then use the instruction
                    // instead of a library call at every bar).
                    // The running totals move in a loop of their own, out
                    // of line, with the pattern a constant there too (the
                    // FMA codegen test knows this function by its name).
                    #[inline(never)]
                    fn moved_totals(
                        _: &'static p::Pattern,
                        cols: [&[f64]; 4],
                        from: usize,
                        t: &mut [f64; MAX_TOTALS],
                        seen: &mut [[f64; TILE]; MAX_TOTALS],
                        len: usize,
                    ) {
                        tile_totals(&p::$name, cols, from, t, seen, len)
                    }
                    let chunk: ChunkFn = |s, cols, out| {
                        fp::with_fma(
                            #[inline(always)]
                            || s.run_chunk(&p::$name, moved_totals, cols, out),
                        )
                    };
                    let codes: CodesFn = |s, cols, out| {
                        fp::with_fma(
                            #[inline(always)]
                            || s.run_chunk(&p::$name, moved_totals, cols, out),
                        )
                    };
                    let pen = params.first().copied().unwrap_or(0.0);
                    Ok(Box::new(Candles::with_chunk(&p::$name, pen, chunk, codes)?))
                },
            }
        ),*];
    };
}

entries![
    CDL3LINESTRIKE,
    CDLCONCEALBABYSWALL,
    CDLBREAKAWAY,
    CDLLADDERBOTTOM,
    CDLMATHOLD(0.5),
    CDLRISEFALL3METHODS,
    CDLMORNINGDOJISTAR(0.3),
    CDLEVENINGDOJISTAR(0.3),
    CDLABANDONEDBABY(0.3),
    CDL2CROWS,
    CDLUPSIDEGAP2CROWS,
    CDL3INSIDE,
    CDL3OUTSIDE,
    CDL3STARSINSOUTH,
    CDLADVANCEBLOCK,
    CDLGAPSIDESIDEWHITE,
    CDLIDENTICAL3CROWS,
    CDLSTALLEDPATTERN,
    CDLSTICKSANDWICH,
    CDLTASUKIGAP,
    CDLTRISTAR,
    CDLUNIQUE3RIVER,
    CDLXSIDEGAP3METHODS,
    CDLHIKKAKE,
    CDLHIKKAKEMOD,
    CDLHARAMICROSS,
    CDLDOJISTAR,
    CDLPIERCING,
    CDLDARKCLOUDCOVER(0.5),
    CDLCOUNTERATTACK,
    CDLHOMINGPIGEON,
    CDLINNECK,
    CDLONNECK,
    CDLTHRUSTING,
    CDLKICKING,
    CDLKICKINGBYLENGTH,
    CDLMATCHINGLOW,
    CDLSEPARATINGLINES,
    CDLDRAGONFLYDOJI,
    CDLGRAVESTONEDOJI,
    CDLLONGLEGGEDDOJI,
    CDLRICKSHAWMAN,
    CDLHANGINGMAN,
    CDLINVERTEDHAMMER,
    CDLTAKURI,
    CDLSPINNINGTOP,
    CDLHIGHWAVE,
    CDLLONGLINE,
    CDLSHORTLINE,
    CDLBELTHOLD,
    CDLCLOSINGMARUBOZU,
    CDL3BLACKCROWS,
    CDL3WHITESOLDIERS,
    CDLDOJI,
    CDLENGULFING,
    CDLEVENINGSTAR(0.3),
    CDLHAMMER,
    CDLHARAMI,
    CDLMARUBOZU,
    CDLMORNINGSTAR(0.3),
    CDLSHOOTINGSTAR,
];
