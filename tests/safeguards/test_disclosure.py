"""Disclosure content: felony-only, minimized, pseudonymized, ledgered, audited."""

from __future__ import annotations

import json

import polars as pl

from pipeline.safeguards import ledger_balance, verify_audit
from tests.safeguards.conftest import AGREEMENT, PLANTED, Disclose, World


def test_only_felony_non_us_hits_with_allowed_fields(disclose: Disclose) -> None:
    out = disclose("OK")
    frame = pl.read_parquet(out / "disclosure.parquet")
    assert frame.columns == AGREEMENT["disclosable_fields"]
    assert frame.height == 1  # r1 only: r2 misdemeanor, r3 US person, r4 unknown, r5 review
    assert frame["surname"].to_list() == [PLANTED["surname"]]
    assert frame["record_id"].to_list() != ["r1"] and frame["traveler_id"].to_list() != ["t1"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"] == {
        "hits": 4,
        "excluded_not_felony": 1,
        "excluded_us_person": 2,
        "disclosed": 1,
    }
    assert manifest["agreement_id"] == "SYNTH-T-1" and manifest["purpose"] == "border_screening"


def test_requested_subset_of_fields(disclose: Disclose) -> None:
    frame = pl.read_parquet(
        disclose("OK", fields=("record_id", "offense_level")) / "disclosure.parquet"
    )
    assert frame.columns == ["record_id", "offense_level"]


def test_us_persons_included_only_when_the_agreement_says_so(disclose: Disclose) -> None:
    frame = pl.read_parquet(disclose("USOK") / "disclosure.parquet")
    assert sorted(str(v) for v in frame["us_person"]) == ["None", "false", "true"]


def test_pseudonyms_differ_across_disclosures(disclose: Disclose) -> None:
    first = pl.read_parquet(disclose("OK") / "disclosure.parquet")
    second = pl.read_parquet(disclose("OK") / "disclosure.parquet")
    assert first["surname"].to_list() == second["surname"].to_list()
    for column in ("record_id", "traveler_id"):
        assert set(first[column]).isdisjoint(set(second[column]))


def test_no_key_or_raw_ids_in_manifest(disclose: Disclose) -> None:
    text = (disclose("OK") / "manifest.json").read_text()
    assert '"r1"' not in text and '"t1"' not in text and 'key"' not in text
    assert not any(value in text for value in PLANTED.values())


def test_ledger_and_audit_entries(world: World, disclose: Disclose) -> None:
    disclose("OK")
    disclose("OK")
    balance = ledger_balance(world.ledger, "OK")
    assert (balance.sent, balance.received, balance.balance) == (2, 0, -2)
    assert list(balance.periods) == ["2026-06"]
    report = verify_audit(world.audit)
    assert report.ok and report.n_entries == 2
    entry = json.loads(world.audit.read_text().splitlines()[0])
    assert entry["command"] == "exchange" and entry["purpose"] == "border_screening"
    assert entry["partner"] == "OK" and entry["model_version"] == "models/default@abc"
    assert len(entry["inputs"]) == 3 and entry["counts"]["disclosed"] == 1
