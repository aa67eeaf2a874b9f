"""Shared helpers for the barrow test suite."""

from __future__ import annotations

import numpy as np
import pytest


def random_walk(n: int, seed: int, start: float = 500.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start + np.cumsum(rng.normal(size=n))


def ohlc(n: int, seed: int):
    rng = np.random.default_rng(seed)
    close = random_walk(n, seed + 1000)
    high = close + rng.random(n)
    low = close - rng.random(n)
    return high, low, close


def talib_rel(name: str) -> float:
    """The difference from TA-Lib barrow allows itself for `name`: 0 (bit
    for bit), or TOLERANCE for the functions listed in TOLERANT."""
    from barrow._coverage import TOLERANCE, TOLERANT

    return TOLERANCE if name in TOLERANT else 0.0


def assert_same(ours, ref, rel: float = 0.0, what: str = "") -> None:
    """Identical NaN positions and values within `rel` relative to max(1, |ref|)
    (rel=0 means bit-identical)."""
    a = np.asarray(ours, dtype=np.float64)
    b = np.asarray(ref, dtype=np.float64)
    assert a.shape == b.shape, f"{what}: shape {a.shape} != {b.shape}"
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    if not np.array_equal(nan_a, nan_b):
        i = int(np.flatnonzero(nan_a != nan_b)[0])
        raise AssertionError(f"{what}: NaN positions differ first at index {i}: ours {a[i]}, reference {b[i]}")
    m = ~nan_b
    if not m.any():
        return
    err = np.abs(a[m] - b[m]) / np.maximum(1.0, np.abs(b[m]))
    worst = int(np.argmax(err))
    if rel == 0.0:
        diff = np.flatnonzero(a[m] != b[m])
        assert diff.size == 0, (
            f"{what}: {diff.size} values differ in their bits; first at non-NaN index {diff[0]}: "
            f"ours {a[m][diff[0]]!r}, reference {b[m][diff[0]]!r}"
        )
    else:
        assert err[worst] <= rel, f"{what}: relative difference {err[worst]:.3e} > {rel} at non-NaN index {worst}"


@pytest.fixture
def walk():
    return random_walk
