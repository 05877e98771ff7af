"""Readers: contract shape, chunking, formats and row numbers."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.errors import InputError
from pipeline.ingest import iter_input, read_input
from pipeline.schema import FIELDS, LIST_FIELDS, ROW_NUMBER
from tests.contracts.cases import good_manifest, good_record, write_csv

N = 2_500


@pytest.fixture(scope="module")
def manifest_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("files")
    rows = [{**good_manifest(i), "extra": "dropped"} for i in range(N)]
    frame = pl.DataFrame(rows)
    frame.write_csv(tmp / "m.csv")
    frame.write_parquet(tmp / "m.parquet")
    (tmp / "m.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return {suffix: tmp / f"m.{suffix}" for suffix in ("csv", "parquet", "jsonl")}


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_contract_shape(suffix: str, manifest_files: dict[str, Path]) -> None:
    frame = read_input(manifest_files[suffix], "manifests")
    assert frame.columns == [*FIELDS["manifests"], ROW_NUMBER]
    assert frame.schema[ROW_NUMBER] == pl.Int64
    assert all(frame.schema[f] == pl.Utf8 for f in FIELDS["manifests"])
    assert frame[ROW_NUMBER].to_list() == list(range(1, N + 1))
    assert frame["full_name"].null_count() == N  # absent optional column added as null
    assert frame["departure_date"].null_count() == N  # empty text read as null


@pytest.mark.parametrize("suffix", ["csv", "parquet", "jsonl"])
def test_chunks_equal_whole_read(suffix: str, manifest_files: dict[str, Path]) -> None:
    path = manifest_files[suffix]
    chunks = list(iter_input(path, "manifests", chunk_rows=1_000))
    assert len(chunks) >= 2
    assert all(c.height <= 1_000 for c in chunks) or suffix == "csv"
    assert pl.concat(chunks).equals(read_input(path, "manifests"))


def test_record_lists_from_csv_and_parquet(tmp_path: Path) -> None:
    rows = [good_record(i) for i in range(3)]
    frame = read_input(write_csv(tmp_path / "r.csv", rows, "records"), "records")
    assert all(frame.schema[f] == pl.List(pl.Utf8) for f in LIST_FIELDS)
    assert frame["aliases"][0].to_list() == ["PIOTR IWANOW", "PETER IVANOFF"]
    pl.DataFrame(
        {"record_id": [1, 2], "surname": ["A", "B"], "aliases": [["X", " "], []]}
    ).write_parquet(tmp_path / "r.parquet")
    frame = read_input(tmp_path / "r.parquet", "records")
    assert frame["aliases"].to_list() == [["X"], None]
    assert frame["record_id"].to_list() == ["1", "2"]


def test_huge_field(tmp_path: Path) -> None:
    big = "A" * 20_000_000
    (tmp_path / "m.csv").write_text(f"traveler_id,surname\n1,{big}\n2,B\n", encoding="utf-8")
    frame = read_input(tmp_path / "m.csv", "manifests")
    assert frame["surname"].str.len_chars().to_list() == [len(big), 1]


def test_bad_chunk_size(manifest_files: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="chunk_rows"):
        iter_input(manifest_files["csv"], "manifests", chunk_rows=0)


def test_source_row_column_does_not_hide_row_numbers(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("_row,traveler_id,surname\n99,1,A\n", encoding="utf-8")
    assert read_input(tmp_path / "m.csv", "manifests")[ROW_NUMBER].to_list() == [1]
