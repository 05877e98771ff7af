"""``chrilink train``: estimate a model on a job's inputs and write a new model version.

The new version directory gets the spec it was trained from, the trained Splink
settings, thresholds (chosen on labels when a truth file is given, else copied from
the job's model) and a model card.
"""

from __future__ import annotations

import getpass
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import JobConfig
from pipeline.errors import InputError
from pipeline.evaluate import (
    Evaluation,
    choose_thresholds,
    evaluate_pairs,
    label_pairs,
    read_truth,
)
from pipeline.hashing import sha256_file
from pipeline.match.calibrate import CALIBRATION_FILE, Calibration, fit_calibration
from pipeline.match.model import (
    CARD_FILE,
    CARD_MD,
    SPEC_FILE,
    SPLINK_FILE,
    THRESHOLDS_FILE,
    ThresholdChange,
    Thresholds,
    load_model,
    load_thresholds,
    thresholds_toml,
)
from pipeline.match.score import score_records
from pipeline.match.spec import ModelSpec, load_spec
from pipeline.match.train import TrainingOptions, train
from pipeline.runner import PreparedInputs, Progress, SilentProgress, Timings, prepare_inputs

CALIBRATION_FLOOR = 0.001  # raw probability of the lowest pairs used to fit calibration


def _card_markdown(card: dict[str, Any]) -> str:
    lines = [f"# Model card: {card['name']}", ""]
    for key in ("trained_at", "trained_by", "seed", "settings_hash", "feature_version"):
        lines.append(f"- **{key}**: {card[key]}")
    lines += ["", "## Training data", ""]
    for kind, info in card["training_data"].items():
        lines.append(
            f"- {kind}: {info['path']} ({info['rows']} rows, sha256 {info['sha256'][:12]})"
        )
    lines += [
        "",
        "## Thresholds",
        "",
        f"- hit: {card['thresholds']['hit']}",
        f"- review: {card['thresholds']['review']}",
        "",
        "## Metrics",
        "",
    ]
    metrics = card.get("metrics") or {}
    if not metrics:
        lines.append("No labels were given; no metrics.")
    for key, value in metrics.items():
        lines.append(f"- {key}: {value}")
    return "\n".join(lines + history_markdown(card.get("threshold_history") or [])) + "\n"


def history_markdown(history: list[dict[str, Any]]) -> list[str]:
    """The threshold changes recorded after training, as a Markdown table."""
    if not history:
        return []
    lines = [
        "",
        "## Threshold history",
        "",
        "Metrics above were measured at the training thresholds; later changes:",
        "",
        "| when | who | hit | review | why |",
        "| --- | --- | --- | --- | --- |",
    ]
    for change in history:
        why = str(change["why"]).replace("|", "/").replace("\n", " ")
        lines.append(
            f"| {change['when']} | {change['who']} | {change['hit']} | {change['review']} | {why} |"
        )
    return lines


def write_card(version_dir: Path, card: dict[str, Any]) -> None:
    (version_dir / CARD_FILE).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    (version_dir / CARD_MD).write_text(_card_markdown(card))


def _training_data(job: JobConfig, prepared: PreparedInputs) -> dict[str, Any]:
    return {
        kind: {
            "path": str(job.input(kind).path),
            "sha256": sha256_file(job.input(kind).path),
            "rows": prepared.outcomes[kind].passed.height,
        }
        for kind in ("manifests", "records")
    }


def train_model_version(
    job: JobConfig,
    *,
    models_dir: Path,
    spec_path: Path | None = None,
    truth_path: Path | None = None,
    name: str | None = None,
    seed: int = 42,
    progress: Progress | None = None,
) -> Path:
    """Train on the job's inputs and write ``models_dir/<name>``; return its path."""
    progress = progress or SilentProgress()
    timings = Timings()
    spec = load_spec(spec_path or job.model.path / SPEC_FILE)
    name = name or f"{spec.name}-{datetime.now(UTC):%Y%m%d%H%M%S}"
    version_dir = models_dir / name
    if version_dir.exists():
        raise InputError(f"model version {version_dir} exists already; choose another --name")
    prepared = prepare_inputs(job, progress, timings)
    truth = read_truth(truth_path) if truth_path else None
    with timings.measure("train", progress):
        settings = train(
            spec,
            prepared.travelers,
            prepared.identities,
            TrainingOptions(seed=seed),
            truth=truth,
        )
    metrics: dict[str, Any] = {}
    base = (
        load_thresholds(job.model.path / THRESHOLDS_FILE)
        if (job.model.path / THRESHOLDS_FILE).exists()
        else Thresholds(hit=0.9, review=0.5)
    )
    thresholds = base
    calibration: Calibration | None = None
    if truth is not None:
        with timings.measure("calibrate and choose thresholds", progress):
            evaluation, calibration = _calibrate(spec, settings, prepared, truth)
            hit, review = choose_thresholds(evaluation)
            change = ThresholdChange(
                who=getpass.getuser(),
                when=datetime.now(UTC).isoformat(timespec="seconds"),
                why="chosen on labelled training data by chrilink train",
                hit=hit,
                review=review,
            )
            thresholds = Thresholds(hit=hit, review=review, history=(change,))
            metrics = evaluate_pairs(evaluation.pairs, evaluation.truth, thresholds).headline()
    staging = models_dir / f".{name}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / SPEC_FILE).write_text((spec_path or job.model.path / SPEC_FILE).read_text())
    (staging / SPLINK_FILE).write_text(json.dumps(settings, indent=2) + "\n")
    (staging / THRESHOLDS_FILE).write_text(thresholds_toml(thresholds))
    if calibration is not None:
        (staging / CALIBRATION_FILE).write_text(calibration.to_json() + "\n")
    write_card(
        staging,
        {
            "name": name,
            "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "trained_by": getpass.getuser(),
            "seed": seed,
            "settings_hash": spec.settings_hash(),
            "feature_version": spec.feature_version,
            "training_data": _training_data(job, prepared),
            "labels": str(truth_path) if truth_path else None,
            "prior": settings.get("probability_two_random_records_match"),
            "thresholds": {"hit": thresholds.hit, "review": thresholds.review},
            "metrics": metrics,
            "timings_seconds": timings.seconds,
        },
    )
    staging.rename(version_dir)
    load_model(version_dir)  # refuse to hand back a model that does not load
    return version_dir


def _calibrate(
    spec: ModelSpec, settings: dict[str, Any], prepared: PreparedInputs, truth: pl.DataFrame
) -> tuple[Evaluation, Calibration]:
    """Score the training pairs, fit the calibration, and return calibrated pairs."""
    pairs = score_records(
        prepared.travelers, prepared.identities, settings, spec, CALIBRATION_FLOOR
    )
    labelled = label_pairs(pairs, truth)
    calibration = fit_calibration(
        labelled["match_weight"].to_numpy(), labelled["is_true"].to_numpy()
    )
    calibrated = pairs.with_columns(match_probability=calibration.apply(pl.col("match_weight")))
    return Evaluation(pairs=calibrated, truth=truth), calibration
