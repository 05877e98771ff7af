"""Score candidate pairs with Splink and attach per-comparison explanations."""

from __future__ import annotations

from typing import Any

import polars as pl

from pipeline.match.calibrate import Calibration
from pipeline.match.decide import fold_identities
from pipeline.match.engine import Engine, build_engine
from pipeline.match.spec import ModelSpec

EXPLANATION_TYPE = pl.List(
    pl.Struct({"comparison": pl.String, "level": pl.String, "match_weight": pl.Float64})
)


def _level_label_expr(spec: ModelSpec, comparison: int) -> pl.Expr:
    """Map Splink's gamma value (-1 null, then n-1 .. 0 in spec order) to the level label."""
    comp = spec.comparisons[comparison]
    non_null = [lvl for lvl in comp.levels if not lvl.null]
    mapping = {len(non_null) - 1 - i: lvl.label for i, lvl in enumerate(non_null)}
    for lvl in comp.levels:
        if lvl.null:
            mapping[-1] = lvl.label
    return pl.col(f"gamma_{comp.name}").replace_strict(mapping, default="unknown level")


def _weight_expr(name: str, columns: list[str]) -> pl.Expr:
    weight = pl.col(f"mw_{name}")
    if f"mw_tf_adj_{name}" in columns:
        weight = weight + pl.col(f"mw_tf_adj_{name}").fill_null(0.0)
    return weight


def explanation_expr(spec: ModelSpec, columns: list[str]) -> pl.Expr:
    """A list of (comparison, level, match_weight) structs: the waterfall of one pair."""
    parts = [
        pl.struct(
            pl.lit(comp.name).alias("comparison"),
            _level_label_expr(spec, i).alias("level"),
            _weight_expr(comp.name, columns).cast(pl.Float64).alias("match_weight"),
        )
        for i, comp in enumerate(spec.comparisons)
    ]
    return pl.concat_list(parts).alias("explanation")


def score(
    engine: Engine,
    spec: ModelSpec,
    min_probability: float,
    calibration: Calibration | None = None,
) -> pl.DataFrame:
    """All blocked pairs whose (calibrated) probability is at least ``min_probability``.

    Columns: traveler_id, identity_id, match_probability, match_weight, explanation.
    """
    if calibration is None:
        predictions = engine.linker.inference.predict(
            threshold_match_probability=min_probability, warning_mode="never"
        )
    else:
        predictions = engine.linker.inference.predict(
            threshold_match_weight=calibration.weight_floor(min_probability), warning_mode="never"
        )
    frame = pl.from_arrow(predictions.as_pyarrow_table())  # type: ignore[no-untyped-call]
    predictions.drop_table_from_database_and_remove_from_cache()
    assert isinstance(frame, pl.DataFrame)
    return to_scored_pairs(frame, spec, min_probability, calibration)


def to_scored_pairs(
    frame: pl.DataFrame,
    spec: ModelSpec,
    min_probability: float,
    calibration: Calibration | None,
) -> pl.DataFrame:
    """Splink's prediction columns → traveler_id, identity_id, match_probability,
    match_weight, explanation (pairs at or above ``min_probability``)."""
    probability = (
        pl.col("match_probability")
        if calibration is None
        else calibration.apply(pl.col("match_weight"))
    )
    return frame.select(
        pl.col("unique_id_l").alias("traveler_id"),
        pl.col("unique_id_r").alias("identity_id"),
        probability.cast(pl.Float64).alias("match_probability"),
        pl.col("match_weight").cast(pl.Float64),
        explanation_expr(spec, frame.columns),
    ).filter(pl.col("match_probability") >= min_probability)


def score_records(
    travelers: pl.DataFrame,
    identities: pl.DataFrame,
    settings: dict[str, Any],
    spec: ModelSpec,
    min_probability: float,
    calibration: Calibration | None = None,
) -> pl.DataFrame:
    """Score travelers against record identities and keep each record's best identity.

    Columns: traveler_id, record_id, subject_id, match_probability, match_weight,
    explanation.
    """
    engine = build_engine(travelers, identities, settings)
    try:
        pairs = score(engine, spec, min_probability, calibration)
    finally:
        engine.con.close()
    return fold_identities(pairs, identities)
