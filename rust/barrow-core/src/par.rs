//! Parallel parts of one series, with the calling thread taking part.
//!
//! rayon's parallel iterators, called from outside its pool (the Python
//! thread of a binding call is), hand all the work to the pool's threads
//! and wait. When those threads sleep, and an idle virtual CPU can take a
//! millisecond to wake, a loop of a millisecond waits longer than it runs.
//! [`for_each`] lets the caller work through the items itself while the
//! pool's other threads are asked to help: a helper takes items only once
//! it runs, and is called off if the caller finishes first, so a split is
//! never much slower than one thread.

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, TryLockError};

/// A helper that has not started.
const IDLE: u8 = 0;
/// A helper at work.
const RUNNING: u8 = 1;
/// A helper called off before it started: it will not touch the job.
const CALLED_OFF: u8 = 2;
/// A helper done with the job.
const DONE: u8 = 3;

/// What the caller and its helpers share: each helper's state, and a
/// helper's panic, passed on to the caller.
struct Helpers {
    states: Vec<AtomicU8>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

/// Runs `caller` on this thread while `count` helpers from rayon's pool
/// run `help(job)` once they start. When `caller` returns, helpers that
/// have not started are called off and running ones are waited for; a
/// panic on either side is then passed on.
///
/// # Safety
/// `job` is the address of a value `help` can use until this returns.
unsafe fn with_helpers(count: usize, job: usize, help: unsafe fn(usize), caller: impl FnOnce()) {
    let shared = Arc::new(Helpers {
        states: (0..count).map(|_| AtomicU8::new(IDLE)).collect(),
        panic: Mutex::new(None),
    });
    for h in 0..count {
        let shared = Arc::clone(&shared);
        rayon::spawn(move || {
            let state = &shared.states[h];
            if state
                .compare_exchange(IDLE, RUNNING, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {
                return;
            }
            // SAFETY: the caller waits for RUNNING helpers to be DONE
            // before `job` goes away.
            let result = catch_unwind(AssertUnwindSafe(|| unsafe { help(job) }));
            if let Err(payload) = result {
                *shared.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload);
            }
            state.store(DONE, Ordering::Release);
        });
    }
    let result = catch_unwind(AssertUnwindSafe(caller));
    for state in &shared.states {
        if state
            .compare_exchange(IDLE, CALLED_OFF, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            while state.load(Ordering::Acquire) != DONE {
                std::thread::yield_now();
            }
        }
    }
    if let Err(payload) = result {
        resume_unwind(payload);
    }
    let helper_panic = shared.panic.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(payload) = helper_panic {
        resume_unwind(payload);
    }
}

/// Series length from which one series' work is split across threads.
pub(crate) const SPLIT_MIN: usize = 1 << 17;

/// Whether a series of `n` values is long enough to split, and the pool
/// has another thread to take a part.
pub(crate) fn worth_splitting(n: usize) -> bool {
    n >= SPLIT_MIN && rayon::current_num_threads() > 1
}

/// Values per tile of a [`pipeline`] over a long series: a few tiles'
/// inputs and outputs stay in the second-level cache between the stages.
pub(crate) const PIPELINE_TILE: usize = 4096;

/// Helpers worth asking for `len` items: the pool's other threads, and
/// fewer than the items.
fn helpers_for(len: usize) -> usize {
    (rayon::current_num_threads().max(1) - 1).min(len.saturating_sub(1))
}

/// The items of [`for_each`] and the next one to take.
struct Items<'a, T> {
    items: *mut T,
    len: usize,
    next: AtomicUsize,
    f: &'a (dyn Fn(&mut T) + Sync),
}

