"""Analysis API for the analyst notebooks: thresholds, parity, examples, model inspection.

The notebooks in ``notebooks/`` call only this module (and :mod:`pipeline.charts`).

* A :class:`ScoredRun` is a table of labelled (traveler, record) pairs plus the travelers
  and their group labels. :func:`load_scored_run` reads a finished run (its
  ``matches.parquet`` holds only pairs at or above the model's review threshold);
  :func:`score_for_analysis` scores every blocked pair of a job the same way
  ``chrilink evaluate`` does, so thresholds below the run's review threshold can be studied.
* :func:`threshold_metrics`, :func:`parity_table`, :func:`examples` and
  :func:`blocking_recall` are pure functions of a ScoredRun.
* :func:`write_thresholds` records an analyst's choice (who, when, why) in the model's
  ``thresholds.toml`` and model card; the next ``chrilink link`` uses it.
* :func:`comparison_weights`, :func:`tf_adjustments` and :func:`waterfall` inspect the model.

Outputs carry record ids, never names, unless a caller asks for names explicitly.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl
from pydantic import ValidationError

from pipeline.config import DEFAULT_MODEL, JobConfig, job_from_dict
from pipeline.errors import InputError, ModelError
from pipeline.evaluate import blocking_stats, label_pairs, metrics_at, pr_curve, read_truth
from pipeline.match.model import (
    CARD_FILE,
    CARD_MD,
    THRESHOLDS_FILE,
    Model,
    ThresholdChange,
    Thresholds,
    load_model,
    load_thresholds,
    thresholds_toml,
)
from pipeline.schema import InputKind

GroupBy = Literal["script", "origin"]
ExampleKind = Literal["fp", "fn"]
PAIR_KEYS = ("traveler_id", "record_id")
NAME_FIELDS = ("full_name", "surname", "given_names")
UNKNOWN_GROUP = "unknown"
SAMPLE_WORLD = {"n_records": 600, "n_travelers": 200, "seed": 7}


@dataclass(frozen=True)
class ScoredRun:
    """Labelled candidate pairs of one run and the travelers they belong to.

    ``pairs``: traveler_id, record_id, match_probability, match_weight, explanation,
    is_true; pairs below ``floor`` are absent. ``travelers``: one row per input
    traveler with ``script`` and ``origin`` (``unknown`` when the truth has no label).
    """

    pairs: pl.DataFrame
    truth: pl.DataFrame
    travelers: pl.DataFrame
    floor: float
    thresholds: Thresholds
    prior: float | None = None
    model_path: Path | None = None
    job: JobConfig | None = None
    tf_tables: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def positives(self) -> int:
        return self.truth.select(PAIR_KEYS).unique().height

    @property
    def n_travelers(self) -> int:
        return self.travelers.height


# --- loading -------------------------------------------------------------------------


def _traveler_groups(truth_path: Path, truth: pl.DataFrame) -> pl.DataFrame:
    """traveler_id → script, origin: from truth_travelers.parquet beside the truth, or
    from the truth pairs themselves (then only travelers with a record are labelled)."""
    beside = truth_path.with_name("truth_travelers.parquet")
    source = pl.read_parquet(beside) if beside.exists() else truth
    present = [c for c in ("script", "origin") if c in source.columns]
    groups = source.select(pl.col("traveler_id").cast(pl.String), *present)
    for column in ("script", "origin"):
        if column not in present:
            groups = groups.with_columns(pl.lit(UNKNOWN_GROUP).alias(column))
    return groups.unique(subset="traveler_id", keep="first")


def _with_groups(traveler_ids: pl.Series, groups: pl.DataFrame) -> pl.DataFrame:
    return (
        pl.DataFrame({"traveler_id": traveler_ids.cast(pl.String)})
        .unique(maintain_order=True)
        .join(groups, on="traveler_id", how="left")
        .with_columns(pl.col("script", "origin").fill_null(UNKNOWN_GROUP))
    )


def _read_run_json(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "run.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{run_dir} is not a chrilink run: run.json not found") from None
    return data


def _prior(model_path: Path | None) -> float | None:
    if model_path is None or not (model_path / "splink_model.json").exists():
        return None
    settings = json.loads((model_path / "splink_model.json").read_text(encoding="utf-8"))
    value = settings.get("probability_two_random_records_match")
    return float(value) if value is not None else None


def job_from_run(run_dir: Path, model_dir: Path | None = None) -> JobConfig:
    """The job a run was made with (inputs, model, purpose), read from its run.json."""
    info = _read_run_json(run_dir)
    return job_from_dict(
        {
            "purpose": info["purpose"],
            "manifests": {"path": info["inputs"]["manifests"]["path"]},
            "records": {"path": info["inputs"]["records"]["path"]},
            "model": {"path": str(model_dir or info["model"]["path"])},
            "output": {"dir": str(run_dir)},
        },
        run_dir,
    )


def load_scored_run(run_dir: Path, truth_path: Path) -> ScoredRun:
    """A finished run's matches (pairs at or above its review threshold), labelled."""
    info = _read_run_json(run_dir)
    truth = read_truth(truth_path)
    matches = pl.read_parquet(run_dir / "matches.parquet")
    screening = pl.read_parquet(run_dir / "screening.parquet", columns=["traveler_id"])
    pairs = matches.select(
        *PAIR_KEYS, "match_probability", "match_weight", "explanation"
    ).with_columns(pl.col(*PAIR_KEYS).cast(pl.String))
    model_path = Path(info["model"]["path"])
    thresholds = Thresholds(**info["model"]["thresholds"])
    return ScoredRun(
        pairs=label_pairs(pairs, truth),
        truth=truth,
        travelers=_with_groups(screening["traveler_id"], _traveler_groups(truth_path, truth)),
        floor=thresholds.review,
        thresholds=thresholds,
        prior=_prior(model_path),
        model_path=model_path,
        job=job_from_run(run_dir),
    )


