"""End to end through the CLI on a tiny generated world with planted pairs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.generate import generate_world
from pipeline.schema import MATCH_COLUMNS, QUARANTINE_COLUMNS, SCREENING_COLUMNS
from tests.cli import run_chrilink

PLANTED_TRAVELERS = [
    # the convicted traveler: MRZ form of the Cyrillic record below
    {
        "traveler_id": "PLANT-T1",
        "full_name": "IVANOV<<IURII<SERGEEVICH",
        "date_of_birth": "1975-03-12",
        "sex": "M",
        "nationality": "RUS",
    },
    # a namesake: same name, another date of birth
    {
        "traveler_id": "PLANT-T2",
        "full_name": "IVANOV<<IURII<SERGEEVICH",
        "date_of_birth": "1991-08-27",
        "sex": "M",
        "nationality": "RUS",
    },
    # a row without any name: rejected, but still screened
    {
        "traveler_id": "PLANT-T3",
        "full_name": None,
        "date_of_birth": "1980-01-01",
        "sex": "F",
        "nationality": "FRA",
    },
]
PLANTED_RECORD = {
    "record_id": "PLANT-R1",
    "subject_id": "PLANT-S1",
    "full_name": "Иванов Юрий Сергеевич",
    "date_of_birth": "12.03.1975",
    "sex": "М",
    "nationality": "Russia",
    "offense_level": "felony",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("world")
    generate_world(root, n_records=800, n_travelers=300, seed=3)
    manifests = pl.read_parquet(root / "manifests.parquet")
    records = pl.read_parquet(root / "records.parquet")
    pl.concat([manifests, pl.DataFrame(PLANTED_TRAVELERS)], how="diagonal_relaxed").write_parquet(
        root / "manifests.parquet"
    )
    pl.concat([records, pl.DataFrame([PLANTED_RECORD])], how="diagonal_relaxed").write_parquet(
        root / "records.parquet"
    )
    return root


@pytest.fixture(scope="module")
def run(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run") / "out"
    job = world / "job.toml"
    job.write_text(
        'purpose = "border_screening"\n'
        f'[manifests]\npath = "{world / "manifests.parquet"}"\n'
        f'[records]\npath = "{world / "records.parquet"}"\n'
        f'[output]\ndir = "{out}"\n'
    )
    result = run_chrilink("link", "--job", str(job), "--quiet")
    assert result.returncode == 0, result.stderr
    return out


def test_all_outputs_are_written_with_their_schemas(run: Path) -> None:
    assert pl.read_parquet(run / "matches.parquet").columns == list(MATCH_COLUMNS)
    assert pl.read_parquet(run / "screening.parquet").columns == list(SCREENING_COLUMNS)
    assert pl.read_parquet(run / "quarantine.parquet").columns[: len(QUARANTINE_COLUMNS)] == list(
        QUARANTINE_COLUMNS
    )
    assert (run / "chrilink.duckdb").exists()
    assert (run / "report.html").exists()


def test_one_screening_row_per_input_traveler_and_counts_add_up(run: Path, world: Path) -> None:
    screening = pl.read_parquet(run / "screening.parquet")
    travelers = pl.read_parquet(world / "manifests.parquet")
    assert screening.height == travelers.height
    assert screening["traveler_id"].n_unique() == screening.height
    info = json.loads((run / "run.json").read_text())
    for kind in ("manifests", "records"):
        counts = info["inputs"][kind]
        assert counts["rows_in"] == counts["rows_passed"] + counts["rows_quarantined"]
    assert info["counts"]["travelers_in"] == screening.height == info["counts"]["screening_rows"]
    assert info["purpose"] == "border_screening"


def test_planted_true_match_is_a_hit_and_namesake_is_not(run: Path) -> None:
    screening = pl.read_parquet(run / "screening.parquet")
    status = dict(zip(screening["traveler_id"], screening["status"], strict=True))
    best = dict(zip(screening["traveler_id"], screening["best_record_id"], strict=True))
    assert status["PLANT-T1"] == "hit"
    assert best["PLANT-T1"] == "PLANT-R1"
    assert status["PLANT-T2"] in ("clear", "review")
    assert status["PLANT-T3"] == "rejected"
    hit = pl.read_parquet(run / "matches.parquet").filter(pl.col("traveler_id") == "PLANT-T1")
    explanation = hit.filter(pl.col("record_id") == "PLANT-R1")["explanation"].item()
    assert {e["comparison"] for e in explanation} >= {"name", "dob"}


def test_outputs_never_contain_planted_names(run: Path) -> None:
    text = (run / "report.html").read_text() + (run / "run.json").read_text()
    assert "IVANOV" not in text.upper()
    assert "1975-03-12" not in text
