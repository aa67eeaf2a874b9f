//! The indicator pipeline spec: one serde (JSON) format shared by the table
//! API, the Spark stage and the command line.
//!
//! ```json
//! {
//!   "symbol": "symbol",
//!   "timestamp": "timestamp",
//!   "indicators": [
//!     {"fn": "SMA", "params": {"timeperiod": 20}},
//!     {"fn": "BBANDS", "params": {"timeperiod": 20}, "name": "bb"},
//!     {"fn": "ATR", "inputs": {"close": "adj_close"}}
//!   ]
//! }
//! ```
//!
//! `inputs` maps a function's input names (`real`, `high`, `low`, `close`,
//! ...) to columns; unmapped `real` reads `close` and every other input reads
//! the column of its own name. A single-output function writes the column
//! `name`; a multi-output one writes `name_<output>` (`bb_upperband`, ...).
//! Without `name`, the name is the lower-case function name followed by its
//! resolved parameters (`sma_20`, `macd_12_26_9`).

use std::collections::{BTreeMap, HashSet};

use arrow_schema::DataType;
use serde::{Deserialize, Serialize};

use crate::error::{BarrowError, Result};
use crate::indicators::registry::default_column;
use crate::indicators::{find_function, FunctionInfo, Indicator, ParamKind};

/// A whole pipeline: key columns and the indicators to append.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSpec {
    /// Column holding the instrument identifier.
    #[serde(default = "default_symbol")]
    pub symbol: String,
    /// Column holding the bar timestamp.
    #[serde(default = "default_timestamp")]
    pub timestamp: String,
    /// Indicators, in output-column order.
    pub indicators: Vec<IndicatorSpec>,
}

/// One indicator of a pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorSpec {
    /// Function name, as in TA-Lib (`SMA`, `MACD`, ...).
    #[serde(rename = "fn")]
    pub function: String,
    /// Parameters by TA-Lib keyword; missing ones take TA-Lib's defaults.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, f64>,
    /// Input name to column mapping.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub inputs: BTreeMap<String, String>,
    /// Output column name (or prefix for multi-output functions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

fn default_symbol() -> String {
    "symbol".to_string()
}

fn default_timestamp() -> String {
    "timestamp".to_string()
}

/// An indicator spec resolved against the function catalogue.
#[derive(Clone, Debug)]
pub struct IndicatorPlan {
    /// The function.
    pub info: &'static FunctionInfo,
    /// Parameters in the function's order, defaults applied.
    pub params: Vec<f64>,
    /// Column read for each of the function's inputs.
    pub input_columns: Vec<String>,
    /// Column written for each of the function's outputs.
    pub output_columns: Vec<String>,
}

impl IndicatorPlan {
    /// Output columns with their Arrow types (Int32 for integer outputs).
    pub fn output_fields(&self) -> impl Iterator<Item = (&str, DataType)> + '_ {
        self.output_columns.iter().enumerate().map(|(k, c)| {
            let ty = if self.info.integer_output(k) {
                DataType::Int32
            } else {
                DataType::Float64
            };
            (c.as_str(), ty)
        })
    }

    /// Builds a fresh state machine for one series.
    pub fn build(&self) -> Box<dyn Indicator> {
        // Parameters were validated when the plan was made.
        self.info.build(&self.params).expect("validated parameters build")
    }
}

fn format_param(v: f64, kind: ParamKind) -> String {
    match kind {
        ParamKind::Int => format!("{}", v as i64),
        ParamKind::Float => format!("{v}"),
    }
}

