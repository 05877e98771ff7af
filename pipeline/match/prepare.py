"""Derive the matcher's helper columns from standardized features (pure, polars).

The date-of-birth readings ("YYYY-MM-DD", "YYYY-MM", "YYYY") are split by precision so
that comparison levels and blocking rules can intersect them as arrays.

Name tokens agree when a code of one token is among the codes of the other name
(``name_codes``). Initials take part through two code families: a full token carries
``F:<letter>`` (its first letter) and an initial carries ``I:<letter>``; a name's
``name_codes`` lists ``I:<letter>`` for every token and ``F:<letter>`` for its initials
only. So an initial agrees with a token of that letter, a full token agrees with an
initial of its letter, and two full tokens never agree by their first letters alone.
The ``_strict`` variants leave out the loose consonant skeletons (``L:``), so that a
level can tell agreement by key, skeleton, sound or variant from agreement that needs
the loose skeleton.
"""

from __future__ import annotations

import polars as pl

from pipeline.schema import FEATURE_COLUMNS

MATCH_INPUT_COLUMNS = (
    *FEATURE_COLUMNS,
    "name_codes",
    "name_token_strict",
    "name_codes_strict",
    "name_has_initial",
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


def _name_codes(token_codes: str) -> pl.Expr:
    """Every code of every token, first letters published as ``I:`` (see module doc)."""
    return (
        pl.col(token_codes)
        .list.eval(
            pl.concat_list(
                pl.element().list.eval(pl.element().str.replace(r"^F:", "I:")),
                pl.element().list.eval(
                    pl.element()
                    .filter(pl.element().str.starts_with("I:"))
                    .str.replace(r"^I:", "F:")
                ),
            )
            .explode()
            .drop_nulls()
        )
        .list.unique()
    )


def prepare_for_matching(features: pl.DataFrame) -> pl.DataFrame:
    """Add ``name_codes`` (all token codes, see the module doc), ``name_token_strict`` and
    ``name_codes_strict`` (the same without the loose skeletons ``L:``), ``name_has_initial``,
    ``name_initials`` (first letters of the name keys), ``dob_full``, ``dob_months`` and
    ``dob_years``.

    Empty lists stay empty, never null.
    """
    empty = pl.lit([], dtype=pl.List(pl.String))
    lists = [c for c, dt in features.schema.items() if isinstance(dt, pl.List)]
    return (
        features.with_columns([pl.col(c).fill_null(empty) for c in lists])
        .with_columns(
            name_codes=_name_codes("name_token_codes"),
            name_token_strict=pl.col("name_token_codes").list.eval(
                pl.element().list.eval(pl.element().filter(~pl.element().str.starts_with("L:")))
            ),
            name_has_initial=pl.col("name_token_codes")
            .list.eval(pl.element().list.first().str.starts_with("I:"))
            .list.any()
            .fill_null(False),
            name_initials=pl.col("name_keys").list.eval(pl.element().str.slice(0, 1)).list.unique(),
            dob_full=_readings_of_length(10).list.unique().list.sort(),
            dob_months=_prefixes(7),
            dob_years=_prefixes(4),
        )
        .with_columns(name_codes_strict=_name_codes("name_token_strict"))
        .select(MATCH_INPUT_COLUMNS)
    )
