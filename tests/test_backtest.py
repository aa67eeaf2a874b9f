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


# ---- order-level simulation from signals (parity with vectorbt lives in
# test_backtest_vectorbt.py, which runs where vectorbt is installed) ----


def test_from_signals_records_trades_equity_and_metrics():
    from barrow.backtest import from_signals

    close = np.array([10.0, 10.0, 12.0, 12.0, 9.0, 9.0])
    entries = np.array([0, 1, 0, 0, 0, 0], dtype=bool)
    exits = np.array([0, 0, 1, 0, 0, 0], dtype=bool)
    r = from_signals(close, entries, exits, fees=0.01)
    units = 100.0 / 1.01 / 10.0
    assert r.orders["size"][0] == pytest.approx(units, rel=1e-12)
    assert list(r.orders["idx"]) == [1, 2]
    assert r.trades["pnl"][0] == pytest.approx(units * 12 * 0.99 - 100.0, rel=1e-12)
    assert r.trades["duration"][0] == 1 and bool(r.trades["closed"][0])
    assert r.value[-1] == pytest.approx(units * 12 * 0.99, rel=1e-12)
    assert r.metrics["trades"] == 1 and r.metrics["orders"] == 2
    assert r.metrics["win_rate"] == 1.0
    assert r.metrics["exposure"] == pytest.approx(1 / 6)
    assert np.all(r.drawdown <= 0)


def test_from_signals_next_open_never_fills_at_the_signal_bar():
    from barrow.backtest import from_signals

    close = random_walk(200, 3, start=100.0)
    open_ = close * 0.999
    entries = np.arange(200) % 20 == 0
    exits = np.arange(200) % 20 == 10
    r = from_signals(close, entries, exits, open=open_, execution="next_open")
    sig = np.flatnonzero(entries | exits)
    filled = r.orders["idx"]
    assert set(filled) <= set(sig + 1)
    assert np.array_equal(r.orders["price"], open_[filled])


def test_from_signals_accepts_pandas_and_arrow():
    import pandas as pd
    import pyarrow as pa

    from barrow.backtest import from_signals

    close = random_walk(300, 4, start=100.0)
    en = np.arange(300) % 30 == 1
    ex = np.arange(300) % 30 == 15
    a = from_signals(close, en, ex, fees=0.001, sl_stop=0.02)
    b = from_signals(pd.Series(close), pd.Series(en), pd.Series(ex), fees=0.001, sl_stop=0.02)
    c = from_signals(pa.array(close), pa.array(en), pa.array(ex), fees=0.001, sl_stop=0.02)
    assert a.metrics == b.metrics == c.metrics


@pytest.mark.parametrize(
    "kwargs, needle",
    [
        ({"fees": -0.1}, "fees"),
        ({"direction": "sideways"}, "direction"),
        ({"size": 1.5, "size_type": "percent"}, "size"),
        ({"size": 0.5, "size_type": "percent", "direction": "both"}, "size_type"),
        ({"execution": "next_open"}, "open"),
        ({"sl_stop": -0.1}, "sl_stop"),
        ({"init_cash": 0}, "init_cash"),
    ],
)
def test_from_signals_bad_settings(kwargs, needle):
    from barrow.backtest import from_signals

    close = np.array([1.0, 2.0, 3.0])
    flags = np.array([True, False, False])
    with pytest.raises(ValueError, match=needle):
        from_signals(close, flags, flags, **kwargs)


def test_from_signals_bad_signals():
    from barrow.backtest import from_signals

    close = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="entries"):
        from_signals(close, np.array([True, False]), np.zeros(3, bool))
    with pytest.raises(ValueError, match="exits"):
        from_signals(close, np.zeros(3, bool), np.array([0.0, np.nan, 1.0]))


# ---- sweeps and walk-forward ----


def crossed_above(a, b):
    """vectorbt's crossed_above (wait=0), written out in numpy terms."""
    out = np.zeros(len(a), dtype=bool)
    was_below, ago = False, -1
    for i, (x, y) in enumerate(zip(a, b)):
        if np.isnan(x) or np.isnan(y):
            was_below, ago = False, -1
        elif x > y:
            if was_below:
                ago += 1
                out[i] = ago == 0
        else:
            ago = -1
            was_below = was_below or x < y
    return out


def bars_table(symbols=3, n=600):
    import barrow

    return barrow.generate(symbols=symbols, bars=n, seed=11)


