//! Per-symbol models over a sorted stream: gather one symbol's history,
//! train on its earlier part, predict and backtest its later part.

mod stage;

pub use stage::{output_columns, ColumnKind, ModelConfig, ModelStage, SplitRule, TreeConfig};
