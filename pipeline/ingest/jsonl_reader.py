"""JSON Lines reading with values of any type turned into text.

Each non-blank line is one data row; ``_row`` is its line number. A line that
is not a JSON object becomes a row of nulls, so the contract quarantines it
(no id) instead of the reader losing it. Scalars become strings (``true``,
``12``, ``1.5``); objects become JSON text; arrays become lists of strings. A
column that holds arrays in some rows and strings in others is read as lists,
with strings split on ``;``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Final

import polars as pl

from pipeline.errors import BatchRejectedError
from pipeline.ingest.encoding import detect_encoding
from pipeline.ingest.raw import RawChunk, unique_names
from pipeline.schema import ROW_NUMBER

Row = dict[str, object]
DEFAULT_CHUNK: Final = 200_000


def to_text(value: object) -> str | None:
    """A JSON value as text; None and blank strings become None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _split(value: object) -> list[str] | None:
    if isinstance(value, list):
        items = [to_text(item) for item in value]
        return [item for item in items if item is not None] or None
    text = to_text(value)
    return [part.strip() for part in text.split(";") if part.strip()] if text else None


def _parse_line(line: str, duplicated: set[str]) -> Row:
    def pairs(items: list[tuple[str, object]]) -> Row:
        keys = [key for key, _ in items]
        duplicated.update(key for key in keys if keys.count(key) > 1)
        return dict(items)

    try:
        value = json.loads(line, object_pairs_hook=pairs)
    except (json.JSONDecodeError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def _column(values: list[object]) -> pl.Series:
    if any(isinstance(value, list) for value in values):
        return pl.Series(values=[_split(v) for v in values], dtype=pl.List(pl.Utf8))
    return pl.Series(values=[to_text(v) for v in values], dtype=pl.Utf8)


def _frame(rows: list[tuple[int, Row]]) -> pl.DataFrame:
    names = list(dict.fromkeys(key for _, row in rows for key in row))
    unique, _ = unique_names(names)
    data = {
        new: _column([row.get(old) for _, row in rows])
        for old, new in zip(names, unique, strict=True)
    }
    numbers = pl.Series(ROW_NUMBER, [number for number, _ in rows], dtype=pl.Int64)
    return pl.DataFrame(data).with_columns(numbers) if data else numbers.to_frame()


def _numbered_lines(path: Path, encoding: str) -> Iterator[tuple[int, str]]:
    with path.open("r", encoding=encoding, errors="strict", newline="\n") as handle:
        for number, line in enumerate(handle, start=1):
            text = line.lstrip("\ufeff").strip()
            if text:
                yield number, text


def iter_jsonl(path: Path, chunk_rows: int | None) -> Iterator[RawChunk]:
    """Yield raw chunks of a JSON Lines file."""
    lines = _numbered_lines(path, detect_encoding(path))
    size = chunk_rows or DEFAULT_CHUNK
    try:
        while batch := list(islice(lines, size)):
            duplicated: set[str] = set()
            rows = [(number, _parse_line(text, duplicated)) for number, text in batch]
            yield RawChunk(_frame(rows), frozenset(duplicated))
    except UnicodeDecodeError as exc:
        raise BatchRejectedError(f"{path}: cannot decode the file's text") from exc
