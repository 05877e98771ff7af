"""Accuracy against ground truth: precision, recall and F1 of (traveler, record) pairs.

A truth file lists the true (traveler_id, record_id) pairs (Parquet or CSV; a file with
exactly two other-named columns is read as traveler id, record id). Optional columns
(``script``, ``origin`` and noise labels) give breakdowns; a ``truth_travelers.parquet``
beside it with ``negative_kind`` gives the false-positive rate among namesakes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipeline.config import JobConfig
from pipeline.errors import InputError
from pipeline.match.model import Thresholds, load_model

TARGET_PRECISION = 0.99
TARGET_REVIEW_RECALL = 0.995
MIN_REVIEW = 0.01  # below this the review queue is mostly noise
BREAKDOWN_COLUMNS = ("script", "origin", "name_form", "name_noise", "dob_noise", "field_noise")


def read_truth(path: Path) -> pl.DataFrame:
    """True pairs as (traveler_id, record_id, ...labels)."""
    try:
        frame = (
            pl.read_parquet(path)
            if path.suffix == ".parquet"
            else pl.read_csv(path, infer_schema=False)
        )
    except FileNotFoundError:
        raise InputError(f"truth file not found: {path}") from None
    except Exception as exc:
        raise InputError(f"cannot read truth file {path}: {type(exc).__name__}") from None
    if {"traveler_id", "record_id"} <= set(frame.columns):
        return frame.with_columns(pl.col("traveler_id", "record_id").cast(pl.String))
    if frame.width == 2:
        first, second = frame.columns
        return frame.select(
            pl.col(first).cast(pl.String).alias("traveler_id"),
            pl.col(second).cast(pl.String).alias("record_id"),
        )
    raise InputError(f"truth file {path} needs columns traveler_id and record_id")


@dataclass(frozen=True)
class Evaluation:
    """Scored (traveler, record) pairs down to a low floor, and the true pairs."""

    pairs: pl.DataFrame
    truth: pl.DataFrame


def label_pairs(pairs: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    marks = truth.select("traveler_id", "record_id").unique().with_columns(is_true=pl.lit(True))
    return pairs.join(marks, on=["traveler_id", "record_id"], how="left").with_columns(
        pl.col("is_true").fill_null(False)
    )


@dataclass(frozen=True)
class Metrics:
    threshold: float
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    positives: int

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def metrics_at(labelled: pl.DataFrame, positives: int, threshold: float) -> Metrics:
    chosen = labelled.filter(pl.col("match_probability") >= threshold)
    tp = int(chosen["is_true"].sum())
    fp = chosen.height - tp
    precision = tp / chosen.height if chosen.height else 1.0
    recall = tp / positives if positives else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(threshold, precision, recall, f1, tp, fp, positives)


def pr_curve(labelled: pl.DataFrame, positives: int) -> pl.DataFrame:
    """Precision and recall at every distinct probability (descending)."""
    ordered = labelled.sort("match_probability", descending=True).with_columns(
        tp=pl.col("is_true").cast(pl.Int64).cum_sum(),
        n=pl.int_range(1, pl.len() + 1),
    )
    curve = ordered.group_by("match_probability").agg(pl.col("tp").max(), pl.col("n").max())
    return (
        curve.sort("match_probability", descending=True)
        .select(
            pl.col("match_probability").alias("threshold"),
            (pl.col("tp") / pl.col("n")).alias("precision"),
            (pl.col("tp") / max(positives, 1)).alias("recall"),
        )
        .with_columns(
            f1=2 * pl.col("precision") * pl.col("recall") / (pl.col("precision") + pl.col("recall"))
        )
    )


@dataclass(frozen=True)
class PairMetrics:
    at_model: Metrics
    review_recall: float
    best: Metrics
    curve: pl.DataFrame

    def headline(self) -> dict[str, Any]:
        return {
            "precision": round(self.at_model.precision, 5),
            "recall": round(self.at_model.recall, 5),
            "f1": round(self.at_model.f1, 5),
            "recall_with_review": round(self.review_recall, 5),
            "best_threshold": self.best.threshold,
            "best_f1": round(self.best.f1, 5),
        }


def evaluate_pairs(pairs: pl.DataFrame, truth: pl.DataFrame, thresholds: Thresholds) -> PairMetrics:
    labelled = label_pairs(pairs, truth)
    positives = truth.select("traveler_id", "record_id").unique().height
    curve = pr_curve(labelled, positives)
    best_row = curve.sort(["f1", "threshold"], descending=[True, True]).row(0, named=True)
    return PairMetrics(
        at_model=metrics_at(labelled, positives, thresholds.hit),
        review_recall=metrics_at(labelled, positives, thresholds.review).recall,
        best=metrics_at(labelled, positives, float(best_row["threshold"])),
        curve=curve,
    )


def choose_thresholds(evaluation: Evaluation) -> tuple[float, float]:
    """Hit: the lowest threshold keeping precision >= 0.99; review: recall >= 0.995."""
    labelled = label_pairs(evaluation.pairs, evaluation.truth)
    positives = evaluation.truth.select("traveler_id", "record_id").unique().height
    curve = pr_curve(labelled, positives)
    precise = curve.filter(pl.col("precision") >= TARGET_PRECISION)
    hit = float(precise["threshold"].min()) if precise.height else 0.99  # type: ignore[arg-type]
    hit = min(max(hit, 0.5), 0.999)
    covering = curve.filter(pl.col("recall") >= TARGET_REVIEW_RECALL)
    review = float(covering["threshold"].max()) if covering.height else MIN_REVIEW  # type: ignore[arg-type]
    review = _floor6(min(max(review, MIN_REVIEW), hit))
    return _floor6(hit), review


def _floor6(threshold: float) -> float:
    """Six decimals, rounded down: a threshold is chosen as the probability of a pair
    (``>=`` keeps it), so rounding up would drop exactly the pairs it was chosen for."""
    return math.floor(threshold * 1e6) / 1e6


def breakdown(
    labelled: pl.DataFrame, truth: pl.DataFrame, column: str, hit: float
) -> list[dict[str, Any]]:
    """Recall at the hit threshold per value of a truth column (lists are exploded)."""
    found = (
        labelled.filter(pl.col("is_true") & (pl.col("match_probability") >= hit))
        .select("traveler_id", "record_id")
        .with_columns(found=pl.lit(True))
    )
    values = truth.select("traveler_id", "record_id", column)
    if isinstance(values.schema[column], pl.List):
        values = values.with_columns(
            pl.when(pl.col(column).list.len() == 0).then(pl.lit(["none"])).otherwise(pl.col(column))
        ).explode(column)
    per = (
        values.join(found, on=["traveler_id", "record_id"], how="left")
        .group_by(column)
        .agg(pl.len().alias("true_pairs"), pl.col("found").fill_null(False).mean().alias("recall"))
    )
    return per.sort(column).to_dicts()


def blocking_stats(labelled: pl.DataFrame, positives: int, n_travelers: int) -> dict[str, Any]:
    """Share of true pairs among the blocked candidates, and candidates per traveler."""
    return {
        "candidate_pairs": labelled.height,
        "candidates_per_traveler": round(labelled.height / max(n_travelers, 1), 3),
        "true_pairs_blocked": int(labelled["is_true"].sum()),
        "true_pairs": positives,
        "blocking_recall": round(int(labelled["is_true"].sum()) / max(positives, 1), 5),
    }


@dataclass(frozen=True)
class EvaluationReport:
    metrics: PairMetrics
    breakdowns: dict[str, list[dict[str, Any]]]
    namesakes: dict[str, Any]
    blocking: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        return {
            **self.metrics.headline(),
            **{f"FP rate {k}": v for k, v in self.namesakes.items()},
            "blocking recall": self.blocking["blocking_recall"],
            "candidates per traveler": self.blocking["candidates_per_traveler"],
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "at_model_thresholds": self.metrics.at_model.as_dict(),
            "recall_with_review": self.metrics.review_recall,
            "best": self.metrics.best.as_dict(),
            "pr_curve": self.metrics.curve.head(2000).to_dicts(),
            "breakdowns": self.breakdowns,
            "hard_negative_fp_rate": self.namesakes,
            "blocking": self.blocking,
        }


def namesake_rate(pairs: pl.DataFrame, truth_path: Path, hit: float) -> dict[str, Any]:
    travelers_path = truth_path.with_name("truth_travelers.parquet")
    if not travelers_path.exists():
        return {}
    travelers = pl.read_parquet(travelers_path)
    if "negative_kind" not in travelers.columns:
        return {}
    hard = travelers.filter(pl.col("negative_kind").is_in(["namesake", "twin", "relative"]))
    flagged = pairs.filter(pl.col("match_probability") >= hit).select("traveler_id").unique()
    hard = hard.with_columns(pl.col("traveler_id").cast(pl.String)).join(
        flagged.with_columns(flagged_=pl.lit(True)), on="traveler_id", how="left"
    )
    if "has_record" in hard.columns:
        hard = hard.filter(~pl.col("has_record").fill_null(False))
    rates = hard.group_by("negative_kind").agg(
        pl.len().alias("travelers"), pl.col("flagged_").fill_null(False).mean().alias("fp_rate")
    )
    return {row["negative_kind"]: round(float(row["fp_rate"]), 5) for row in rates.to_dicts()}


def evaluate_job(
    job: JobConfig,
    truth_path: Path,
    out_dir: Path | None = None,
    progress: Any = None,
) -> tuple[EvaluationReport, Path]:
    """Score every blocked pair of the job's inputs and compare with the truth.

    Writes ``evaluation.json`` and an offline ``evaluation.html`` to ``out_dir``
    (default: the job's output directory with ``-evaluation`` appended).
    """
    from pipeline.match.score import score_records
    from pipeline.output.report import render_evaluation
    from pipeline.runner import SilentProgress, Timings, prepare_inputs

    progress = progress or SilentProgress()
    timings = Timings()
    model = load_model(job.model.path)
    truth = read_truth(truth_path)
    prepared = prepare_inputs(job, progress, timings)
    with timings.measure("score every blocked pair", progress):
        pairs = score_records(
            prepared.travelers,
            prepared.identities,
            model.splink_settings,
            model.spec,
            0.0,
            model.calibration,
        )
    metrics = evaluate_pairs(pairs, truth, model.thresholds)
    labelled = label_pairs(pairs, truth)
    hit = model.thresholds.hit
    report = EvaluationReport(
        metrics=metrics,
        breakdowns={
            column: breakdown(labelled, truth, column, hit)
            for column in BREAKDOWN_COLUMNS
            if column in truth.columns
        },
        namesakes=namesake_rate(pairs, truth_path, hit),
        blocking=blocking_stats(labelled, metrics.at_model.positives, prepared.travelers.height),
    )
    target = out_dir or job.output.dir.with_name(job.output.dir.name + "-evaluation")
    target.mkdir(parents=True, exist_ok=True)
    (target / "evaluation.json").write_text(json.dumps(report.to_json(), indent=2) + "\n")
    (target / "evaluation.html").write_text(
        render_evaluation(report, model.version, str(truth_path), model.thresholds)
    )
    return report, target
