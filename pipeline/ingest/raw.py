"""A raw input chunk as read from a file, before it is shaped to the contract."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipeline.schema import ROW_NUMBER

#: Marker put between a column name and its occurrence number when a file
#: repeats a column name (``name``, ``name#2``, ...).
DUP_MARK = "#"


@dataclass(frozen=True)
class RawChunk:
    """Columns as read (unique names), ``_row`` numbers, and repeated source names."""

    frame: pl.DataFrame
    duplicated: frozenset[str]


def unique_names(names: list[str]) -> tuple[list[str], frozenset[str]]:
    """Make header names unique and non-empty; return them with the repeated names.

    Names are stripped of whitespace and a stray BOM. A blank name becomes
    ``column_N``; a repeated name gets ``#2``, ``#3``; the bookkeeping name
    ``_row`` from a source is renamed so it never hides the reader's row number.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for position, raw in enumerate(names, start=1):
        name = raw.replace("\ufeff", "").strip() or f"column_{position}"
        if name == ROW_NUMBER:
            name = f"{ROW_NUMBER}{DUP_MARK}source"
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}{DUP_MARK}{seen[name]}")
    return out, frozenset(name for name, count in seen.items() if count > 1)
