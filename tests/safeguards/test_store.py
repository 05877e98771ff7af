"""ingest-partner provenance, the record store, and the retention purge."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from pipeline.safeguards import (
    SafeguardError,
    ingest_partner,
    ledger_balance,
    purge_partner_data,
    verify_audit,
)
from pipeline.schema import LIST_FIELDS, RECORD_FIELDS
from pipeline.store import RecordStore
from tests.safeguards.conftest import World, write_agreement

RECEIVED = date(2026, 3, 1)


def ingest(world: World, store: Path, received: date = RECEIVED) -> None:
    ingest_partner(
        world.root / "records.csv",
        "OK",
        store_path=store,
        partners_dir=world.partners,
        received=received,
        ledger_path=world.ledger,
        audit_log=world.audit,
    )


def test_ingest_partner_stores_felonies_with_provenance(world: World) -> None:
    store = world.root / "store.duckdb"
    result = ingest_partner(
        world.root / "records.csv",
        "OK",
        store_path=store,
        partners_dir=world.partners,
        received=RECEIVED,
        ledger_path=world.ledger,
        audit_log=world.audit,
    )
    assert (result.rows_in, result.rows_not_felony, result.rows_stored) == (5, 1, 4)
    with RecordStore.open(store) as opened:
        rows = opened.con.execute(
            "SELECT DISTINCT prov_partner, prov_source_country, prov_agreement_id, "
            "prov_received_date FROM records"
        ).fetchall()
        assert rows == [("OK", "NL", "SYNTH-T-1", RECEIVED)]
        assert opened.count() == 4
    assert ledger_balance(world.ledger, "OK").received == 4
    entry = json.loads(world.audit.read_text().splitlines()[-1])
    assert entry["command"] == "ingest-partner" and entry["counts"]["rows_stored"] == 4

    # Same batch again: replaced, not duplicated. Then retention.
    ingest(world, store, received=RECEIVED + timedelta(days=10))
    with RecordStore.open(store) as opened:
        assert opened.count() == 4
    day_29 = RECEIVED + timedelta(days=10 + 29)
    assert purge_partner_data(store, world.partners, day_29, audit_log=world.audit) == 0
    assert (
        purge_partner_data(store, world.partners, day_29 + timedelta(days=1), audit_log=world.audit)
        == 4
    )
    last = json.loads(world.audit.read_text().splitlines()[-1])
    assert last["command"] == "purge" and last["counts"] == {"rows_deleted": 4, "rows_remaining": 0}
    assert verify_audit(world.audit).ok


def test_purge_by_each_agreements_retention(tmp_path: Path) -> None:
    from pipeline.safeguards.retention import retention_by_agreement
    from pipeline.store import Provenance

    frame = pl.DataFrame({"record_id": ["a", "b"]})
    with RecordStore.open(tmp_path / "s.duckdb") as store:
        for partner, agreement in (("P1", "A-1"), ("P2", "A-2")):
            provenance = Provenance(partner, "NL", agreement, date(2026, 1, 1), _now())
            store.add_records(_full(frame), provenance)
        assert store.purge_expired(date(2026, 1, 11), {"A-1": 10, "A-2": 11}) == 2
        assert store.agreement_ids() == ["A-2"]
    assert retention_by_agreement({}) == {}


def test_purge_refuses_rows_without_an_agreement_file(world: World, tmp_path: Path) -> None:
    store = world.root / "store.duckdb"
    ingest(world, store)
    other = tmp_path / "elsewhere"
    write_agreement(other, "ZZ", agreement_id="OTHER-1")
    with pytest.raises(SafeguardError, match="SYNTH-T-1"):
        purge_partner_data(store, other, date(2030, 1, 1), audit_log=world.audit)
    with RecordStore.open(store) as opened:
        assert opened.count() == 4


def _now() -> datetime:
    return datetime.now(UTC)


def _full(frame: pl.DataFrame) -> pl.DataFrame:
    missing = [
        pl.lit(None, dtype=pl.List(pl.Utf8) if f in LIST_FIELDS else pl.Utf8).alias(f)
        for f in RECORD_FIELDS
        if f not in frame.columns
    ]
    return frame.with_columns(missing)
