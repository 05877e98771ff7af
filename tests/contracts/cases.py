"""Shared builders for contract tests: good rows and files written from row dicts."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pipeline.schema import FIELDS, InputKind


def good_manifest(i: int) -> dict[str, str]:
    return {
        "traveler_id": f"T{i:05d}",
        "surname": "MÜLLER",
        "given_names": "ANNA MARIA",
        "date_of_birth": "1980-02-03",
        "sex": "F",
        "nationality": "DEU",
        "document_number": f"C01X00T{i:02d}",
        "document_country": "DEU",
        "carrier": "LH",
        "flight_number": "LH400",
        "departure_port": "FRA",
        "arrival_port": "JFK",
        "departure_date": "",
    }


def good_record(i: int) -> dict[str, str]:
    return {
        "record_id": f"R{i:05d}",
        "subject_id": f"S{i:05d}",
        "surname": "IVANOV",
        "given_names": "PETR",
        "full_name": "Иванов Пётр",
        "aliases": "PIOTR IWANOW;PETER IVANOFF",
        "date_of_birth": "12.03.1975",
        "alternate_dobs": "1975-03-21",
        "sex": "M",
        "nationality": "RUS",
        "offense_level": "felony",
        "conviction_date": "2015-06-01",
        "source_country": "POL",
        "us_person": "false",
    }


GOOD = {"manifests": good_manifest, "records": good_record}


def csv_text(rows: list[dict[str, str]], kind: InputKind, sep: str = ",") -> str:
    header = [f for f in FIELDS[kind] if any(f in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, delimiter=sep, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_csv(
    path: Path, rows: list[dict[str, str]], kind: InputKind, sep: str = ",", encoding: str = "utf-8"
) -> Path:
    path.write_bytes(csv_text(rows, kind, sep).encode(encoding))
    return path
