//! Fits linfa-trees' and barrow-core's CART classifiers on the same data and
//! prints fit times and held-out accuracy as JSON. Driven by
//! `benches/bench_tree.py`, which writes the data and times scikit-learn.
//!
//! Usage: `linfa-tree-fit DIR N_TRAIN N_TEST N_FEATURES MAX_DEPTH REPEAT`
//! where DIR holds `x_train.f64`, `y_train.u32`, `x_test.f64`, `y_test.u32`
//! (little-endian, row-major). MAX_DEPTH 0 means unlimited.

use std::path::Path;
use std::time::Instant;

use barrow_core::tree::{argmax_rows, Target, Tree, TreeParams};
use linfa::prelude::*;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2};

fn read_f64(path: &Path) -> Vec<f64> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

fn read_u32(path: &Path) -> Vec<u32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

fn best_of<T>(repeat: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..repeat {
        let t0 = Instant::now();
        let out = f();
        best = best.min(t0.elapsed().as_secs_f64());
        last = Some(out);
    }
    (best, last.expect("repeat >= 1"))
}

fn accuracy(pred: impl Iterator<Item = usize>, truth: &[u32]) -> f64 {
    let hits = pred.zip(truth).filter(|(p, t)| *p == **t as usize).count();
    hits as f64 / truth.len() as f64
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 7 {
        eprintln!("usage: linfa-tree-fit DIR N_TRAIN N_TEST N_FEATURES MAX_DEPTH REPEAT");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    let parse = |i: usize| args[i].parse::<usize>().expect("integer argument");
    let (n_train, n_test, d, depth, repeat) = (parse(2), parse(3), parse(4), parse(5), parse(6).max(1));
    let max_depth = (depth > 0).then_some(depth);
    let x_train = read_f64(&dir.join("x_train.f64"));
    let y_train = read_u32(&dir.join("y_train.u32"));
    let x_test = read_f64(&dir.join("x_test.f64"));
    let y_test = read_u32(&dir.join("y_test.u32"));
    assert_eq!(x_train.len(), n_train * d);
    assert_eq!(x_test.len(), n_test * d);

    let records = Array2::from_shape_vec((n_train, d), x_train.clone()).unwrap();
    let targets: Array1<usize> = y_train.iter().map(|&v| v as usize).collect();
    let dataset = Dataset::new(records, targets);
    let (linfa_s, model) = best_of(repeat, || {
        DecisionTree::params().max_depth(max_depth).fit(&dataset).unwrap()
    });
    let test_records = Array2::from_shape_vec((n_test, d), x_test.clone()).unwrap();
    let linfa_acc = accuracy(model.predict(&test_records).iter().copied(), &y_test);

    let (barrow_s, tree) = best_of(repeat, || {
        let params = TreeParams {
            max_depth,
            ..Default::default()
        };
        let target = Target::Classes {
            y: &y_train,
            n_classes: 2,
        };
        Tree::fit(&x_train, d, target, None, &params).unwrap()
    });
    let pred = argmax_rows(&tree.predict_values(&x_test, d).unwrap(), 2);
    let barrow_acc = accuracy(pred.iter().map(|&p| p as usize), &y_test);
    println!(
        "{{\"linfa_fit_s\": {linfa_s}, \"linfa_accuracy\": {linfa_acc}, \"barrow_core_fit_s\": {barrow_s}, \"barrow_core_accuracy\": {barrow_acc}}}"
    );
}
