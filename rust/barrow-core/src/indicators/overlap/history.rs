//! The last `cap` values of a series, addressable by their global index.

/// Circular storage indexed by position in the whole series.
#[derive(Clone, Debug)]
pub(crate) struct History {
    buf: Vec<f64>,
}

impl History {
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            buf: vec![0.0; cap.max(1)],
        }
    }

    #[inline(always)]
    pub(crate) fn put(&mut self, index: usize, v: f64) {
        let cap = self.buf.len();
        self.buf[index % cap] = v;
    }

    /// The value at `index`, which must be among the last `cap` stored.
    #[inline(always)]
    pub(crate) fn get(&self, index: usize) -> f64 {
        self.buf[index % self.buf.len()]
    }
}