/// Takes items until none is left. Each index is taken once, by one
/// thread, so the `&mut` to an item is never shared.
///
/// # Safety
/// `job` is the address of a live `Items<T>` whose items outlive the call.
unsafe fn take_items<T>(job: usize) {
    // SAFETY: the caller guarantees `job` points to a live Items<T>.
    let job = unsafe { &*(job as *const Items<'_, T>) };
    loop {
        let k = job.next.fetch_add(1, Ordering::Relaxed);
        if k >= job.len {
            return;
        }
        // SAFETY: `k < len` indexes the items, and no other thread takes `k`.
        (job.f)(unsafe { &mut *job.items.add(k) });
    }
}

/// Calls `f` on every item, once each, on the calling thread and on up to
/// `rayon::current_num_threads() - 1` helpers from rayon's pool. Returns
/// when every item is done; a panic in `f` is passed on to the caller.
pub(crate) fn for_each<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    let helpers = helpers_for(items.len());
    if helpers == 0 {
        items.iter_mut().for_each(f);
        return;
    }
    let job = Items {
        items: items.as_mut_ptr(),
        len: items.len(),
        next: AtomicUsize::new(0),
        f: &f,
    };
    let addr = &job as *const Items<'_, T> as usize;
    // SAFETY: `job` lives on this frame until `with_helpers` returns, and
    // `take_items` reads it as the `Items<T>` it is.
    unsafe { with_helpers(helpers, addr, take_items::<T>, || take_items::<T>(addr)) };
}

/// A pipeline's producing stage and the next tile it takes.
type Producer<'a, T> = (usize, &'a mut (dyn FnMut(&mut T) + Send));

/// The tiles of [`pipeline`]: the producing stage (behind a lock) and how
/// many tiles it has finished.
struct Line<'a, T> {
    tiles: *mut T,
    len: usize,
    producer: Mutex<Producer<'a, T>>,
    produced: AtomicUsize,
    stop: AtomicBool,
}

/// What one try at producing gave.
enum Try {
    /// A tile was produced, or another thread holds the producer.
    Again,
    /// Nothing is left to produce, or the producer panicked.
    Over,
}

impl<T> Line<'_, T> {
    /// Produces the next tile if the producer is free and the tile is
    /// below `until`.
    fn try_produce(&self, until: usize) -> Try {
        match self.producer.try_lock() {
            Ok(mut guard) => {
                let (next, produce) = &mut *guard;
                if *next >= until.min(self.len) {
                    return Try::Over;
                }
                // SAFETY: `next < len` indexes the tiles; the consumer
                // touches only tiles below `produced`, and `next` is not.
                produce(unsafe { &mut *self.tiles.add(*next) });
                *next += 1;
                self.produced.store(*next, Ordering::Release);
                Try::Again
            }
            Err(TryLockError::WouldBlock) => {
                std::hint::spin_loop();
                Try::Again
            }
            Err(TryLockError::Poisoned(_)) => Try::Over,
        }
    }
}

