"""The vectorized name columns agree with the per-row reference functions in ``names.py``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline.generate import GeneratorConfig, generate_world
from pipeline.generate.names import NameFlags, _full, manifest_name, record_name
from pipeline.generate.pool import spelling
from pipeline.generate.world import _build_world

N_RECORDS, N_TRAVELERS, SEED = 4_000, 1_000, 5
VECTOR_LABELS = {"drop_middle", "reversed_order", "alias"}
RNG = np.random.default_rng(0)  # unused by rows without typos or extra middle names


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("vectorized")
    generate_world(out, n_records=N_RECORDS, n_travelers=N_TRAVELERS, seed=SEED)
    return out


def _frame(small: Path, data: str, truth: str, key: str) -> pl.DataFrame:
    return pl.read_parquet(small / data).join(pl.read_parquet(small / truth), on=key)


def test_record_names_match_reference(small: Path) -> None:
    world, _ = _build_world(GeneratorConfig(), SEED, N_RECORDS, N_TRAVELERS)
    rows = _frame(small, "records.parquet", "truth_records.parquet", "record_id")
    checked = 0
    for row in rows.iter_rows(named=True):
        labels = set(row["name_noise"])
        person = int(row["person_id"])
        o = int(world.people.origin[person])
        origin = world.origins[o]
        identity = world.pools[o].identity(int(world.people.ident[person]))
        schemes = ["native", origin.passport, *origin.alternates]
        spelled = {s: spelling(identity, s) for s in schemes}
        expected_aliases = {_full(origin, s, p.surname, p.given) for s, p in spelled.items()}
        assert set(row["aliases"]) <= expected_aliases
        if not labels <= VECTOR_LABELS:
            continue
        flags = NameFlags(
            typo=False,
            reversed_order="reversed_order" in labels,
            drop_middle="drop_middle" in labels,
            extra_middle=False,
            initials=False,
            masculine_surname=False,
            drop_second_surname=False,
        )
        ref = record_name(origin, identity, row["name_form"], "both", flags, RNG)
        assert set(ref.labels) == labels - {"alias"}
        if row["surname"] is not None:
            assert (row["surname"], row["given_names"]) == (ref.surname, ref.given)
        if row["full_name"] is not None:
            assert row["full_name"] == ref.full
        checked += 1
    assert checked > N_RECORDS // 2


def test_manifest_names_match_reference(small: Path) -> None:
    world, _ = _build_world(GeneratorConfig(), SEED, N_RECORDS, N_TRAVELERS)
    rows = _frame(small, "manifests.parquet", "truth_travelers.parquet", "traveler_id")
    checked = 0
    for row in rows.iter_rows(named=True):
        if "typo" in row["manifest_noise"]:
            continue
        person = int(row["person_id"])
        o = int(world.people.origin[person])
        identity = world.pools[o].identity(int(world.people.ident[person]))
        expected = manifest_name(world.origins[o], identity, row["name_style"])
        assert (row["surname"], row["given_names"], row["full_name"]) == expected
        checked += 1
    assert checked > N_TRAVELERS // 2