def score_for_analysis(job: JobConfig, truth_path: Path) -> ScoredRun:
    """Score every blocked pair of a job (as ``chrilink evaluate`` does) and label it.

    Also keeps Splink's term-frequency tables for the model's tf columns.
    """
    from pipeline.match.decide import fold_identities
    from pipeline.match.engine import build_engine
    from pipeline.match.score import score
    from pipeline.runner import SilentProgress, Timings, prepare_inputs

    model = load_model(job.model.path)
    truth = read_truth(truth_path)
    prepared = prepare_inputs(job, SilentProgress(), Timings())
    engine = build_engine(prepared.travelers, prepared.identities, model.splink_settings)
    try:
        pairs = fold_identities(
            score(engine, model.spec, 0.0, model.calibration), prepared.identities
        )
        tf_tables = {
            column: _tf_table(engine.linker, column)
            for column in _tf_columns(model.splink_settings)
        }
    finally:
        engine.con.close()
    quarantined = prepared.outcomes["manifests"].quarantine["row_id"].drop_nulls()
    traveler_ids = pl.concat([prepared.outcomes["manifests"].passed["traveler_id"], quarantined])
    return ScoredRun(
        pairs=label_pairs(pairs.select(*PAIR_KEYS, pl.exclude(*PAIR_KEYS)), truth).drop(
            "subject_id", strict=False
        ),
        truth=truth,
        travelers=_with_groups(traveler_ids, _traveler_groups(truth_path, truth)),
        floor=0.0,
        thresholds=model.thresholds,
        prior=model.splink_settings.get("probability_two_random_records_match"),
        model_path=model.path,
        job=job,
        tf_tables=tf_tables,
    )


