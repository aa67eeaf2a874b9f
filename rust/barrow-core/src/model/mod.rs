//! Models over sorted streams: the per-symbol stage (gather one symbol's
//! history, train on its earlier part or walk forward, predict and backtest
//! the rest), and applying a pooled model to batches.

mod apply;
mod stage;

pub use apply::{predict_batch, prediction_fields};
pub use stage::{output_columns, ColumnKind, ModelConfig, ModelStage, SplitRule, TreeConfig};
