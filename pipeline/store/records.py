"""``RecordStore``: open, add records with provenance, purge by retention, count."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Final

import duckdb
import polars as pl

from pipeline.errors import InputError
from pipeline.schema import LIST_FIELDS, RECORD_FIELDS

SCHEMA_VERSION: Final = 1
PROVENANCE_COLUMNS: Final = (
    "prov_partner",
    "prov_source_country",
    "prov_agreement_id",
    "prov_received_date",
    "prov_ingested_at",
)


class StoreError(InputError):
    """The record store cannot be opened or does not have the expected schema."""


@dataclass(frozen=True)
class Provenance:
    """Where a batch of records came from and when."""

    partner: str
    source_country: str
    agreement_id: str
    received_date: date
    ingested_at: datetime


def _records_ddl() -> str:
    fields = [f'"{f}" VARCHAR[]' if f in LIST_FIELDS else f'"{f}" VARCHAR' for f in RECORD_FIELDS]
    provenance = [
        "prov_partner VARCHAR NOT NULL",
        "prov_source_country VARCHAR NOT NULL",
        "prov_agreement_id VARCHAR NOT NULL",
        "prov_received_date DATE NOT NULL",
        "prov_ingested_at TIMESTAMPTZ NOT NULL",
    ]
    return f"CREATE TABLE IF NOT EXISTS records ({', '.join(fields + provenance)})"


def _with_provenance(frame: pl.DataFrame, provenance: Provenance) -> pl.DataFrame:
    return frame.select(RECORD_FIELDS).with_columns(
        prov_partner=pl.lit(provenance.partner),
        prov_source_country=pl.lit(provenance.source_country),
        prov_agreement_id=pl.lit(provenance.agreement_id),
        prov_received_date=pl.lit(provenance.received_date, dtype=pl.Date),
        prov_ingested_at=pl.lit(provenance.ingested_at, dtype=pl.Datetime("us", "UTC")),
    )


class RecordStore:
    """A DuckDB record store; use :meth:`open` and close it (or use ``with``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    @classmethod
    def open(cls, path: Path) -> RecordStore:
        """Open (creating if needed) the store at ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise StoreError(f"cannot open record store {path}: {type(exc).__name__}") from None
        store = cls(con, path)
        store._migrate()
        return store

    def _migrate(self) -> None:
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR)"
        )
        row = self.con.execute(
            "SELECT value FROM store_meta WHERE key = 'schema_version'"
        ).fetchone()
        if row is not None and int(row[0]) != SCHEMA_VERSION:
            raise StoreError(
                f"record store {self.path} has schema version {row[0]}; "
                f"this code needs {SCHEMA_VERSION}"
            )
        self.con.execute(_records_ddl())
        if row is None:
            self.con.execute(
                "INSERT INTO store_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def add_records(self, frame: pl.DataFrame, provenance: Provenance) -> int:
        """Add contract-shaped records; a record the partner sent before is replaced."""
        self.con.register("incoming", _with_provenance(frame, provenance).to_arrow())
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute(
                "DELETE FROM records WHERE prov_partner = ? "
                "AND record_id IN (SELECT record_id FROM incoming)",
                [provenance.partner],
            )
            self.con.execute("INSERT INTO records BY NAME SELECT * FROM incoming")
            self.con.execute("COMMIT")
        except duckdb.Error:
            self.con.execute("ROLLBACK")
            raise
        finally:
            self.con.unregister("incoming")
        return frame.height

    def purge_expired(self, today: date, retention: Mapping[str, int]) -> int:
        """Delete rows held ``retention[agreement_id]`` days or more; return how many."""
        deleted = 0
        self.con.execute("BEGIN TRANSACTION")
        for agreement_id, days in sorted(retention.items()):
            cutoff = today - timedelta(days=days)
            before = self.count(agreement_id)
            self.con.execute(
                "DELETE FROM records WHERE prov_agreement_id = ? AND prov_received_date <= ?",
                [agreement_id, cutoff],
            )
            deleted += before - self.count(agreement_id)
        self.con.execute("COMMIT")
        return deleted

    def count(self, agreement_id: str | None = None) -> int:
        """Rows in the store, or rows held under one agreement."""
        if agreement_id is None:
            row = self.con.execute("SELECT count(*) FROM records").fetchone()
        else:
            row = self.con.execute(
                "SELECT count(*) FROM records WHERE prov_agreement_id = ?", [agreement_id]
            ).fetchone()
        return int(row[0]) if row else 0

    def agreement_ids(self) -> list[str]:
        """Every agreement id that rows in the store were received under."""
        rows = self.con.execute(
            "SELECT DISTINCT prov_agreement_id FROM records ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]
