"""Train a model: the prior from labels (when given), u by random sampling, m by EM.

EM runs in two sessions so that each comparison is estimated in a session that does
not block on it: one blocks on the folded name (trains dates and the other fields),
one on the same primary date of birth (trains the name).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from splink import block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from pipeline.match.engine import build_engine
from pipeline.match.settings import settings_from_spec
from pipeline.match.spec import ModelSpec

EM_SESSIONS: tuple[BlockingRuleCreator, ...] = (
    block_on("name_sorted"),
    block_on("dob_year", "dob_month", "dob_day"),
)
DETERMINISTIC_RULE = "l.name_sorted = r.name_sorted and list_has_any(l.dob_full, r.dob_full)"


@dataclass(frozen=True)
class TrainingOptions:
    seed: int = 42
    max_pairs_u: float = 2e6
    max_pairs_em: float = 2e6
    deterministic_recall: float = 0.7


def prior_from_labels(n_true_pairs: int, n_left: int, n_right: int) -> float:
    """Probability that a random (traveler, identity) pair is a match."""
    return max(n_true_pairs, 1) / max(n_left * n_right, 1)


def train(
    spec: ModelSpec,
    manifests: pl.DataFrame,
    records: pl.DataFrame,
    options: TrainingOptions,
    n_true_pairs: int | None = None,
) -> dict[str, Any]:
    """Estimate the model's parameters; return the trained Splink settings dict."""
    prior = (
        prior_from_labels(n_true_pairs, manifests.height, records.height)
        if n_true_pairs is not None
        else 1e-5
    )
    engine = build_engine(manifests, records, settings_from_spec(spec, prior))
    training = engine.linker.training
    if n_true_pairs is None:
        training.estimate_probability_two_random_records_match(
            [DETERMINISTIC_RULE], recall=options.deterministic_recall
        )
    training.estimate_u_using_random_sampling(max_pairs=options.max_pairs_u, seed=options.seed)
    for rule in EM_SESSIONS:
        training.estimate_parameters_using_expectation_maximisation(
            rule,
            max_pairs=options.max_pairs_em,
            record_sample_proportion=1.0,
        )
    settings: dict[str, Any] = engine.linker.misc.save_model_to_json()
    engine.con.close()
    return settings
