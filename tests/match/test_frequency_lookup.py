"""Term frequencies attached by binary search are exactly those of a left join."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.match.compiled import attach_frequency, sorted_unique

COLUMN = "name_sorted"
TF = f"tf_{COLUMN}"
NAMES = st.text(alphabet="ABCÉ Ж", max_size=4)


def joined(frame: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    return frame.join(table, on=COLUMN, how="left", maintain_order="left")


def frequency_table(names: list[str]) -> pl.DataFrame:
    """One row per distinct name, sorted, as a store writes it."""
    values = pl.Series(COLUMN, names, dtype=pl.String)
    return (
        values.value_counts(name="n")
        .select(pl.col(COLUMN), (pl.col("n") / max(values.len(), 1)).alias(TF))
        .sort(COLUMN)
    )


@pytest.mark.parametrize(
    ("description", "keys", "expected"),
    [
        ("empty", [], True),
        ("one", ["A"], True),
        ("sorted unique", ["A", "AB", "B"], True),
        ("unsorted", ["B", "A"], False),
        ("duplicate", ["A", "A", "B"], False),
        ("null", [None, "A"], False),
    ],
)
def test_sorted_unique(description: str, keys: list[str | None], expected: bool) -> None:
    assert sorted_unique(pl.Series(COLUMN, keys, dtype=pl.String)) is expected, description


@settings(max_examples=200, deadline=None)
@given(
    stored=st.lists(NAMES, max_size=30),
    looked_up=st.lists(st.none() | NAMES, max_size=30),
)
def test_binary_search_equals_left_join(stored: list[str], looked_up: list[str | None]) -> None:
    table = frequency_table(stored)
    frame = pl.DataFrame(
        {COLUMN: looked_up, "row": range(len(looked_up))},
        schema={COLUMN: pl.String, "row": pl.UInt32},
    )
    expected = joined(frame, table)
    for sorted_keys in (sorted_unique(table.get_column(COLUMN)), False):
        got = attach_frequency(frame, table, COLUMN, sorted_keys)
        assert got.schema == expected.schema
        assert got.equals(expected)


@pytest.mark.parametrize(
    ("description", "table"),
    [
        ("unsorted keys", pl.DataFrame({COLUMN: ["B", "A"], TF: [0.5, 0.5]})),
        ("duplicate keys", pl.DataFrame({COLUMN: ["A", "A"], TF: [0.5, 0.25]})),
        ("no rows", pl.DataFrame(schema={COLUMN: pl.String, TF: pl.Float64})),
        ("extra column", pl.DataFrame({COLUMN: ["A", "B"], TF: [0.5, 0.5], "n": [1, 1]})),
    ],
)
def test_tables_that_cannot_be_searched_are_joined(description: str, table: pl.DataFrame) -> None:
    frame = pl.DataFrame({COLUMN: ["A", None, "C", "B"]}, schema={COLUMN: pl.String})
    got = attach_frequency(frame, table, COLUMN, sorted_unique(table.get_column(COLUMN)))
    assert got.equals(joined(frame, table)), description
