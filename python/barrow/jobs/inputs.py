"""Reading and validating OHLCV input for Spark jobs.

Accepted inputs (a local path or any Hadoop filesystem URI such as s3://):

- a Yahoo-style CSV (``Date,Open,High,Low,Close,Adj Close,Volume``) whose
  symbol is its file name (``AAPL.csv`` -> ``AAPL``);
- a folder of such files;
- a CSV with a ``Symbol`` column (and the same price columns);
- Parquet (a file or a folder) with symbol, date/timestamp and price columns.

Every file's header is checked on the driver before Spark reads the data;
values are parsed with ``try_cast`` and the driver collects only per-file
error counts and a few examples, never raw rows. Any problem raises
:class:`InputError` naming the file, the column and the reason.
"""

from __future__ import annotations

import csv
from typing import Any, Dict, List, Tuple

PRICE_COLUMNS = ["open", "high", "low", "close", "volume"]
_CSV_NAMES = {
    "date": "date",
    "open": "open",
    "high": "high",
    "low": "low",
    "close": "close",
    "adj close": "adj_close",
    "volume": "volume",
    "symbol": "symbol",
}
_PARQUET_ALIASES = {"date": "timestamp", "datetime": "timestamp", "time": "timestamp", "ticker": "symbol"}


class InputError(ValueError):
    """Bad input data: the message names the file, column and reason."""


def _fs(spark: Any, path: str) -> Tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), p


def list_files(spark: Any, path: str) -> List[str]:
    """The data files at ``path`` (a file, or the visible files of a folder)."""
    fs, p = _fs(spark, path)
    if not fs.exists(p):
        raise InputError(f"{path}: no such file or folder")
    if not fs.getFileStatus(p).isDirectory():
        return [p.toString()]
    files = []
    for status in fs.listStatus(p):
        name = status.getPath().getName()
        if status.isFile() and not name.startswith(("_", ".")):
            files.append(status.getPath().toString())
    if not files:
        raise InputError(f"{path}: the folder holds no data files")
    return sorted(files)


def read_first_line(spark: Any, path: str) -> str:
    """The first line of a text file, read through Hadoop's filesystem."""
    jvm = spark.sparkContext._jvm
    fs, p = _fs(spark, path)
    reader = jvm.java.io.BufferedReader(jvm.java.io.InputStreamReader(fs.open(p), "UTF-8"))
    try:
        line = reader.readLine()
    finally:
        reader.close()
    return (line or "").lstrip("\ufeff")


def write_text(spark: Any, path: str, text: str) -> None:
    """Writes a small text file through Hadoop's filesystem (local or s3)."""
    fs, p = _fs(spark, path)
    stream = fs.create(p, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def _csv_layout(path: str, header: str) -> Tuple[List[str], bool]:
    """Normalized column names of a CSV header and whether it has a symbol column."""
    if not header.strip():
        raise InputError(f"{path}: the file is empty (no header line)")
    raw = [c.strip() for c in next(csv.reader([header]))]
    names = []
    for c in raw:
        key = c.lower()
        names.append(_CSV_NAMES.get(key, key.replace(" ", "_")))
    required = ["date", *PRICE_COLUMNS]
    missing = [c for c in required if c not in names]
    if missing:
        pretty = {"date": "Date", "open": "Open", "high": "High", "low": "Low", "close": "Close", "volume": "Volume"}
        raise InputError(
            f"{path}: missing column(s) {', '.join(pretty[m] for m in missing)}; the header is {header.strip()!r} "
            "(expected Date,Open,High,Low,Close,Adj Close,Volume, optionally with Symbol)"
        )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"{path}: column(s) {dupes} appear more than once in the header")
    return names, "symbol" in names


def load_bars(spark: Any, path: str) -> Any:
    """A validated DataFrame of (symbol, timestamp, open, high, low, close,
    volume); timestamp is a DateType for CSV input."""
    from pyspark.sql import functions as F

    files = list_files(spark, path)
    kinds = {"parquet" if f.lower().endswith(".parquet") else "csv" for f in files}
    if kinds == {"parquet"} or (len(files) == 1 and files[0].lower().endswith(".parquet")):
        return _load_parquet(spark, files)
    odd = [f for f in files if not f.lower().endswith(".csv")]
    if odd:
        raise InputError(f"{odd[0]}: not a .csv or .parquet file; a folder must hold only one kind")
    groups: Dict[Tuple[Tuple[str, ...], bool], List[str]] = {}
    for f in files:
        names, has_symbol = _csv_layout(f, read_first_line(spark, f))
        groups.setdefault((tuple(names), has_symbol), []).append(f)
    frames = []
    for (names, has_symbol), group in groups.items():
        from pyspark.sql import types as T

        schema = T.StructType([T.StructField(n, T.StringType(), True) for n in names])
        df = spark.read.option("header", True).option("mode", "PERMISSIVE").schema(schema).csv(group)
        df = df.withColumn("_file", F.input_file_name())
        if has_symbol:
            sym = F.trim(F.col("symbol"))
        else:
            sym = F.regexp_extract(F.col("_file"), r"([^/]+?)\.[cC][sS][vV]$", 1)
        frames.append(
            df.select(
                F.col("_file"),
                sym.alias("symbol"),
                F.col("date").alias("_raw_date"),
                F.expr("try_cast(trim(`date`) AS DATE)").alias("timestamp"),
                *[F.col(c).alias(f"_raw_{c}") for c in PRICE_COLUMNS],
                *[F.expr(f"try_cast(trim(`{c}`) AS DOUBLE)").alias(c) for c in PRICE_COLUMNS],
            )
        )
    df = frames[0]
    for other in frames[1:]:
        df = df.unionByName(other)
    _validate(df, files)
    return df.select("symbol", "timestamp", *PRICE_COLUMNS)


