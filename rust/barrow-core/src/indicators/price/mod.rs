//! Price transforms that need state (the stateless ones are element-wise
//! maps in the catalogue).

mod avgdev;

pub use avgdev::AvgDev;
