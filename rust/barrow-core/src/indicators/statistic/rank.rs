//! PERCENTILE and PERCENTRANK — order statistics of a rolling window.
//!
//! * PERCENTILE (nearest rank, lookback `p - 1`): the `r`-th smallest of
//!   the last `p` values, `r = ceil(percentile * p / 100)` clamped to
//!   `1..=p`, read off a sorted copy of the `p - 1` values before the
//!   current one, kept by TA-Lib's linear scans (O(p) per bar), which also
//!   decide where a NaN lands. While the copy is in order and free of NaN
//!   (every bar but those near a NaN), the scans' positions are counts,
//!   which vectorize, and the insertion and removal become one shift.
//! * PERCENTRANK (lookback `p`): `(number of the p previous values
//!   strictly below the current one) / p * 100`.

use std::cmp::Ordering;
use std::hint::select_unpredictable as select;

use super::super::ring::Ring;
use super::super::{check_shapes, fp, step_while, Indicator};
use crate::error::{BarrowError, Result};

/// Streaming nearest-rank percentile.
#[derive(Clone, Debug)]
pub struct Percentile {
    period: usize,
    percentile: f64,
    rank: usize,
    /// The `p - 1` values before the current bar, ascending, equal values
    /// in age order.
    sorted: Vec<f64>,
    window: Ring,
    seen: usize,
    /// Whether `sorted` is ascending and free of NaN, so that the scans'
    /// positions are counts.
    ordered: bool,
}

impl Percentile {
    /// The `percentile` (0 to 100) of the last `period >= 2` values.
    pub fn new(period: usize, percentile: f64) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        if !(0.0..=100.0).contains(&percentile) {
            return Err(BarrowError::bad_param("percentile", percentile, "must be in [0, 100]"));
        }
        // Multiply before dividing, so round percentages give exact ranks.
        let rank = ((percentile * period as f64 / 100.0).ceil() as usize).clamp(1, period);
        Ok(Self {
            period,
            percentile,
            rank,
            sorted: Vec::with_capacity(period),
            window: Ring::new(period - 1),
            seen: 0,
            ordered: true,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let retained = self.period - 1;
        let old = self.window.swap(v);
        self.seen += 1;
        if self.ordered && self.seen > retained && !v.is_nan() && !old.is_nan() {
            return self.step_counted(v, old);
        }
        let out = self.step_scanned(v, old);
        self.ordered = self.sorted.iter().all(|s| !s.is_nan()) && self.sorted.windows(2).all(|w| w[0] <= w[1]);
        out
    }

    /// [`Percentile::step`] with an ordered copy and a full window, `v` and
    /// the leaving value `old` not NaN. In the copy after the insertion the
    /// scans stop at counts: `v` goes after the values not above it, and the
    /// value removed is the first not below `old` among the first
    /// `p - 1`, else the last.
    #[inline(always)]
    fn step_counted(&mut self, v: f64, old: f64) -> f64 {
        let retained = self.period - 1;
        let sorted = &mut self.sorted[..retained];
        let (mut pos, mut below_old) = (0, usize::from(v < old));
        for &s in sorted.iter() {
            pos += usize::from(s <= v);
            below_old += usize::from(s < old);
        }
        // Branch-free: the comparisons below go either way from bar to bar.
        let r = self.rank - 1;
        let (at_r, before_r) = (sorted[r.min(retained - 1)], sorted[r.saturating_sub(1)]);
        let result = select(pos > r, at_r, select(pos == r, v, before_r));
        // Indices in the copy with `v` inserted at `pos`.
        let del = below_old.min(retained);
        match del.cmp(&pos) {
            // `v` itself leaves: the copy is unchanged.
            Ordering::Equal => {}
            Ordering::Greater => {
                sorted.copy_within(pos..del - 1, pos + 1);
                sorted[pos] = v;
            }
            Ordering::Less => {
                sorted.copy_within(del + 1..pos, del);
                sorted[pos - 1] = v;
            }
        }
        result
    }

    /// [`Percentile::step`] by TA-Lib's scans.
    #[inline(always)]
    fn step_scanned(&mut self, v: f64, old: f64) -> f64 {
        let retained = self.period - 1;
        if self.seen <= retained {
            // Insertion from the end, after equal values.
            let mut j = self.sorted.len();
            while j > 0 && self.sorted[j - 1] > v {
                j -= 1;
            }
            self.sorted.insert(j, v);
            return f64::NAN;
        }
        // Where v goes: before the first value it is not >= to (so a NaN
        // on either side stops the scan), as TA-Lib's scan does.
        let pos = self
            .sorted
            .iter()
            .position(|s| matches!(v.partial_cmp(s), None | Some(Ordering::Less)))
            .unwrap_or(retained);
        let r = self.rank - 1;
        let result = match pos.cmp(&r) {
            Ordering::Greater => self.sorted[r],
            Ordering::Equal => v,
            Ordering::Less => self.sorted[r - 1],
        };
        self.sorted.insert(pos, v);
        // The leaving value: the first not below it (or unordered with it),
        // else the last.
        let del = self.sorted[..retained]
            .iter()
            .position(|s| !matches!(old.partial_cmp(s), Some(Ordering::Greater)))
            .unwrap_or(retained);
        self.sorted.remove(del);
        result
    }
}

impl fp::Kernel for Percentile {
    #[inline(always)]
    fn kernel(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        for (o, &v) in outputs[0].iter_mut().zip(inputs[0]) {
            *o = self.step(v);
        }
    }
}

impl Indicator for Percentile {
    fn lookback(&self) -> usize {
        self.period - 1
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        fp::run_kernel(self, inputs, outputs);
    }

