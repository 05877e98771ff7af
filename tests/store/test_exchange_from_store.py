"""`exchange` discloses from a run against a store, and from a run with mapped columns."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipeline.config import job_from_dict
from pipeline.generate import generate_world
from pipeline.match.model import load_model
from pipeline.runner import run_link
from pipeline.safeguards import build_disclosure
from pipeline.safeguards.errors import SafeguardError
from pipeline.store.index import build_store, update_store
from tests.safeguards.conftest import write_agreement

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"
TODAY = date(2026, 6, 15)


@pytest.fixture()
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CHRILINK_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    generate_world(tmp_path, n_records=1500, n_travelers=400, seed=23)
    write_agreement(tmp_path / "partners", "OK")
    return tmp_path


def _disclose(world: Path, run: Path) -> pl.DataFrame:
    target = build_disclosure(
        run,
        "OK",
        partners_dir=world / "partners",
        ledger_path=world / "ledger.jsonl",
        today=TODAY,
        audit_log=world / "audit.jsonl",
    )
    return pl.read_parquet(target / "disclosure.parquet")


def _felony_hits(run: Path, records: pl.DataFrame) -> int:
    hits = pl.read_parquet(run / "matches.parquet").filter(pl.col("decision") == "hit")
    felonies = records.filter(
        pl.col("offense_level").str.to_lowercase().str.contains("felon")
        & ~pl.col("us_person").cast(pl.String).str.to_lowercase().is_in(["true", "1", "yes", "y"])
    )
    return hits.join(felonies, on="record_id").select("record_id").n_unique()


def test_exchange_from_a_store_run(world: Path) -> None:
    model = load_model(MODEL)
    build_store(world / "store", world / "records.parquet", model)
    run = world / "run"
    run_link(
        job_from_dict(
            {
                "manifests": {"path": "manifests.parquet"},
                "store": {"path": "store"},
                "model": {"path": str(MODEL)},
                "output": {"dir": "run"},
            },
            world,
        )
    )
    disclosed = _disclose(world, run)
    expected = _felony_hits(run, pl.read_parquet(world / "records.parquet"))
    assert expected > 0 and disclosed.height == expected
    # once the store changes, the run's data is gone: refuse
    pl.read_parquet(world / "records.parquet").head(1).write_parquet(world / "fix.parquet")
    update_store(world / "store", world / "fix.parquet", model)
    with pytest.raises(SafeguardError, match="changed since run"):
        _disclose(world, run)


def test_exchange_reads_records_through_the_run_column_mapping(world: Path) -> None:
    records = pl.read_parquet(world / "records.parquet")
    records.rename({"record_id": "conviction_id", "offense_level": "grade"}).write_parquet(
        world / "mapped.parquet"
    )
    run = world / "run"
    run_link(
        job_from_dict(
            {
                "manifests": {"path": "manifests.parquet"},
                "records": {
                    "path": "mapped.parquet",
                    "columns": {"record_id": "conviction_id", "offense_level": "grade"},
                },
                "model": {"path": str(MODEL)},
                "output": {"dir": "run"},
            },
            world,
        )
    )
    disclosed = _disclose(world, run)
    assert disclosed.height == _felony_hits(run, records) > 0
