"""Input and output conversion shared by the public modules (no math here)."""

from __future__ import annotations

from typing import Any, Callable, List, Sequence, Tuple

import numpy as np

KIND_NUMPY = "numpy"
KIND_PANDAS = "pandas"
KIND_ARROW = "arrow"
KIND_POLARS = "polars"


def kind_of(obj: Any) -> str:
    """Classifies an input container."""
    module = type(obj).__module__
    if module.startswith("pandas"):
        return KIND_PANDAS
    if module.startswith("polars"):
        return KIND_POLARS
    if hasattr(obj, "__arrow_c_array__") or hasattr(obj, "__arrow_c_stream__"):
        return KIND_ARROW
    return KIND_NUMPY


def as_float64(obj: Any, name: str, func: str) -> np.ndarray:
    """A contiguous 1-D float64 view or copy of a numpy/pandas/sequence input."""
    if obj is None:
        raise TypeError(f"{func}: input '{name}' is None; expected a 1-D numeric array")
    arr = obj.to_numpy() if hasattr(obj, "to_numpy") and not isinstance(obj, np.ndarray) else np.asarray(obj)
    if arr.ndim != 1:
        raise ValueError(f"{func}: input '{name}' must be 1-dimensional, got shape {arr.shape}")
    if arr.dtype == np.float64:
        return np.ascontiguousarray(arr)
    if arr.dtype.kind in "iuf" or arr.dtype == np.bool_:
        return np.ascontiguousarray(arr, dtype=np.float64)
    if arr.dtype.kind == "O" and len(arr) and all(isinstance(v, (int, float)) for v in arr[:64]):
        try:
            return np.ascontiguousarray(arr.astype(np.float64))
        except (TypeError, ValueError):
            pass
    raise TypeError(
        f"{func}: input '{name}' has dtype {arr.dtype}; expected a numeric (float64) array"
        + (" (cast decimals or strings to float first)" if arr.dtype.kind in "OUS" else "")
    )


def call_indicator(
    native_numpy: Callable[..., List[np.ndarray]],
    native_arrow: Callable[..., list],
    func: str,
    inputs: Sequence[Tuple[str, Any]],
    params: dict,
) -> List[Any]:
    """Runs a catalogue function on inputs of any supported kind and returns
    outputs of the matching kind."""
    params = check_params(func, params)
    if all(type(v) is np.ndarray and v.dtype == np.float64 and v.ndim == 1 for _, v in inputs):
        # The common case, float64 numpy arrays in and out, without the
        # conversions below (contiguity is `as_float64`'s to fix).
        return native_numpy(func, [as_float64(v, n, func) for n, v in inputs], params)
    kinds = {kind_of(v) for _, v in inputs}
    if kinds <= {KIND_ARROW, KIND_POLARS}:
        import pyarrow as pa

        objs = [v.to_arrow() if kind_of(v) == KIND_POLARS else v for _, v in inputs]
        # A chunked array exports a stream of plain arrays; hand over one array.
        objs = [o.combine_chunks() if isinstance(o, pa.ChunkedArray) else o for o in objs]
        outs = [pa.array(o) for o in native_arrow(func, objs, params)]
        if KIND_POLARS in kinds:
            import polars as pl

            return [pl.Series(o) for o in outs]
        return outs
    arrays = [as_float64(v, n, func) for n, v in inputs]
    outs = native_numpy(func, arrays, params)
    if KIND_PANDAS in kinds:
        import pandas as pd

        index = next(v.index for _, v in inputs if kind_of(v) == KIND_PANDAS and hasattr(v, "index"))
        return [pd.Series(o, index=index) for o in outs]
    return outs


def check_params(func: str, params: dict) -> dict:
    """Rejects non-numeric parameter values with a message naming them."""
    out = {}
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(f"{func}: parameter '{key}' must be a number, got {type(value).__name__} {value!r}")
        out[key] = float(value)
    return out
