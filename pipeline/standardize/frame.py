"""Table-level standardization: contract rows in, ``FEATURE_COLUMNS`` out.

Order of steps in :func:`standardize`:

1. Identities: manifests give one per traveler; records give the primary
   name (``~0``) and one per alias (``~1``, ``~2`` ...), aliases read as
   full names.
2. Names: features computed once per distinct (surname, given_names,
   full_name) triple, with the values of :func:`.names.name_features` but
   token-level work shared and columns built as Arrow arrays
   (:mod:`.batch`); above ``_PARALLEL_MIN_NAMES`` distinct names, slices
   run in child interpreters too. Gathered back by distinct-name index.
3. Dates: every distinct date string parsed once (:func:`.dates.parse_date`);
   ``dob_readings`` unites the readings of ``date_of_birth`` and, for
   records, of every ``alternate_dobs`` entry; the other ``dob_*`` columns
   come from ``date_of_birth`` (or the first readable alternate).
4. Sex and nationality mapped per distinct value; document numbers
   vectorized in polars.

The function is pure: it reads its input frame, never mutates it, and
applies the same code to both kinds.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.errors import InternalError
from pipeline.schema import FEATURE_COLUMNS, ID_FIELD, InputKind
from pipeline.standardize.batch import name_feature_frame
from pipeline.standardize.dates import parse_date
from pipeline.standardize.fields import ocr_pairs, standardize_country, standardize_sex

_NAME_FIELDS = ("surname", "given_names", "full_name")
_STR_LIST = pl.List(pl.Utf8)


def _col(df: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    """Column ``name`` cast to ``dtype``, or a typed null when absent."""
    if name in df.columns:
        return pl.col(name).cast(dtype)
    return pl.lit(None, dtype=dtype).alias(name)


def _base(df: pl.DataFrame, kind: InputKind) -> pl.DataFrame:
    id_field = ID_FIELD[kind]
    text = ["surname", "given_names", "full_name", "date_of_birth", "sex", "nationality"]
    return df.select(
        _col(df, id_field, pl.Utf8()).alias("source_id"),
        _col(df, "subject_id", pl.Utf8()).alias("subject_id"),
        *[_col(df, name, pl.Utf8()) for name in [*text, "document_number"]],
        _col(df, "aliases", _STR_LIST).alias("aliases"),
        _col(df, "alternate_dobs", _STR_LIST).alias("alternate_dobs"),
    )


def _identities(base: pl.DataFrame, kind: InputKind) -> pl.DataFrame:
    """One row per identity with unique_id, identity_kind and name fields."""
    if kind == "manifests":
        return base.with_columns(
            pl.col("source_id").alias("unique_id"),
            pl.lit("primary").alias("identity_kind"),
            pl.lit(None, dtype=pl.Utf8).alias("subject_id"),
        )
    primary = base.with_columns(
        (pl.col("source_id") + "~0").alias("unique_id"), pl.lit("primary").alias("identity_kind")
    ).drop("aliases")
    aliases = (
        base.filter(pl.col("aliases").list.len() > 0)
        .with_columns(pl.int_ranges(1, pl.col("aliases").list.len() + 1).alias("_k"))
        .explode("aliases", "_k")
        .with_columns(
            (pl.col("source_id") + "~" + pl.col("_k").cast(pl.Utf8)).alias("unique_id"),
            pl.lit("alias").alias("identity_kind"),
            pl.lit(None, dtype=pl.Utf8).alias("surname"),
            pl.lit(None, dtype=pl.Utf8).alias("given_names"),
            pl.col("aliases").alias("full_name"),
        )
        .drop("_k", "aliases")
    )
    return pl.concat([primary, aliases.select(primary.columns)], how="vertical")


def _name_slice(names: pl.DataFrame) -> pl.DataFrame:
    """Name features of one slice of distinct names (also the worker entry point)."""
    return name_feature_frame(names.iter_rows())


def _workers(n_names: int) -> int:
    """Processes for the name features: one unless there are many names and spare cores."""
    if n_names < _PARALLEL_MIN_NAMES:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), _MAX_WORKERS))


def _ipc(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return buffer.getvalue()


class _Worker:
    """Name features of one slice in a child interpreter (``python -m ..._worker``)."""

    def __init__(self, names: pl.DataFrame) -> None:
        root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.standardize._worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self._writer = threading.Thread(target=self._send, args=(_ipc(names),), daemon=True)
        self._writer.start()

    def _send(self, data: bytes) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        with contextlib.suppress(BrokenPipeError), stdin:
            stdin.write(data)

    def stop(self) -> None:
        """End the child if it is still running (after an error elsewhere)."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()

    def result(self) -> pl.DataFrame:
        stdout = self._proc.stdout
        assert stdout is not None
        data = stdout.read()
        self._writer.join()
        if self._proc.wait() != 0:
            raise InternalError("standardize: a name-feature worker process failed")
        return pl.read_ipc(io.BytesIO(data))


