"""Take a partner's conviction records into the record store (``chrilink ingest-partner``).

The partner's agreement must be in force on the received date and reciprocal. The
file goes through the same reader and records contract as a link job; rows the
contract quarantines are not stored. Only felony convictions are kept: the order's
exchange covers felony records, so anything else is not retained. Every stored row
carries its provenance; a ``received`` ledger entry and an audit entry are appended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from pipeline.contracts import check_input
from pipeline.hashing import sha256_file
from pipeline.ingest import read_input
from pipeline.safeguards.agreements import agreement_path, load_agreement, require_exchange
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.safeguards.ledger import append_ledger, default_ledger_path
from pipeline.safeguards.purpose import require_purpose
from pipeline.store import Provenance, RecordStore


@dataclass(frozen=True)
class IngestResult:
    """Counts of one partner batch (ids and counts only)."""

    partner: str
    agreement_id: str
    rows_in: int
    rows_quarantined: int
    rows_not_felony: int
    rows_stored: int
    store_rows: int

    def counts(self) -> dict[str, int]:
        return {
            "rows_in": self.rows_in,
            "rows_quarantined": self.rows_quarantined,
            "rows_not_felony": self.rows_not_felony,
            "rows_stored": self.rows_stored,
            "store_rows": self.store_rows,
        }


def felonies(frame: pl.DataFrame) -> pl.DataFrame:
    """Rows whose ``offense_level`` is felony (any case or padding)."""
    level = pl.col("offense_level").str.strip_chars().str.to_lowercase()
    return frame.filter((level == "felony").fill_null(False))


def ingest_partner(
    records_path: Path,
    partner: str,
    *,
    store_path: Path,
    partners_dir: Path,
    received: date,
    purpose: str = "border_screening",
    ledger_path: Path | None = None,
    audit_log: Path | None = None,
    max_bad_share: float = 0.2,
) -> IngestResult:
    """Check a partner file against the records contract and store its felony records."""
    require_purpose(purpose)
    agreement = load_agreement(partners_dir, partner)
    require_exchange(agreement, partner, received)
    outcome = check_input(
        read_input(records_path, "records", {}), "records", str(records_path), max_bad_share
    )
    kept = felonies(outcome.passed)
    provenance = Provenance(
        partner, agreement.partner_country, agreement.agreement_id, received, datetime.now(UTC)
    )
    with RecordStore.open(store_path) as store:
        store.add_records(kept, provenance)
        total = store.count()
    result = IngestResult(
        partner=partner,
        agreement_id=agreement.agreement_id,
        rows_in=outcome.rows_in,
        rows_quarantined=outcome.rows_quarantined,
        rows_not_felony=outcome.rows_passed - kept.height,
        rows_stored=kept.height,
        store_rows=total,
    )
    append_ledger(
        ledger_path or default_ledger_path(),
        partner=partner,
        day=received,
        direction="received",
        records=kept.height,
        agreement_id=agreement.agreement_id,
    )
    agreement_file = agreement_path(partners_dir, partner)
    append_audit(
        audit_log or default_audit_path(),
        command="ingest-partner",
        purpose=purpose,
        partner=partner,
        inputs={
            str(records_path): sha256_file(records_path),
            str(agreement_file): sha256_file(agreement_file),
        },
        counts=result.counts(),
    )
    return result
