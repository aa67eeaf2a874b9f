"""Vectorized backtest against an independent numpy model of its semantics."""

from __future__ import annotations

import numpy as np
import pytest

from barrow.backtest import backtest
from conftest import random_walk


def reference(close, position, fee, ppy=252.0):
    prev = np.concatenate([[0.0], position[:-1]])
    market = np.concatenate([[0.0], prev[1:] * (close[1:] / close[:-1] - 1.0)])
    r = market - fee * np.abs(position - prev)
    equity = np.cumprod(1.0 + r)
    n = len(r)
    total = equity[-1] - 1.0
    std = r.std(ddof=1)
    return {
        "returns": r,
        "equity": equity,
        "total_return": total,
        "cagr": (1.0 + total) ** (ppy / n) - 1.0,
        "annual_volatility": std * np.sqrt(ppy),
        "sharpe": r.mean() / std * np.sqrt(ppy),
        "max_drawdown": (equity / np.maximum.accumulate(equity) - 1.0).min(),
        "trades": int(np.count_nonzero(position != prev)),
        "exposure": float(np.mean(position != 0)),
    }


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("fee", [0.0, 0.001])
def test_metrics_match_reference(seed, fee):
    close = random_walk(1500, seed, start=200.0)
    rng = np.random.default_rng(seed)
    position = rng.choice([-1.0, 0.0, 0.5, 1.0], size=1500)
    ours = backtest(close, position, fee=fee)
    ref = reference(close, position, fee)
    np.testing.assert_allclose(ours.returns, ref["returns"], rtol=0, atol=1e-15)
    np.testing.assert_allclose(ours.equity, ref["equity"], rtol=1e-12)
    for key in ("total_return", "cagr", "annual_volatility", "sharpe", "max_drawdown", "exposure"):
        assert ours.strategy[key] == pytest.approx(ref[key], rel=1e-9, abs=1e-12), key
    assert ours.strategy["trades"] == ref["trades"]
    bh = reference(close, np.ones_like(close), fee)
    assert ours.buy_and_hold["total_return"] == pytest.approx(bh["total_return"], rel=1e-12)


def test_no_look_ahead_future_prices_do_not_change_the_past():
    close = random_walk(300, 1, start=100.0)
    position = (np.arange(300) % 7 < 3).astype(float)
    a = backtest(close, position)
    changed = close.copy()
    changed[200:] *= 1.5
    b = backtest(changed, position)
    assert np.array_equal(a.returns[:200], b.returns[:200])
    # The position decided at bar t earns bar t+1, never bar t.
    only_t = np.zeros(300)
    only_t[100] = 1.0
    r = backtest(close, only_t).returns
    assert r[100] == 0.0 and r[101] == pytest.approx(close[101] / close[100] - 1.0, rel=1e-15)


def test_pandas_and_arrow_inputs():
    import pandas as pd
    import pyarrow as pa

    close = random_walk(100, 2, start=100.0)
    pos = np.ones(100)
    a = backtest(pd.Series(close), pd.Series(pos))
    b = backtest(pa.array(close), pa.array(pos))
    assert a.strategy == b.strategy


@pytest.mark.parametrize(
    "close, position, kwargs, needle",
    [
        ([1.0, 2.0], [1.0], {}, "length"),
        ([1.0], [1.0], {}, "at least 2 bars"),
        ([1.0, -2.0], [1.0, 1.0], {}, "close"),
        ([1.0, np.nan], [1.0, 1.0], {}, "close"),
        ([1.0, 2.0], [1.0, np.nan], {}, "position"),
        ([1.0, 2.0], [1.0, 1.0], {"fee": -0.1}, "fee"),
        ([1.0, 2.0], [1.0, 1.0], {"periods_per_year": 0}, "periods_per_year"),
    ],
)
def test_bad_input(close, position, kwargs, needle):
    with pytest.raises(ValueError, match=needle):
        backtest(np.array(close), np.array(position), **kwargs)
