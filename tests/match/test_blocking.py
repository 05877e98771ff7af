"""Blocking columns: the document number's deletion neighbourhood."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.match.blocking import DOC_DELETES_MIN_LENGTH, add_blocking_columns, doc_deletes_expr

DIGITS = st.text(alphabet="0123456789ABC", min_size=DOC_DELETES_MIN_LENGTH, max_size=12)


def deletes(*numbers: str | None) -> list[set[str]]:
    frame = pl.DataFrame({"doc_ocr_key": list(numbers)}, schema={"doc_ocr_key": pl.String})
    out = frame.select(doc_deletes_expr()).get_column("doc_deletes").to_list()
    return [set(values) for values in out]


def levenshtein_with_swaps(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of neighbours counts as one edit)."""
    d = [[max(i, j) if min(i, j) == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@settings(deadline=None)
@given(DIGITS, st.integers(0, 11), st.sampled_from("0123456789"), st.sampled_from("sidt"))
def test_numbers_one_edit_apart_share_a_key(
    number: str, position: int, char: str, edit: str
) -> None:
    i = position % len(number)
    if edit == "s":
        other = number[:i] + char + number[i + 1 :]
    elif edit == "i":
        other = number[:i] + char + number[i:]
    elif edit == "d":
        other = number[:i] + number[i + 1 :]
    else:
        j = min(i, len(number) - 2)
        other = number[:j] + number[j + 1] + number[j] + number[j + 2 :]
    if len(other) < DOC_DELETES_MIN_LENGTH:
        return
    a, b = deletes(number, other)
    assert a & b


@settings(deadline=None)
@given(DIGITS, DIGITS)
def test_a_shared_key_means_at_most_two_edits(a: str, b: str) -> None:
    keys_a, keys_b = deletes(a, b)
    if keys_a & keys_b:
        assert levenshtein_with_swaps(a, b) <= 2


def test_two_substitutions_apart_share_no_key() -> None:
    a, b = deletes("12345678", "92345671")
    assert not a & b


def test_both_sides_get_the_column() -> None:
    frame = pl.DataFrame(
        {
            "doc_ocr_key": ["A1234567", None],
            "name_skeletons": [["KRM", "ML"], []],
            "name_initials": [["K"], []],
            "dob_years": [[1980], []],
            "dob_months": [["1980-01"], []],
            "dob_placeholder": [False, None],
            "name_script": ["Latin", None],
        }
    )
    for side in ("manifests", "records"):
        out = add_blocking_columns(frame, side).get_column("doc_deletes").to_list()
        assert "A123456" in out[0] and len(out[0]) == 9
        assert out[1] == []


def test_short_or_missing_numbers_offer_nothing() -> None:
    assert deletes("12345", None, "") == [set(), set(), set()]
    assert deletes("1234567")[0] >= {"1234567", "234567", "123456"}
