"""Type stubs for barrow's native module (barrow-py)."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__version__: str

class ArrowData:
    """Arrow data exported through the Arrow PyCapsule interface."""

    def __arrow_c_stream__(self, requested_schema: Optional[Any] = None) -> Any: ...
    def __arrow_c_array__(self, requested_schema: Optional[Any] = None) -> Tuple[Any, Any]: ...
    def __len__(self) -> int: ...

def indicator_numpy(
    name: str, inputs: Sequence[npt.NDArray[np.float64]], params: Dict[str, float]
) -> List[npt.NDArray[Any]]:
    """Computes a catalogue function over float64 arrays (TA-Lib conventions; int32 for integer outputs)."""

def indicator_arrow(name: str, inputs: Sequence[Any], params: Dict[str, float]) -> List[ArrowData]:
    """Computes a catalogue function over Arrow arrays (nulls read as NaN)."""

def functions_json() -> str:
    """The function catalogue as JSON."""

def plan_spec(spec_json: str) -> Tuple[str, List[Tuple[str, str]]]:
    """Validates a spec; returns its normalized JSON and output column names."""

def compute_spec(spec_json: str, table: Any) -> ArrowData:
    """Appends a spec's indicator columns to a whole Arrow table."""

def generate(symbols: int, bars: int, seed: int = 42, start_day: int = 16437) -> ArrowData:
    """Seeded synthetic OHLCV bars as one record batch."""

def backtest(
    close: npt.NDArray[np.float64],
    position: npt.NDArray[np.float64],
    fee: float = 0.0,
    periods_per_year: float = 252.0,
) -> Dict[str, Any]:
    """Backtests a position series; returns returns, equity and metrics."""

def simulate_signals(
    close: npt.NDArray[np.float64],
    entries: npt.NDArray[np.bool_],
    exits: npt.NDArray[np.bool_],
    config_json: str,
    open: Optional[npt.NDArray[np.float64]] = None,
    high: Optional[npt.NDArray[np.float64]] = None,
    low: Optional[npt.NDArray[np.float64]] = None,
) -> Dict[str, Any]:
    """Order-level simulation from signals; value/cash/position/returns/drawdown arrays, orders, trades, metrics."""

def simulate_targets(
    close: npt.NDArray[np.float64],
    target: npt.NDArray[np.float64],
    kind: str,
    config_json: str,
    open: Optional[npt.NDArray[np.float64]] = None,
    high: Optional[npt.NDArray[np.float64]] = None,
    low: Optional[npt.NDArray[np.float64]] = None,
) -> Dict[str, Any]:
    """Order-level simulation of position targets (percent, value or amount); same dict as simulate_signals."""

def plan_sweep(spec_json: str, walk_forward: bool = False) -> Tuple[str, List[Tuple[str, str]]]:
    """Validates a sweep or walk-forward spec; returns its normalized JSON and output (name, kind) columns."""

def sweep_table(spec_json: str, table: Any) -> ArrowData:
    """Runs a sweep over a table: one row per (symbol, combination)."""

def walk_forward_table(spec_json: str, table: Any) -> ArrowData:
    """Walk-forward optimization over a table: one row per (symbol, window)."""

class Pipeline:
    """Stateful indicator pipeline over batches sorted by (symbol, timestamp)."""

    def __init__(self, spec_json: str) -> None: ...
    def process(self, batch: Any) -> ArrowData: ...
    @property
    def output_columns(self) -> List[str]: ...
    @property
    def spec_json(self) -> str: ...

def fit_model(
    kind: str,
    x: npt.NDArray[np.float64],
    params_json: str,
    y_classes: Optional[npt.NDArray[np.uint32]] = None,
    n_classes: int = 0,
    y_values: Optional[npt.NDArray[np.float64]] = None,
    sample_weight: Optional[npt.NDArray[np.float64]] = None,
) -> Model:
    """Fits a tree ("tree") or random forest ("forest"); NaN in x is missing."""

class Model:
    """A fitted tree or forest (versioned JSON via to_json/from_json)."""

    def predict_values(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]: ...
    @property
    def feature_importances(self) -> npt.NDArray[np.float64]: ...
    @property
    def n_features(self) -> int: ...
    @property
    def tree_sizes(self) -> List[Tuple[int, int, int]]: ...
    @property
    def oob_score(self) -> Optional[float]: ...
    def oob_prediction(self) -> Optional[npt.NDArray[np.float64]]: ...
    @property
    def n_classes(self) -> int: ...
    def predict_batch(self, batch: Any, features: List[str], prefix: str = "") -> Any:
        """Appends {prefix}prediction (and {prefix}proba_k for classifiers) to an Arrow batch."""
    def prediction_fields(self, prefix: str = "") -> List[Tuple[str, str]]: ...
    def to_json(self) -> str: ...
    @staticmethod
    def from_json(json: str) -> Model: ...
