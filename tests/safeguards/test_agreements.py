"""Agreement files: strict schema, one-line errors, the shipped examples load."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.safeguards import (
    DEFAULT_PARTNERS_DIR,
    AgreementError,
    load_agreement,
    load_agreements,
)
from tests.safeguards.conftest import write_agreement

BAD = [
    {"description": "unknown key", "changes": {"colour": "red"}, "match": "unknown key 'colour'"},
    {"description": "bad country", "changes": {"partner_country": "XX"}, "match": "ISO 3166"},
    {"description": "unknown field", "changes": {"disclosable_fields": ["pin"]}, "match": "pin"},
    {"description": "felony_only false", "changes": {"felony_only": False}, "match": "felony"},
    {"description": "bad us_persons", "changes": {"us_persons": "maybe"}, "match": "us_persons"},
    {"description": "retention zero", "changes": {"retention_days": 0}, "match": "retention"},
    {
        "description": "dates reversed",
        "changes": {"valid_from": date(2027, 1, 1), "valid_to": date(2026, 1, 1)},
        "match": "before valid_from",
    },
]


@pytest.mark.parametrize("case", BAD, ids=[c["description"] for c in BAD])
def test_bad_agreements_are_one_line(case: dict[str, object], tmp_path: Path) -> None:
    changes = case["changes"]
    assert isinstance(changes, dict)
    write_agreement(tmp_path, "BAD", **changes)
    with pytest.raises(AgreementError, match=str(case["match"])) as info:
        load_agreement(tmp_path, "BAD")
    assert "\n" not in str(info.value)


def test_missing_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "BAD.toml").write_text('partner_country = "NL"\n')
    with pytest.raises(AgreementError, match="missing required key"):
        load_agreement(tmp_path, "BAD")


def test_not_toml(tmp_path: Path) -> None:
    (tmp_path / "BAD.toml").write_text("this is = = not toml")
    with pytest.raises(AgreementError, match="not valid TOML"):
        load_agreement(tmp_path, "BAD")


def test_shipped_examples_load() -> None:
    agreements = load_agreements(DEFAULT_PARTNERS_DIR)
    assert {"EXA", "EXB", "EXC"} <= set(agreements)
    assert agreements["EXA"].reciprocal and not agreements["EXC"].reciprocal
    assert agreements["EXB"].valid_to < date(2026, 2, 6)
