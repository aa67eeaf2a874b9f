//! Fixed-capacity ring buffer holding the trailing values a window kernel
//! subtracts, so kernels carry their window across chunk borders.

/// The last `cap` values pushed; [`Ring::swap`] returns the value pushed
/// `cap` steps earlier (0.0 while the ring is still filling).
#[derive(Clone, Debug)]
pub(crate) struct Ring {
    buf: Box<[f64]>,
    pos: usize,
}

impl Ring {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            buf: vec![0.0; cap].into_boxed_slice(),
            pos: 0,
        }
    }

    /// Stores `v` and returns the value stored `cap` pushes ago. With a
    /// capacity of zero the window is just `v`, which is returned.
    #[inline(always)]
    pub(crate) fn swap(&mut self, v: f64) -> f64 {
        if self.buf.is_empty() {
            return v;
        }
        let old = std::mem::replace(&mut self.buf[self.pos], v);
        self.pos += 1;
        if self.pos == self.buf.len() {
            self.pos = 0;
        }
        old
    }

    /// The storage and the position of the oldest value, for loops that
    /// keep the position in a local.
    #[inline(always)]
    pub(crate) fn parts(&mut self) -> (&mut [f64], &mut usize) {
        (&mut self.buf, &mut self.pos)
    }

    /// The values in push order, oldest first.
    pub(crate) fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        self.buf[self.pos..].iter().chain(&self.buf[..self.pos]).copied()
    }

    /// The oldest value (the one the next [`Ring::swap`] returns).
    #[inline(always)]
    pub(crate) fn oldest(&self) -> f64 {
        self.buf[self.pos]
    }

    /// Replaces the contents with `values` (exactly `cap` of them, oldest
    /// first).
    pub(crate) fn load(&mut self, values: &[f64]) {
        self.buf.copy_from_slice(values);
        self.pos = 0;
    }

    pub(crate) fn clear(&mut self) {
        self.buf.fill(0.0);
        self.pos = 0;
    }
}