def _tf_table(linker: Any, column: str) -> pl.DataFrame:
    table = linker.table_management.compute_tf_table(column)
    frame = pl.from_arrow(table.as_pyarrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.select(pl.col(column).alias("value"), pl.col(f"tf_{column}").alias("tf"))


def ensure_sample_run(root: Path) -> tuple[Path, Path]:
    """A small generated world linked with a private copy of the default model.

    Creates (once) ``root/world``, ``root/model`` and ``root/run``; returns the run
    directory and the truth file. Writing thresholds then changes the copy only.
    """
    from pipeline.generate import generate_world
    from pipeline.runner import run_link

    world, model, run = root / "world", root / "model", root / "run"
    if not (world / "truth.parquet").exists():
        generate_world(world, **SAMPLE_WORLD)  # type: ignore[arg-type]
    if not model.exists():
        shutil.copytree(DEFAULT_MODEL, model)
    if not (run / "run.json").exists():
        job = job_from_dict(
            {
                "manifests": {"path": str(world / "manifests.parquet")},
                "records": {"path": str(world / "records.parquet")},
                "model": {"path": str(model)},
                "output": {"dir": str(run)},
            },
            root,
        )
        run_link(job)
    return run, world / "truth.parquet"


# --- thresholds ----------------------------------------------------------------------


def _check_order(hit: float, review: float) -> None:
    if not 0.0 <= review <= hit <= 1.0:
        raise InputError(
            f"thresholds must satisfy 0 <= review <= hit <= 1 (got hit={hit}, review={review})"
        )


def _best_per_traveler(pairs: pl.DataFrame) -> pl.Series:
    return pairs.group_by("traveler_id").agg(pl.col("match_probability").max())["match_probability"]


def threshold_metrics(scored: ScoredRun, hit: float, review: float) -> dict[str, Any]:
    """Pair precision and recall at ``hit``, recall with review, and the screening load.

    ``review_queue``: travelers whose best candidate is in [review, hit);
    ``hits_per_10k``: travelers with a hit per 10,000 input travelers. ``complete`` is
    false when ``review`` is below the lowest probability the ScoredRun holds.
    """
    _check_order(hit, review)
    at_hit = metrics_at(scored.pairs, scored.positives, hit)
    best = _best_per_traveler(scored.pairs)
    hit_travelers = int((best >= hit).sum())
    review_queue = int(((best >= review) & (best < hit)).sum())
    in_review = scored.pairs["match_probability"].is_between(review, hit, closed="left")
    return {
        "hit": hit,
        "review": review,
        "precision": at_hit.precision,
        "recall": at_hit.recall,
        "f1": at_hit.f1,
        "recall_with_review": metrics_at(scored.pairs, scored.positives, review).recall,
        "true_positives": at_hit.true_positives,
        "false_positives": at_hit.false_positives,
        "false_negatives": at_hit.positives - at_hit.true_positives,
        "positives": at_hit.positives,
        "travelers": scored.n_travelers,
        "hit_travelers": hit_travelers,
        "hits_per_10k": hit_travelers * 10_000 / max(scored.n_travelers, 1),
        "review_queue": review_queue,
        "review_pairs": int(in_review.sum()),
        "complete": review >= scored.floor,
    }


def parity_table(scored: ScoredRun, hit: float, by: GroupBy = "script") -> pl.DataFrame:
    """Error rates at ``hit`` per traveler group (name script or origin).

    ``fn_rate``: share of the group's true pairs below ``hit``; ``fp_rate``: share of
    the group's travelers with at least one false hit; ``fp_per_10k`` the same per 10,000.
    """
    if by not in ("script", "origin"):
        raise InputError(f"parity by {by!r}: use 'script' or 'origin'")
    groups = scored.travelers.select("traveler_id", by)
    found = scored.pairs.filter(pl.col("is_true") & (pl.col("match_probability") >= hit))
    true_pairs = (
        scored.truth.select(PAIR_KEYS)
        .unique()
        .join(found.select(*PAIR_KEYS, found=pl.lit(True)), on=PAIR_KEYS, how="left")
        .join(groups, on="traveler_id", how="left")
        .group_by(by)
        .agg(
            pl.len().alias("true_pairs"),
            (~pl.col("found").fill_null(False)).sum().alias("missed"),
        )
    )
    false_hits = (
        scored.pairs.filter(~pl.col("is_true") & (pl.col("match_probability") >= hit))
        .join(groups, on="traveler_id", how="left")
        .group_by(by)
        .agg(pl.len().alias("false_hits"), pl.col("traveler_id").n_unique().alias("falsely_hit"))
    )
    travelers = groups.group_by(by).agg(pl.len().alias("travelers"))
    table = (
        travelers.join(true_pairs, on=by, how="full", coalesce=True)
        .join(false_hits, on=by, how="full", coalesce=True)
        .with_columns(
            pl.col(by).fill_null(UNKNOWN_GROUP),
            pl.col("travelers", "true_pairs", "missed", "false_hits", "falsely_hit")
            .fill_null(0)
            .cast(pl.Int64),
        )
    )
    return (
        table.with_columns(
            fn_rate=pl.when(pl.col("true_pairs") > 0).then(pl.col("missed") / pl.col("true_pairs")),
            fp_rate=pl.when(pl.col("travelers") > 0).then(
                pl.col("falsely_hit") / pl.col("travelers")
            ),
        )
        .with_columns(fp_per_10k=pl.col("fp_rate") * 10_000)
        .sort(["travelers", by], descending=[True, False])
    )


def explanation_text(explanation: pl.Expr) -> pl.Expr:
    """``comparison: level (+w.w)`` per comparison, joined with ``; ``."""
    return explanation.list.eval(
        pl.format(
            "{}: {} ({})",
            pl.element().struct.field("comparison"),
            pl.element().struct.field("level"),
            pl.element().struct.field("match_weight").round(1).cast(pl.String),
        )
    ).list.join("; ")


def examples(
    scored: ScoredRun,
    hit: float,
    kind: ExampleKind = "fp",
    n: int = 10,
    *,
    with_names: bool = False,
) -> pl.DataFrame:
    """False positives (false pairs at or above ``hit``) or false negatives (true pairs
    below it, including true pairs that were never candidates), strongest first.

    Ids, probability, weight and explanation only; names are added only with
    ``with_names=True`` (read from the run's inputs).
    """
    if kind == "fp":
        chosen = scored.pairs.filter(~pl.col("is_true") & (pl.col("match_probability") >= hit))
    elif kind == "fn":
        truth = scored.truth.select(PAIR_KEYS).unique()
        chosen = truth.join(scored.pairs, on=PAIR_KEYS, how="left").filter(
            pl.col("match_probability").is_null() | (pl.col("match_probability") < hit)
        )
    else:
        raise InputError(f"example kind {kind!r}: use 'fp' or 'fn'")
    missing = (
        "not a candidate (no blocking rule matched)"
        if scored.floor == 0.0
        else f"not a candidate, or scored below {scored.floor}"
    )
    table = (
        chosen.sort(
            ["match_probability", *PAIR_KEYS], descending=[True, False, False], nulls_last=True
        )
        .head(n)
        .select(
            *PAIR_KEYS,
            "match_probability",
            "match_weight",
            pl.when(pl.col("explanation").is_null())
            .then(pl.lit(missing))
            .otherwise(explanation_text(pl.col("explanation")))
            .alias("explanation"),
        )
    )
    return _add_names(table, scored) if with_names else table


def _add_names(table: pl.DataFrame, scored: ScoredRun) -> pl.DataFrame:
    if scored.job is None:
        raise InputError("names were asked for, but this scored run does not know its inputs")
    from pipeline.ingest import read_input

    sides: tuple[tuple[InputKind, str, str], ...] = (
        ("manifests", "traveler_id", "traveler_"),
        ("records", "record_id", "record_"),
    )
    for kind, key, prefix in sides:
        spec = scored.job.input(kind)
        raw = read_input(spec.path, kind, spec.columns)
        present = [c for c in NAME_FIELDS if c in raw.columns]
        names = raw.select(
            pl.col(key).cast(pl.String), *[pl.col(c).alias(prefix + c) for c in present]
        )
        table = table.join(names.unique(subset=key), on=key, how="left")
    return table


# --- recording a choice --------------------------------------------------------------


def _atomic_write(path: Path, text: str) -> None:
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    os.replace(staging, path)


def _update_card(model_dir: Path, thresholds: Thresholds) -> None:
    from pipeline.training import history_markdown, write_card

    card_path = model_dir / CARD_FILE
    card: dict[str, Any] = (
        json.loads(card_path.read_text(encoding="utf-8")) if card_path.exists() else {}
    )
    card["thresholds"] = {"hit": thresholds.hit, "review": thresholds.review}
    card["threshold_history"] = [change.model_dump() for change in thresholds.history]
    try:
        write_card(model_dir, card)
    except KeyError:  # a card without training facts: keep the JSON, write a short card
        card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
        short = [
            f"# Model card: {model_dir.name}",
            "",
            "## Thresholds",
            "",
            f"- hit: {thresholds.hit}",
            f"- review: {thresholds.review}",
        ]
        history = history_markdown(card["threshold_history"])
        (model_dir / CARD_MD).write_text("\n".join(short + history) + "\n")


def write_thresholds(
    model_dir: Path, hit: float, review: float, who: str, why: str, when: str | None = None
) -> Thresholds:
    """Set a model's thresholds and record the change (who, when, why) in its history,
    ``card.json`` and ``MODEL_CARD.md``. The next ``chrilink link`` with this model uses it.
    """
    if not who.strip() or not why.strip():
        raise InputError("say who changes the thresholds and why")
    current = load_thresholds(model_dir / THRESHOLDS_FILE)
    change = ThresholdChange(
        who=who.strip(),
        when=when or datetime.now(UTC).isoformat(timespec="seconds"),
        why=why.strip(),
        hit=hit,
        review=review,
    )
    try:
        updated = Thresholds(hit=hit, review=review, history=(*current.history, change))
    except ValidationError as exc:
        raise InputError(f"thresholds refused: {exc.errors()[0]['msg']}") from None
    _atomic_write(model_dir / THRESHOLDS_FILE, thresholds_toml(updated))
    _update_card(model_dir, updated)
    if load_thresholds(model_dir / THRESHOLDS_FILE) != updated:
        raise ModelError(f"thresholds written to {model_dir} do not read back the same")
    return updated


# --- curves and model inspection -------------------------------------------------------


def pr_curve_points(scored: ScoredRun) -> pl.DataFrame:
    """threshold, precision, recall, f1 at every distinct probability (descending)."""
    return pr_curve(scored.pairs, scored.positives)


def weight_histogram(scored: ScoredRun, bins: int = 40) -> pl.DataFrame:
    """Counts of true and other pairs per match-weight bin (``left`` edge, ``width``)."""
    weights = scored.pairs["match_weight"]
    if weights.is_empty():
        return pl.DataFrame(
            schema={"left": pl.Float64, "width": pl.Float64, "true": pl.Int64, "other": pl.Int64}
        )
    low, high = float(weights.min()), float(weights.max())  # type: ignore[arg-type]
    width = (high - low) / bins if high > low else 1.0
    binned = scored.pairs.with_columns(
        ((pl.col("match_weight") - low) / width)
        .floor()
        .clip(0, bins - 1)
        .cast(pl.Int64)
        .alias("bin")
    )
    counts = binned.group_by("bin").agg(
        pl.col("is_true").sum().cast(pl.Int64).alias("true"),
        (~pl.col("is_true")).sum().cast(pl.Int64).alias("other"),
    )
    return (
        pl.DataFrame({"bin": list(range(bins))})
        .join(counts, on="bin", how="left")
        .select(
            (low + pl.col("bin") * width).alias("left"),
            pl.lit(width).alias("width"),
            pl.col("true").fill_null(0),
            pl.col("other").fill_null(0),
        )
    )


def probability_to_weight(probability: float) -> float:
    """Raw Fellegi-Sunter match weight of a probability (before calibration)."""
    p = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


def _log2(value: float | None) -> float | None:
    return math.log2(value) if value else None


def comparison_weights(model: Model) -> pl.DataFrame:
    """m, u, Bayes factor and match weight of every comparison level, in spec order."""
    rows: list[dict[str, Any]] = []
    for comparison in model.splink_settings["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            null = bool(level.get("is_null_level", False))
            weight = 0.0 if null else (_log2(m / u) if m and u else None)
            rows.append(
                {
                    "comparison": comparison["output_column_name"],
                    "level": level.get("label_for_charts", level["sql_condition"]),
                    "null_level": null,
                    "m_probability": m,
                    "u_probability": u,
                    "bayes_factor": (m / u) if m and u and not null else None,
                    "match_weight": weight,
                    "tf_column": level.get("tf_adjustment_column"),
                }
            )
    return pl.DataFrame(rows, schema_overrides={"tf_column": pl.String})


def prior_weight(model: Model) -> float:
    """log2 of the prior odds that two random records match."""
    return probability_to_weight(
        float(model.splink_settings["probability_two_random_records_match"])
    )


def _tf_columns(settings: dict[str, Any]) -> list[str]:
    found = {
        level["tf_adjustment_column"]
        for comparison in settings.get("comparisons", [])
        for level in comparison["comparison_levels"]
        if level.get("tf_adjustment_column")
    }
    return sorted(found)


def _exact_u(comparison: dict[str, Any], column: str) -> float | None:
    """u of the level that is an exact match on ``column`` (what Splink adjusts from)."""
    exact = re.compile(rf'^\s*"?{column}_l"?\s*=\s*"?{column}_r"?\s*$', re.IGNORECASE)
    for level in comparison["comparison_levels"]:
        if exact.match(level["sql_condition"]):
            u = level.get("u_probability")
            return float(u) if u else None
    return None


def tf_adjustments(
    model: Model, tf_tables: dict[str, pl.DataFrame], top: int = 20, *, show_values: bool = False
) -> pl.DataFrame:
    """Term-frequency adjustment (match weight added at tf levels) of the most frequent
    values: ``log2(u_exact) - log2(tf)``; common values get less (often negative) weight.

    Values are names: they are shown only with ``show_values=True``.
    """
    frames = []
    for comparison in model.splink_settings["comparisons"]:
        for column in {lvl.get("tf_adjustment_column") for lvl in comparison["comparison_levels"]}:
            if not column or column not in tf_tables:
                continue
            u = _exact_u(comparison, column)
            if u is None:
                continue
            table = tf_tables[column].sort(["tf", "value"], descending=[True, False]).head(top)
            frames.append(
                table.with_row_index("rank", offset=1).select(
                    pl.lit(comparison["output_column_name"]).alias("comparison"),
                    pl.lit(column).alias("column"),
                    "rank",
                    pl.col("value")
                    if show_values
                    else pl.format("value #{}", pl.col("rank")).alias("value"),
                    "tf",
                    (math.log2(u) - pl.col("tf").log(2)).alias("tf_adjustment"),
                )
            )
    if not frames:
        return pl.DataFrame(schema={"comparison": pl.String, "column": pl.String})
    return pl.concat(frames)


def waterfall(scored: ScoredRun, traveler_id: str, record_id: str) -> pl.DataFrame:
    """Steps from the prior to the pair's match weight: step, level, weight, cumulative."""
    pair = scored.pairs.filter(
        (pl.col("traveler_id") == traveler_id) & (pl.col("record_id") == record_id)
    )
    if pair.is_empty():
        raise InputError(f"pair {traveler_id} / {record_id} is not among the scored pairs")
    steps = pair.select(pl.col("explanation").explode()).unnest("explanation")
    prior = probability_to_weight(scored.prior) if scored.prior else 0.0
    head = pl.DataFrame(
        {"comparison": ["prior"], "level": ["two random records match"], "match_weight": [prior]}
    )
    table = pl.concat([head, steps.select(head.columns)], how="vertical")
    return table.with_columns(cumulative=pl.col("match_weight").cum_sum())


def blocking_recall(scored: ScoredRun, by: GroupBy | None = None) -> pl.DataFrame:
    """Share of true pairs that blocking made candidates, overall or per traveler group.

    Exact only for a ScoredRun from :func:`score_for_analysis` (floor 0); from a run's
    matches it is a lower bound.
    """
    if by is None:
        stats = blocking_stats(scored.pairs, scored.positives, scored.n_travelers)
        return pl.DataFrame([{**stats, "exact": scored.floor == 0.0}])
    blocked = scored.pairs.filter("is_true").select(*PAIR_KEYS, blocked=pl.lit(True))
    return (
        scored.truth.select(PAIR_KEYS)
        .unique()
        .join(blocked, on=PAIR_KEYS, how="left")
        .join(scored.travelers.select("traveler_id", by), on="traveler_id", how="left")
        .with_columns(pl.col(by).fill_null(UNKNOWN_GROUP))
        .group_by(by)
        .agg(
            pl.len().alias("true_pairs"),
            pl.col("blocked").fill_null(False).mean().alias("blocking_recall"),
        )
        .sort(by)
    )


def threshold_weight(scored: ScoredRun, probability: float) -> float | None:
    """The lowest match weight among pairs at or above ``probability`` (to mark a
    probability threshold on the match-weight axis)."""
    above = scored.pairs.filter(pl.col("match_probability") >= probability)["match_weight"]
    return None if above.is_empty() else float(above.min())  # type: ignore[arg-type]


# --- notebook inputs -------------------------------------------------------------------

ENV_PREFIX = "CHRILINK_NB_"
DEFAULT_ROOT = Path("out/notebooks")


@dataclass(frozen=True)
class NotebookInputs:
    """What a notebook analyses: a run, its truth, and the model whose thresholds it edits."""

    run_dir: Path
    truth_path: Path
    model_dir: Path
    rescore: bool


def notebook_inputs(cli: dict[str, Any], env: dict[str, str]) -> NotebookInputs:
    """Resolve ``--run/--truth/--model/--root/--matches-only`` (CLI) or ``CHRILINK_NB_RUN``,
    ``_TRUTH``, ``_MODEL``, ``_ROOT``, ``_MATCHES_ONLY`` (environment). Without a run, a
    small sample world is generated and linked once under the root (``out/notebooks``)."""

    def get(name: str) -> str | None:
        value = cli.get(name.replace("_", "-")) or env.get(ENV_PREFIX + name.upper())
        return str(value) if value not in (None, "") else None

    run = get("run")
    if run is None:
        run_dir, truth = ensure_sample_run(Path(get("root") or DEFAULT_ROOT))
    else:
        run_dir = Path(run)
        truth_arg = get("truth")
        if truth_arg is None:
            raise InputError("--run needs --truth (or CHRILINK_NB_TRUTH): the labelled pairs")
        truth = Path(truth_arg)
    model = get("model")
    model_dir = Path(model) if model else Path(_read_run_json(run_dir)["model"]["path"])
    flag = (get("matches_only") or "").lower()
    return NotebookInputs(run_dir, truth, model_dir, rescore=flag not in ("1", "true", "yes"))


def scored_for_notebook(inputs: NotebookInputs) -> ScoredRun:
    """All blocked pairs re-scored (default), or only the run's matches."""
    if inputs.rescore:
        return score_for_analysis(job_from_run(inputs.run_dir), inputs.truth_path)
    return load_scored_run(inputs.run_dir, inputs.truth_path)
