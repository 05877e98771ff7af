"""Derive the matcher's helper columns from standardized features (pure, polars).

The date-of-birth readings ("YYYY-MM-DD", "YYYY-MM", "YYYY") are split by precision so
that comparison levels and blocking rules can intersect them as arrays.
"""

from __future__ import annotations

import polars as pl

from pipeline.schema import FEATURE_COLUMNS

MATCH_INPUT_COLUMNS = (
    *FEATURE_COLUMNS,
    "name_codes",
    "name_initials",
    "dob_full",
    "dob_months",
    "dob_years",
)


def _readings_of_length(n: int) -> pl.Expr:
    return pl.col("dob_readings").list.eval(pl.element().filter(pl.element().str.len_chars() == n))


def _prefixes(n: int) -> pl.Expr:
    return (
        pl.col("dob_readings")
        .list.eval(pl.element().filter(pl.element().str.len_chars() >= n).str.slice(0, n))
        .list.unique()
        .list.sort()
    )


def prepare_for_matching(features: pl.DataFrame) -> pl.DataFrame:
    """Add ``name_codes`` (all token codes), ``name_initials`` (first letters of the name
    keys), ``dob_full``, ``dob_months`` and ``dob_years``.

    Empty lists stay empty, never null.
    """
    empty = pl.lit([], dtype=pl.List(pl.String))
    lists = [c for c, dt in features.schema.items() if isinstance(dt, pl.List)]
    return (
        features.with_columns([pl.col(c).fill_null(empty) for c in lists])
        .with_columns(
            name_codes=pl.col("name_token_codes").list.eval(pl.element().explode()).list.unique(),
            name_initials=pl.col("name_keys").list.eval(pl.element().str.slice(0, 1)).list.unique(),
            dob_full=_readings_of_length(10).list.unique().list.sort(),
            dob_months=_prefixes(7),
            dob_years=_prefixes(4),
        )
        .select(MATCH_INPUT_COLUMNS)
    )