    fn reset(&mut self) {
        *self = Self::new(self.period, self.percentile).expect("valid parameters");
    }
}

/// Bars taken at a time by PERCENTRANK once every bar has a full window.
const RANK_BLOCK: usize = 1024;

/// Sets `below[j]` to the count of `ext[j..j + p]` below `ext[p + j]`.
fn count_below(ext: &[f64], p: usize, below: &mut [f64]) {
    let m = below.len();
    assert!(ext.len() >= p + m, "the window and the block's values");
    // The bars counted in tiles; the rest one at a time below.
    #[cfg(target_arch = "x86_64")]
    let done = if std::arch::is_x86_feature_detected!("avx") {
        let tiles = m / RANK_TILE * RANK_TILE;
        // SAFETY: the CPU supports AVX, checked just above; `ext` holds
        // `p + m` values, which the tiles' reads stay within.
        unsafe { count_tiles_avx(ext, p, &mut below[..tiles]) };
        tiles
    } else {
        0
    };
    #[cfg(not(target_arch = "x86_64"))]
    let done = 0;
    for (j, b) in below.iter_mut().enumerate().skip(done) {
        let v = ext[p + j];
        *b = ext[j..j + p].iter().filter(|&&w| w < v).count() as f64;
    }
}

/// Bars [`count_tiles_avx`] counts at once.
const RANK_TILE: usize = 16;

/// [`count_below`] for `below.len()` a multiple of [`RANK_TILE`]: the
/// tile's values and counts stay in registers while the window offset
/// runs, so each offset costs a load, compare, mask and add per four bars
/// (counts of at most `p` are exact as floats). PERCENTRANK(100) at 1M
/// bars: 16 ms as a loop over the offsets that kept the counts in memory.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn count_tiles_avx(ext: &[f64], p: usize, below: &mut [f64]) {
    use std::arch::x86_64::*;
    let m = below.len();
    assert!(m.is_multiple_of(RANK_TILE) && ext.len() >= p + m);
    let (x, ones) = (ext.as_ptr(), _mm256_set1_pd(1.0));
    for j0 in (0..m).step_by(RANK_TILE) {
        // SAFETY (all reads): indices `j0 + k + 15 < j0 + p + 16 <= p + m`
        // for `k < p`, and `p + j0 + 15 < p + m`, within `ext`.
        let v = [0, 4, 8, 12].map(|t| _mm256_loadu_pd(x.add(p + j0 + t)));
        let mut c = [_mm256_setzero_pd(); 4];
        for k in 0..p {
            let w = x.add(j0 + k);
            for t in 0..4 {
                let lt = _mm256_cmp_pd::<_CMP_LT_OQ>(_mm256_loadu_pd(w.add(4 * t)), v[t]);
                c[t] = _mm256_add_pd(c[t], _mm256_and_pd(lt, ones));
            }
        }
        for (t, ct) in c.iter().enumerate() {
            _mm256_storeu_pd(below.as_mut_ptr().add(j0 + 4 * t), *ct);
        }
    }
}

/// Streaming percent rank.
#[derive(Clone, Debug)]
pub struct PercentRank {
    period: usize,
    window: Ring,
    seen: usize,
}

impl PercentRank {
    /// The rank of each value among the `period >= 2` values before it.
    pub fn new(period: usize) -> Result<Self> {
        if period < 2 {
            return Err(BarrowError::bad_param("timeperiod", period, "must be >= 2"));
        }
        Ok(Self {
            period,
            window: Ring::new(period),
            seen: 0,
        })
    }

    /// Consumes one value.
    #[inline(always)]
    pub fn step(&mut self, v: f64) -> f64 {
        let out = if self.seen >= self.period {
            let below = self.window.iter().filter(|&w| w < v).count();
            below as f64 / self.period as f64 * 100.0
        } else {
            f64::NAN
        };
        self.window.swap(v);
        self.seen += 1;
        out
    }
}

impl Indicator for PercentRank {
    fn lookback(&self) -> usize {
        self.period
    }

