"""The committed public-name sample of bench/generalization/ and its MRZ spelling."""

from __future__ import annotations

import csv
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "generalization"
FILES = ("wikidata_persons", "wikidata_tokens", "cedict_persons", "enamdict_persons")


def _run_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generalization_run", BENCH / "run.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", FILES)
def test_sample_files_have_the_columns_and_no_empty_names(name: str) -> None:
    with (BENCH / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    assert set(rows[0]) == {"source", "group", "source_key", "latin", "native", "family_first"}
    assert all(r["latin"].strip() and r["native"].strip() for r in rows)
    assert {r["family_first"] for r in rows} <= {"true", "false"}


def test_every_group_of_the_report_is_in_the_sample() -> None:
    run = _run_module()
    groups = set()
    for name in FILES:
        with (BENCH / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
            groups |= {r["group"] for r in csv.DictReader(handle)}
    assert groups == set(run.GROUP_ORDER)


def test_mrz_names_use_the_mrz_alphabet_and_the_family_name_first() -> None:
    run = _run_module()
    person = run.Person(
        pid="P1",
        group="Japanese kanji",
        source="enamdict",
        latin="Abe Shinzou",
        native="安倍晋三",
        family_first=True,
        dob=run.date(1954, 9, 21),
        sex="M",
        nationality="JPN",
    )
    assert run.mrz_name(person) == "ABE<<SHINZO"
    western = run.Person(**{**person.__dict__, "group": "Hebrew", "latin": "Anne-Sophie Mütter"})
    western = run.Person(**{**western.__dict__, "family_first": False})
    assert run.mrz_name(western) == "MUTTER<<ANNE<SOPHIE"
    assert re.fullmatch(r"[A-Z<]+", run.mrz_token("Weierstraß Łukasiewicz", False))
