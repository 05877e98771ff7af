"""Write the output tables to a staging directory, then move it into place atomically."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.output.report import render_report

DUCKDB_FILE = "chrilink.duckdb"


@dataclass(frozen=True)
class OutputTables:
    matches: pl.DataFrame
    screening: pl.DataFrame
    quarantine: pl.DataFrame
    warnings: pl.DataFrame


def _write_duckdb(path: Path, tables: dict[str, pl.DataFrame]) -> None:
    con = duckdb.connect(str(path))
    try:
        for name, frame in tables.items():
            arrow = frame.to_arrow()
            con.register("staged", arrow)
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM staged')
            con.unregister("staged")
    finally:
        con.close()


@contextmanager
def _staging(target: Path) -> Iterator[Path]:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace(staging: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(target)


def publish_outputs(target: Path, tables: OutputTables, run_info: dict[str, Any]) -> None:
    """Write every output for one run and move the directory to ``target``."""
    frames = {
        "matches": tables.matches,
        "screening": tables.screening,
        "quarantine": tables.quarantine,
        "warnings": tables.warnings,
    }
    with _staging(target) as staging:
        for name, frame in frames.items():
            frame.write_parquet(staging / f"{name}.parquet", statistics=False)
        (staging / "run.json").write_text(json.dumps(run_info, indent=2, default=str) + "\n")
        _write_duckdb(staging / DUCKDB_FILE, frames)
        (staging / "report.html").write_text(render_report(tables.matches, run_info))
        _replace(staging, target)