    fn update(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        check_shapes(inputs, outputs, 1, 1);
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let (n, p) = (x.len(), self.period);
        let i = step_while(self, x, out, |s| s.seen < p, PercentRank::step);
        if i == n {
            return;
        }
        // Every later bar has a full window. A block at a time, the counts
        // taken one window offset at a time so that they vectorize across
        // bars (counts of at most p are exact as floats). `ext` holds the
        // window, then the block's values.
        let mut ext: Vec<f64> = Vec::with_capacity(p + RANK_BLOCK);
        ext.extend(self.window.iter());
        let mut below = vec![0.0; RANK_BLOCK];
        let mut start = i;
        while start < n {
            let m = RANK_BLOCK.min(n - start);
            ext.extend_from_slice(&x[start..start + m]);
            let below = &mut below[..m];
            count_below(&ext, p, below);
            for (o, &c) in out[start..start + m].iter_mut().zip(&*below) {
                *o = c / p as f64 * 100.0;
            }
            ext.drain(..m);
            start += m;
        }
        self.window.load(&ext);
        self.seen += n - i;
    }

    fn reset(&mut self) {
        self.window.clear();
        self.seen = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::run;
    use crate::indicators::testutil::{assert_chunk_invariant, walk};

    #[test]
    fn percentile_is_the_nearest_rank_of_the_window() {
        let x = [5.0, 1.0, 4.0, 2.0, 3.0, 9.0];
        let median = run(&mut Percentile::new(5, 50.0).unwrap(), &[&x], 1);
        assert!(median[0][..4].iter().all(|v| v.is_nan()));
        assert_eq!(median[0][4..], [3.0, 3.0]);
        let max = run(&mut Percentile::new(5, 100.0).unwrap(), &[&x], 1);
        assert_eq!(max[0][4..], [5.0, 9.0]);
        let min = run(&mut Percentile::new(5, 0.0).unwrap(), &[&x], 1);
        assert_eq!(min[0][4..], [1.0, 1.0]);
    }

    #[test]
    fn tiled_counts_equal_a_plain_count_with_ties_and_nans() {
        // Rounded values tie; a NaN is below nothing and nothing is below it.
        let mut ext: Vec<f64> = walk(7 + 3 * RANK_TILE + 5, 5).iter().map(|v| v.round()).collect();
        ext[9] = f64::NAN;
        ext[7 + 20] = f64::NAN;
        for p in [1, 7] {
            let m = ext.len() - p;
            let mut below = vec![-1.0; m];
            count_below(&ext, p, &mut below);
            for (j, &b) in below.iter().enumerate() {
                let want = ext[j..j + p].iter().filter(|&&w| w < ext[p + j]).count() as f64;
                assert_eq!(b, want, "p {p}, bar {j}");
            }
        }
    }

    #[test]
    fn counted_steps_equal_the_scans() {
        // Ties, zeros of both signs and NaN gaps, which leave the copy out
        // of order for a while.
        let w = walk(4000, 17);
        let x: Vec<f64> = (0..w.len())
            .map(|i| match i % 11 {
                _ if (700..703).contains(&i) || i == 1500 || (2600..2650).contains(&i) => f64::NAN,
                0 => 0.0,
                5 => -0.0,
                _ => (w[i] - w[0]).round(),
            })
            .collect();
        for (p, q) in [(2, 50.0), (3, 0.0), (10, 25.0), (30, 50.0), (31, 100.0)] {
            let mut scans = Percentile::new(p, q).unwrap();
            let want: Vec<f64> = x
                .iter()
                .map(|&v| {
                    let old = scans.window.swap(v);
                    scans.seen += 1;
                    scans.step_scanned(v, old)
                })
                .collect();
            let got = run(&mut Percentile::new(p, q).unwrap(), &[&x], 1);
            for (i, (g, e)) in got[0].iter().zip(&want).enumerate() {
                assert!(
                    g.to_bits() == e.to_bits() || (g.is_nan() && e.is_nan()),
                    "p {p}, q {q}, bar {i}: {g} vs {e}"
                );
            }
        }
    }

    #[test]
    fn percent_rank_counts_the_previous_values_below() {
        let out = run(&mut PercentRank::new(4).unwrap(), &[&[1.0, 2.0, 3.0, 4.0, 2.5, 9.0]], 1);
        assert!(out[0][..4].iter().all(|v| v.is_nan()));
        assert_eq!(out[0][4..], [50.0, 100.0]);
    }

    #[test]
    fn ranks_are_chunk_invariant() {
        let x: Vec<f64> = walk(500, 91).iter().map(|v| v.round()).collect();
        for (p, q) in [(2, 50.0), (10, 25.0), (30, 90.0)] {
            assert_chunk_invariant(&|| Box::new(Percentile::new(p, q).unwrap()), &[&x], 1, &[1, 7, 80]);
        }
        assert_chunk_invariant(&|| Box::new(PercentRank::new(20).unwrap()), &[&x], 1, &[1, 7, 80]);
    }
}
