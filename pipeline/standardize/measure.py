"""Measure how well name keys bring true pairs together, per script.

:func:`name_key_overlap` takes standardized features of both sides and the
true (traveler_id, record_id) pairs. For true pairs and for as many random
non-pairs (fixed seed), per script of the record's name (the manifest side is
always Latin), it reports the share of pairs whose romanization keys intersect,
the share whose per-token codes (key, skeleton, Metaphone, name-variant
cluster) intersect, and quantiles of the best Jaccard similarity of the key
sets over the record's identities.
"""

from __future__ import annotations

import polars as pl

QUANTILES = (0.1, 0.5, 0.9)
SEED = 7


def _random_pairs(truth: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    ids = records.select(pl.col("source_id").unique().sort()).to_series()
    sampled = ids.sample(truth.height, with_replacement=True, seed=SEED)
    pairs = truth.select("traveler_id").with_columns(sampled.alias("record_id"))
    return pairs.join(truth, on=["traveler_id", "record_id"], how="anti")


def _scored(pairs: pl.DataFrame, manifests: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    codes = pl.col("name_token_codes").list.eval(pl.element().explode())
    left = manifests.select(
        pl.col("unique_id").alias("traveler_id"),
        pl.col("name_keys").alias("_l"),
        codes.alias("_lc"),
    )
    script = records.filter(pl.col("identity_kind") == "primary").select(
        pl.col("source_id").alias("record_id"), "name_script"
    )
    right = records.select(
        pl.col("source_id").alias("record_id"), pl.col("name_keys").alias("_r"), codes.alias("_rc")
    )
    joined = (
        pairs.join(left, on="traveler_id").join(right, on="record_id").join(script, on="record_id")
    )
    inter = pl.col("_l").list.set_intersection("_r").list.len()
    union = pl.col("_l").list.set_union("_r").list.len()
    return (
        joined.with_columns(
            pl.when(union > 0).then(inter / union).otherwise(0.0).alias("_sim"),
            (inter > 0).alias("_hit"),
            (pl.col("_lc").list.set_intersection("_rc").list.len() > 0).alias("_code_hit"),
        )
        .group_by("traveler_id", "record_id", "name_script")
        .agg(pl.col("_sim").max(), pl.col("_hit").any(), pl.col("_code_hit").any())
    )


def _summary(scored: pl.DataFrame, kind: str) -> pl.DataFrame:
    quantiles = [pl.col("_sim").quantile(q).alias(f"similarity_q{int(q * 100)}") for q in QUANTILES]
    return (
        scored.group_by(pl.col("name_script").fill_null("None"))
        .agg(
            pl.len().alias("pairs"),
            pl.col("_hit").mean().alias("share_key_overlap"),
            pl.col("_code_hit").mean().alias("share_code_overlap"),
            *quantiles,
        )
        .with_columns(pl.lit(kind).alias("pair_kind"))
        .sort("name_script")
    )


def name_key_overlap(
    manifests_features: pl.DataFrame, records_features: pl.DataFrame, truth_pairs: pl.DataFrame
) -> pl.DataFrame:
    """Per script and pair kind ("true"/"random"): key-overlap share and similarity quantiles."""
    truth = truth_pairs.select("traveler_id", "record_id").unique()
    true_scores = _scored(truth, manifests_features, records_features)
    random_scores = _scored(
        _random_pairs(truth, records_features), manifests_features, records_features
    )
    columns = ["pair_kind", "name_script", "pairs", "share_key_overlap", "share_code_overlap"]
    columns += [f"similarity_q{int(q * 100)}" for q in QUANTILES]
    return pl.concat([_summary(true_scores, "true"), _summary(random_scores, "random")]).select(
        columns
    )
