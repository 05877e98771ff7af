"""From scored identity pairs to matches and one screening status per traveler (pure).

A record with aliases or alternate dates of birth gives several identity rows; each
(traveler, record) keeps the identity with the strongest evidence. A traveler's status
comes from its best candidate.
"""

from __future__ import annotations

import polars as pl

from pipeline.match.model import Thresholds


def fold_identities(pairs: pl.DataFrame, identities: pl.DataFrame) -> pl.DataFrame:
    """Keep, per (traveler, record), the identity pair with the highest match weight.

    ``identities`` maps ``unique_id`` to ``source_id`` (the record id) and ``subject_id``.
    """
    lookup = identities.select(
        pl.col("unique_id").alias("identity_id"),
        pl.col("source_id").alias("record_id"),
        "subject_id",
    )
    return (
        pairs.join(lookup, on="identity_id", how="left")
        .sort(["match_weight", "identity_id"], descending=[True, False])
        .unique(subset=["traveler_id", "record_id"], keep="first", maintain_order=True)
        .drop("identity_id")
    )


def decide(folded: pl.DataFrame, thresholds: Thresholds) -> pl.DataFrame:
    """Matches at or above the review threshold, ranked per traveler (1 = best)."""
    return (
        folded.filter(pl.col("match_probability") >= thresholds.review)
        .with_columns(
            decision=pl.when(pl.col("match_probability") >= thresholds.hit)
            .then(pl.lit("hit"))
            .otherwise(pl.lit("review")),
            rank=pl.col("match_weight")
            .rank(method="ordinal", descending=True)
            .over("traveler_id")
            .cast(pl.Int32),
        )
        .sort(["traveler_id", "rank"])
    )


def _reason(explanation: pl.Expr) -> pl.Expr:
    """A short text of the three strongest comparisons of the best candidate."""
    top = explanation.list.eval(
        pl.concat_str(
            pl.element().struct.field("comparison"),
            pl.lit(": "),
            pl.element().struct.field("level"),
            pl.lit(" ("),
            pl.element().struct.field("match_weight").round(1).cast(pl.String),
            pl.lit(")"),
        )
    )
    return top.list.join("; ")


def _rejected_id(row_id: pl.Expr, row_number: pl.Expr, screened: pl.DataFrame) -> pl.Expr:
    """The traveler id of a rejected row, made unique: ``row:N`` without an id, and
    ``ID#row:N`` when the id is duplicated or also belongs to a screened row."""
    positional = pl.concat_str(pl.lit("row:"), row_number.cast(pl.String))
    clash = row_id.is_duplicated() | row_id.is_in(screened["traveler_id"].implode())
    return (
        pl.when(row_id.is_null())
        .then(positional)
        .when(clash)
        .then(pl.concat_str(row_id, pl.lit("#"), positional))
        .otherwise(row_id)
    )


def screen(
    traveler_ids: pl.Series,
    rejected: pl.DataFrame,
    matches: pl.DataFrame,
) -> pl.DataFrame:
    """Exactly one row per input traveler: hit, review, clear, or rejected (by contract).

    ``rejected`` has ``traveler_id`` (may be null when the id itself was unusable),
    ``row_number`` and ``reason``.
    """
    best = matches.filter(pl.col("rank") == 1).select(
        "traveler_id",
        pl.col("decision").alias("status"),
        pl.col("record_id").alias("best_record_id"),
        pl.col("match_probability").alias("best_match_probability"),
        _reason(pl.col("explanation")).alias("reason"),
    )
    counts = matches.group_by("traveler_id").agg(pl.len().cast(pl.Int32).alias("n_candidates"))
    screened = (
        pl.DataFrame({"traveler_id": traveler_ids.cast(pl.String)})
        .join(best, on="traveler_id", how="left")
        .join(counts, on="traveler_id", how="left")
        .with_columns(
            status=pl.col("status").fill_null("clear"),
            n_candidates=pl.col("n_candidates").fill_null(0),
            reason=pl.col("reason").fill_null("no candidate at or above the review threshold"),
        )
    )
    rejected_rows = rejected.with_columns(
        traveler_id=_rejected_id(pl.col("traveler_id"), pl.col("row_number"), screened)
    ).select(
        "traveler_id",
        pl.lit("rejected").alias("status"),
        pl.lit(None, dtype=pl.String).alias("best_record_id"),
        pl.lit(None, dtype=pl.Float64).alias("best_match_probability"),
        pl.lit(0, dtype=pl.Int32).alias("n_candidates"),
        pl.concat_str(pl.lit("rejected by input contract: "), pl.col("reason")).alias("reason"),
    )
    return pl.concat([screened.select(rejected_rows.columns), rejected_rows], how="vertical")
