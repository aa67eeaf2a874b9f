//! Math operators and math transforms: element-wise functions of one or two
//! series, and the rolling sum.

mod cumsum;
mod elementwise;
mod minmax;
mod sum;

pub use cumsum::CumSum;
pub(crate) use elementwise::{in_parts, map_into};
pub use elementwise::{Map1, Map2};
pub use minmax::{WindowExtremes, WindowExtremesKind};
pub use sum::Sum;
