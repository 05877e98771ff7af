"""Tiny run directories, record files and agreements built in tmp_path (no generator)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

#: Personal values planted in the inputs; none may appear in any log or message.
PLANTED = {
    "surname": "QUIXWORTHINGTON",
    "given_names": "ZEBEDIAHRUNE",
    "date_of_birth": "1911-07-23",
    "document_number": "QX9912345",
}
TODAY = date(2026, 6, 15)

# record_id, offense_level, us_person, surname (r1 carries every planted value)
RECORDS = [
    ("r1", "felony", "false", PLANTED["surname"]),
    ("r2", "misdemeanor", "false", "Beta"),
    ("r3", "Felony", "true", "Gamma"),
    ("r4", "felony", None, "Delta"),
    ("r5", "felony", "no", "Epsilon"),
]
# traveler_id, record_id, decision
MATCHES = [
    ("t1", "r1", "hit"),
    ("t2", "r2", "hit"),
    ("t3", "r3", "hit"),
    ("t4", "r4", "hit"),
    ("t5", "r5", "review"),
]


def write_records(path: Path) -> Path:
    n = len(RECORDS)
    pl.DataFrame(
        {
            "record_id": [r[0] for r in RECORDS],
            "subject_id": [f"s{i}" for i in range(n)],
            "surname": [r[3] for r in RECORDS],
            "given_names": [PLANTED["given_names"], *["Ann"] * (n - 1)],
            "date_of_birth": [PLANTED["date_of_birth"], *["1980-01-02"] * (n - 1)],
            "document_number": [PLANTED["document_number"], *[f"D{i}" for i in range(1, n)]],
            "nationality": ["NLD"] * n,
            "offense_level": [r[1] for r in RECORDS],
            "conviction_date": ["2015-05-05"] * n,
            "us_person": [r[2] for r in RECORDS],
        }
    ).write_csv(path)
    return path


def write_matches(path: Path) -> Path:
    explanation = [{"comparison": "name", "level": "exact", "match_weight": 5.0}]
    pl.DataFrame(
        {
            "run_id": ["run-1"] * len(MATCHES),
            "traveler_id": [m[0] for m in MATCHES],
            "record_id": [m[1] for m in MATCHES],
            "subject_id": [f"s{i}" for i in range(len(MATCHES))],
            "match_probability": [0.99, 0.98, 0.97, 0.96, 0.5],
            "match_weight": [10.0, 9.0, 8.0, 7.0, 1.0],
            "decision": [m[2] for m in MATCHES],
            "rank": [1] * len(MATCHES),
            "explanation": [explanation] * len(MATCHES),
            "model_version": ["models/default@abc"] * len(MATCHES),
        }
    ).write_parquet(path)
    return path


def make_run(root: Path, purpose: str = "border_screening") -> Path:
    run_dir = root / "run"
    run_dir.mkdir(parents=True)
    records = write_records(root / "records.csv")
    write_matches(run_dir / "matches.parquet")
    info: dict[str, Any] = {
        "run_id": "run-1",
        "purpose": purpose,
        "inputs": {
            "records": {
                "path": str(records),
                "sha256": hashlib.sha256(records.read_bytes()).hexdigest(),
            }
        },
        "model": {"version": "models/default@abc"},
    }
    (run_dir / "run.json").write_text(json.dumps(info))
    return run_dir


AGREEMENT = {
    "partner_country": "NL",
    "agreement_id": "SYNTH-T-1",
    "valid_from": date(2026, 1, 1),
    "valid_to": date(2026, 12, 31),
    "reciprocal": True,
    "felony_only": True,
    "us_persons": "exclude",
    "retention_days": 30,
    "disclosable_fields": [
        "record_id",
        "traveler_id",
        "surname",
        "offense_level",
        "us_person",
        "match_probability",
    ],
}


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


def write_agreement(partners_dir: Path, code: str, **changes: object) -> Path:
    partners_dir.mkdir(parents=True, exist_ok=True)
    terms = {**AGREEMENT, **changes}
    text = "".join(f"{k} = {toml_value(v)}\n" for k, v in terms.items())
    path = partners_dir / f"{code}.toml"
    path.write_text(text)
    return path


@dataclass(frozen=True)
class World:
    root: Path
    run_dir: Path
    partners: Path
    ledger: Path
    audit: Path


@pytest.fixture
def world(tmp_path: Path) -> World:
    partners = tmp_path / "partners"
    write_agreement(partners, "OK")
    write_agreement(
        partners,
        "OLD",
        agreement_id="SYNTH-T-2",
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    write_agreement(
        partners,
        "SOON",
        agreement_id="SYNTH-T-3",
        valid_from=date(2027, 1, 1),
        valid_to=date(2028, 1, 1),
    )
    write_agreement(partners, "ONEWAY", agreement_id="SYNTH-T-4", reciprocal=False)
    write_agreement(partners, "USOK", agreement_id="SYNTH-T-5", us_persons="include")
    return World(
        tmp_path, make_run(tmp_path), partners, tmp_path / "ledger.jsonl", tmp_path / "audit.jsonl"
    )


Disclose = Callable[..., Path]


@pytest.fixture
def disclose(world: World) -> Disclose:
    from pipeline.safeguards import build_disclosure

    def run(partner: str = "OK", **kwargs: Any) -> Path:
        return build_disclosure(
            kwargs.pop("run_dir", world.run_dir),
            partner,
            partners_dir=world.partners,
            ledger_path=world.ledger,
            today=kwargs.pop("today", TODAY),
            audit_log=world.audit,
            **kwargs,
        )

    return run
