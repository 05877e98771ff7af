"""Thresholds written through the notebook's API change what `chrilink link` decides."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import polars as pl

from pipeline.analysis import write_thresholds
from pipeline.config import job_from_dict
from pipeline.runner import run_link


def _link(world: Path, model: Path, out: Path) -> pl.DataFrame:
    job = job_from_dict(
        {
            "manifests": {"path": str(world / "manifests.parquet")},
            "records": {"path": str(world / "records.parquet")},
            "model": {"path": str(model)},
            "output": {"dir": str(out)},
        },
        world,
    )
    return run_link(job).screening


def test_written_thresholds_change_the_next_link(sample_root: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(sample_root / "model", model)
    world = sample_root / "world"
    before = _link(world, model, tmp_path / "before")
    probabilities = before.filter(pl.col("status") == "hit")["best_match_probability"].sort()
    assert probabilities.len() >= 2
    # a hit threshold just above the weakest hit turns that traveler into review
    new_hit = float(probabilities[0]) + 1e-6
    written = write_thresholds(model, new_hit, 0.01, "analyst-a", "fewer hits on the sample")
    after = _link(world, model, tmp_path / "after")

    stored = tomllib.loads((model / "thresholds.toml").read_text())
    assert (stored["hit"], stored["review"]) == (written.hit, written.review) == (new_hit, 0.01)
    assert stored["history"][-1]["who"] == "analyst-a"
    assert "fewer hits on the sample" in (model / "MODEL_CARD.md").read_text()
    counts = {
        name: dict(frame.group_by("status").len().iter_rows())
        for name, frame in (("before", before), ("after", after))
    }
    assert counts["after"].get("hit", 0) < counts["before"]["hit"]
    assert counts["after"].get("review", 0) > counts["before"].get("review", 0)
    assert set(after.filter(pl.col("status") == "hit")["traveler_id"]) < set(
        before.filter(pl.col("status") == "hit")["traveler_id"]
    )
