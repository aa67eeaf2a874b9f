"""Table API: append indicator columns to a multi-symbol table.

A spec (see :func:`spec`) lists indicators; the table holds a symbol and a
timestamp column and must be sorted by (symbol, timestamp) with unique
timestamps per symbol. Prices must be numeric with no null or NaN value.
Violations raise ``ValueError``/``TypeError`` naming the column, row and
symbol. The same spec JSON drives the Spark stage.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import pyarrow as pa

from . import _native

SpecLike = Union[str, Dict[str, Any], List[Dict[str, Any]]]

__all__ = ["Pipeline", "compute", "indicator", "spec"]


def indicator(fn: str, name: Optional[str] = None, inputs: Optional[Dict[str, str]] = None, **params: Any) -> dict:
    """One indicator entry: ``indicator("BBANDS", name="bb", timeperiod=20)``."""
    entry: Dict[str, Any] = {"fn": fn}
    if params:
        entry["params"] = params
    if inputs:
        entry["inputs"] = dict(inputs)
    if name is not None:
        entry["name"] = name
    return entry


def spec(indicators: Iterable[dict], symbol: str = "symbol", timestamp: str = "timestamp") -> dict:
    """A pipeline spec: key column names and a list of :func:`indicator` entries."""
    return {"symbol": symbol, "timestamp": timestamp, "indicators": list(indicators)}


def to_json(spec_like: SpecLike) -> str:
    """Validates a spec (JSON text, dict, or list of indicators) and returns
    its normalized JSON."""
    if isinstance(spec_like, list):
        spec_like = spec(spec_like)
    text = spec_like if isinstance(spec_like, str) else json.dumps(spec_like)
    normalized, _ = _native.plan_spec(text)
    return normalized


def output_fields(spec_like: SpecLike) -> List[Tuple[str, str]]:
    """(name, "double" or "int") of each column a spec appends, in order;
    integer outputs (candlestick codes, bar indices) are int32."""
    return [(name, kind) for name, kind in _native.plan_spec(to_json(spec_like))[1]]


def output_columns(spec_like: SpecLike) -> List[str]:
    """Names of the columns a spec appends, in order."""
    return [name for name, _ in output_fields(spec_like)]


def output_schema(spec_like: SpecLike, input_schema: pa.Schema) -> pa.Schema:
    """Schema of the output for a given input schema."""
    schema = input_schema
    for name, kind in output_fields(spec_like):
        if name in input_schema.names:
            raise ValueError(f"output column '{name}' already exists in the input; give the indicator another name")
        schema = schema.append(pa.field(name, pa.int32() if kind == "int" else pa.float64()))
    return schema


def _to_arrow(data: Any) -> Any:
    module = type(data).__module__
    if module.startswith("pandas"):
        return pa.Table.from_pandas(data, preserve_index=False)
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return data
    raise TypeError(f"expected a pyarrow/polars/pandas table or record batch, got {type(data).__name__}")


def compute(data: Any, spec_like: SpecLike) -> Any:
    """Appends the spec's indicator columns to a whole table.

    Accepts a pyarrow Table, RecordBatch or RecordBatchReader, a polars or a
    pandas DataFrame; returns the same kind (pyarrow Table for Arrow input).
    """
    result = pa.table(_native.compute_spec(to_json(spec_like), _to_arrow(data)))
    module = type(data).__module__
    if module.startswith("pandas"):
        return result.to_pandas()
    if module.startswith("polars"):
        import polars as pl

        return pl.from_arrow(result)
    return result


class Pipeline:
    """Stateful computation over a stream of record batches sorted by
    (symbol, timestamp): a symbol may continue from one batch to the next
    and its indicator state carries over exactly. A failed batch leaves the
    state unchanged."""

    def __init__(self, spec_like: SpecLike) -> None:
        self._spec_json = to_json(spec_like)
        self._inner = _native.Pipeline(self._spec_json)

    @property
    def spec_json(self) -> str:
        """The normalized spec."""
        return self._spec_json

    @property
    def output_columns(self) -> List[str]:
        """Names of the appended columns."""
        return list(self._inner.output_columns)

    def process(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """Processes the next batch."""
        return pa.record_batch(self._inner.process(batch))

    def process_all(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """Processes batches lazily, in order."""
        for batch in batches:
            yield self.process(batch)