/// A helper's part of a pipeline: produce tiles ahead of the consumer.
///
/// # Safety
/// `job` is the address of a live `Line<T>` whose tiles outlive the call.
unsafe fn produce_ahead<T>(job: usize) {
    // SAFETY: the caller guarantees `job` points to a live Line<T>.
    let line = unsafe { &*(job as *const Line<'_, T>) };
    while !line.stop.load(Ordering::Relaxed) {
        if let Try::Over = line.try_produce(usize::MAX) {
            return;
        }
    }
}

/// Sets the pipeline's stop flag when the consumer leaves, panicking or not.
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Runs `produce` and then `consume` on every tile, each stage on the
/// tiles in order and one tile at a time: the calling thread consumes,
/// and a helper from rayon's pool produces ahead of it once it runs (the
/// caller produces a tile itself when the helper is not there). A stage
/// that carries state from tile to tile therefore gives the same result
/// on any number of threads. A panic in either stage is passed on.
pub(crate) fn pipeline<T: Send>(
    tiles: &mut [T],
    mut produce: impl FnMut(&mut T) + Send,
    mut consume: impl FnMut(&mut T),
) {
    let helpers = helpers_for(tiles.len()).min(1);
    if helpers == 0 {
        for tile in tiles.iter_mut() {
            produce(tile);
            consume(tile);
        }
        return;
    }
    let line = Line {
        tiles: tiles.as_mut_ptr(),
        len: tiles.len(),
        producer: Mutex::new((0, &mut produce)),
        produced: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
    };
    let addr = &line as *const Line<'_, T> as usize;
    let consume_all = || {
        let _stop = StopOnDrop(&line.stop);
        for k in 0..line.len {
            while line.produced.load(Ordering::Acquire) <= k {
                if let Try::Over = line.try_produce(k + 1) {
                    if line.produced.load(Ordering::Acquire) <= k {
                        // The producer panicked: its panic is passed on.
                        return;
                    }
                }
            }
            // SAFETY: tile `k` is produced (the Acquire above pairs with
            // the producer's Release) and the producer is past it.
            consume(unsafe { &mut *line.tiles.add(k) });
        }
    };
    // SAFETY: `line` lives on this frame until `with_helpers` returns, and
    // `produce_ahead` reads it as the `Line<T>` it is.
    unsafe { with_helpers(helpers, addr, produce_ahead::<T>, consume_all) };
}

/// [`pipeline`] over `out` in tiles of `tile` values, each stage given a
/// tile's offset in `out` and the tile.
pub(crate) fn pipeline_chunks(
    out: &mut [f64],
    tile: usize,
    mut produce: impl FnMut(usize, &mut [f64]) + Send,
    mut consume: impl FnMut(usize, &mut [f64]),
) {
    let mut tiles: Vec<(usize, &mut [f64])> = out.chunks_mut(tile).enumerate().map(|(k, t)| (k * tile, t)).collect();
    pipeline(&mut tiles, |(from, t)| produce(*from, t), |(from, t)| consume(*from, t));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_done_once_with_any_number_of_threads() {
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for n in [0, 1, 2, 7, 1000] {
                let mut items: Vec<(usize, u32)> = (0..n).map(|i| (i, 0)).collect();
                pool.install(|| for_each(&mut items, |(i, count)| *count += 1 + (*i as u32 % 2)));
                for (i, count) in items {
                    assert_eq!(count, 1 + (i as u32 % 2), "item {i} with {threads} threads");
                }
                // From outside the pool too, as a binding calls it.
                let mut items: Vec<u32> = vec![0; n];
                for_each(&mut items, |c| *c += 1);
                assert!(items.iter().all(|&c| c == 1));
            }
        }
    }

    #[test]
    fn a_panic_in_an_item_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let mut items: Vec<usize> = (0..64).collect();
        let result = catch_unwind(AssertUnwindSafe(|| {
            pool.install(|| {
                for_each(&mut items, |i| {
                    if *i == 40 {
                        panic!("item 40");
                    }
                })
            })
        }));
        assert!(result.is_err());
    }
    #[test]
    fn a_pipeline_runs_each_stage_in_order_on_every_tile() {
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            for n in [0, 1, 2, 7, 500] {
                // Each tile: (produced value, consumed value). The producer
                // carries a running count, the consumer a running sum.
                let mut tiles: Vec<(u64, u64)> = vec![(0, 0); n];
                let run = |tiles: &mut [(u64, u64)]| {
                    let mut count = 0u64;
                    let mut total = 0u64;
                    pipeline(
                        tiles,
                        move |t: &mut (u64, u64)| {
                            count += 1;
                            t.0 = count;
                        },
                        |t: &mut (u64, u64)| {
                            assert_ne!(t.0, 0, "consumed before it was produced");
                            total += t.0;
                            t.1 = total;
                        },
                    );
                };
                pool.install(|| run(&mut tiles));
                for (k, &(p, c)) in tiles.iter().enumerate() {
                    let k = k as u64 + 1;
                    assert_eq!((p, c), (k, k * (k + 1) / 2), "tile {k} with {threads} threads");
                }
                let mut outside: Vec<(u64, u64)> = vec![(0, 0); n];
                run(&mut outside);
                assert_eq!(outside, tiles);
            }
        }
    }

    #[test]
    fn a_panic_in_either_pipeline_stage_reaches_the_caller() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        for producer_fails in [true, false] {
            let mut tiles: Vec<usize> = (0..64).collect();
            let result = catch_unwind(AssertUnwindSafe(|| {
                pool.install(|| {
                    pipeline(
                        &mut tiles,
                        |t| {
                            if producer_fails && *t == 40 {
                                panic!("tile 40");
                            }
                        },
                        |t| {
                            if !producer_fails && *t == 40 {
                                panic!("tile 40");
                            }
                        },
                    )
                })
            }));
            assert!(result.is_err(), "producer fails: {producer_fails}");
        }
    }
}
