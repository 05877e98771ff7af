"""The prepared store: same decisions as a batch run on the records file, incremental
updates equal a rebuild, and refusals when store and code disagree."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from pipeline.config import job_from_dict
from pipeline.errors import InputError
from pipeline.generate import generate_world
from pipeline.match.model import Model, load_model
from pipeline.runner import run_link
from pipeline.store.index import build_store, compact_store, remove_records, update_store
from pipeline.store.prepared import META_FILE, PreparedStore, PreparedStoreError

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"
KEY = ["traveler_id", "record_id"]


@pytest.fixture(autouse=True)
def _audit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHRILINK_AUDIT_LOG", str(tmp_path / "audit" / "audit.jsonl"))


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model(MODEL)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store-world")
    generate_world(root, n_records=3000, n_travelers=800, seed=11)
    records = pl.read_parquet(root / "records.parquet")
    half = records.height // 2
    records.head(half).write_parquet(root / "records_a.parquet")
    records.tail(records.height - half).write_parquet(root / "records_b.parquet")
    return root


def _link(root: Path, out: Path, *, records: Path | None = None, store: Path | None = None):  # type: ignore[no-untyped-def]
    data: dict[str, object] = {
        "manifests": {"path": str(root / "manifests.parquet")},
        "model": {"path": str(MODEL)},
        "output": {"dir": str(out)},
    }
    if records is not None:
        data["records"] = {"path": str(records)}
    if store is not None:
        data["store"] = {"path": str(store)}
    return run_link(job_from_dict(data, root))


def _matches(out: Path) -> pl.DataFrame:
    return (
        pl.read_parquet(out / "matches.parquet")
        .select(*KEY, "decision", "match_probability", "match_weight")
        .sort(KEY)
    )


def _screening(out: Path) -> pl.DataFrame:
    return (
        pl.read_parquet(out / "screening.parquet")
        .select("traveler_id", "status", "best_record_id", "best_match_probability")
        .sort("traveler_id")
    )


@pytest.fixture(scope="module")
def batch(world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("batch") / "run"
    mp = pytest.MonkeyPatch()
    mp.setenv("CHRILINK_AUDIT_LOG", str(out.parent / "audit.jsonl"))
    _link(world, out, records=world / "records.parquet")
    mp.undo()
    return out


@pytest.fixture(scope="module")
def store(world: Path, model: Model, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stores") / "full"
    build_store(path, world / "records.parquet", model)
    return path


def test_store_link_decides_exactly_like_the_batch_run(
    world: Path, store: Path, batch: Path, tmp_path: Path
) -> None:
    out = tmp_path / "store-run"
    _link(world, out, store=store)
    batch_matches, store_matches = _matches(batch), _matches(out)
    assert batch_matches.height > 50
    assert (batch_matches["decision"] == "hit").sum() > 20
    assert store_matches.select(*KEY, "decision").equals(batch_matches.select(*KEY, "decision"))
    diff = (store_matches["match_weight"] - batch_matches["match_weight"]).abs().max()
    assert diff is not None and float(diff) < 1e-9  # type: ignore[arg-type]
    assert _screening(out).equals(_screening(batch))
    info = json.loads((out / "run.json").read_text())
    assert info["inputs"]["records"]["store"] is True
    assert info["inputs"]["records"]["records_live"] == 3000


def test_update_then_equals_a_store_built_at_once(
    world: Path, model: Model, store: Path, tmp_path: Path
) -> None:
    path = tmp_path / "grown"
    build_store(path, world / "records_a.parquet", model)
    report = update_store(path, world / "records_b.parquet", model)
    assert report.records_added == 1500 and report.records_replaced == 0
    assert len(json.loads((path / META_FILE).read_text())["segments"]) == 2
    grown, full = tmp_path / "grown-run", tmp_path / "full-run"
    _link(world, grown, store=path)
    _link(world, full, store=store)
    assert _matches(grown).equals(_matches(full))


def test_correct_and_remove_without_rebuild(world: Path, model: Model, tmp_path: Path) -> None:
    path = tmp_path / "s"
    build_store(path, world / "records.parquet", model)
    first = tmp_path / "first"
    _link(world, first, store=path)
    hits = pl.read_parquet(first / "matches.parquet").filter(pl.col("decision") == "hit")
    target = hits["record_id"][0]
    removed = hits["record_id"][1]
    records = pl.read_parquet(world / "records.parquet")
    # a correction: the same record id with another person's name and date of birth
    other = records.filter(~pl.col("record_id").is_in(hits["record_id"].implode())).row(
        0, named=True
    )
    fixed = records.filter(pl.col("record_id") == target).with_columns(
        full_name=pl.lit(other["full_name"]),
        surname=pl.lit(other["surname"]),
        given_names=pl.lit(other["given_names"]),
        date_of_birth=pl.lit(other["date_of_birth"]),
        aliases=pl.lit(None, dtype=records.schema["aliases"]),
        document_number=pl.lit(None, dtype=pl.String),
    )
    fixed.write_parquet(tmp_path / "fix.parquet")
    report = update_store(path, tmp_path / "fix.parquet", model)
    assert report.records_replaced == 1
    (tmp_path / "remove.txt").write_text(f"{removed}\nnot-a-record\n")
    from pipeline.store.index import read_record_ids

    report = remove_records(path, read_record_ids(tmp_path / "remove.txt"), model)
    assert report.records_removed == 1
    second = tmp_path / "second"
    _link(world, second, store=path)
    after = pl.read_parquet(second / "matches.parquet")
    old_traveler = hits.filter(pl.col("record_id") == target)["traveler_id"][0]
    assert after.filter(
        (pl.col("record_id") == target) & (pl.col("traveler_id") == old_traveler)
    ).is_empty()
    assert after.filter(pl.col("record_id") == removed).is_empty()
    assert PreparedStore.open(path, model.spec).records == 2999
    # compaction keeps exactly the live records and the same decisions
    compact_store(path, model)
    meta = json.loads((path / META_FILE).read_text())
    assert len(meta["segments"]) == 1 and meta["records_live"] == 2999
    third = tmp_path / "third"
    _link(world, third, store=path)
    assert _matches(third).equals(_matches(second))


def test_store_refuses_other_features_or_rules(store: Path, model: Model, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(store, copy)
    meta = json.loads((copy / META_FILE).read_text())
    meta["blocking_hash"] = "000000000000"
    (copy / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(PreparedStoreError, match="other blocking rules"):
        PreparedStore.open(copy, model.spec)
    meta["feature_version"] = -1
    (copy / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(PreparedStoreError, match="feature"):
        PreparedStore.open(copy, model.spec)
    with pytest.raises(PreparedStoreError, match="no prepared store"):
        PreparedStore.open(tmp_path / "nothing", model.spec)
    with pytest.raises(PreparedStoreError, match="already holds a store"):
        build_store(store, tmp_path / "x.parquet", model)


def test_job_needs_exactly_one_of_records_or_store(tmp_path: Path) -> None:
    base: dict[str, object] = {"manifests": {"path": "m.csv"}, "output": {"dir": "o"}}
    with pytest.raises(InputError, match="exactly one"):
        job_from_dict(base, tmp_path)
    with pytest.raises(InputError, match="exactly one"):
        job_from_dict({**base, "records": {"path": "r"}, "store": {"path": "s"}}, tmp_path)
