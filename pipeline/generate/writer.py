"""Chunked, deterministic writers for Parquet and CSV.

Parquet files carry no timestamps and use fixed writer settings, so the same rows
give byte-identical files. In CSV, list columns are joined with ``;``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

Format = Literal["parquet", "csv"]
LIST_SEPARATOR = ";"
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_size": 1 << 20,
}


def contract_schema(fields: tuple[str, ...], list_fields: tuple[str, ...]) -> pa.Schema:
    """All-string schema with list<string> for ``list_fields``."""
    return pa.schema(
        [pa.field(f, pa.list_(pa.string()) if f in list_fields else pa.string()) for f in fields]
    )


def _csv_table(table: pa.Table) -> pa.Table:
    columns = []
    for field in table.schema:
        column = table.column(field.name)
        if pa.types.is_list(field.type):
            empty = pc.equal(pc.fill_null(pc.list_value_length(column), 0), 0)
            joined = pc.binary_join(column, LIST_SEPARATOR)
            column = pc.if_else(empty, pa.scalar(None, pa.string()), joined)
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def chunk_table(columns: Mapping[str, pa.Array], schema: pa.Schema) -> pa.Table:
    """The columns of ``schema`` as one table (cast where the built type differs)."""
    arrays = []
    for field in schema:
        array = columns[field.name]
        arrays.append(array if array.type == field.type else array.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


class ChunkWriter:
    """Append chunks of rows (dict of columns) to one Parquet or CSV file."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: Format) -> None:
        self.schema = schema
        self.fmt = fmt
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        if fmt == "parquet":
            self._parquet = pq.ParquetWriter(str(path), schema, **_PARQUET_OPTIONS)
        else:
            csv_schema = pa.schema([pa.field(f.name, pa.string()) for f in schema])
            self._csv = pacsv.CSVWriter(str(path), csv_schema)

    def write_table(self, table: pa.Table) -> None:
        """Append one table with this writer's schema."""
        if self._parquet is not None:
            self._parquet.write_table(table)
        elif self._csv is not None:
            self._csv.write_table(_csv_table(table))

    def write(self, columns: Mapping[str, pa.Array]) -> None:
        """Append one chunk given as columns."""
        self.write_table(chunk_table(columns, self.schema))

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()

    def __enter__(self) -> ChunkWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def write_parquet(path: Path, table: pa.Table) -> None:
    """One-shot deterministic Parquet write."""
    pq.write_table(table, str(path), **_PARQUET_OPTIONS)
