//! Price transforms that need state (the stateless ones are element-wise
//! maps in `math`).

mod avgdev;
mod ha;

pub use avgdev::AvgDev;
pub use ha::HeikinAshi;
