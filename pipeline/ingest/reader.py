"""Read manifests and conviction records from CSV, Parquet or JSON Lines files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Final

import polars as pl

from pipeline.errors import BatchRejectedError, InputError
from pipeline.ingest.csv_reader import iter_csv
from pipeline.ingest.jsonl_reader import iter_jsonl
from pipeline.ingest.parquet_reader import iter_parquet
from pipeline.ingest.raw import RawChunk
from pipeline.ingest.shape import to_contract
from pipeline.schema import InputKind

ChunkReader = Callable[[Path, int | None], Iterator[RawChunk]]
READERS: Final[dict[str, ChunkReader]] = {
    ".csv": iter_csv,
    ".tsv": iter_csv,
    ".txt": iter_csv,
    ".parquet": iter_parquet,
    ".pq": iter_parquet,
    ".jsonl": iter_jsonl,
    ".ndjson": iter_jsonl,
}
DEFAULT_CHUNK_ROWS: Final = 500_000


def _reader(path: Path, kind: InputKind) -> ChunkReader:
    if not path.exists():
        raise InputError(f"{kind} file not found: {path}")
    if not path.is_file():
        raise InputError(f"{kind} path is not a file: {path}")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise InputError(f"{path}: unsupported file type {path.suffix!r}; use one of {known}")
    return reader


def _chunks(
    path: Path, kind: InputKind, columns: Mapping[str, str] | None, chunk_rows: int | None
) -> Iterator[pl.DataFrame]:
    reader = _reader(path, kind)
    rows = 0
    try:
        for raw in reader(path, chunk_rows):
            frame = to_contract(raw, kind, columns, path)
            rows += frame.height
            if frame.height:
                yield frame
    except PermissionError as exc:
        raise InputError(f"cannot read {kind} file {path}: permission denied") from exc
    except (OSError, UnicodeError) as exc:
        raise BatchRejectedError(f"cannot read {kind} file {path}: {type(exc).__name__}") from exc
    if rows == 0:
        raise BatchRejectedError(f"{path}: file has no data rows")


def iter_input(
    path: Path,
    kind: InputKind,
    columns: Mapping[str, str] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> Iterator[pl.DataFrame]:
    """Yield the input in contract-shaped chunks of about ``chunk_rows`` rows.

    Memory stays bounded by the chunk size. The first chunk is read, and so
    table-level problems raise, only when iteration starts.
    """
    if chunk_rows < 1:
        raise InputError(f"chunk_rows must be at least 1, got {chunk_rows}")
    return _chunks(path, kind, columns, chunk_rows)


def read_input(
    path: Path, kind: InputKind, columns: Mapping[str, str] | None = None
) -> pl.DataFrame:
    """Read a whole input file into the contract shape (see ``pipeline.ingest``)."""
    return pl.concat(list(_chunks(path, kind, columns, None)), how="vertical")
