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
from pipeline.match.decide import fold_identities
from pipeline.match.engine import build_engine
from pipeline.match.model import Model, load_model
from pipeline.match.score import score
from pipeline.output import OutputTables, publish_outputs
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.schema import InputKind
from pipeline.screening import StoreMatcher, decisions, status_counts
from pipeline.standardize import standardize
from pipeline.store.prepared import META_FILE, PreparedStore


class Progress(Protocol):
    """How the runner reports stages; the CLI shows them, tests ignore them."""

    def stage(self, name: str) -> AbstractContextManager[None]: ...

    def note(self, text: str) -> None:
        """Progress inside the current stage (e.g. "300,000 of 1,000,000 travelers")."""


class SilentProgress:
    def stage(self, name: str) -> AbstractContextManager[None]:
        return nullcontext()

    def note(self, text: str) -> None:
        pass


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
        "columns": dict(job.input(kind).columns),
        "rows_in": rows_in,
        "rows_passed": outcome.passed.height,
        "rows_quarantined": outcome.quarantine.height,
        "warnings": outcome.warnings.height,
    }


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


def _store_info(store: PreparedStore) -> dict[str, Any]:
    return {
        "path": str(store.path),
        "sha256": sha256_file(store.path / META_FILE),
        "store": True,
        "records_live": store.records,
        "identities_live": store.identities,
        "segments": len(store.segments),
        "updated_at": store.meta.get("updated_at"),
    }


@dataclass(frozen=True)
class _Scored:
    manifests: ContractOutcome
    records: ContractOutcome | None
    records_info: dict[str, Any]
    folded: pl.DataFrame
    identities: int
    pairs_at_review: int


def _score_files(job: JobConfig, model: Model, progress: Progress, timings: Timings) -> _Scored:
    prepared = prepare_inputs(job, progress, timings)
    outcomes, travelers, identities = prepared.outcomes, prepared.travelers, prepared.identities
    with timings.measure("block and score", progress):
        engine = build_engine(travelers, identities, model.splink_settings)
        pairs = score(engine, model.spec, model.thresholds.review, model.calibration)
        engine.con.close()
        folded = fold_identities(pairs, identities)
    return _Scored(
        outcomes["manifests"],
        outcomes["records"],
        _input_info(job, "records", outcomes["records"]),
        folded,
        identities.height,
        pairs.height,
    )


def _score_store(job: JobConfig, model: Model, progress: Progress, timings: Timings) -> _Scored:
    assert job.store is not None
    with timings.measure("open store", progress):
        store = PreparedStore.open(job.store.path, model.spec)
    with timings.measure("ingest", progress):
        raw = read_input(job.manifests.path, "manifests", job.manifests.columns)
    with timings.measure("contracts", progress):
        outcome = check_input(
            raw, "manifests", str(job.manifests.path), job.contracts.max_bad_share, evaluator="fast"
        )
    with timings.measure("standardize", progress):
        travelers = standardize(outcome.passed, "manifests")
    total, done = travelers.height, 0

    def on_chunk(rows: int) -> None:
        nonlocal done
        done += rows
        progress.note(f"{done:,} of {total:,} travelers")

    with timings.measure("score against store", progress):
        scoring = StoreMatcher(store, model).score(travelers, on_chunk=on_chunk)
    return _Scored(
        outcome,
        None,
        {
            **_store_info(store),
            "pairs_scored": scoring.pairs_scored,
            "pairs_pruned": scoring.pairs_pruned,
        },
        scoring.pairs,
        store.identities,
        scoring.pairs.height,
    )


def run_link(job: JobConfig, progress: Progress | None = None) -> RunResult:
    """Run one link job end to end and publish its outputs to ``job.output.dir``.

    The records come from a file (validated and standardized in this run) or from a
    prepared store (``[store]``, built by `chrilink index`).
    """
    progress = progress or SilentProgress()
    timings = Timings()
    run_id = new_run_id()
    started = datetime.now(UTC).isoformat()

    with timings.measure("load model", progress):
        model = load_model(job.model.path)
    scored = (
        _score_store(job, model, progress, timings)
        if job.store is not None
        else _score_files(job, model, progress, timings)
    )
    with timings.measure("decide", progress):
        matches, screening = decisions(scored.folded, scored.manifests, model, run_id)
    with timings.measure("output contracts", progress):
        check_output("matches", matches)
        check_output("screening", screening)

    run_info: dict[str, Any] = {
        "run_id": run_id,
        "purpose": job.purpose,
        "user": getpass.getuser(),
        "started_at": started,
        "inputs": {
            "manifests": _input_info(job, "manifests", scored.manifests),
            "records": scored.records_info,
        },
        "counts": {
            "travelers_in": scored.manifests.passed.height + scored.manifests.quarantine.height,
            "screening_rows": screening.height,
            "record_identities": scored.identities,
            "candidate_pairs_at_review": scored.pairs_at_review,
            "matches": matches.height,
        },
        "screening": status_counts(screening),
        "model": {
            "path": str(model.path),
            "version": model.version,
            "prior": model.splink_settings.get("probability_two_random_records_match"),
            "thresholds": {"hit": model.thresholds.hit, "review": model.thresholds.review},
        },
        "versions": _versions(),
    }
    outcomes = [scored.manifests] + ([scored.records] if scored.records is not None else [])
    quarantine = pl.concat([o.quarantine for o in outcomes], how="vertical")
    warnings = pl.concat([o.warnings for o in outcomes], how="vertical")
    with timings.measure("publish", progress):
        run_info["finished_at"] = datetime.now(UTC).isoformat()
        run_info["timings_seconds"] = timings.seconds
        publish_outputs(
            job.output.dir, OutputTables(matches, screening, quarantine, warnings), run_info
        )
    audit_inputs = {info["path"]: info["sha256"] for info in run_info["inputs"].values()}
    append_audit(
        default_audit_path(),
        command="link",
        purpose=job.purpose,
        inputs=audit_inputs,
        model_version=model.version,
        counts={
            **run_info["counts"],
            **{f"screening_{k}": v for k, v in run_info["screening"].items()},
        },
    )
    return RunResult(job.output.dir, run_info, screening)
