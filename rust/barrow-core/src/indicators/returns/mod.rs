//! Return features that TA-Lib lacks but every pipeline computes.

mod log_return;

pub use log_return::LogReturn;
