//! Many-symbol throughput: a generated table of 2,000 symbols × 2,520 bars
//! (5.04M rows) with 20 indicators, computed by the multi-symbol
//! [`Pipeline`] at 1 and 2 rayon threads, as one table and in Spark-sized
//! batches of 10,000 rows. Prints rows/s, the speed-up, and peak resident
//! memory against the bytes of input plus output.
//!
//! ```text
//! cargo run --release -p barrow-bench --bin many-symbols [-- SYMBOLS BARS]
//! ```

use std::time::Instant;

use arrow_array::RecordBatch;
use barrow_core::data::synthetic::{generate_ohlcv, SyntheticConfig};
use barrow_core::pipeline::Pipeline;
use barrow_core::spec::PipelineSpec;

/// Twenty indicators across the TA-Lib groups.
const SPEC: &str = r#"{"indicators":[
  {"fn":"SMA","params":{"timeperiod":20}}, {"fn":"SMA","params":{"timeperiod":50}},
  {"fn":"EMA","params":{"timeperiod":20}}, {"fn":"EMA","params":{"timeperiod":50}},
  {"fn":"WMA","params":{"timeperiod":20}}, {"fn":"KAMA"}, {"fn":"TEMA"},
  {"fn":"BBANDS"}, {"fn":"RSI"}, {"fn":"MACD"}, {"fn":"STOCH"}, {"fn":"WILLR"},
  {"fn":"AROON"}, {"fn":"ROC","params":{"timeperiod":10}}, {"fn":"ATR"}, {"fn":"NATR"},
  {"fn":"OBV"}, {"fn":"AD"}, {"fn":"STDDEV","params":{"timeperiod":20}}, {"fn":"LOG_RETURN"}
]}"#;

/// A field of /proc/self/status in bytes (Linux; 0 elsewhere).
fn status_bytes(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn mib(b: u64) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

/// Runs the pipeline over `batches` three times; returns (best seconds,
/// output bytes, peak RSS of the first run).
fn run(spec: &PipelineSpec, batches: &[RecordBatch], threads: usize) -> (f64, u64, u64) {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let mut best = f64::INFINITY;
    let mut out_bytes = 0;
    let mut peak = 0;
    for rep in 0..3 {
        let start = Instant::now();
        let outs: Vec<RecordBatch> = pool.install(|| {
            let mut p = Pipeline::new(spec.clone()).unwrap();
            batches.iter().map(|b| p.process(b).unwrap()).collect()
        });
        best = best.min(start.elapsed().as_secs_f64());
        // Peak memory of the first run only: later runs start with memory
        // the allocator kept from the previous one.
        if rep == 0 {
            peak = status_bytes("VmHWM:");
        }
        let n_in = batches[0].num_columns();
        out_bytes = outs
            .iter()
            .flat_map(|b| b.columns()[n_in..].iter())
            .map(|c| c.get_array_memory_size() as u64)
            .sum();
    }
    (best, out_bytes, peak)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sizes: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let symbols = sizes.first().copied().unwrap_or(2000);
    let bars = sizes.get(1).copied().unwrap_or(2520);
    // Each configuration runs in a fresh process, so memory freed by one
    // run and kept by the allocator does not count against the next.
    if let Ok(config) = std::env::var("MANY_SYMBOLS_CONFIG") {
        let (batched, threads) = config.split_once(',').expect("layout,threads");
        measure(symbols, bars, batched == "batches", threads.parse().expect("threads"));
        return;
    }
    let spec = PipelineSpec::from_json(SPEC).unwrap();
    let n_cols = spec
        .plan()
        .unwrap()
        .iter()
        .map(|p| p.output_columns.len())
        .sum::<usize>();
    println!(
        "{symbols} symbols × {bars} bars = {} rows, {} indicators ({n_cols} output columns)\n",
        symbols * bars,
        spec.indicators.len()
    );
    println!("| layout | threads | seconds | rows/s | speed-up | input MiB | output MiB | peak RSS growth | overhead vs input + output |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let exe = std::env::current_exe().unwrap();
    for layout in ["table", "batches"] {
        for threads in [1, 2] {
            let status = std::process::Command::new(&exe)
                .args(&args)
                .env("MANY_SYMBOLS_CONFIG", format!("{layout},{threads}"))
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
}

/// One configuration: prints a table row. The 1-thread time for the
/// speed-up comes from the previous row's process through a temp file.
fn measure(symbols: usize, bars: usize, batched: bool, threads: usize) {
    let table = generate_ohlcv(&SyntheticConfig {
        symbols,
        bars,
        ..Default::default()
    })
    .unwrap();
    let spec = PipelineSpec::from_json(SPEC).unwrap();
    let rows = table.num_rows();
    let in_bytes = table.get_array_memory_size() as u64;
    let batches: Vec<RecordBatch> = if batched {
        (0..rows)
            .step_by(10_000)
            .map(|s| table.slice(s, 10_000.min(rows - s)))
            .collect()
    } else {
        vec![table]
    };
    // Resident now: the program plus the input.
    let baseline = status_bytes("VmRSS:");
    let (secs, out_bytes, peak) = run(&spec, &batches, threads);
    let grown = peak.saturating_sub(baseline);
    let stamp = std::env::temp_dir().join(format!("many-symbols-{symbols}-{bars}-{batched}"));
    if threads == 1 {
        std::fs::write(&stamp, secs.to_string()).unwrap();
    }
    let one: f64 = std::fs::read_to_string(&stamp)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(secs);
    println!(
        "| {} | {threads} | {secs:.3} | {:.1}M | {:.2} | {:.0} | {:.0} | {:.0} MiB | {:+.1}% |",
        if batched { "10,000-row batches" } else { "one table" },
        rows as f64 / secs / 1e6,
        one / secs,
        mib(in_bytes),
        mib(out_bytes),
        mib(grown),
        100.0 * (grown as f64 - out_bytes as f64) / (in_bytes + out_bytes) as f64
    );
}
