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
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// A helper that has not started.
const IDLE: u8 = 0;
/// A helper taking items.
const RUNNING: u8 = 1;
/// A helper called off before it started: it will not touch the items.
const CALLED_OFF: u8 = 2;
/// A helper done with the items.
const DONE: u8 = 3;

/// What the caller and its helpers share: the next item to take, each
/// helper's state, and a helper's panic, passed on to the caller.
struct Shared {
    next: AtomicUsize,
    helpers: Vec<AtomicU8>,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

/// The items and the function, behind the address a helper receives.
struct Job<'a, T> {
    items: *mut T,
    len: usize,
    f: &'a (dyn Fn(&mut T) + Sync),
}

/// Takes items until none is left. Each index is taken once, by one
/// thread, so the `&mut` to an item is never shared.
///
/// # Safety
/// `job` is the address of a live `Job<T>` whose items outlive the call.
unsafe fn take_items<T>(job: usize, shared: &Shared) {
    // SAFETY: the caller guarantees `job` points to a live Job<T>.
    let job = unsafe { &*(job as *const Job<'_, T>) };
    loop {
        let k = shared.next.fetch_add(1, Ordering::Relaxed);
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
    let helpers = (rayon::current_num_threads().max(1) - 1).min(items.len().saturating_sub(1));
    if helpers == 0 {
        items.iter_mut().for_each(f);
        return;
    }
    let job = Job {
        items: items.as_mut_ptr(),
        len: items.len(),
        f: &f,
    };
    let addr = &job as *const Job<'_, T> as usize;
    let shared = Arc::new(Shared {
        next: AtomicUsize::new(0),
        helpers: (0..helpers).map(|_| AtomicU8::new(IDLE)).collect(),
        panic: Mutex::new(None),
    });
    // A plain function pointer: the spawned closure holds no `T`.
    let take: unsafe fn(usize, &Shared) = take_items::<T>;
    for h in 0..helpers {
        let shared = Arc::clone(&shared);
        rayon::spawn(move || {
            let state = &shared.helpers[h];
            if state
                .compare_exchange(IDLE, RUNNING, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
            {
                return;
            }
            // SAFETY: the caller waits for RUNNING helpers to be DONE
            // before `job` and the items go away.
            let result = catch_unwind(AssertUnwindSafe(|| unsafe { take(addr, &shared) }));
            if let Err(payload) = result {
                *shared.panic.lock().unwrap_or_else(|e| e.into_inner()) = Some(payload);
            }
            state.store(DONE, Ordering::Release);
        });
    }
    // SAFETY: `job` lives on this frame until every helper is done or
    // called off, below.
    let result = catch_unwind(AssertUnwindSafe(|| unsafe { take(addr, &shared) }));
    for state in &shared.helpers {
        if state
            .compare_exchange(IDLE, CALLED_OFF, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            // Running: at most the item it holds is left.
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
}
