"""Retention: delete partner records held longer than their agreement allows.

A row received under agreement A is deleted once ``A.retention_days`` days have
passed since its ``prov_received_date``. Rows held under an agreement id that no
agreement file in ``partners_dir`` carries stop the purge before anything is
deleted: a wrong ``--partners-dir`` must not look like "nothing to purge".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.errors import InputError
from pipeline.safeguards.agreements import PartnerAgreement, load_agreements
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.safeguards.errors import SafeguardError
from pipeline.store import RecordStore


def retention_by_agreement(agreements: dict[str, PartnerAgreement]) -> dict[str, int]:
    """agreement_id -> retention_days; the shortest wins if two files share an id."""
    out: dict[str, int] = {}
    for agreement in agreements.values():
        days = out.get(agreement.agreement_id, agreement.retention_days)
        out[agreement.agreement_id] = min(days, agreement.retention_days)
    return out


def require_known(held: list[str], retention: dict[str, int], partners_dir: Path) -> None:
    unknown = [a for a in held if a not in retention]
    if unknown:
        raise SafeguardError(
            f"the store holds rows under agreement(s) {', '.join(unknown)} that have no file in "
            f"{partners_dir}; restore the agreement file(s) or point --partners-dir at them"
        )


def purge_partner_data(
    store_path: Path, partners_dir: Path, today: date, *, audit_log: Path | None = None
) -> int:
    """Delete expired partner rows; append an audit entry; return the number deleted."""
    if not store_path.is_file():
        raise InputError(f"record store not found: {store_path}")
    retention = retention_by_agreement(load_agreements(partners_dir))
    with RecordStore.open(store_path) as store:
        require_known(store.agreement_ids(), retention, partners_dir)
        deleted = store.purge_expired(today, retention)
        remaining = store.count()
    append_audit(
        audit_log or default_audit_path(),
        command="purge",
        purpose="retention",
        inputs={},
        counts={"rows_deleted": deleted, "rows_remaining": remaining},
    )
    return deleted
