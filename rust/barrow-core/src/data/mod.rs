//! Deterministic sample data.

pub mod rng;
pub mod synthetic;
