"""How `chrilink index` builds a segment: worker processes, sorted key runs merged out of
core, and only the columns that scoring and folding read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
import pytest
from splink.internals.settings_creator import SettingsCreator

from pipeline.contracts import check_input
from pipeline.generate import generate_world
from pipeline.ingest import read_input
from pipeline.match.engine import match_frame
from pipeline.match.model import Model, load_model
from pipeline.standardize import standardize
from pipeline.store import index as index_module
from pipeline.store.index import build_store, merge_runs
from pipeline.store.prepared import (
    ALIVE_FILE,
    IDENTITIES_FILE,
    KEYS_FILE,
    META_FILE,
    RECORDS_FILE,
    ROWS_FILE,
    SEGMENTS_DIR,
    PreparedStore,
    PreparedStoreError,
    store_columns,
)

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model(MODEL)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("index-world")
    generate_world(root, n_records=2000, n_travelers=300, seed=23)
    return root


@pytest.fixture(scope="module")
def stores(world: Path, model: Model, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The same records indexed in one process and by two workers, in chunks of 600."""
    root = tmp_path_factory.mktemp("index-stores")
    paths = [root / "one", root / "two"]
    for path, workers in zip(paths, (1, 2), strict=True):
        build_store(path, world / "records.parquet", model, chunk_rows=600, workers=workers)
    return paths


def _segment(path: Path) -> Path:
    meta = json.loads((path / META_FILE).read_text())
    assert len(meta["segments"]) == 1
    return path / SEGMENTS_DIR / str(meta["segments"][0]["name"])


def _identities(path: Path) -> pa.Table:
    with pa.memory_map(str(_segment(path) / IDENTITIES_FILE), "r") as source:
        return ipc.open_file(source).read_all()


def _sorted_identities(path: Path) -> pl.DataFrame:
    frame = pl.from_arrow(_identities(path))
    assert isinstance(frame, pl.DataFrame)
    return frame.sort("unique_id")


def _keyed(path: Path) -> pl.DataFrame:
    """Every (key, identity) of a segment: what a lookup can find."""
    segment = _segment(path)
    ids = _identities(path).column("unique_id").to_pylist()
    rows = np.load(segment / ROWS_FILE)
    return pl.DataFrame(
        {"key": np.load(segment / KEYS_FILE), "unique_id": [ids[r] for r in rows]}
    ).sort("key", "unique_id")


def test_workers_build_the_same_store(stores: list[Path]) -> None:
    # standardization may order a chunk's identities differently with another number
    # of polars threads; the identities, and the identities each key finds, are the same
    one, two = (_segment(p) for p in stores)
    assert _sorted_identities(stores[0]).equals(_sorted_identities(stores[1]))
    assert _identities(stores[0]).num_rows > 2000
    assert _keyed(stores[0]).equals(_keyed(stores[1]))
    assert np.array_equal(np.load(one / ALIVE_FILE), np.load(two / ALIVE_FILE))
    assert pq.read_table(one / RECORDS_FILE).equals(pq.read_table(two / RECORDS_FILE))
    assert not any(p.name.startswith("_") for p in two.iterdir())  # runs are cleaned up


def test_keys_are_sorted_by_key_then_row(stores: list[Path]) -> None:
    segment = _segment(stores[1])
    keys, rows = np.load(segment / KEYS_FILE), np.load(segment / ROWS_FILE)
    assert len(keys) == len(rows) > 10_000
    order = np.lexsort((rows, keys))
    assert np.array_equal(order, np.arange(len(keys)))
    assert int(rows.max()) < _identities(stores[1]).num_rows


def test_store_keeps_the_columns_scoring_and_folding_read(model: Model, stores: list[Path]) -> None:
    table = _identities(stores[0])
    meta = json.loads((stores[0] / META_FILE).read_text())
    assert table.column_names == meta["columns"] == list(store_columns(model.spec))
    # every column the trained model's comparisons read, as Splink parses them
    settings = SettingsCreator.from_path_or_dict(model.splink_settings).get_settings("duckdb")
    compared = {c.unquote().name for c in settings._columns_used_by_comparisons}
    assert compared - {"source_dataset"} <= set(table.column_names)
    assert {"unique_id", "source_id", "subject_id", "name_sorted"} <= set(table.column_names)
    # columns no comparison reads are not kept: blocking keys were computed at index time
    assert not {"name_skeleton_pairs", "name_phonetic", "name_kb", "identity_kind"} & set(
        table.column_names
    )
    for field in table.schema:
        assert not pa.types.is_large_string(field.type)
        assert not pa.types.is_large_list(field.type)