def _load_parquet(spark: Any, files: List[str]) -> Any:
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    df = spark.read.parquet(*files)
    rename = {}
    for c in df.columns:
        key = c.strip().lower().replace(" ", "_")
        rename[c] = _PARQUET_ALIASES.get(key, key)
    df = df.select([F.col(f"`{c}`").alias(n) for c, n in rename.items()])
    missing = [c for c in ["symbol", "timestamp", *PRICE_COLUMNS] if c not in df.columns]
    if missing:
        raise InputError(f"{files[0]}: missing column(s) {missing}; the Parquet data has columns {df.columns}")
    ts_type = df.schema["timestamp"].dataType
    if not isinstance(ts_type, (T.DateType, T.TimestampType)):
        raise InputError(
            f"{files[0]}: column 'timestamp' has type {ts_type.simpleString()}; expected date or timestamp"
        )
    for c in PRICE_COLUMNS:
        if not isinstance(df.schema[c].dataType, T.NumericType):
            raise InputError(
                f"{files[0]}: column '{c}' has type {df.schema[c].dataType.simpleString()}; expected a number"
            )
    df = df.select(
        F.input_file_name().alias("_file"),
        F.col("symbol").cast("string").alias("symbol"),
        F.col("timestamp").cast("string").alias("_raw_date"),
        F.col("timestamp"),
        *[F.col(c).cast("string").alias(f"_raw_{c}") for c in PRICE_COLUMNS],
        *[F.col(c).cast("double").alias(c) for c in PRICE_COLUMNS],
    )
    _validate(df, files)
    return df.select("symbol", "timestamp", *PRICE_COLUMNS)


def _validate(df: Any, files: List[str]) -> None:
    """Raises InputError for the first problem found; collects only counts
    and examples."""
    from pyspark.sql import functions as F

    checks = [("symbol", F.col("symbol").isNull() | (F.col("symbol") == ""), "symbol", "an empty symbol")]
    checks.append(("Date", F.col("timestamp").isNull(), "_raw_date", "a missing or unparseable date"))
    for c in PRICE_COLUMNS:
        bad = F.col(c).isNull() | F.isnan(F.col(c))
        checks.append((c.capitalize(), bad, f"_raw_{c}", "a missing or unparseable number"))
        floor = F.col(c) < 0 if c == "volume" else F.col(c) <= 0
        checks.append((c.capitalize(), floor, c, "a negative volume" if c == "volume" else "a non-positive price"))
    aggs = [F.count(F.lit(1)).alias("rows")]
    for k, (_, cond, raw, _) in enumerate(checks):
        aggs.append(F.sum(F.when(cond, 1).otherwise(0)).alias(f"bad{k}"))
        aggs.append(
            F.first(
                F.when(
                    cond,
                    F.concat_ws(
                        " on ",
                        F.coalesce(F.col(raw).cast("string"), F.lit("<empty>")),
                        F.coalesce(F.col("_raw_date"), F.lit("?")),
                    ),
                ),
                ignorenulls=True,
            ).alias(f"ex{k}")
        )
    per_file = {r["_file"]: r for r in df.groupBy("_file").agg(*aggs).collect()}
    for f in files:
        if not any(_same_file(f, seen) for seen in per_file):
            raise InputError(f"{f}: the file has a header but no rows")
    for name, r in sorted(per_file.items()):
        for k, (column, _, _, what) in enumerate(checks):
            if r[f"bad{k}"]:
                raise InputError(
                    f"{name}: column '{column}' has {what} in {r[f'bad{k}']} of {r['rows']} rows (first: {r[f'ex{k}']})"
                )
    dupes = (
        df.groupBy("symbol", "timestamp")
        .agg(F.count(F.lit(1)).alias("n"), F.first("_file").alias("_file"))
        .filter(F.col("n") > 1)
        .limit(3)
        .collect()
    )
    if dupes:
        d = dupes[0]
        raise InputError(
            f"{d['_file']}: duplicate date {d['timestamp']} for symbol '{d['symbol']}' ({d['n']} rows); "
            "each symbol needs one row per date"
        )


def _same_file(listed: str, seen: str) -> bool:
    from urllib.parse import unquote

    a, b = unquote(listed), unquote(seen)
    return a == b or a.endswith(b.split(":", 1)[-1]) or b.endswith(a.split(":", 1)[-1])
