//! Criterion benches of barrow-core kernels: `cargo bench -p barrow-bench`.
//!
//! Indicators run over 1M bars in one chunk; the pipeline over a generated
//! multi-symbol table; the tree on a synthetic classification problem.

use std::collections::BTreeMap;
use std::hint::black_box;

use barrow_bench::{classification, random_walk};
use barrow_core::backtest::{backtest_positions, BacktestConfig};
use barrow_core::data::synthetic::{generate_ohlcv, SyntheticConfig};
use barrow_core::indicators::find_function;
use barrow_core::pipeline::Pipeline;
use barrow_core::spec::PipelineSpec;
use barrow_core::tree::{Target, Tree, TreeParams};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const BARS: usize = 1_000_000;

fn indicators(c: &mut Criterion) {
    let close = random_walk(BARS, 1);
    let high: Vec<f64> = close.iter().map(|v| v * 1.01).collect();
    let low: Vec<f64> = close.iter().map(|v| v * 0.99).collect();
    let mut group = c.benchmark_group("indicators_1M");
    group.throughput(Throughput::Elements(BARS as u64));
    group.sample_size(20);
    for name in ["SMA", "EMA", "RSI", "MACD", "BBANDS", "ATR", "LOG_RETURN"] {
        let info = find_function(name).unwrap();
        let inputs: Vec<&[f64]> = if info.inputs.len() == 3 {
            vec![&high, &low, &close]
        } else {
            vec![&close]
        };
        let mut outs: Vec<Vec<f64>> = info.outputs.iter().map(|_| vec![0.0; BARS]).collect();
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut ind = info.build_with(&BTreeMap::new()).unwrap();
                let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| v.as_mut_slice()).collect();
                ind.update(black_box(&inputs), &mut views);
            })
        });
    }
    group.finish();
}

fn pipeline(c: &mut Criterion) {
    let table = generate_ohlcv(&SyntheticConfig {
        symbols: 200,
        bars: 2520,
        ..Default::default()
    })
    .unwrap();
    let spec = PipelineSpec::from_json(
        r#"{"indicators":[{"fn":"SMA","params":{"timeperiod":20}},{"fn":"EMA","params":{"timeperiod":20}},
            {"fn":"RSI"},{"fn":"MACD"},{"fn":"BBANDS"},{"fn":"ATR"},{"fn":"LOG_RETURN"}]}"#,
    )
    .unwrap();
    let mut group = c.benchmark_group("pipeline");
    group.throughput(Throughput::Elements(table.num_rows() as u64));
    group.sample_size(10);
    group.bench_function("200x2520_7_indicators", |b| {
        b.iter(|| {
            let mut p = Pipeline::new(spec.clone()).unwrap();
            black_box(p.process(&table).unwrap());
        })
    });
    group.finish();
}

fn tree(c: &mut Criterion) {
    let (x, y) = classification(100_000, 20, 7);
    let mut group = c.benchmark_group("tree");
    group.sample_size(10);
    group.bench_function("fit_100k_x20_depth8", |b| {
        b.iter(|| {
            let params = TreeParams {
                max_depth: Some(8),
                ..Default::default()
            };
            let t = Tree::fit(&x, 20, Target::Classes { y: &y, n_classes: 2 }, None, &params).unwrap();
            black_box(t.node_count());
        })
    });
    group.finish();
}

fn backtest(c: &mut Criterion) {
    let close = random_walk(BARS, 3);
    let pos: Vec<f64> = (0..BARS).map(|i| ((i / 17) % 2) as f64).collect();
    let mut group = c.benchmark_group("backtest");
    group.throughput(Throughput::Elements(BARS as u64));
    group.sample_size(20);
    group.bench_function("positions_1M", |b| {
        b.iter(|| black_box(backtest_positions(&close, &pos, &BacktestConfig::default()).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, indicators, pipeline, tree, backtest);
criterion_main!(benches);
