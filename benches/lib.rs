//! Data shared by barrow's benches: deterministic series and problems.

use barrow_core::data::rng::SplitMix64;

/// A geometric random walk of `n` prices.
pub fn random_walk(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64::new(seed);
    let mut x = 100.0;
    (0..n)
        .map(|_| {
            x *= (0.01 * rng.normal()).exp();
            x
        })
        .collect()
}

/// A nonlinear binary problem: `n` rows of `d` uniform features, row-major,
/// labelled by an interaction of the first four features plus 5% noise.
pub fn classification(n: usize, d: usize, seed: u64) -> (Vec<f64>, Vec<u32>) {
    let mut rng = SplitMix64::new(seed);
    let mut x = Vec::with_capacity(n * d);
    let mut y = Vec::with_capacity(n);
    for _ in 0..n {
        let row: Vec<f64> = (0..d).map(|_| rng.next_f64()).collect();
        let signal = (row[0] - 0.5) * (row[1] - 0.3) + 0.2 * (row[2] * 6.0).sin() + 0.1 * row[3];
        let flip = rng.next_f64() < 0.05;
        y.push(((signal > 0.05) ^ flip) as u32);
        x.extend(row);
    }
    (x, y)
}
