"""End-to-end slice: standardize() on tiny in-memory tables."""

from __future__ import annotations

import polars as pl

from pipeline.schema import FEATURE_COLUMNS
from pipeline.standardize import standardize, standardize_bool, standardize_country, standardize_sex
from pipeline.standardize.fields import is_known_country, ocr_key


def _records() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_id": ["r1", "r2"],
            "subject_id": ["s1", None],
            "full_name": ["Иванова Елена", None],
            "aliases": [["Elena Ivanov", "Е. Иванова"], None],
            "date_of_birth": ["12.03.1975", None],
            "alternate_dobs": [["03/04/1976"], None],
            "sex": ["Ж", None],
            "nationality": ["Russia", "D"],
            "document_number": ["ab-12 O", None],
        }
    )


def test_records_one_row_per_identity() -> None:
    frame = _records()
    before = frame.clone()
    out = standardize(frame, "records", reference_year=2026)
    assert out.columns == list(FEATURE_COLUMNS)
    assert out["unique_id"].to_list() == ["r1~0", "r2~0", "r1~1", "r1~2"]
    assert out["identity_kind"].to_list() == ["primary", "primary", "alias", "alias"]
    first = out.row(0, named=True)
    assert first["dob_readings"] == ["1975-03-12", "1976-04-03", "1976-03-04"]
    assert (first["sex"], first["nationality"], first["doc_number"]) == ("F", "RUS", "AB12O")
    assert first["doc_ocr_key"] == "A8120"
    assert frame.equals(before)


def test_manifests_missing_columns_are_null() -> None:
    out = standardize(pl.DataFrame({"traveler_id": ["t1"]}), "manifests")
    assert out.columns == list(FEATURE_COLUMNS)
    assert out.row(0, named=True)["name_keys"] == []


def test_field_tables() -> None:
    assert [standardize_sex(x) for x in ["M", "female", "Ж", "1", "U", None]] == [
        "M",
        "F",
        "F",
        "M",
        None,
        None,
    ]
    assert [standardize_country(x) for x in ["DE", "DEU", "Germany", "D", "Россия", "??"]] == [
        "DEU",
        "DEU",
        "DEU",
        "DEU",
        "RUS",
        None,
    ]
    assert is_known_country("gbr") and not is_known_country("Atlantis")
    assert ocr_key("OIL5B") == "01158"
    assert [standardize_bool(x) for x in ["Yes", "n", "maybe", None]] == [True, False, None, None]


def test_name_key_overlap() -> None:
    from pipeline.standardize.measure import name_key_overlap

    manifests = standardize(
        pl.DataFrame({"traveler_id": ["t1", "t2"], "full_name": ["IVANOVA<<ELENA", "SMITH<<JOHN"]}),
        "manifests",
    )
    records = standardize(_records(), "records")
    truth = pl.DataFrame({"traveler_id": ["t1"], "record_id": ["r1"]})
    out = name_key_overlap(manifests, records, truth)
    true_row = out.filter(pl.col("pair_kind") == "true").row(0, named=True)
    assert true_row["share_key_overlap"] == 1.0
