"""barrow: native technical indicators, tree models and backtests over Arrow.

Modules:

- :mod:`barrow.talib` — TA-Lib-compatible functions (same names, values).
- :mod:`barrow.table` — append indicator columns to multi-symbol tables
  from a JSON spec, in one go or batch by batch.
- :mod:`barrow.tree` — scikit-learn-style decision trees.
- :mod:`barrow.backtest` — order-level backtests from signals (vectorbt's
  rules), parameter sweeps and walk-forward in Rust, and vectorized
  position backtests.
- :mod:`barrow.data` — seeded synthetic OHLCV bars.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

from . import _native
from .backtest import BacktestResult, backtest
from .data import generate
from .table import Pipeline, compute, indicator, spec

__version__ = _native.__version__

__all__ = [
    "BacktestResult",
    "Pipeline",
    "__version__",
    "backtest",
    "compute",
    "functions",
    "generate",
    "indicator",
    "spec",
]


def functions() -> List[Dict[str, Any]]:
    """The indicator catalogue: name, group, inputs, parameters (default,
    range) and outputs of every function the spec can name."""
    return json.loads(_native.functions_json())
