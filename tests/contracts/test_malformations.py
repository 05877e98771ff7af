"""Table-driven malformations: each case states its outcome.

Row-level cases are written together into one CSV per kind, read with
``read_input`` and checked with one ``check_input`` call (GX has a fixed cost
per validation); each case's rows are then located by ``_row``. File- and
batch-level cases run one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.contracts import ContractOutcome, check_input
from pipeline.errors import BatchRejectedError, ChrilinkError, InputError
from pipeline.ingest import read_input
from pipeline.schema import InputKind
from tests.contracts.cases import GOOD, csv_text, good_manifest, good_record, write_csv

N_GOOD = 60
LONG = "X" * 300

# (description, kind, field overrides on a good row, "twin" row: None | "same id" | "exact", expect)
# expect: ("quarantine", reason substring) | ("warn", field, reason substring) | ("pass",)
ROW_CASES: list[dict[str, Any]] = [
    {
        "d": "missing id",
        "kind": "manifests",
        "row": {"traveler_id": ""},
        "expect": ("quarantine", "traveler_id is empty"),
    },
    {
        "d": "blank id",
        "kind": "manifests",
        "row": {"traveler_id": "   "},
        "expect": ("quarantine", "traveler_id is blank"),
    },
    {
        "d": "duplicate id",
        "kind": "manifests",
        "row": {"traveler_id": "DUP-1"},
        "twin": "same id",
        "expect": ("quarantine", "traveler_id is not unique"),
    },
    {
        "d": "exact duplicate row",
        "kind": "manifests",
        "row": {"traveler_id": "DUP-2"},
        "twin": "exact",
        "expect": ("quarantine", "exact duplicate row"),
    },
    {
        "d": "NUL byte in id",
        "kind": "manifests",
        "row": {"traveler_id": "T\x00X"},
        "expect": ("quarantine", "traveler_id contains NUL"),
    },
    {
        "d": "control char in surname",
        "kind": "manifests",
        "row": {"surname": "SMI\x07TH"},
        "expect": ("quarantine", "surname contains NUL or control"),
    },
    {
        "d": "newline inside quoted given name",
        "kind": "manifests",
        "row": {"given_names": "ANNA\nMARIA"},
        "expect": ("quarantine", "given_names contains"),
    },
    {
        "d": "id longer than 64",
        "kind": "manifests",
        "row": {"traveler_id": "T" * 80},
        "expect": ("quarantine", "longer than 64"),
    },
    {
        "d": "no name at all",
        "kind": "manifests",
        "row": {"surname": "", "given_names": "", "full_name": ""},
        "expect": ("quarantine", "no usable name"),
    },
    {
        "d": "given names only (mononym or missing surname) is still screened",
        "kind": "manifests",
        "row": {"surname": "", "given_names": "ANNA"},
        "expect": ("pass",),
    },
    {
        "d": "name without letters",
        "kind": "manifests",
        "row": {"surname": "12345 --", "given_names": "--"},
        "expect": ("quarantine", "no usable name"),
    },
    {
        "d": "huge name field (1 MB)",
        "kind": "manifests",
        "row": {"surname": "A" * 1_000_000},
        "expect": ("quarantine", "surname is longer than 200"),
    },
    {
        "d": "full_name instead of surname is fine",
        "kind": "manifests",
        "row": {"surname": "", "full_name": "Ли Мин"},
        "expect": ("pass",),
    },
    {
        "d": "unreadable date of birth",
        "kind": "manifests",
        "row": {"date_of_birth": "not a date"},
        "expect": ("warn", "date_of_birth", "not a readable date"),
    },
    {
        "d": "impossible date of birth",
        "kind": "manifests",
        "row": {"date_of_birth": "31.02.1980"},
        "expect": ("warn", "date_of_birth", "not a readable date"),
    },
    {
        "d": "date of birth before 1900",
        "kind": "manifests",
        "row": {"date_of_birth": "1850-01-01"},
        "expect": ("warn", "date_of_birth", "not a readable date"),
    },
    {
        "d": "date of birth in a future year",
        "kind": "manifests",
        "row": {"date_of_birth": "2099-01-01"},
        "expect": ("warn", "date_of_birth", "in the future"),
    },
    {
        "d": "unknown sex code",
        "kind": "manifests",
        "row": {"sex": "Q"},
        "expect": ("warn", "sex", "sex is not a known code"),
    },
    {
        "d": "sex spelled out is fine",
        "kind": "manifests",
        "row": {"sex": "female"},
        "expect": ("pass",),
    },
    {
        "d": "unknown nationality",
        "kind": "manifests",
        "row": {"nationality": "ZZZ"},
        "expect": ("warn", "nationality", "not a known country code"),
    },
    {
        "d": "numeric document country",
        "kind": "manifests",
        "row": {"document_country": "12"},
        "expect": ("warn", "document_country", "not a known country code"),
    },
    {
        "d": "ICAO code D for Germany is fine",
        "kind": "manifests",
        "row": {"nationality": "D"},
        "expect": ("pass",),
    },
    {
        "d": "document number with symbols",
        "kind": "manifests",
        "row": {"document_number": "AB$%12"},
        "expect": ("warn", "document_number", "document_number has characters"),
    },
    {
        "d": "departure date long ago",
        "kind": "manifests",
        "row": {"departure_date": "2001-01-01"},
        "expect": ("warn", "departure_date", "more than 2 years ago"),
    },
    {
        "d": "departure port not a code",
        "kind": "manifests",
        "row": {"departure_port": "Frankfurt am Main"},
        "expect": ("warn", "departure_port", "longer"),
    },
    {
        "d": "carrier with control char",
        "kind": "manifests",
        "row": {"carrier": "L\x1bH"},
        "expect": ("warn", "carrier", "carrier contains NUL"),
    },
    {
        "d": "record without id",
        "kind": "records",
        "row": {"record_id": ""},
        "expect": ("quarantine", "record_id is empty"),
    },
    {
        "d": "duplicate record id",
        "kind": "records",
        "row": {"record_id": "RDUP"},
        "twin": "same id",
        "expect": ("quarantine", "record_id is not unique"),
    },
    {
        "d": "NUL in record full_name",
        "kind": "records",
        "row": {"full_name": "Ива\x00нов"},
        "expect": ("quarantine", "full_name contains NUL"),
    },
    {
        "d": "record with no usable name",
        "kind": "records",
        "row": {"surname": "", "full_name": "", "given_names": "12 -"},
        "expect": ("quarantine", "no usable name"),
    },
    {
        "d": "unknown offense level",
        "kind": "records",
        "row": {"offense_level": "capital"},
        "expect": ("warn", "offense_level", "offense_level is not felony"),
    },
    {
        "d": "future conviction date",
        "kind": "records",
        "row": {"conviction_date": "2099-05-05"},
        "expect": ("warn", "conviction_date", "conviction_date"),
    },
    {
        "d": "alias without letters",
        "kind": "records",
        "row": {"aliases": "PIOTR;1234"},
        "expect": ("warn", "aliases", "an alias is blank, has no letter"),
    },
    {
        "d": "alias with control char",
        "kind": "records",
        "row": {"aliases": "PIO\x01TR"},
        "expect": ("warn", "aliases", "an alias"),
    },
    {
        "d": "us_person not boolean",
        "kind": "records",
        "row": {"us_person": "maybe"},
        "expect": ("warn", "us_person", "us_person is not"),
    },
    {
        "d": "source country as a name",
        "kind": "records",
        "row": {"source_country": "Atlantis"},
        "expect": ("warn", "source_country", "not a known country code"),
    },
    {
        "d": "over-long place of birth",
        "kind": "records",
        "row": {"place_of_birth": LONG},
        "expect": ("warn", "place_of_birth", "longer than 200"),
    },
]


def _rows(kind: InputKind) -> tuple[list[dict[str, str]], dict[str, list[int]]]:
    rows = [GOOD[kind](i) for i in range(N_GOOD)]
    where: dict[str, list[int]] = {}
    for n, case in enumerate(c for c in ROW_CASES if c["kind"] == kind):
        row = {**GOOD[kind](1000 + n), **case["row"]}
        rows.append(row)
        where[case["d"]] = [len(rows)]
        if case.get("twin"):
            twin = dict(row) if case["twin"] == "exact" else {**row, "given_names": "OTHER"}
            rows.append(twin)
            where[case["d"]].append(len(rows))
    return rows, where


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in ("manifests", "records"):
        rows, where = _rows(kind)  # type: ignore[arg-type]
        path = write_csv(tmp_path_factory.mktemp(kind) / "in.csv", rows, kind)  # type: ignore[arg-type]
        frame = read_input(path, kind)  # type: ignore[arg-type]
        out[kind] = (check_input(frame, kind, str(path), max_bad_share=1.0), where, len(rows))  # type: ignore[arg-type]
    return out


def test_enough_distinct_malformations() -> None:
    assert len({c["d"] for c in ROW_CASES}) + len(FILE_CASES) >= 30


@pytest.mark.parametrize("case", ROW_CASES, ids=[c["d"] for c in ROW_CASES])
def test_row_case(case: dict[str, Any], outcomes: dict[str, Any]) -> None:
    outcome, where, _ = outcomes[case["kind"]]
    rows = where[case["d"]]
    expect = case["expect"]
    quarantined = outcome.quarantine.filter(pl.col("row_number").is_in(rows))
    passed = outcome.passed.filter(pl.col("_row").is_in(rows))
    warned = outcome.warnings.filter(pl.col("row_number").is_in(rows))
    if expect[0] == "quarantine":
        assert quarantined.height == len(rows) and passed.height == 0
        for reasons in quarantined["reasons"].to_list():
            assert any(expect[1] in r for r in reasons), reasons
    elif expect[0] == "warn":
        _, field, reason = expect
        assert passed.height == len(rows) and quarantined.height == 0
        assert passed[field].null_count() == len(rows), "bad value must be set aside"
        hits = warned.filter((pl.col("field") == field) & pl.col("reason").str.contains(reason))
        assert hits.height >= 1, warned.to_dicts()
    else:
        assert passed.height == len(rows) and quarantined.height == 0 and warned.height == 0


@pytest.mark.parametrize("kind", ["manifests", "records"])
def test_every_row_accounted_for(kind: str, outcomes: dict[str, Any]) -> None:
    outcome, _, n_rows = outcomes[kind]
    assert outcome.rows_passed + outcome.rows_quarantined == n_rows
    good = outcome.passed.filter(pl.col("_row") <= N_GOOD)
    assert good.height == N_GOOD, "good rows pass untouched"
    assert good.drop("_row").null_count().sum_horizontal()[0] == outcome_nulls(kind)


def outcome_nulls(kind: str) -> int:
    """Nulls in the good rows: fields the good-row builder leaves out or empty."""
    per_row = {"manifests": 2, "records": 4}[kind]  # fields good_* leave empty
    return per_row * N_GOOD


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        (tmp / name).write_bytes(data)
        return tmp / name

    return build


def _manifest_csv(sep: str = ",", encoding: str = "utf-8", n: int = 5, **row: str) -> bytes:
    rows = [good_manifest(i) for i in range(n)]
    rows[0].update(row)
    return csv_text(rows, "manifests", sep).encode(encoding)


def _parquet(tmp: Path) -> Path:
    frame = pl.DataFrame(
        {"traveler_id": [1, 2], "surname": ["A", "B"], "date_of_birth": [None, None]}
    ).with_columns(pl.date(1980, 2, 3).alias("date_of_birth"), pl.lit(1.5).alias("sex"))
    frame.write_parquet(tmp / "m.parquet")
    return tmp / "m.parquet"


def _parquet_repeated(tmp: Path) -> Path:
    table = pa.table([["1"], ["A"], ["B"]], names=["traveler_id", "surname", "surname"])
    pq.write_table(table, tmp / "m.parquet")
    return tmp / "m.parquet"


HEADER = ",".join(good_manifest(0)) + "\n"
MANY_BAD = [{**good_manifest(i), "traveler_id": ""} for i in range(3)] + [good_manifest(9)]

# (description, build(tmp) -> path, kind, columns, expect)
# expect: ("reject", error type, message substring) | ("read", check(frame, outcome))
FILE_CASES: list[dict[str, Any]] = [
    {
        "d": "empty file",
        "build": _bytes("e.csv", b""),
        "expect": ("reject", BatchRejectedError, "no data rows"),
    },
    {
        "d": "header only",
        "build": _bytes("h.csv", HEADER.encode()),
        "expect": ("reject", BatchRejectedError, "no data rows"),
    },
    {
        "d": "BOM only",
        "build": _bytes("b.csv", b"\xef\xbb\xbf"),
        "expect": ("reject", BatchRejectedError, "no data rows"),
    },
    {
        "d": "required id column missing",
        "build": _bytes("m.csv", b"surname\nA\n"),
        "expect": ("reject", BatchRejectedError, "required column 'traveler_id' is missing"),
    },
    {
        "d": "no name column",
        "build": _bytes("m.csv", b"traveler_id,sex\n1,M\n"),
        "expect": ("reject", BatchRejectedError, "needs at least one of the columns"),
    },
    {
        "d": "too many bad rows",
        "build": _bytes("m.csv", csv_text(MANY_BAD, "manifests").encode()),
        "expect": ("reject", BatchRejectedError, "more than the allowed 20%"),
    },
    {
        "d": "repeated contract column",
        "build": _bytes("m.csv", b"traveler_id,surname,surname\n1,A,B\n"),
        "expect": ("reject", InputError, "'surname' appears more than once"),
    },
    {
        "d": "repeated column in Parquet",
        "build": _parquet_repeated,
        "expect": ("reject", InputError, "'surname' appears more than once"),
    },
    {
        "d": "repeated key in a JSON object",
        "build": _bytes("m.jsonl", b'{"traveler_id": "1", "surname": "A", "surname": "B"}\n'),
        "expect": ("reject", InputError, "'surname' appears more than once"),
    },
    {
        "d": "mapped column absent",
        "build": _bytes("m.csv", _manifest_csv()),
        "columns": {"traveler_id": "manifest_id"},
        "expect": ("reject", InputError, "'manifest_id'"),
    },
    {
        "d": "Cyrillic Windows-1251 file",
        "kind": "records",
        "build": _bytes(
            "r.csv", csv_text([good_record(i) for i in range(20)], "records").encode("cp1251")
        ),
        "expect": ("reject", BatchRejectedError, "text encoding"),
    },
    {
        "d": "not a Parquet file",
        "build": _bytes("m.parquet", b"PAR1 garbage"),
        "expect": ("reject", BatchRejectedError, "not a readable Parquet file"),
    },
    {
        "d": "unsupported extension",
        "build": _bytes("m.xlsx", b"PK"),
        "expect": ("reject", InputError, "unsupported file type"),
    },
    {
        "d": "missing file",
        "build": lambda tmp: tmp / "nope.csv",
        "expect": ("reject", InputError, "not found"),
    },
    {
        "d": "directory instead of file",
        "build": lambda tmp: tmp,
        "expect": ("reject", InputError, "not a file"),
    },
    {
        "d": "UTF-8 BOM",
        "build": _bytes("m.csv", b"\xef\xbb\xbf" + _manifest_csv()),
        "expect": ("read", lambda f, o: f["traveler_id"][0] == "T00000"),
    },
    {
        "d": "Latin-1 file",
        "build": _bytes("m.csv", _manifest_csv(encoding="latin_1")),
        "expect": ("read", lambda f, o: f["surname"][0] == "MÜLLER"),
    },
    {
        "d": "Windows-1252 file",
        "build": _bytes("m.csv", _manifest_csv(encoding="cp1252", surname="ŒUVRE")),
        "expect": ("read", lambda f, o: f["surname"][0] == "ŒUVRE"),
    },
    {
        "d": "semicolon delimiter",
        "build": _bytes("m.csv", _manifest_csv(";", surname="O,BRIEN")),
        "expect": ("read", lambda f, o: f["surname"][0] == "O,BRIEN" and o.rows_passed == 5),
    },
    {
        "d": "pipe delimiter",
        "build": _bytes("m.txt", _manifest_csv("|")),
        "expect": ("read", lambda f, o: o.rows_passed == 5),
    },
    {
        "d": "tab delimiter",
        "build": _bytes("m.tsv", _manifest_csv("\t")),
        "expect": ("read", lambda f, o: o.rows_passed == 5),
    },
    {
        "d": "quoted newline keeps row numbers",
        "build": _bytes("m.csv", b'traveler_id,surname,carrier\n1,A,"L\nH"\n2,B,LH\n'),
        "expect": ("read", lambda f, o: f["_row"].to_list() == [1, 2] and o.warnings.height == 1),
    },
    {
        "d": "short ragged row",
        "build": _bytes("m.csv", HEADER.encode() + b"T1,SMITH\n"),
        "expect": ("read", lambda f, o: f["given_names"][0] is None and o.rows_passed == 1),
    },
    {
        "d": "long ragged row",
        "build": _bytes("m.csv", b"traveler_id,surname\nT1,SMITH,x,y\n"),
        "expect": ("read", lambda f, o: f["surname"][0] == "SMITH"),
    },
    {
        "d": "repeated column outside contract",
        "build": _bytes("m.csv", b"traveler_id,surname,note,note\n1,A,x,y\n"),
        "expect": ("read", lambda f, o: f.height == 1 and "note" not in f.columns),
    },
    {
        "d": "CRLF line endings",
        "build": _bytes("m.csv", b"traveler_id,surname\r\n1,A\r\n"),
        "expect": ("read", lambda f, o: f["surname"][0] == "A"),
    },
    {
        "d": "Parquet with int ids and date types",
        "build": _parquet,
        "expect": (
            "read",
            lambda f, o: (
                f["traveler_id"].to_list() == ["1", "2"] and f["date_of_birth"][0] == "1980-02-03"
            ),
        ),
    },
    {
        "d": "JSONL with wrong types and a broken line",
        "kind": "records",
        "build": _bytes(
            "r.jsonl",
            b'{"record_id": 7, "surname": "A", "aliases": ["B", 3], "us_person": true}\n'
            b"{not json\n\n"
            b'{"record_id": "8", "surname": "C", "aliases": "D;E", "alternate_dobs": null}\n'
            + b'{"record_id": "9", "surname": "F"}\n'
            * 0
            + b'{"record_id": "10", "surname": "G"}\n{"record_id": "11", "surname": "H"}\n'
            b'{"record_id": "12", "surname": "I"}\n',
        ),
        "expect": (
            "read",
            lambda f, o: (
                f["record_id"][0] == "7"
                and f["aliases"][0].to_list() == ["B", "3"]
                and o.quarantine["row_number"].to_list() == [2]
                and f["us_person"][0] == "true"
            ),
        ),
    },
    {
        "d": "column mapping renames",
        "build": _bytes("m.csv", b"manifest_id,surname\n1,A\n"),
        "columns": {"traveler_id": "manifest_id"},
        "expect": ("read", lambda f, o: f["traveler_id"][0] == "1"),
    },
]


@pytest.mark.parametrize("case", FILE_CASES, ids=[c["d"] for c in FILE_CASES])
def test_file_case(case: dict[str, Any], tmp_path: Path) -> None:
    kind = case.get("kind", "manifests")
    path = case["build"](tmp_path)
    expect = case["expect"]

    def run() -> tuple[pl.DataFrame, ContractOutcome]:
        frame = read_input(path, kind, case.get("columns"))
        return frame, check_input(frame, kind, str(path))

    if expect[0] == "reject":
        with pytest.raises(expect[1]) as info:
            run()
        message = str(info.value)
        assert expect[2] in message and "\n" not in message
        assert isinstance(info.value, ChrilinkError)
    else:
        frame, outcome = run()
        assert expect[1](frame, outcome)
