"""Shape a raw chunk to the input contract: map, check, select and cast columns.

Order of steps in :func:`to_contract`:

1. Every mapped source column (``[manifests.columns]`` in the job) must exist.
2. A contract field must not come from a column name the file repeats.
3. The table-level column rules of the contract suite (required columns, at
   least one name column) are checked: a failure rejects the batch.
4. Exactly the contract fields are selected, in contract order; missing
   optional fields are added as null; other columns are dropped.
5. Values become text; ``aliases`` and ``alternate_dobs`` become lists of text
   (a text value is split on ``;``); blank text and empty lists become null.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import polars as pl

from pipeline.contracts.suite import ColumnRules, column_rules
from pipeline.errors import BatchRejectedError, InputError
from pipeline.ingest.raw import RawChunk
from pipeline.schema import FIELDS, LIST_FIELDS, ROW_NUMBER, InputKind

LIST_SEPARATOR = ";"


def source_columns(kind: InputKind, columns: Mapping[str, str] | None) -> dict[str, str]:
    """Contract field -> source column name, defaulting to the field's own name."""
    mapping = dict(columns or {})
    return {field: mapping.get(field, field) for field in FIELDS[kind]}


def _check_mapping(raw: RawChunk, columns: Mapping[str, str] | None, path: Path) -> None:
    for field, source in (columns or {}).items():
        if source not in raw.frame.columns:
            raise InputError(
                f"{path}: column {source!r} (mapped to contract field {field!r}) does not exist"
            )


def _check_duplicates(raw: RawChunk, used: dict[str, str], path: Path) -> None:
    repeated = sorted(set(used.values()) & raw.duplicated)
    if repeated:
        raise InputError(
            f"{path}: column {repeated[0]!r} appears more than once; rename or drop the copies"
        )


def check_table_columns(present: set[str], rules: ColumnRules, where: str) -> None:
    """Raise BatchRejectedError when required columns or every name column are absent."""
    for column in rules.required:
        if column not in present:
            raise BatchRejectedError(f"{where}: required column {column!r} is missing")
    for group in rules.any_of:
        if not present & set(group):
            raise BatchRejectedError(f"{where}: needs at least one of the columns {list(group)}")


def _text(column: str, dtype: pl.DataType) -> pl.Expr:
    expr = pl.col(column)
    if isinstance(dtype, pl.List | pl.Array):
        expr = expr.cast(pl.List(pl.Utf8), strict=False).list.join(LIST_SEPARATOR)
    elif isinstance(dtype, pl.Struct):
        expr = expr.struct.json_encode()
    elif dtype == pl.Binary:
        expr = expr.map_elements(lambda b: b.decode("utf-8", "replace"), return_dtype=pl.Utf8)
    elif isinstance(dtype, pl.Object):
        expr = expr.map_elements(lambda v: json.dumps(v, default=str), return_dtype=pl.Utf8)
    else:
        expr = expr.cast(pl.Utf8, strict=False)
    return pl.when(expr.str.len_chars() > 0).then(expr)


def _text_list(column: str, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.List | pl.Array) and not isinstance(dtype.inner, pl.List | pl.Struct):
        items = pl.col(column).cast(pl.List(pl.Utf8), strict=False)
    else:
        items = _text(column, dtype).str.split(LIST_SEPARATOR)
    cleaned = items.list.eval(pl.element().str.strip_chars()).list.eval(
        pl.element().filter(pl.element().str.len_chars() > 0)
    )
    return pl.when(cleaned.list.len() > 0).then(cleaned)


def _field(field: str, source: str, frame: pl.DataFrame) -> pl.Expr:
    is_list = field in LIST_FIELDS
    if source not in frame.columns:
        empty = pl.List(pl.Utf8()) if is_list else pl.Utf8()
        return pl.lit(None, dtype=empty).alias(field)
    dtype = frame.schema[source]
    return (_text_list(source, dtype) if is_list else _text(source, dtype)).alias(field)


def to_contract(
    raw: RawChunk, kind: InputKind, columns: Mapping[str, str] | None, path: Path
) -> pl.DataFrame:
    """Return the contract columns of ``raw`` plus ``_row`` (see module docstring)."""
    _check_mapping(raw, columns, path)
    used = source_columns(kind, columns)
    present = {field for field, source in used.items() if source in raw.frame.columns}
    _check_duplicates(raw, {f: s for f, s in used.items() if f in present}, path)
    check_table_columns(present, column_rules(kind), str(path))
    selected = [_field(field, source, raw.frame) for field, source in used.items()]
    row = pl.col(ROW_NUMBER).cast(pl.Int64)
    return raw.frame.select(*selected, row)
