"""Wire the stages of one link job: ingest → contracts → standardize → score → outputs.

Stages are pure functions of tables; this module does the I/O at the edges, times the
stages and assembles run.json. Nothing is published unless every stage and every output
contract succeeds.
"""

from __future__ import annotations

import getpass
import importlib.metadata as metadata
import platform
import time
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from pipeline import __version__
from pipeline.config import JobConfig
from pipeline.contracts import ContractOutcome, check_input, check_output
from pipeline.hashing import sha256_file
from pipeline.ingest import read_input
from pipeline.match.decide import decide, fold_identities, screen
from pipeline.match.engine import build_engine
from pipeline.match.model import Model, load_model
from pipeline.match.score import score
from pipeline.output import OutputTables, publish_outputs
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.schema import MATCH_COLUMNS, SCREENING_COLUMNS, InputKind
from pipeline.standardize import standardize


class Progress(Protocol):
    """How the runner reports stages; the CLI shows them, tests ignore them."""

    def stage(self, name: str) -> AbstractContextManager[None]: ...


class SilentProgress:
    def stage(self, name: str) -> AbstractContextManager[None]:
        return nullcontext()


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def measure(self, name: str, progress: Progress) -> Iterator[None]:
        start = time.perf_counter()
        with progress.stage(name):
            yield
        self.seconds[name] = round(time.perf_counter() - start, 3)


@dataclass(frozen=True)
class RunResult:
    out_dir: Path
    run_info: dict[str, Any]
    screening: pl.DataFrame


def _versions() -> dict[str, str]:
    out = {"chrilink": __version__, "python": platform.python_version()}
    for package in ("splink", "duckdb", "polars", "great-expectations"):
        out[package] = metadata.version(package)
    return out


def _input_info(job: JobConfig, kind: InputKind, outcome: ContractOutcome) -> dict[str, Any]:
    rows_in = outcome.passed.height + outcome.quarantine.height
    return {
        "path": str(job.input(kind).path),
        "sha256": sha256_file(job.input(kind).path),
        "rows_in": rows_in,
        "rows_passed": outcome.passed.height,
        "rows_quarantined": outcome.quarantine.height,
        "warnings": outcome.warnings.height,
    }


def _rejected_travelers(outcome: ContractOutcome) -> pl.DataFrame:
    return outcome.quarantine.select(
        pl.col("row_id").alias("traveler_id"),
        "row_number",
        pl.col("reasons").list.join("; ").alias("reason"),
    )


def _match_table(matches: pl.DataFrame, run_id: str, model: Model) -> pl.DataFrame:
    return matches.with_columns(run_id=pl.lit(run_id), model_version=pl.lit(model.version)).select(
        MATCH_COLUMNS
    )


def _status_counts(screening: pl.DataFrame) -> dict[str, int]:
    counts = dict(screening.group_by("status").len().iter_rows())
    return {status: int(counts.get(status, 0)) for status in ("hit", "review", "clear", "rejected")}


@dataclass(frozen=True)
class PreparedInputs:
    """Both inputs after contracts and standardization."""

    outcomes: dict[InputKind, ContractOutcome]
    travelers: pl.DataFrame
    identities: pl.DataFrame


def prepare_inputs(job: JobConfig, progress: Progress, timings: Timings) -> PreparedInputs:
    """Ingest, check and standardize both inputs of a job."""
    kinds: tuple[InputKind, InputKind] = ("manifests", "records")
    with timings.measure("ingest", progress):
        raw = {k: read_input(job.input(k).path, k, job.input(k).columns) for k in kinds}
    with timings.measure("contracts", progress):
        outcomes = {
            k: check_input(raw[k], k, str(job.input(k).path), job.contracts.max_bad_share)
            for k in kinds
        }
    with timings.measure("standardize", progress):
        travelers = standardize(outcomes["manifests"].passed, "manifests")
        identities = standardize(outcomes["records"].passed, "records")
    return PreparedInputs(outcomes, travelers, identities)


def new_run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]


def run_link(job: JobConfig, progress: Progress | None = None) -> RunResult:
    """Run one link job end to end and publish its outputs to ``job.output.dir``."""
    progress = progress or SilentProgress()
    timings = Timings()
    run_id = new_run_id()
    started = datetime.now(UTC).isoformat()

    with timings.measure("load model", progress):
        model = load_model(job.model.path)
    prepared = prepare_inputs(job, progress, timings)
    outcomes, travelers, identities = prepared.outcomes, prepared.travelers, prepared.identities
    with timings.measure("block and score", progress):
        engine = build_engine(travelers, identities, model.splink_settings)
        pairs = score(engine, model.spec, model.thresholds.review, model.calibration)
        engine.con.close()
    with timings.measure("decide", progress):
        folded = fold_identities(pairs, identities)
        matches = _match_table(decide(folded, model.thresholds), run_id, model)
        screening = (
            screen(
                outcomes["manifests"].passed["traveler_id"],
                _rejected_travelers(outcomes["manifests"]),
                matches,
            )
            .with_columns(run_id=pl.lit(run_id))
            .select(SCREENING_COLUMNS)
        )
    with timings.measure("output contracts", progress):
        check_output("matches", matches)
        check_output("screening", screening)

    run_info: dict[str, Any] = {
        "run_id": run_id,
        "purpose": job.purpose,
        "user": getpass.getuser(),
        "started_at": started,
        "inputs": {kind: _input_info(job, kind, outcomes[kind]) for kind in outcomes},
        "counts": {
            "travelers_in": outcomes["manifests"].passed.height
            + outcomes["manifests"].quarantine.height,
            "screening_rows": screening.height,
            "record_identities": identities.height,
            "candidate_pairs_at_review": pairs.height,
            "matches": matches.height,
        },
        "screening": _status_counts(screening),
        "model": {
            "path": str(model.path),
            "version": model.version,
            "prior": model.splink_settings.get("probability_two_random_records_match"),
            "thresholds": {"hit": model.thresholds.hit, "review": model.thresholds.review},
        },
        "versions": _versions(),
    }
    quarantine = pl.concat(
        [outcomes["manifests"].quarantine, outcomes["records"].quarantine], how="vertical"
    )
    warnings = pl.concat(
        [outcomes["manifests"].warnings, outcomes["records"].warnings], how="vertical"
    )
    with timings.measure("publish", progress):
        run_info["finished_at"] = datetime.now(UTC).isoformat()
        run_info["timings_seconds"] = timings.seconds
        publish_outputs(
            job.output.dir, OutputTables(matches, screening, quarantine, warnings), run_info
        )
    append_audit(
        default_audit_path(),
        command="link",
        purpose=job.purpose,
        inputs={info["path"]: info["sha256"] for info in run_info["inputs"].values()},
        model_version=model.version,
        counts={
            **run_info["counts"],
            **{f"screening_{k}": v for k, v in run_info["screening"].items()},
        },
    )
    return RunResult(job.output.dir, run_info, screening)