def _name_table(names: pl.DataFrame) -> pl.DataFrame:
    """Name features of distinct names (:mod:`.batch`), side by side with the names.

    Many names are split into contiguous slices: this process computes the first while
    child interpreters compute the rest; slices are put back in order, so the result
    does not depend on the number of processes.
    """
    workers = _workers(names.height)
    if workers == 1:
        return pl.concat([names, _name_slice(names)], how="horizontal")
    # This process starts warm, so it takes the start-up cost of a child in extra names.
    head = min(names.height, -(-names.height // workers) + _STARTUP_NAMES)
    size = max(1, -(-(names.height - head) // (workers - 1)))
    slices = [names.head(head)]
    slices += [names.slice(start, size) for start in range(head, names.height, size)]
    children = [_Worker(part) for part in slices[1:]]
    try:
        parts = [_name_slice(slices[0]), *(child.result() for child in children)]
    finally:
        for child in children:
            child.stop()
    return pl.concat([names, pl.concat(parts, how="vertical")], how="horizontal")


_PARALLEL_MIN_NAMES = 150_000
_MAX_WORKERS = 4
_STARTUP_NAMES = 30_000


_DATE_SCHEMA: dict[str, pl.DataType] = {
    "_date": pl.Utf8(),
    "dob_year": pl.Int32(),
    "dob_month": pl.Int8(),
    "dob_day": pl.Int8(),
    "_readings": _STR_LIST,
    "dob_placeholder": pl.Boolean(),
    "dob_century_inferred": pl.Boolean(),
}


def _date_table(values: list[str], reference_year: int) -> pl.DataFrame:
    rows: dict[str, list[Any]] = {c: [] for c in _DATE_SCHEMA}
    for text in values:
        p = parse_date(text, reference_year=reference_year)
        parsed = (
            (p.year, p.month, p.day, list(p.readings), p.placeholder, p.century_inferred)
            if p
            else (None, None, None, [], False, False)
        )
        for column, value in zip(_DATE_SCHEMA, (text, *parsed), strict=True):
            rows[column].append(value)
    return pl.DataFrame(rows, schema=_DATE_SCHEMA)


def _with_names(ids: pl.DataFrame) -> pl.DataFrame:
    """Name features gathered by distinct-name index (cheaper than joining wide lists)."""
    fields = list(_NAME_FIELDS)
    names = ids.select(fields).unique(maintain_order=True).with_row_index("_name")
    index = ids.select(fields).join(
        names, on=fields, how="left", nulls_equal=True, maintain_order="left"
    )["_name"]
    table = _name_table(names.drop("_name")).drop(fields)
    return ids.hstack(table.select(pl.all().gather(index)).get_columns())


def _with_dates(ids: pl.DataFrame, reference_year: int) -> pl.DataFrame:
    dates = pl.concat(
        [
            ids.select(pl.col("date_of_birth").alias("_d")),
            ids.select(pl.col("alternate_dobs").explode().alias("_d")),
        ]
    )
    values = dates.drop_nulls().unique()["_d"].to_list()
    table = _date_table(values, reference_year)
    primary = ids.join(table, left_on="date_of_birth", right_on="_date", how="left")
    alternates = (
        ids.select("unique_id", "alternate_dobs")
        .explode("alternate_dobs")
        .join(table.select("_date", "_readings"), left_on="alternate_dobs", right_on="_date")
        .group_by("unique_id")
        .agg(pl.col("_readings").list.explode(keep_nulls=False, empty_as_null=False).alias("_alt"))
    )
    return (
        primary.join(alternates, on="unique_id", how="left")
        .with_columns(
            pl.concat_list(
                pl.col("_readings").fill_null(pl.lit([], dtype=_STR_LIST)),
                pl.col("_alt").fill_null(pl.lit([], dtype=_STR_LIST)),
            )
            .list.unique(maintain_order=True)
            .alias("dob_readings"),
            pl.col("dob_placeholder").fill_null(False),
            pl.col("dob_century_inferred").fill_null(False),
        )
        .drop("_readings", "_alt")
    )


def _map_unique(column: pl.Expr, fn: Any, values: pl.Series) -> pl.Expr:
    uniques = values.drop_nulls().unique().to_list()
    mapping = {v: fn(v) for v in uniques}
    return column.replace_strict(mapping, default=None, return_dtype=pl.Utf8)


def _with_fields(ids: pl.DataFrame) -> pl.DataFrame:
    src, dst = ocr_pairs()
    doc = pl.col("document_number").str.to_uppercase().str.replace_all(r"[^0-9A-Z]", "")
    doc = pl.when(doc.str.len_chars() > 0).then(doc).otherwise(None)
    return ids.with_columns(
        _map_unique(pl.col("sex"), standardize_sex, ids["sex"]).alias("sex"),
        _map_unique(pl.col("nationality"), standardize_country, ids["nationality"]).alias(
            "nationality"
        ),
        doc.alias("doc_number"),
    ).with_columns(pl.col("doc_number").str.replace_many(src, dst).alias("doc_ocr_key"))


def standardize(
    df: pl.DataFrame, kind: InputKind, *, reference_year: int | None = None
) -> pl.DataFrame:
    """Standardized features, one row per identity, columns ``FEATURE_COLUMNS``."""
    ref = reference_year if reference_year is not None else date.today().year
    ids = _identities(_base(df, kind), kind)
    out = _with_fields(_with_dates(_with_names(ids), ref))
    return out.select(FEATURE_COLUMNS)
