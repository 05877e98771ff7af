"""Train a model: u by random sampling; the prior and m from labels when given, else EM.

With labelled pairs (a synthetic world's truth, or reviewers' decisions) the prior is
the share of true pairs and m is counted directly on the labelled pairs. Without
labels, the prior comes from a deterministic rule and m from EM, run in two sessions so
that each comparison is estimated in a session that does not block on it: one blocks
on the folded name (trains dates and the other fields), one on the same primary date of
birth (trains the name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from splink import block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from pipeline.match.engine import LEFT, RIGHT, build_engine
from pipeline.match.settings import settings_from_spec
from pipeline.match.spec import ModelSpec

EM_SESSIONS: tuple[BlockingRuleCreator, ...] = (
    block_on("name_sorted"),
    block_on("dob_year", "dob_month", "dob_day"),
)
DETERMINISTIC_RULE = "l.name_sorted = r.name_sorted and list_has_any(l.dob_full, r.dob_full)"


M_FLOOR = 1e-3  # a level never seen among true pairs still happens (clerical errors)
# A level never seen among N random pairs still happens by chance: its u is floored at
# half a pair in the sample (0.5 / N, the Jeffreys estimate of a zero count), so that
# the sample size, not an arbitrary constant, bounds how strong a rare level can be.
U_FLOOR_PAIRS = 0.5


def _smoothed(levels: list[dict[str, Any]], key: str, floor: float) -> None:
    """Give unseen levels a small probability and renormalise the rest to sum to one."""
    scored = [lvl for lvl in levels if not lvl.get("is_null_level")]
    values = [max(float(lvl.get(key) or 0.0), floor) for lvl in scored]
    total = sum(values)
    for lvl, value in zip(scored, values, strict=True):
        lvl[key] = value / total


def smooth_parameters(settings: dict[str, Any], u_pairs: float) -> dict[str, Any]:
    """Floor m and u of every comparison level so that no level is certain or impossible.

    ``u_pairs`` is the number of random pairs u was estimated on.
    """
    u_floor = U_FLOOR_PAIRS / max(u_pairs, 1.0)
    for comparison in settings["comparisons"]:
        _smoothed(comparison["comparison_levels"], "m_probability", M_FLOOR)
        _smoothed(comparison["comparison_levels"], "u_probability", u_floor)
    return settings


def cap_levels(settings: dict[str, Any], spec: ModelSpec) -> dict[str, Any]:
    """Give a level declared ``at_most`` another level no larger Bayes factor than that
    level, by raising its u (random pairs reach it at least that often)."""
    for comparison, declared in zip(settings["comparisons"], spec.comparisons, strict=True):
        levels = {
            lvl.get("label_for_charts"): lvl
            for lvl in comparison["comparison_levels"]
            if not lvl.get("is_null_level")
        }
        for level in declared.levels:
            if level.at_most is None or level.label not in levels:
                continue
            capped, ceiling = levels[level.label], levels[level.at_most]
            factor = float(ceiling["m_probability"]) / float(ceiling["u_probability"])
            m, u = float(capped["m_probability"]), float(capped["u_probability"])
            if m / u > factor:
                capped["u_probability"] = m / factor
    return settings


@dataclass(frozen=True)
class TrainingOptions:
    seed: int = 42
    max_pairs_u: float = 2e6
    max_pairs_em: float = 2e6
    deterministic_recall: float = 0.7


def prior_from_labels(n_true_pairs: int, n_left: int, n_right: int) -> float:
    """Probability that a random (traveler, identity) pair is a match."""
    return max(n_true_pairs, 1) / max(n_left * n_right, 1)


def label_pairs_table(truth: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """True (traveler, record) pairs as Splink pairwise labels over every identity."""
    identities = records.select(pl.col("source_id").alias("record_id"), "unique_id")
    return (
        truth.select("traveler_id", "record_id")
        .join(identities, on="record_id")
        .select(
            pl.lit(LEFT).alias("source_dataset_l"),
            pl.col("traveler_id").alias("unique_id_l"),
            pl.lit(RIGHT).alias("source_dataset_r"),
            pl.col("unique_id").alias("unique_id_r"),
        )
    )


def train(
    spec: ModelSpec,
    manifests: pl.DataFrame,
    records: pl.DataFrame,
    options: TrainingOptions,
    truth: pl.DataFrame | None = None,
) -> dict[str, Any]:
    """Estimate the model's parameters; return the trained Splink settings dict.

    ``truth`` holds true (traveler_id, record_id) pairs; without it training is
    unsupervised.
    """
    labels = label_pairs_table(truth, records) if truth is not None else None
    prior = (
        prior_from_labels(labels.height, manifests.height, records.height)
        if labels is not None
        else 1e-5
    )
    engine = build_engine(manifests, records, settings_from_spec(spec, prior))
    training = engine.linker.training
    training.estimate_u_using_random_sampling(max_pairs=options.max_pairs_u, seed=options.seed)
    if labels is not None:
        engine.con.register("chrilink_labels_arrow", labels.to_arrow())
        engine.con.execute("CREATE TABLE chrilink_labels AS SELECT * FROM chrilink_labels_arrow")
        training.estimate_m_from_pairwise_labels("chrilink_labels")  # type: ignore[no-untyped-call]
    else:
        training.estimate_probability_two_random_records_match(
            [DETERMINISTIC_RULE], recall=options.deterministic_recall
        )
        for rule in EM_SESSIONS:
            training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=options.max_pairs_em, record_sample_proportion=1.0
            )
    settings: dict[str, Any] = cap_levels(
        smooth_parameters(engine.linker.misc.save_model_to_json(), options.max_pairs_u), spec
    )
    engine.con.close()
    return settings
