"""No personal data in logs, messages or reports: planted values never come out.

Runs the user-facing commands end to end (validate, link, evaluate, a refused job and
an audit check) on a tiny world with planted, distinctive personal values, including
malformed ones that the contracts set aside, and scans every byte the commands print
and every text file they write.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.generate import generate_world
from tests.cli import run_chrilink

SURNAME, GIVEN, DOB, DOC = "QUIXOTRELLAN", "ZEBULONIA", "1962-09-17", "ZX9988776"
PLANTED = (SURNAME, GIVEN, DOB, DOC, "17.09.1962", "Кихотреллан")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("privacy")
    generate_world(root, n_records=400, n_travelers=150, seed=11)
    travelers = [
        {
            "traveler_id": "P1",
            "surname": SURNAME,
            "given_names": GIVEN,
            "date_of_birth": DOB,
            "document_number": DOC,
            "nationality": "ESP",
        },
        # malformed values the contracts set aside or quarantine
        {
            "traveler_id": "P2",
            "surname": SURNAME,
            "given_names": GIVEN,
            "date_of_birth": f"{DOB}?{SURNAME}",
            "nationality": f"X{GIVEN}",
        },
        {"traveler_id": "P3", "surname": SURNAME + "\x00", "given_names": GIVEN},
    ]
    record = {
        "record_id": "PR1",
        "full_name": f"Кихотреллан {GIVEN}",
        "date_of_birth": "17.09.1962",
        "document_number": DOC,
        "offense_level": "felony",
    }
    manifests = pl.read_parquet(root / "manifests.parquet")
    records = pl.read_parquet(root / "records.parquet")
    pl.concat([manifests, pl.DataFrame(travelers)], how="diagonal_relaxed").write_parquet(
        root / "manifests.parquet"
    )
    pl.concat([records, pl.DataFrame([record])], how="diagonal_relaxed").write_parquet(
        root / "records.parquet"
    )
    truth = pl.read_parquet(root / "truth.parquet").select("traveler_id", "record_id")
    pl.concat([truth, pl.DataFrame({"traveler_id": ["P1"], "record_id": ["PR1"]})]).write_parquet(
        root / "truth.parquet"
    )
    return root


def job(world: Path, out: Path, mapping: str = "") -> Path:
    path = out.parent / f"{out.name}.toml"
    path.write_text(
        f'[manifests]\npath = "{world / "manifests.parquet"}"\n{mapping}'
        f'[records]\npath = "{world / "records.parquet"}"\n'
        f'[output]\ndir = "{out}"\n'
    )
    return path


def test_no_planted_value_in_any_output_or_message(world: Path, tmp_path: Path) -> None:
    import os

    env = {**os.environ, "CHRILINK_AUDIT_LOG": str(tmp_path / "audit" / "audit.jsonl")}
    out = tmp_path / "run"
    good = job(world, out)
    bad = job(world, tmp_path / "bad", '[manifests.columns]\nsurname = "no_such_column"\n')
    results = [
        run_chrilink(
            "validate", "--job", str(good), "--report", str(tmp_path / "validation.html"), env=env
        ),
        run_chrilink("link", "--job", str(good), "--quiet", env=env),
        run_chrilink(
            "evaluate",
            "--job",
            str(good),
            "--truth",
            str(world / "truth.parquet"),
            "--out",
            str(tmp_path / "evaluation"),
            env=env,
        ),
        run_chrilink("link", "--job", str(bad), env=env),
        run_chrilink("audit", "verify", env=env),
    ]
    assert [r.returncode for r in results] == [0, 0, 0, 2, 0], [r.stderr for r in results]
    screening = pl.read_parquet(out / "screening.parquet")
    assert screening.filter(pl.col("traveler_id") == "P1")["status"].item() == "hit"
    texts = [r.stdout + r.stderr for r in results]
    texts += [
        p.read_text(errors="replace")
        for p in tmp_path.rglob("*")
        if p.is_file() and p.suffix in {".json", ".jsonl", ".html", ".md", ".txt", ".head"}
    ]
    quarantine = pl.read_parquet(out / "quarantine.parquet")
    warnings = pl.read_parquet(out / "warnings.parquet")
    texts += [str(quarantine.to_dicts()), str(warnings.to_dicts())]
    assert "P3" in quarantine["row_id"].to_list(), "the row with a NUL byte must be quarantined"
    assert "P2" in warnings["row_id"].to_list(), "the malformed values must be set aside"
    blob = "\n".join(texts).upper()
    for value in PLANTED:
        assert value.upper() not in blob, f"planted value {value!r} leaked"
