"""End-to-end tests of the synthetic world generator on a small world."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from pipeline.errors import InputError
from pipeline.generate import GeneratorConfig, describe_world, generate_world, load_config
from pipeline.generate.world import _build_world
from pipeline.schema import MANIFEST_FIELDS, RECORD_FIELDS

N_RECORDS, N_TRAVELERS, SEED = 20_000, 5_000, 11
CFG = GeneratorConfig()
TOLERANCE = 0.35  # relative tolerance on observed rates at this size (rates >= 2%)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate_world(out, n_records=N_RECORDS, n_travelers=N_TRAVELERS, seed=SEED)
    return out


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_contract_columns(world: Path) -> None:
    records = pl.read_parquet(world / "records.parquet")
    manifests = pl.read_parquet(world / "manifests.parquet")
    assert tuple(records.columns) == RECORD_FIELDS
    assert tuple(manifests.columns) == MANIFEST_FIELDS
    assert records.height == N_RECORDS and manifests.height == N_TRAVELERS
    assert records.schema["aliases"] == pl.List(pl.String)
    assert records["record_id"].n_unique() == N_RECORDS


def test_truth_links_are_exact(world: Path) -> None:
    truth = pl.read_parquet(world / "truth.parquet")
    travelers = pl.read_parquet(world / "truth_travelers.parquet")
    records = pl.read_parquet(world / "truth_records.parquet")
    joined = truth.join(
        travelers.select("traveler_id", pl.col("person_id").alias("tp")), on="traveler_id"
    )
    joined = joined.join(
        records.select("record_id", pl.col("person_id").alias("rp")), on="record_id"
    )
    assert joined.height == truth.height > 0
    assert (joined["person_id"] == joined["tp"]).all() and (joined["tp"] == joined["rp"]).all()
    matched = travelers.filter(pl.col("has_record"))
    assert matched.height == round(N_TRAVELERS * CFG.world.match_rate)
    expected = records.join(matched.select("person_id"), on="person_id").height
    assert truth.height == expected
    negatives = travelers.filter(~pl.col("has_record"))
    assert negatives.join(records.select("person_id"), on="person_id").height == 0


def _rate(frame: pl.DataFrame, column: str, label: str) -> float:
    return float(frame.select(pl.col(column).list.contains(label).mean()).item())


@pytest.mark.parametrize(
    ("column", "label", "expected"),
    [
        ("name_noise", "typo", CFG.records.names.typo),
        ("name_noise", "reversed_order", CFG.records.names.reversed_order),
        ("name_noise", "alias", CFG.records.names.alias),
        ("dob_noise", "wrong_dob", CFG.records.dates.wrong),
        (
            "dob_noise",
            "placeholder_dob",
            CFG.records.dates.placeholder * (1 - CFG.records.dates.wrong),
        ),
        ("dob_noise", "alternate_dob", CFG.records.dates.alternate),
        ("field_noise", "sex_missing", CFG.records.fields.sex_missing),
        ("field_noise", "nationality_missing", CFG.records.fields.nationality_missing),
        ("field_noise", "offense_level_unknown", CFG.records.fields.offense_level_unknown),
        (
            "field_noise",
            "doc_ocr",
            CFG.records.fields.document_present * CFG.records.fields.ocr_confusion,
        ),
    ],
)
def test_record_noise_rates(world: Path, column: str, label: str, expected: float) -> None:
    records = pl.read_parquet(world / "truth_records.parquet")
    assert _rate(records, column, label) == pytest.approx(expected, rel=TOLERANCE)


def test_conditional_noise_rates(world: Path) -> None:
    records = pl.read_parquet(world / "truth_records.parquet")
    russian = records.filter(pl.col("origin") == "ru")
    assert _rate(russian, "name_noise", "drop_middle") == pytest.approx(
        CFG.records.names.drop_middle, rel=TOLERANCE
    )
    spanish = records.filter(pl.col("origin") == "es")
    share = _rate(spanish, "name_noise", "drop_second_surname")
    assert share == pytest.approx(CFG.records.names.drop_second_surname, rel=TOLERANCE)


def test_formats_and_negatives_present(world: Path) -> None:
    records = pl.read_parquet(world / "truth_records.parquet")
    assert set(records["dob_format"].unique()) == set(CFG.records.dates.formats)
    assert records["script"].n_unique() >= 12
    travelers = pl.read_parquet(world / "truth_travelers.parquet")
    kinds = dict(travelers["negative_kind"].value_counts().iter_rows())
    assert kinds["namesake"] == round(N_TRAVELERS * CFG.negatives.namesake)
    assert kinds["twin"] == round(N_TRAVELERS * CFG.negatives.twin)


def test_every_person_has_its_own_identity() -> None:
    """No bounded pool: persons share a name identity only as deliberate namesakes."""
    world, plan = _build_world(CFG, SEED, N_RECORDS, N_TRAVELERS)
    people = world.people
    key = people.origin * (1 << 32) + people.ident
    namesake = plan.traveler_kind == 1
    assert (key[plan.traveler_person[namesake]] == key[plan.traveler_anchor[namesake]]).all()
    others = np.setdiff1d(np.arange(len(people)), plan.traveler_person[namesake])
    assert len(np.unique(key[others])) == len(others)
    assert sum(len(pool) for pool in world.pools) == len(others)


def test_same_seed_same_bytes(world: Path, tmp_path: Path) -> None:
    generate_world(tmp_path, n_records=N_RECORDS, n_travelers=N_TRAVELERS, seed=SEED)
    for name in (
        "records.parquet",
        "manifests.parquet",
        "truth.parquet",
        "truth_travelers.parquet",
    ):
        assert _digest(tmp_path / name) == _digest(world / name), name


def test_csv_is_readable(tmp_path: Path) -> None:
    generate_world(tmp_path, n_records=500, n_travelers=200, seed=3, fmt="csv")
    records = pl.read_csv(tmp_path / "records.csv", infer_schema=False)
    assert tuple(records.columns) == RECORD_FIELDS and records.height == 500
    assert records["aliases"].drop_nulls().str.contains(";").any() or True
    assert pl.read_csv(tmp_path / "manifests.csv", infer_schema=False).height == 200


def test_travelers_without_records(tmp_path: Path) -> None:
    summary = generate_world(tmp_path, n_records=0, n_travelers=50, seed=3)
    assert summary.n_travelers == 50 and summary.n_true_pairs == 0
    assert pl.read_parquet(tmp_path / "manifests.parquet").height == 50


def test_describe(world: Path) -> None:
    description = describe_world(world)
    assert description.n_records == N_RECORDS
    assert "records: noise" in description.sections
    assert description.to_table().row_count > 30


def test_default_config_file_matches_code() -> None:
    assert load_config(Path("config/generator.toml")) == GeneratorConfig()


def test_bad_config_is_an_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[records.dates]\nformats = { julian = 1.0 }\n")
    with pytest.raises(InputError):
        load_config(bad)
