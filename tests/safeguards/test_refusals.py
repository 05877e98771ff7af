"""Every refusal path: one SafeguardError line, exit code 2, nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.safeguards import SafeguardError, require_purpose
from tests.safeguards.conftest import PLANTED, Disclose, World, make_run

REFUSALS = [
    {"description": "expired agreement", "partner": "OLD", "match": "expired on 2025-12-31"},
    {"description": "agreement not yet valid", "partner": "SOON", "match": "not yet valid"},
    {"description": "non-reciprocal partner", "partner": "ONEWAY", "match": "not reciprocal"},
    {
        "description": "field the agreement does not allow",
        "partner": "OK",
        "fields": ("record_id", "document_number"),
        "match": "document_number may not be disclosed",
    },
]


@pytest.mark.parametrize("case", REFUSALS, ids=[c["description"] for c in REFUSALS])
def test_exchange_refusals(case: dict[str, object], world: World, disclose: Disclose) -> None:
    kwargs = {"fields": case["fields"]} if "fields" in case else {}
    with pytest.raises(SafeguardError, match=str(case["match"])) as info:
        disclose(str(case["partner"]), **kwargs)
    message = str(info.value)
    assert info.value.exit_code == 2 and "\n" not in message
    assert not any(value in message for value in PLANTED.values())
    assert not (world.run_dir / "disclosures").exists()
    assert not world.ledger.exists() and not world.audit.exists()


@pytest.mark.parametrize("purpose", ["marketing", "", "Border_Screening", "law_enforcement"])
def test_wrong_purpose_is_refused(purpose: str) -> None:
    with pytest.raises(SafeguardError, match="not allowed"):
        require_purpose(purpose)


@pytest.mark.parametrize("purpose", ["border_screening", "immigration_vetting"])
def test_permitted_purposes_pass(purpose: str) -> None:
    assert require_purpose(purpose) == purpose


def test_run_with_wrong_purpose_cannot_be_disclosed(tmp_path: Path, disclose: Disclose) -> None:
    run_dir = make_run(tmp_path / "other", purpose="curiosity")
    with pytest.raises(SafeguardError, match="purpose 'curiosity' is not allowed"):
        disclose("OK", run_dir=run_dir)


def test_changed_records_file_is_refused(world: World, disclose: Disclose) -> None:
    records = world.root / "records.csv"
    records.write_text(records.read_text() + "r9,,X,,,,,,,,,,,felony,,,,false\n")
    with pytest.raises(SafeguardError, match="changed since run"):
        disclose("OK")


def test_unknown_partner_is_one_line(disclose: Disclose) -> None:
    with pytest.raises(InputError, match="no agreement for partner NOPE"):
        disclose("NOPE")


@pytest.mark.parametrize("code", ["../OK", "ok", "A", "X/Y"])
def test_partner_code_cannot_name_other_files(code: str, disclose: Disclose) -> None:
    with pytest.raises(InputError, match="partner code"):
        disclose(code)


def test_us_persons_are_left_out(disclose: Disclose) -> None:
    import polars as pl

    frame = pl.read_parquet(disclose("OK") / "disclosure.parquet")
    assert frame["us_person"].to_list() == ["false"]


def test_ingest_refused_under_expired_agreement(world: World) -> None:
    from pipeline.safeguards import ingest_partner

    with pytest.raises(SafeguardError, match="expired"):
        ingest_partner(
            world.root / "records.csv",
            "OLD",
            store_path=world.root / "store.duckdb",
            partners_dir=world.partners,
            received=date(2026, 6, 1),
            ledger_path=world.ledger,
            audit_log=world.audit,
        )
    assert not (world.root / "store.duckdb").exists()
