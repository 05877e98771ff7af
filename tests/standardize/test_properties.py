"""Property-based tests: never raise, idempotent keys, side-independence."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.standardize import (
    name_features,
    ocr_key,
    parse_date,
    standardize,
    standardize_country,
    standardize_document,
    standardize_sex,
)
from pipeline.standardize.keys import fold_key, skeleton
from pipeline.standardize.translit import to_latin

TEXT = st.text(max_size=40)
ASCII_TOKEN = st.from_regex(r"[A-Z]{0,12}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_never_raises(text: str) -> None:
    name_features(full_name=text)
    name_features(text, text, None)
    parse_date(text, reference_year=2026)
    standardize_sex(text)
    standardize_country(text)
    ocr_key(standardize_document(text))


@settings(max_examples=200, deadline=None)
@given(ASCII_TOKEN)
def test_fold_key_idempotent(token: str) -> None:
    key = fold_key(token)
    assert fold_key(key) == key


@settings(max_examples=100, deadline=None)
@given(ASCII_TOKEN)
def test_skeleton_and_latin_idempotent(token: str) -> None:
    assert to_latin(to_latin(token)) == to_latin(token)
    assert skeleton(skeleton(token)) == skeleton(token)


@settings(max_examples=30, deadline=None)
@given(TEXT, TEXT)
def test_same_features_on_both_sides(name: str, dob: str) -> None:
    manifests = pl.DataFrame({"traveler_id": ["t"], "full_name": [name], "date_of_birth": [dob]})
    records = pl.DataFrame(
        {
            "record_id": ["r"],
            "full_name": [name],
            "date_of_birth": [dob],
            "aliases": pl.Series([[]], dtype=pl.List(pl.Utf8)),
        }
    )
    left = standardize(manifests, "manifests", reference_year=2026).drop(
        "unique_id", "source_id", "subject_id"
    )
    right = standardize(records, "records", reference_year=2026).drop(
        "unique_id", "source_id", "subject_id"
    )
    assert left.to_dicts() == right.to_dicts()
