//! Price transforms with state (the stateless ones are element-wise maps in
//! `math`).

mod ha;

pub use ha::HeikinAshi;
