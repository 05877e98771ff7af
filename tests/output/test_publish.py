"""Outputs appear all at once or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from pipeline.output import OutputTables, publish_outputs
from pipeline.output import publish as publish_module

RUN: dict[str, Any] = {
    "run_id": "r1",
    "purpose": "border_screening",
    "screening": {"hit": 0},
    "model": {"version": "default@x", "prior": 1e-5, "thresholds": {"hit": 0.9, "review": 0.5}},
}


def tables() -> OutputTables:
    frame = pl.DataFrame(
        {"traveler_id": ["t1"], "decision": ["review"], "match_probability": [0.6]}
    )
    return OutputTables(frame, frame, frame, frame)


def test_all_outputs_are_written(tmp_path: Path) -> None:
    target = tmp_path / "run"
    publish_outputs(target, tables(), RUN)
    names = sorted(p.name for p in target.iterdir())
    assert names == [
        "chrilink.duckdb",
        "matches.parquet",
        "quarantine.parquet",
        "report.html",
        "run.json",
        "screening.parquet",
        "warnings.parquet",
    ]
    con = duckdb.connect(str(target / "chrilink.duckdb"), read_only=True)
    assert con.execute("select count(*) from screening").fetchone() == (1,)


def test_a_failure_leaves_no_output_and_keeps_the_previous_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "run"
    publish_outputs(target, tables(), RUN)

    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(publish_module, "_write_duckdb", broken)
    with pytest.raises(RuntimeError):
        publish_outputs(target, tables(), {**RUN, "run_id": "r2"})
    assert '"r1"' in (target / "run.json").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