def test_candidates_have_the_travelers_columns_and_types(
    world: Path, model: Model, stores: list[Path]
) -> None:
    manifests = check_input(read_input(world / "manifests.parquet", "manifests"), "manifests", "m")
    travelers = match_frame(standardize(manifests.passed, "manifests"), "manifests")
    store = PreparedStore.open(stores[1], model.spec)
    found, pairs = store.candidates(travelers)
    assert pairs.height > 50
    assert found.schema == travelers.schema
    assert found.get_column("name_skeleton_pairs").list.len().max() == 0
    none, no_pairs = store.candidates(travelers.clear())
    assert none.schema == travelers.schema and no_pairs.is_empty()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": 1}, "has format 1.*rebuild it from the records"),
        ({"columns": ["unique_id", "source_id"]}, "lacks column.*--compact"),
    ],
)
def test_old_or_narrower_stores_are_refused(
    model: Model, stores: list[Path], tmp_path: Path, change: dict[str, object], message: str
) -> None:
    meta = json.loads((stores[0] / META_FILE).read_text())
    (tmp_path / META_FILE).write_text(json.dumps({**meta, **change}))
    with pytest.raises(PreparedStoreError, match=message):
        PreparedStore.open(tmp_path, model.spec)


def test_merge_runs_sorts_by_key_then_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "MERGE_BLOCK_KEYS", 50)
    rng = np.random.default_rng(3)
    edges = np.array([0, 1, 2**63, 2**64 - 1], dtype=np.uint64)
    runs, all_keys, all_rows = [], [], []
    offset = 0
    for n in range(5):
        keys = np.concatenate([rng.integers(0, 2**64 - 1, 120, dtype=np.uint64), edges])
        keys = np.concatenate([keys, keys[:30]])  # repeated keys within a run
        rows = (rng.integers(0, 40, len(keys)) + offset).astype(np.uint32)
        order = np.lexsort((rows, keys))
        paths = (tmp_path / f"{n}.keys.npy", tmp_path / f"{n}.rows.npy")
        np.save(paths[0], keys[order])
        np.save(paths[1], rows[order])
        runs.append(paths)
        all_keys.append(keys)
        all_rows.append(rows)
        offset += 40
    keys, rows = np.concatenate(all_keys), np.concatenate(all_rows)
    merge_runs(runs, len(keys), tmp_path / "k.npy", tmp_path / "r.npy")
    order = np.lexsort((rows, keys))
    assert np.array_equal(np.load(tmp_path / "k.npy"), keys[order])
    assert np.array_equal(np.load(tmp_path / "r.npy"), rows[order])
    merge_runs([], 0, tmp_path / "k0.npy", tmp_path / "r0.npy")
    assert len(np.load(tmp_path / "k0.npy")) == 0


def test_a_failing_worker_stops_the_build(
    world: Path, model: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = pl.read_parquet(world / "records.parquet")
    records.write_parquet(tmp_path / "records.parquet")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "nowhere"))
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(Exception, match="worker"):
        build_store(tmp_path / "s", tmp_path / "records.parquet", model, chunk_rows=600, workers=2)
    assert not (tmp_path / "s" / SEGMENTS_DIR).exists() or not any(
        (tmp_path / "s" / SEGMENTS_DIR).iterdir()
    )


def test_seen_ids_confirm_a_hash_hit_on_the_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = index_module._SeenIds()
    first = pl.Series("record_id", ["a", "b", "c"])
    assert not seen.repeated(first).any()
    seen.add(first)
    later = pl.Series("record_id", ["d", "b", "e", "a"])
    assert seen.repeated(later).to_list() == [False, True, False, True]
    # every id hashing alike: only the ids themselves tell a repeat from a collision
    monkeypatch.setattr(
        index_module._SeenIds, "_hash", staticmethod(lambda ids: np.zeros(len(ids), np.uint64))
    )
    colliding = index_module._SeenIds()
    colliding.add(first)
    assert colliding.repeated(later).to_list() == [False, True, False, True]


def test_an_id_repeated_in_a_later_chunk_is_quarantined(
    world: Path, model: Model, tmp_path: Path
) -> None:
    records = pl.read_parquet(world / "records.parquet")
    repeats = records.head(5).with_columns(surname=pl.lit("OTHER"))
    pl.concat([records, repeats]).write_parquet(tmp_path / "records.parquet")
    report = build_store(
        tmp_path / "s", tmp_path / "records.parquet", model, chunk_rows=600, workers=1
    )
    assert report.records_in == records.height + 5
    assert report.records_added == records.height
    assert report.records_quarantined == 5
    kept = pq.read_table(_segment(tmp_path / "s") / RECORDS_FILE).to_pydict()
    first = dict(zip(kept["record_id"], kept["surname"], strict=True))
    assert all(first[r] != "OTHER" for r in repeats["record_id"])
