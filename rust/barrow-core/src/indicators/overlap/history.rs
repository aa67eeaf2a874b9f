//! The last `cap` values of a series, addressable by their global index.

/// Circular storage indexed by position in the whole series. The capacity
/// is rounded up to a power of two, so an index maps to its slot with a
/// mask instead of a division (window kernels read it on every bar).
#[derive(Clone, Debug)]
pub(crate) struct History {
    buf: Box<[f64]>,
    mask: usize,
}

impl History {
    pub(crate) fn new(cap: usize) -> Self {
        let len = cap.max(1).next_power_of_two();
        Self {
            buf: vec![0.0; len].into_boxed_slice(),
            mask: len - 1,
        }
    }

    #[inline(always)]
    pub(crate) fn put(&mut self, index: usize, v: f64) {
        self.buf[index & self.mask] = v;
    }

    /// The value at `index`, which must be among the last `cap` stored.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> f64 {
        self.buf[index & self.mask]
    }
}
