"""CSV reading: encoding, delimiter and header detection, chunked scanning.

Quoted fields may hold delimiters and newlines; short (ragged) rows are padded
with nulls and surplus fields of long rows are dropped; an empty string is
read as null. The data row number ``_row`` counts records, not physical lines.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import polars as pl

from pipeline.errors import BatchRejectedError
from pipeline.ingest.encoding import detect_encoding, transcode_to_utf8
from pipeline.ingest.raw import RawChunk, unique_names
from pipeline.schema import ROW_NUMBER

DELIMITERS: Final = (",", ";", "|", "\t")
HEAD_BYTES: Final = 256 * 1024


@contextmanager
def utf8_path(path: Path) -> Iterator[Path]:
    """Yield ``path`` if it is UTF-8, else a temporary UTF-8 copy of it."""
    encoding = detect_encoding(path)
    if encoding == "utf_8":
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="chrilink-") as tmp:
        target = Path(tmp) / "input.csv"
        transcode_to_utf8(path, encoding, target)
        yield target


def _head_text(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    return head.decode("utf-8", errors="ignore").lstrip("\ufeff")


def sniff_delimiter(first_line: str) -> str:
    """The candidate delimiter seen most often in the header line (comma on a tie)."""
    counts = {sep: first_line.count(sep) for sep in DELIMITERS}
    best = max(DELIMITERS, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


def read_header(path: Path) -> tuple[str, list[str]]:
    """Return the delimiter and the header names of a UTF-8 CSV file."""
    text = _head_text(path)
    if not text.strip():
        raise BatchRejectedError(f"{path}: file has no data rows (it is empty)")
    separator = sniff_delimiter(text.splitlines()[0])
    csv.field_size_limit(sys.maxsize)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=separator), [])
    except csv.Error as exc:
        raise _parse_error(path, separator) from exc
    return separator, header


def _options(separator: str, names: list[str]) -> dict[str, Any]:
    return {
        "separator": separator,
        "has_header": True,
        "new_columns": names,
        "infer_schema": False,
        "truncate_ragged_lines": True,
        "row_index_name": ROW_NUMBER,
        "row_index_offset": 1,
        "quote_char": '"',
        "raise_if_empty": False,
    }


def _parse_error(path: Path, separator: str) -> BatchRejectedError:
    shown = "tab" if separator == "\t" else repr(separator)
    return BatchRejectedError(
        f"{path}: cannot parse as CSV ({shown}-separated); check quoting and delimiters"
    )


def iter_csv(path: Path, chunk_rows: int | None) -> Iterator[RawChunk]:
    """Yield raw chunks of a CSV file; one chunk when ``chunk_rows`` is None."""
    with utf8_path(path) as source:
        separator, header = read_header(source)
        names, duplicated = unique_names(header)
        options = _options(separator, names)
        try:
            if chunk_rows is None:
                yield RawChunk(pl.read_csv(source, **options), duplicated)
                return
            batches = pl.scan_csv(source, **options).collect_batches(chunk_size=chunk_rows)
            for frame in batches:
                yield RawChunk(frame, duplicated)
        except (pl.exceptions.PolarsError, OSError) as exc:
            raise _parse_error(path, separator) from exc
