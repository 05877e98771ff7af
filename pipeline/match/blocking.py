"""Blocking columns and blocking keys.

Splink applies a model's blocking rules exactly. A prepared record store cannot afford to
let Splink join a manifest against ten million records, so it keeps, for every record
identity, one 64-bit key per rule and combination of values (``blocking_keys``); the keys
of a manifest find every identity that any rule could pair with it. That set is a
superset (a hash collision only adds an identity that Splink then drops), so the pairs
scored against a store are exactly the pairs a batch run would score.

A rule is indexable when its SQL is a conjunction of ``l.column = r.column``; a spec
with any other rule is refused when a store is built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import polars as pl
import pyarrow as pa

from pipeline.errors import ModelError
from pipeline.match.spec import ModelSpec

Side = Literal["manifests", "records"]

BLOCKING_COLUMNS: Final = (
    "name_skeleton_pairs",
    "dob_years_loose",
    "name_initials_cross",
    "doc_deletes",
)
DOC_DELETES_MIN_LENGTH: Final = 6  # shorter numbers would meet too many others
KEY_SEED: Final = 0x43484C4B  # fixed, so keys are the same in every process

_EQUALITY = re.compile(r"^\s*l\.([a-z_]+)\s*=\s*r\.([a-z_]+)\s*$")


def _skeleton_pairs(frame: pl.DataFrame) -> pl.Series:
    """Pairs "a+b" (a < b) of each name's distinct consonant skeletons.

    Built on the exploded skeletons (a self-join per row) and turned back into one
    list per row through Arrow offsets: list expressions per row are ten times slower.
    """
    exploded = (
        frame.select(pl.col("name_skeletons"))
        .with_row_index("row")
        .explode("name_skeletons")
        .drop_nulls()
        .unique()
    )
    pairs = (
        exploded.join(exploded, on="row", suffix="_b")
        .filter(pl.col("name_skeletons") < pl.col("name_skeletons_b"))
        .select("row", (pl.col("name_skeletons") + "+" + pl.col("name_skeletons_b")).alias("v"))
        .sort("row", "v")
    )
    counts = np.bincount(pairs.get_column("row").to_numpy(), minlength=frame.height)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    values = pairs.get_column("v").to_arrow()
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    array = pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), values)
    series = pl.Series("name_skeleton_pairs", array)
    return series.cast(pl.List(pl.String))


def doc_deletes_expr() -> pl.Expr:
    """The document number (OCR-folded) and each string left by deleting one character.

    Two numbers one edit apart (a substitution, an insertion or deletion, or two
    neighbours transposed) share one of these strings (a deletion neighbourhood), so an
    equality rule on them finds pairs whose document numbers differ by a clerk's slip.
    """
    key = pl.col("doc_ocr_key")
    longest = 24  # document numbers are shorter; longer strings only offer themselves
    deletes = [
        pl.when(key.str.len_chars() > i).then(key.str.slice(0, i) + key.str.slice(i + 1))
        for i in range(longest)
    ]
    usable = key.is_not_null() & (key.str.len_chars() >= DOC_DELETES_MIN_LENGTH)
    return (
        pl.when(usable)
        .then(pl.concat_list(key, *deletes).list.drop_nulls().list.unique(maintain_order=True))
        .otherwise(pl.lit([], dtype=pl.List(pl.String)))
        .alias("doc_deletes")
    )


def add_blocking_columns(prepared: pl.DataFrame, side: Side) -> pl.DataFrame:
    """Add the columns that only blocking rules use.

    ``name_skeleton_pairs``: pairs of consonant skeletons (two name parts agree).
    ``dob_years_loose``: the birth years a rule may block on without the month. A
    traveler offers all its years; a record offers them only when its date of birth has
    no month or is a placeholder, so a precise record date never pairs on the year alone
    (at ten million records, name and year alone give thousands of candidates).
    ``name_initials_cross``: first letters of the name parts. A traveler offers all; a
    record only when its name is not in Latin script, where transliteration may fail so
    badly that no key or skeleton agrees (with a full date of birth, a first letter is
    then the last evidence blocking can use).
    ``doc_deletes``: the document number's deletion neighbourhood (see
    :func:`doc_deletes_expr`), for rules that allow one edit in the number.
    """
    empty = pl.lit([], dtype=pl.List(pl.String))
    if side == "manifests":
        loose = pl.col("dob_years")
        cross = pl.col("name_initials")
    else:
        imprecise = (pl.col("dob_months").list.len() == 0) | pl.col("dob_placeholder").fill_null(
            False
        )
        loose = pl.when(imprecise).then(pl.col("dob_years")).otherwise(empty)
        latin = pl.col("name_script").fill_null("Latin") == "Latin"
        cross = pl.when(latin).then(empty).otherwise(pl.col("name_initials"))
    return prepared.with_columns(
        _skeleton_pairs(prepared),
        doc_deletes_expr(),
        dob_years_loose=loose,
        name_initials_cross=cross,
    )


@dataclass(frozen=True)
class KeyRule:
    """One blocking rule as the columns whose values must be equal."""

    index: int
    columns: tuple[str, ...]
    exploded: frozenset[str]


def key_rules(spec: ModelSpec) -> tuple[KeyRule, ...]:
    """The spec's blocking rules as key rules; refuse a rule that is not a plain equality."""
    rules = []
    for i, rule in enumerate(spec.blocking):
        columns = []
        for part in re.split(r"\band\b", rule.sql, flags=re.IGNORECASE):
            match = _EQUALITY.match(part)
            if match is None or match.group(1) != match.group(2):
                raise ModelError(
                    f"blocking rule {i + 1} ({rule.description}) cannot be indexed: a store "
                    "needs rules of the form 'l.x = r.x and l.y = r.y'"
                )
            columns.append(match.group(1))
        rules.append(KeyRule(i, tuple(columns), frozenset(rule.explode)))
    return tuple(rules)


def _rule_keys(frame: pl.DataFrame, rule: KeyRule) -> pl.DataFrame:
    keyed = frame.select(pl.col("_row"), *rule.columns)
    for column in rule.columns:
        if column in rule.exploded:
            keyed = keyed.explode(column)
    keyed = keyed.drop_nulls()
    return keyed.select(
        pl.col("_row"),
        pl.concat_str([pl.lit(str(rule.index)), *rule.columns], separator="\x1f")
        .hash(seed=KEY_SEED)
        .alias("key"),
    )


def blocking_keys(frame: pl.DataFrame, rules: tuple[KeyRule, ...]) -> pl.DataFrame:
    """Distinct (row, key) pairs: ``row`` is the row number in ``frame`` (UInt32), ``key``
    a UInt64 hash of the rule number and the values it compares.
    """
    indexed = frame.with_row_index("_row")
    parts = [_rule_keys(indexed, rule) for rule in rules]
    return pl.concat(parts).unique().rename({"_row": "row"})
