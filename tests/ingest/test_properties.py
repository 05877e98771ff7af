"""Property tests: readers and contracts never leak a traceback and lose no row."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.contracts import check_input
from pipeline.errors import ChrilinkError
from pipeline.ingest import read_input
from pipeline.schema import FIELDS, ROW_NUMBER

SUFFIXES = st.sampled_from([".csv", ".jsonl", ".parquet", ".tsv"])
TEXT = st.text(st.characters(codec=None), max_size=30)  # lone surrogates: invalid UTF-8 bytes
VALID = st.text(st.characters(codec="utf-8"), max_size=30)  # what a polars frame can hold
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes, suffix: str) -> pl.DataFrame | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        try:
            return read_input(path, "manifests")
        except ChrilinkError as exc:
            assert "\n" not in str(exc)
            return None


@FAST
@given(data=st.binary(max_size=400), suffix=SUFFIXES)
def test_garbage_bytes_never_traceback(data: bytes, suffix: str) -> None:
    frame = _read(data, suffix)
    if frame is not None:
        assert frame.columns == [*FIELDS["manifests"], ROW_NUMBER]


@FAST
@given(
    header=st.lists(st.sampled_from(["traveler_id", "surname", "x", "", "sex"]), min_size=1),
    cells=st.lists(st.lists(TEXT, max_size=6), min_size=1, max_size=8),
    sep=st.sampled_from([",", ";", "|", "\t"]),
)
def test_csv_like_text_reads_or_refuses(
    header: list[str], cells: list[list[str]], sep: str
) -> None:
    body = "\n".join(sep.join(row) for row in [header, *cells])
    frame = _read(body.encode("utf-8", "surrogatepass"), ".csv")
    if frame is not None:
        assert frame[ROW_NUMBER].min() == 1


ROWS = st.lists(
    st.fixed_dictionaries(
        {f: st.one_of(st.none(), VALID) for f in ("traveler_id", "surname", "full_name")},
        optional={f: st.one_of(st.none(), VALID) for f in FIELDS["manifests"][4:]},
    ),
    min_size=1,
    max_size=12,
)


@SLOW
@given(rows=ROWS)
def test_contract_accounts_for_every_row(rows: list[dict[str, str | None]]) -> None:
    frame = pl.DataFrame(rows, schema={f: pl.Utf8 for f in FIELDS["manifests"]})
    try:
        outcome = check_input(frame, "manifests", "prop", max_bad_share=1.0)
    except ChrilinkError as exc:
        assert "\n" not in str(exc)
        return
    assert outcome.rows_passed + outcome.rows_quarantined == len(rows)
    assert set(outcome.passed[ROW_NUMBER]).isdisjoint(outcome.quarantine["row_number"])
    assert outcome.passed.columns == [*frame.columns, ROW_NUMBER]


@SLOW
@given(
    lines=st.lists(
        st.one_of(
            TEXT,
            st.builds(lambda i, s: f'{{"traveler_id": {i!r}, "surname": {s!r}}}', TEXT, TEXT),
            st.builds(
                lambda i, s: f'{{"traveler_id": {i}, "surname": "{s}"}}', st.integers(), TEXT
            ),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_jsonl_through_contract_loses_nothing(lines: list[str]) -> None:
    frame = _read("\n".join(lines).encode("utf-8", "surrogatepass"), ".jsonl")
    if frame is None:
        return
    try:
        outcome = check_input(frame, "manifests", "prop", max_bad_share=1.0)
    except ChrilinkError as exc:
        assert "\n" not in str(exc)
        return
    assert outcome.rows_passed + outcome.rows_quarantined == frame.height
