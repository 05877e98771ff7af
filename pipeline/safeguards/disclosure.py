"""Build the disclosure of one run's hits for one partner (``chrilink exchange``).

Checks, in order, before anything is written: the partner's agreement exists and is
valid, it is in force today and reciprocal, the requested fields are allowed, the run
declared a permitted purpose and its records file is unchanged since the run. Then the
hits are minimized (``pipeline.safeguards.minimize``), written as
``disclosure.parquet`` + ``manifest.json``, and a ``sent`` ledger entry and an audit
entry are appended.
"""

from __future__ import annotations

import json
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.errors import InputError
from pipeline.hashing import sha256_file
from pipeline.ingest import read_input
from pipeline.safeguards.agreements import (
    PartnerAgreement,
    agreement_path,
    load_agreement,
    require_exchange,
    require_fields,
)
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.safeguards.errors import SafeguardError
from pipeline.safeguards.ledger import append_ledger
from pipeline.safeguards.minimize import Minimized, minimize
from pipeline.safeguards.pseudonyms import new_key
from pipeline.safeguards.purpose import require_purpose
from pipeline.store.index import live_records
from pipeline.store.prepared import META_FILE

PSEUDONYM_SCHEME = "HMAC-SHA256 of field:id under a random per-disclosure key; key not retained"


@dataclass(frozen=True)
class RunOutputs:
    """What an exchange needs from a run directory."""

    run_id: str
    purpose: str
    model_version: str | None
    matches_path: Path
    records_path: Path
    records_sha256: str | None
    records_columns: dict[str, str] = field(default_factory=dict)
    records_in_store: bool = False


def today_utc() -> date:
    return datetime.now(UTC).date()


def read_run(run_dir: Path) -> RunOutputs:
    """Read run.json and locate matches.parquet and the records file of a run."""
    run_json, matches = run_dir / "run.json", run_dir / "matches.parquet"
    for needed in (run_json, matches):
        if not needed.is_file():
            raise InputError(f"{run_dir} is not a run directory: {needed.name} is missing")
    try:
        info: dict[str, Any] = json.loads(run_json.read_text(encoding="utf-8"))
        records = info["inputs"]["records"]
        return RunOutputs(
            run_id=str(info.get("run_id", "")),
            purpose=str(info.get("purpose", "")),
            model_version=(info.get("model") or {}).get("version"),
            matches_path=matches,
            records_path=Path(records["path"]),
            records_sha256=records.get("sha256"),
            records_columns=dict(records.get("columns") or {}),
            records_in_store=bool(records.get("store", False)),
        )
    except (OSError, ValueError, KeyError, TypeError):
        raise InputError(
            f"{run_json} is not a readable run.json with inputs.records.path"
        ) from None


def require_unchanged(run: RunOutputs) -> str:
    """Refuse when the records file (or the prepared store) differs from the one the run
    linked; return its hash."""
    source = run.records_path / META_FILE if run.records_in_store else run.records_path
    if not source.is_file():
        raise InputError(f"records of run {run.run_id} not found: {run.records_path}")
    digest = sha256_file(source)
    if run.records_sha256 is not None and digest != run.records_sha256:
        raise SafeguardError(
            f"records file {run.records_path} changed since run {run.run_id}; "
            "disclose only from the data the run screened"
        )
    return digest


def _write(out_dir: Path, minimized: Minimized, manifest: dict[str, Any]) -> None:
    if out_dir.exists() and any(out_dir.iterdir()):
        raise InputError(f"output directory {out_dir} is not empty; choose another --out")
    staging = out_dir.with_name(f".{out_dir.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    minimized.frame.write_parquet(staging / "disclosure.parquet")
    manifest["sha256"] = {"disclosure.parquet": sha256_file(staging / "disclosure.parquet")}
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    if out_dir.exists():
        out_dir.rmdir()
    staging.rename(out_dir)


def _manifest(
    disclosure_id: str,
    partner: str,
    agreement: PartnerAgreement,
    run: RunOutputs,
    fields: tuple[str, ...],
    minimized: Minimized,
) -> dict[str, Any]:
    return {
        "disclosure_id": disclosure_id,
        "created_at": datetime.now(UTC).isoformat(),
        "partner": partner,
        "partner_country": agreement.partner_country,
        "agreement_id": agreement.agreement_id,
        "purpose": run.purpose,
        "run_id": run.run_id,
        "fields": list(fields),
        "felony_only": True,
        "us_persons": agreement.us_persons,
        "retention_days": agreement.retention_days,
        "pseudonyms": PSEUDONYM_SCHEME,
        "counts": minimized.counts(),
    }


def build_disclosure(
    run_dir: Path,
    partner: str,
    *,
    partners_dir: Path,
    ledger_path: Path,
    today: date | None = None,
    fields: tuple[str, ...] | None = None,
    out_dir: Path | None = None,
    audit_log: Path | None = None,
) -> Path:
    """Write the disclosure of ``run_dir``'s hits for ``partner``; return its directory.

    ``fields`` defaults to every field the agreement allows; ``out_dir`` to
    ``run_dir/disclosures/<partner>-<disclosure id>``; ``audit_log`` to
    :func:`~pipeline.safeguards.audit.default_audit_path`.
    """
    day = today or today_utc()
    agreement = load_agreement(partners_dir, partner)
    require_exchange(agreement, partner, day)
    wanted = agreement.disclosable_fields if fields is None else tuple(fields)
    require_fields(agreement, partner, wanted)
    run = read_run(run_dir)
    require_purpose(run.purpose)
    records_hash = require_unchanged(run)
    matches = pl.read_parquet(run.matches_path)
    records = (
        live_records(run.records_path)
        if run.records_in_store
        else read_input(run.records_path, "records", run.records_columns)
    )
    minimized = minimize(matches, records, wanted, agreement.us_persons, new_key())
    disclosure_id = f"{day:%Y%m%d}-{secrets.token_hex(6)}"
    target = out_dir or run_dir / "disclosures" / f"{partner}-{disclosure_id}"
    _write(target, minimized, _manifest(disclosure_id, partner, agreement, run, wanted, minimized))
    append_ledger(
        ledger_path,
        partner=partner,
        day=day,
        direction="sent",
        records=minimized.disclosed,
        agreement_id=agreement.agreement_id,
    )
    append_audit(
        audit_log or default_audit_path(),
        command="exchange",
        purpose=run.purpose,
        partner=partner,
        inputs={
            str(run.matches_path): sha256_file(run.matches_path),
            str(run.records_path): records_hash,
            str(agreement_path(partners_dir, partner)): sha256_file(
                agreement_path(partners_dir, partner)
            ),
        },
        model_version=run.model_version,
        counts=minimized.counts(),
    )
    return target
