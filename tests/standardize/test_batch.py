"""The batched (token-level, Arrow-built) name features equal ``name_features`` per name."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.generate import generate_world
from pipeline.standardize import frame, name_features
from pipeline.standardize.batch import NAME_COLUMNS, name_feature_frame
from tests.standardize.test_names import PARSE_CASES

Name = tuple[str | None, str | None, str | None]


def _expected(name: Name) -> dict[str, object]:
    f = name_features(*name)
    values = (f.script, f.tokens, f.keys, f.joined, f.token_codes, f.skeletons, f.phonetic, f.kb)
    values += (f.sorted_keys, f.surname_key, f.given_key)
    as_lists = [
        [list(v) for v in value] if column == "name_token_codes" else value
        for column, value in zip(NAME_COLUMNS, values, strict=True)
    ]
    return {
        c: list(v) if isinstance(v, tuple) else v
        for c, v in zip(NAME_COLUMNS, as_lists, strict=True)
    }


def _generated_names(tmp_path: Path) -> list[Name]:
    generate_world(tmp_path, n_records=3_000, n_travelers=1_000, seed=11)
    names: list[Name] = []
    for stem in ("records", "manifests"):
        frame = pl.read_parquet(tmp_path / f"{stem}.parquet")
        fields = [c for c in ("surname", "given_names", "full_name") if c in frame.columns]
        rows = frame.select(
            *[
                pl.col(c) if c in fields else pl.lit(None, pl.Utf8).alias(c)
                for c in ("surname", "given_names", "full_name")
            ]
        ).unique(maintain_order=True)
        names += rows.rows()
        if "aliases" in frame.columns:
            aliases = frame["aliases"].explode().drop_nulls().unique(maintain_order=True)
            names += [(None, None, alias) for alias in aliases]
    return names


def test_batch_equals_name_features(tmp_path: Path) -> None:
    names = _generated_names(tmp_path)
    names += [(None, None, case[0]) for case in PARSE_CASES]
    names += [(None, None, None), ("", "", ""), ("Dr", None, None), ("van", "der", None)]
    assert len(names) > 2_000
    frame = name_feature_frame(names, chunk=777)
    assert frame.columns == list(NAME_COLUMNS)
    assert frame.height == len(names)
    for name, row in zip(names, frame.iter_rows(named=True), strict=True):
        assert row == _expected(name), name


def test_batch_empty() -> None:
    frame = name_feature_frame([])
    assert frame.height == 0
    assert frame.columns == list(NAME_COLUMNS)


def test_child_processes_give_the_same_table(monkeypatch: pytest.MonkeyPatch) -> None:
    names = pl.DataFrame(
        [(None, None, case[0]) for case in PARSE_CASES] + [("Smith", "John", None)],
        schema={"surname": pl.Utf8, "given_names": pl.Utf8, "full_name": pl.Utf8},
        orient="row",
    )
    single = frame._name_table(names)
    monkeypatch.setattr(frame, "_PARALLEL_MIN_NAMES", 0)
    monkeypatch.setattr(frame, "_STARTUP_NAMES", 3)
    monkeypatch.setattr(frame, "_MAX_WORKERS", 3)
    monkeypatch.setattr(frame.os, "sched_getaffinity", lambda _pid: {0, 1, 2})
    assert frame._workers(names.height) == 3
    assert frame._name_table(names).equals(single)
