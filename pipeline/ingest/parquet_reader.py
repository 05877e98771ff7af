"""Parquet reading in record batches (bounded memory), tolerant of repeated names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.errors import BatchRejectedError
from pipeline.ingest.raw import RawChunk, unique_names
from pipeline.schema import ROW_NUMBER

DEFAULT_CHUNK: Final = 500_000


def _open(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise BatchRejectedError(f"{path}: not a readable Parquet file") from exc


def iter_parquet(path: Path, chunk_rows: int | None) -> Iterator[RawChunk]:
    """Yield raw chunks of a Parquet file; ``_row`` counts rows from 1."""
    parquet = _open(path)
    names, duplicated = unique_names([str(name) for name in parquet.schema_arrow.names])
    offset = 1
    try:
        for batch in parquet.iter_batches(batch_size=chunk_rows or DEFAULT_CHUNK):
            table = pa.Table.from_batches([batch]).rename_columns(names)
            frame = pl.from_arrow(table, rechunk=False)
            assert isinstance(frame, pl.DataFrame)
            yield RawChunk(frame.with_row_index(ROW_NUMBER, offset=offset), duplicated)
            offset += frame.height
    except (pa.ArrowException, pl.exceptions.PolarsError, OSError) as exc:
        raise BatchRejectedError(f"{path}: Parquet data cannot be read") from exc
