"""Screen travelers against a prepared store: the one path behind `chrilink link` with a
``[store]``, `chrilink screen` and the HTTP service, so all three decide alike.

Stages: manifest contract → standardize → blocking keys → candidate identities from the
store → Splink scores (term frequencies of the whole store) → fold identities to
records → decide hit / review / clear / rejected.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from pipeline.contracts import ContractOutcome, check_input
from pipeline.match.compiled import CompiledScorer
from pipeline.match.decide import decide, fold_identities, screen
from pipeline.match.engine import match_frame
from pipeline.match.model import Model
from pipeline.match.score import EXPLANATION_TYPE
from pipeline.schema import MATCH_COLUMNS, SCREENING_COLUMNS, SCREENING_STATUSES
from pipeline.standardize import standardize
from pipeline.store.prepared import PreparedStore

TRAVELER_CHUNK = 20_000
FOLDED_SCHEMA = pl.Schema(
    {
        "traveler_id": pl.String(),
        "match_probability": pl.Float64(),
        "match_weight": pl.Float64(),
        "explanation": EXPLANATION_TYPE,
        "record_id": pl.String(),
        "subject_id": pl.String(),
    }
)
Evaluator = Literal["gx", "fast"]


@dataclass
class StoreScoring:
    """Folded pairs and what it took to find them."""

    pairs: pl.DataFrame
    candidate_identities: int = 0
    pairs_scored: int = 0
    pairs_pruned: int = 0  # of pairs_scored: dropped by the first phase, surely below review
    seconds: dict[str, float] = field(default_factory=dict)


class StoreMatcher:
    """A store and a model, warm: the scoring SQL is compiled on first use and kept."""

    def __init__(self, store: PreparedStore, model: Model) -> None:
        self.store = store
        self.model = model
        self._scorer: CompiledScorer | None = None

    def scorer(self, left: pl.DataFrame, right: pl.DataFrame) -> CompiledScorer:
        if self._scorer is None:
            self._scorer = CompiledScorer(self.model, left, right)
        return self._scorer

    def score(
        self,
        travelers: pl.DataFrame,
        *,
        chunk_travelers: int = TRAVELER_CHUNK,
        on_chunk: Callable[[int], None] | None = None,
    ) -> StoreScoring:
        """Score standardized travelers against the store, chunk by chunk: the store
        gives each chunk's candidate pairs (its blocking keys), Splink's SQL scores them
        (in two phases: pairs that cannot reach the review threshold are dropped before
        the costly comparisons, see :mod:`pipeline.match.prune`).

        Result columns: traveler_id, record_id, subject_id, match_probability,
        match_weight, explanation (pairs at or above the model's review threshold).
        """
        frames = match_frame(travelers, "manifests")
        parts: list[pl.DataFrame] = []
        result = StoreScoring(pl.DataFrame(schema=FOLDED_SCHEMA))
        seconds = dict.fromkeys(("candidates", "score", "score_phase1", "score_phase2"), 0.0)
        for chunk in frames.iter_slices(chunk_travelers):
            start = time.perf_counter()
            identities, pairs = self.store.candidates(chunk)
            seconds["candidates"] += time.perf_counter() - start
            result.candidate_identities += identities.height
            result.pairs_scored += pairs.height
            if pairs.height:
                start = time.perf_counter()
                scored = self.scorer(chunk, identities).score_pairs(
                    chunk, identities, pairs, self.store.frequencies
                )
                result.pairs_pruned += scored.pruned
                for phase, spent in scored.seconds.items():
                    seconds[f"score_{phase}"] += spent
                folded = fold_identities(scored.pairs, identities)
                parts.append(folded.select(list(FOLDED_SCHEMA)))
                seconds["score"] += time.perf_counter() - start
            if on_chunk is not None:
                on_chunk(chunk.height)
        if parts:
            result.pairs = pl.concat(parts, how="vertical")
        # score includes its two SQL phases (score_phase1, score_phase2)
        result.seconds = {stage: round(spent, 3) for stage, spent in seconds.items()}
        return result


def rejected_travelers(outcome: ContractOutcome) -> pl.DataFrame:
    return outcome.quarantine.select(
        pl.col("row_id").alias("traveler_id"),
        "row_number",
        pl.col("reasons").list.join("; ").alias("reason"),
    )


def decisions(
    folded: pl.DataFrame, outcome: ContractOutcome, model: Model, run_id: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Match and screening tables (the output contract's columns) from folded pairs."""
    matches = (
        decide(folded, model.thresholds)
        .with_columns(run_id=pl.lit(run_id), model_version=pl.lit(model.version))
        .select(MATCH_COLUMNS)
    )
    screening = (
        screen(outcome.passed["traveler_id"], rejected_travelers(outcome), matches)
        .with_columns(run_id=pl.lit(run_id))
        .select(SCREENING_COLUMNS)
    )
    return matches, screening


@dataclass
class ScreenResult:
    """Everything one screened manifest produced."""

    outcome: ContractOutcome
    matches: pl.DataFrame
    screening: pl.DataFrame
    scoring: StoreScoring
    seconds: dict[str, float]


def screen_manifest(
    matcher: StoreMatcher,
    manifest: pl.DataFrame,
    run_id: str,
    *,
    source: str = "manifest",
    max_bad_share: float = 0.2,
    evaluator: Evaluator = "fast",
) -> ScreenResult:
    """Screen one contract-shaped manifest frame against a warm store."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    outcome = check_input(manifest, "manifests", source, max_bad_share, evaluator=evaluator)
    seconds["contracts"] = time.perf_counter() - start
    start = time.perf_counter()
    travelers = standardize(outcome.passed, "manifests")
    seconds["standardize"] = time.perf_counter() - start
    scoring = matcher.score(travelers)
    seconds.update(scoring.seconds)
    start = time.perf_counter()
    matches, screening = decisions(scoring.pairs, outcome, matcher.model, run_id)
    seconds["decide"] = time.perf_counter() - start
    return ScreenResult(outcome, matches, screening, scoring, seconds)


def status_counts(screening: pl.DataFrame) -> dict[str, int]:
    """Travelers per screening status (every status present, zero when none)."""
    counts = dict(screening.group_by("status").len().iter_rows())
    return {status: int(counts.get(status, 0)) for status in SCREENING_STATUSES}