impl IndicatorSpec {
    /// Resolves the function, parameters, input and output columns.
    pub fn plan(&self) -> Result<IndicatorPlan> {
        let info = find_function(&self.function)?;
        let params = info.resolve(&self.params)?;
        for key in self.inputs.keys() {
            if !info.inputs.contains(&key.as_str()) {
                return Err(BarrowError::Spec(format!(
                    "{} has no input '{key}'; its inputs are: {}",
                    info.name,
                    info.inputs.join(", ")
                )));
            }
        }
        let input_columns = info
            .inputs
            .iter()
            .map(|i| {
                self.inputs
                    .get(*i)
                    .cloned()
                    .unwrap_or_else(|| default_column(i).to_string())
            })
            .collect();
        let base = match &self.name {
            Some(n) if n.is_empty() => return Err(BarrowError::Spec(format!("{}: name must not be empty", info.name))),
            Some(n) => n.clone(),
            None => {
                let mut s = info.name.to_ascii_lowercase();
                for (p, v) in info.params.iter().zip(&params) {
                    s.push('_');
                    s.push_str(&format_param(*v, p.kind));
                }
                s
            }
        };
        let output_columns = if info.outputs.len() == 1 {
            vec![base]
        } else {
            info.outputs.iter().map(|o| format!("{base}_{o}")).collect()
        };
        Ok(IndicatorPlan {
            info,
            params,
            input_columns,
            output_columns,
        })
    }
}

impl PipelineSpec {
    /// Parses a spec from JSON.
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str(json).map_err(|e| BarrowError::Spec(e.to_string()))
    }

    /// Serializes the spec to JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("spec serializes")
    }

    /// Resolves every indicator; output names must be unique and must not
    /// collide with the key columns.
    pub fn plan(&self) -> Result<Vec<IndicatorPlan>> {
        if self.indicators.is_empty() {
            return Err(BarrowError::Spec("the spec lists no indicators".to_string()));
        }
        if self.symbol == self.timestamp {
            return Err(BarrowError::Spec(format!(
                "symbol and timestamp must be different columns, both are '{}'",
                self.symbol
            )));
        }
        let plans: Vec<IndicatorPlan> = self.indicators.iter().map(IndicatorSpec::plan).collect::<Result<_>>()?;
        let mut seen = HashSet::new();
        for col in plans.iter().flat_map(|p| &p.output_columns) {
            if !seen.insert(col.as_str()) || col == &self.symbol || col == &self.timestamp {
                return Err(BarrowError::Spec(format!(
                    "output column '{col}' is produced twice or names a key column"
                )));
            }
        }
        Ok(plans)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_round_trips_through_json_and_names_outputs() {
        let json = r#"{"indicators":[{"fn":"sma","params":{"timeperiod":20}},{"fn":"BBANDS","name":"bb"},{"fn":"MACD"},{"fn":"ATR","inputs":{"close":"adj"}}]}"#;
        let spec = PipelineSpec::from_json(json).unwrap();
        assert_eq!(spec.symbol, "symbol");
        assert_eq!(PipelineSpec::from_json(&spec.to_json()).unwrap(), spec);
        let plans = spec.plan().unwrap();
        assert_eq!(plans[0].output_columns, ["sma_20"]);
        assert_eq!(
            plans[1].output_columns,
            ["bb_upperband", "bb_middleband", "bb_lowerband"]
        );
        assert_eq!(plans[2].output_columns[0], "macd_12_26_9_macd");
        assert_eq!(plans[3].input_columns, ["high", "low", "adj"]);
    }

    #[test]
    fn spec_errors_name_the_problem() {
        let dup = r#"{"indicators":[{"fn":"SMA"},{"fn":"SMA"}]}"#;
        assert!(PipelineSpec::from_json(dup)
            .unwrap()
            .plan()
            .unwrap_err()
            .to_string()
            .contains("sma_30"));
        let unknown_field = r#"{"indicators":[{"fn":"SMA","period":3}]}"#;
        assert!(PipelineSpec::from_json(unknown_field)
            .unwrap_err()
            .to_string()
            .contains("period"));
        let bad_input = r#"{"indicators":[{"fn":"SMA","inputs":{"high":"h"}}]}"#;
        assert!(PipelineSpec::from_json(bad_input).unwrap().plan().is_err());
        let empty = r#"{"indicators":[]}"#;
        assert!(PipelineSpec::from_json(empty).unwrap().plan().is_err());
    }
}
