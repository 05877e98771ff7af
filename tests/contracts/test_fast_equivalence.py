"""The fast (polars) evaluator against the GX reference: identical findings and outcomes.

Every comparison runs ``check_input`` once per evaluator and records the findings each
evaluator returned, then asserts

* the findings are the same: same rules in the same order, same success, same failing
  row positions (and no error);
* the outcomes are the same: ``passed``, ``quarantine`` (rows and reasons, in order) and
  ``warnings`` frames equal, or both evaluators raise the same error with the same message.

Frames: the malformation cases of ``test_malformations`` (row cases in one CSV per kind,
every file case), a small generated world, seeded random frames built from pools of
malformed values (nulls, odd Unicode, bad dates, bad countries, duplicates, wrong lengths)
and hypothesis-generated frames from the same pools plus arbitrary text.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipeline.contracts import fast, inputs
from pipeline.contracts.engine import Finding
from pipeline.errors import ChrilinkError
from pipeline.generate import generate_world
from pipeline.ingest import read_input
from pipeline.schema import FIELDS, ID_FIELD, LIST_FIELDS, InputKind
from tests.contracts.cases import write_csv
from tests.contracts.test_malformations import FILE_CASES, _rows

# --------------------------------------------------------------------------- comparison


@contextmanager
def _recording() -> Iterator[dict[str, list[Finding]]]:
    """Record the findings each evaluator returns inside ``check_input``."""
    seen: dict[str, list[Finding]] = {}
    real_gx, real_fast = inputs.run_suite, fast.run_suite

    def record(name: str, run: Callable[..., list[Finding]]) -> Callable[..., list[Finding]]:
        def wrapper(*args: Any) -> list[Finding]:
            seen[name] = run(*args)
            return seen[name]

        return wrapper

    inputs.run_suite = record("gx", real_gx)  # type: ignore[assignment]
    fast.run_suite = record("fast", real_fast)  # type: ignore[assignment]
    try:
        yield seen
    finally:
        inputs.run_suite = real_gx  # type: ignore[assignment]
        fast.run_suite = real_fast  # type: ignore[assignment]


def _key(findings: list[Finding]) -> list[tuple[int, bool, tuple[int, ...], str | None]]:
    return [(f.rule.index, f.success, f.rows, f.error) for f in findings]


def _outcome(df: pl.DataFrame, kind: InputKind, evaluator: str, share: float) -> Any:
    try:
        return inputs.check_input(df, kind, "src", share, evaluator=evaluator)  # type: ignore[arg-type]
    except ChrilinkError as exc:
        return (type(exc).__name__, str(exc))


def assert_equivalent(df: pl.DataFrame, kind: InputKind, share: float = 1.0) -> Any:
    """Run both evaluators on ``df``; assert identical findings and outcomes."""
    with _recording() as seen:
        gx = _outcome(df, kind, "gx", share)
        quick = _outcome(df, kind, "fast", share)
    assert ("gx" in seen) == ("fast" in seen)
    if "gx" in seen:
        assert all(f.error is None for f in seen["gx"]), "GX could not run a rule"
        assert _key(seen["fast"]) == _key(seen["gx"])
    if isinstance(gx, tuple) or isinstance(quick, tuple):
        assert quick == gx
        return gx
    for part in ("passed", "quarantine", "warnings"):
        assert_frame_equal(getattr(quick, part), getattr(gx, part))
    return gx


# --------------------------------------------------------------------------- value pools

TODAY = date.today()
ODD_CHARS = [
    *"\x00\x01\x07\t\n\x0b\x0c\r\x1b\x1c\x1d\x1e\x1f\x7f\x80\x85\x9f\xa0",
    *"\u00ad\u0301\u200b\u200d\u2028\u3000\u203f_½²٣۵ǅßİıſKÅµΣσςЖжМмé李ㄱ🙂<->$\\",
    "e\u0301",
    "\r\n",
]
TEXT = st.one_of(
    st.text(
        st.one_of(
            st.sampled_from([c for c in ODD_CHARS if len(c) == 1]), st.characters(codec="utf-8")
        ),
        max_size=12,
    ),
    st.sampled_from([c for c in ODD_CHARS if len(c) > 1]),
)


def _day(delta: int) -> str:
    return (TODAY + timedelta(days=delta)).isoformat()


def _repeat(text: str, n: int) -> str:
    return (text * n)[:n]


# fmt: off
POOLS: dict[str, list[str | None]] = {
    "id": [
        "T1", "T2", "T3", "R1", "T1 ", " T1", "", " ", "\t", "\x1c", "\x0b", "\u3000",
        "T\x00X", "T1\n", "T\x85", _repeat("T", 64), _repeat("T", 65), "Т1", "t1", None,
    ],
    "name": [
        "MÜLLER", "ANNA MARIA", "Иванов Пётр", "李明", "O'BRIEN", "ABELLA<SOLE<<JUAN", "",
        " ", "12345 --", "--", "_", "‿", "½", "²", "٣", "e\u0301", "\u0301", "ǅ", "ß",
        "ı", "SMI\x07TH", "ANNA\nMARIA", "ANNA\t", "A\x85", "A\x9f", _repeat("A", 200),
        _repeat("A", 201), _repeat("Я", 201), "\u200b", "Ａ", None,
    ],
    "date": [
        "1980-02-03", "03.02.1980", "02/03/1980", "13/03/1980", "1980-02-30", "31.02.1980",
        "1850-01-01", "1899-12-31", "1900-01-01", "2099-01-01", "9999-01-01", "2523-05-01",
        "1975", "1975-03", "03/1975", "750312", "750312<", "19750312", "12 MAR 1975",
        "March 12, 1975", "XX.XX.1975", "00.00.1975", "1354/01/01", "۱۳۵۴/۰۱/۰۱",
        "not a date", "", " ", "1980-02-03\n", "1980-02-03 ", "١٩٨٠-٠٢-٠٣",
        _day(0), _day(1), _day(-1), _day(-730), _day(-731), _day(366), _day(367),
        _day(-3650), f"{TODAY.year + 1}", f"{TODAY.year}", f"{TODAY.year - 2}", None,
    ],
    "sex": [
        "M", "F", "X", "U", "<", "m", " f ", "male", "FEMALE", "Unknown", "unspecified",
        "UNSPECİFİED", "unspecıfıed", "0", "1", "2", "9", "3", "м", "Ж", "x\n", "M\x1c",
        "Q", "", "ſ", None,
    ],
    "country": [
        "DEU", "deu", " DEU ", "D", "GB", "UK", "ZZZ", "XXA", "UNK", "XXX", "12", "Atlantis",
        "DEU\n", "\u00a0DEU", "ДЕУ", "", None,
    ],
    "document": [
        "C01X00T1", "AB 12-<", "AB$%12", "AB12\n", "АВ12", "ab12", _repeat("9", 40),
        _repeat("9", 41), "A\x00B", "", " ", None,
    ],
    "short": ["LH", "LH400", "L\x1bH", _repeat("X", 16), _repeat("X", 17), "", "Ж\x85", None],
    "port": [
        "FRA", "JFK", "fra", "FRAN1", "FRANKF", "FR", "FRA\n", "FRA ", "ＦＲＡ", "F٣A", "",
        "Frankfurt am Main", None,
    ],
    "offense": ["felony", " Misdemeanor ", "UNKNOWN", "capital", "felony\n", "", None],
    "boolean": ["true", "FALSE", "yes", "n", "1", "0", "unknown", "maybe", "y\n", None],
    "long": [
        "theft", _repeat("x", 200), _repeat("x", 201), _repeat("x", 4000), _repeat("x", 4001),
        "line\nbreak", "tab\there", "bell\x07", None,
    ],
}
LIST_POOLS: dict[str, list[list[str | None] | None]] = {
    "aliases": [
        ["PIOTR IWANOW", "PETER IVANOFF"], ["PIOTR", "1234"], ["PIO\x01TR"], [], [None],
        ["A", None], [""], [" "], ["_"], ["Ж"], [_repeat("A", 200)], [_repeat("A", 201)],
        ["A\n"], ["‿"], None,
    ],
    "alternate_dobs": [
        ["1975-03-21"], ["1975-03-21", "x"], [_repeat("1", 40)], [_repeat("1", 41)], [],
        [None], [""], ["1975\n"], ["1975\x1f"], ["١٩٧٥"], None,
    ],
}
# fmt: on
FIELD_POOL: dict[str, str] = {
    "traveler_id": "id",
    "record_id": "id",
    "subject_id": "id",
    "surname": "name",
    "given_names": "name",
    "full_name": "name",
    "date_of_birth": "date",
    "departure_date": "date",
    "conviction_date": "date",
    "sex": "sex",
    "nationality": "country",
    "document_country": "country",
    "source_country": "country",
    "document_number": "document",
    "carrier": "short",
    "flight_number": "short",
    "departure_port": "port",
    "arrival_port": "port",
    "offense_level": "offense",
    "us_person": "boolean",
    "place_of_birth": "long",
    "offense_description": "long",
    "source_agency": "long",
}


def _schema(kind: InputKind) -> dict[str, pl.DataType]:
    return {f: pl.List(pl.String()) if f in LIST_FIELDS else pl.String() for f in FIELDS[kind]}


def _random_frame(rng: random.Random, kind: InputKind, n_rows: int) -> pl.DataFrame:
    """Rows mostly from the pools, some arbitrary text; repeated ids and whole rows."""
    rows: list[dict[str, Any]] = []
    for i in range(n_rows):
        row: dict[str, Any] = {}
        for field in FIELDS[kind]:
            if field in LIST_POOLS:
                row[field] = rng.choice(LIST_POOLS[field])
                continue
            pool = POOLS[FIELD_POOL[field]]
            if field == ID_FIELD[kind] and rng.random() < 0.8:
                row[field] = f"V{i}"
            elif rng.random() < 0.5:
                row[field] = rng.choice(pool[:3])  # valid values lead each pool
            elif rng.random() < 0.9:
                row[field] = rng.choice(pool)
            else:
                row[field] = "".join(rng.choices(ODD_CHARS, k=rng.randrange(1, 6)))
        rows.append(row)
    for _ in range(n_rows // 20):  # exact duplicate rows
        rows.insert(rng.randrange(len(rows) + 1), dict(rng.choice(rows)))
    return pl.DataFrame(rows, schema=_schema(kind))


# --------------------------------------------------------------------------- cases


@pytest.mark.parametrize("kind", ["manifests", "records"])
def test_malformation_rows(kind: InputKind, tmp_path: Path) -> None:
    """The 36 row-level malformations of test_malformations, read from CSV as there."""
    rows, _ = _rows(kind)
    frame = read_input(write_csv(tmp_path / "in.csv", rows, kind), kind)
    outcome = assert_equivalent(frame, kind)
    assert outcome.rows_quarantined > 0 and outcome.n_warnings > 0
    assert_equivalent(frame, kind, share=0.05)  # rejected by the share rule: same message


@pytest.mark.parametrize("case", FILE_CASES, ids=[c["d"] for c in FILE_CASES])
def test_malformation_files(case: dict[str, Any], tmp_path: Path) -> None:
    """Every file/batch case: same outcome, or the same error from the reader/contract."""
    kind = case.get("kind", "manifests")
    try:
        frame = read_input(case["build"](tmp_path), kind, case.get("columns"))
    except ChrilinkError:
        return  # refused by the reader, before any evaluator runs
    assert_equivalent(frame, kind, share=0.2)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("world")
    generate_world(root, n_records=600, n_travelers=400, seed=7)
    return root


@pytest.mark.parametrize("kind", ["manifests", "records"])
def test_generated_world(kind: InputKind, world: Path) -> None:
    frame = read_input(world / f"{kind}.parquet", kind)
    assert_equivalent(frame, kind)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("kind", ["manifests", "records"])
def test_seeded_malformed_frames(kind: InputKind, seed: int) -> None:
    rng = random.Random(seed)
    frame = _random_frame(rng, kind, rng.choice([40, 150, 400]))
    outcome = assert_equivalent(frame, kind)
    assert outcome.rows_quarantined > 0 and outcome.n_warnings > 0


def test_null_typed_and_absent_columns() -> None:
    """All-null columns of dtype Null and absent optional columns behave as null text."""
    rows = _random_frame(random.Random(99), "records", 60)
    frame = rows.with_columns(
        pl.lit(None).alias("full_name"),
        pl.lit(None).alias("offense_level"),
        pl.lit(None, dtype=pl.List(pl.Null)).alias("aliases"),
    ).drop("subject_id", "alternate_dobs", "us_person")
    assert_equivalent(frame, "records")


def test_all_null_rows_and_empty_strings() -> None:
    """Rows with every field null (a broken JSON line) and empty strings instead of nulls."""
    schema = _schema("manifests")
    nulls = pl.DataFrame([dict.fromkeys(schema)] * 3, schema=schema)
    blanks = pl.DataFrame([dict.fromkeys(schema, "")] * 3, schema=schema)
    good = _random_frame(random.Random(5), "manifests", 20)
    assert_equivalent(pl.concat([good, nulls, blanks]), "manifests")


def _column(field: str) -> st.SearchStrategy[Any]:
    if field in LIST_POOLS:
        items = st.one_of(st.none(), st.sampled_from([*ODD_CHARS, "PIOTR"]), TEXT)
        return st.one_of(st.sampled_from(LIST_POOLS[field]), st.lists(items, max_size=3))
    return st.one_of(st.sampled_from(POOLS[FIELD_POOL[field]]), TEXT)


def _frames(kind: InputKind) -> st.SearchStrategy[pl.DataFrame]:
    row = st.fixed_dictionaries({field: _column(field) for field in FIELDS[kind]})

    @st.composite
    def build(draw: st.DrawFn) -> pl.DataFrame:
        rows = draw(st.lists(row, min_size=1, max_size=25))
        copies = draw(st.lists(st.integers(0, len(rows) - 1), max_size=3))
        rows += [dict(rows[i]) for i in copies]  # exact duplicates
        frame = pl.DataFrame(rows, schema=_schema(kind))
        dropped = draw(st.lists(st.sampled_from(FIELDS[kind][4:]), max_size=3, unique=True))
        return frame.drop(dropped)

    return build()


HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@HYPOTHESIS
@given(frame=_frames("manifests"))
def test_hypothesis_manifests(frame: pl.DataFrame) -> None:
    assert_equivalent(frame, "manifests")


@HYPOTHESIS
@given(frame=_frames("records"))
def test_hypothesis_records(frame: pl.DataFrame) -> None:
    assert_equivalent(frame, "records")