def test_sweep_ma_cross_equals_from_signals_on_each_combination():
    import barrow.talib as talib
    from barrow.backtest import from_signals, sweep

    table = bars_table()
    result = sweep(table, "ma_cross", {"fast": [5, 10, 20], "slow": [10, 20, 50]}, fees=0.001, sl_stop=0.05)
    assert result.num_rows == 3 * 6  # pairs with fast < slow, per symbol
    df = table.to_pandas()
    rows = result.to_pylist()
    for row in rows:
        bars = df[df.symbol == row["symbol"]]
        close = bars.close.to_numpy()
        f, s = talib.SMA(close, row["fast"]), talib.SMA(close, row["slow"])
        ref = from_signals(
            close,
            crossed_above(f, s),
            crossed_above(s, f),
            open=bars.open.to_numpy(),
            high=bars.high.to_numpy(),
            low=bars.low.to_numpy(),
            fees=0.001,
            sl_stop=0.05,
        ).metrics
        for name, value in ref.items():
            got = row[name]
            assert got == value or (np.isnan(got) and np.isnan(value)), (row["symbol"], row["fast"], name)


def test_sweep_templates_and_signal_table():
    import pyarrow as pa

    from barrow.backtest import sweep

    table = bars_table(symbols=2, n=800)
    rsi = sweep(table, "rsi", {"period": [7, 14], "lower": [25, 30], "upper": [70]})
    assert rsi.num_rows == 2 * 4 and rsi.column_names[:4] == ["symbol", "period", "lower", "upper"]
    bb = sweep(table, "bbands", [{"period": 20, "nbdev": 2.0}, {"period": 10, "nbdev": 1.5}])
    assert bb.num_rows == 4 and min(bb.column("trades").to_pylist()) > 0
    n = table.num_rows
    signals = table.append_column("entries", pa.array(np.arange(n) % 50 == 0)).append_column(
        "exits", pa.array(np.arange(n) % 50 == 25)
    )
    stops = sweep(signals, "signals", {"sl_stop": [0.01, 0.5], "tp_stop": [0.02, 0.5]})
    assert stops.num_rows == 2 * 4
    loose = stops.filter(pa.compute.equal(stops.column("sl_stop"), 0.5)).column("orders").to_pylist()
    assert all(o > 0 for o in loose)


def test_sweep_accepts_pandas_and_reports_bad_grids():
    from barrow.backtest import sweep

    df = bars_table(symbols=1, n=300).to_pandas()
    assert sweep(df, "ma_cross", {"fast": [5], "slow": [20]}).num_rows == 1
    with pytest.raises(ValueError, match="slowest"):
        sweep(df, "ma_cross", {"fast": [5], "slowest": [20]})
    with pytest.raises(ValueError, match="no combination"):
        sweep(df, "ma_cross", {"fast": [20], "slow": [5]})
    with pytest.raises(ValueError, match="strategy"):
        sweep(df, "macd", {"fast": [5]})
    with pytest.raises(ValueError, match="symbol"):
        sweep(df.drop(columns=["symbol"]), "ma_cross", {"fast": [5], "slow": [20]})
    with pytest.raises(ValueError, match="entries"):
        sweep(df, "signals", {"sl_stop": [0.1]})
    with pytest.raises(ValueError, match="timestamp goes backwards"):
        sweep(df.iloc[::-1], "ma_cross", {"fast": [5], "slow": [20]})


def test_walk_forward_windows_and_choices():
    from barrow.backtest import walk_forward

    table = bars_table(symbols=2, n=1000)
    grid = {"fast": [5, 10, 20], "slow": [30, 60]}
    w = walk_forward(table, "ma_cross", grid, train=400, test=200, metric="total_return")
    rows = w.to_pylist()
    assert len(rows) == 2 * 3
    first = rows[0]
    assert (first["train_start"], first["train_end"], first["test_end"]) == (0, 400, 600)
    assert all((r["fast"], r["slow"]) in {(f, s) for f in grid["fast"] for s in grid["slow"]} for r in rows)
    assert "train_total_return" in w.column_names
    with pytest.raises(ValueError, match="metric"):
        walk_forward(table, "ma_cross", grid, train=400, test=200, metric="luck")
    with pytest.raises(ValueError, match="fewer than one window"):
        walk_forward(table, "ma_cross", grid, train=900, test=200)


def test_from_targets_holds_the_target_weight_after_each_order():
    from barrow.backtest import from_targets

    close = random_walk(300, 8, start=100.0)
    target = np.full(300, np.nan)
    target[10], target[100], target[200] = 0.5, -0.25, 0.0
    r = from_targets(close, target, fees=0.001)
    assert list(r.orders["idx"]) == [10, 100, 200]
    weight = r.position * close / r.value
    assert weight[10] == pytest.approx(0.5 / (1 - 0.5 * 0.001), rel=1e-9)  # the fee left the value
    assert weight[150] < 0 and r.position[250] == 0.0
    assert r.metrics["trades"] == 2


def test_from_targets_bad_input():
    from barrow.backtest import from_targets

    close = np.array([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="target"):
        from_targets(close, np.array([0.5, np.inf, 0.0]))
    with pytest.raises(ValueError, match="kind"):
        from_targets(close, np.array([0.5, 1.0, 0.0]), kind="weights")
    with pytest.raises(ValueError, match="stop"):
        from_targets(close, np.array([0.5, 1.0, 0.0]), sl_stop=0.1)
