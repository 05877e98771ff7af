"""One small sample world, run and model copy shared by the notebook tests (and xdist workers)."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from pipeline.analysis import ensure_sample_run


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    shared = tmp_path_factory.getbasetemp().parent / "chrilink-notebook-sample"
    shared.mkdir(parents=True, exist_ok=True)
    with (shared.parent / "chrilink-notebook-sample.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ensure_sample_run(shared)
    return shared
