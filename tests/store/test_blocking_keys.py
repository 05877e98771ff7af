"""The store's blocking keys find exactly the pairs Splink's blocking rules form."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.contracts import check_input
from pipeline.errors import ModelError
from pipeline.generate import generate_world
from pipeline.ingest import read_input
from pipeline.match.blocking import key_rules
from pipeline.match.engine import build_engine, match_frame
from pipeline.match.model import load_model
from pipeline.match.spec import BlockingSpec
from pipeline.standardize import standardize
from pipeline.store.index import build_store
from pipeline.store.prepared import PreparedStore

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"


def test_key_pairs_equal_splink_blocked_pairs(tmp_path: Path) -> None:
    generate_world(tmp_path, n_records=2500, n_travelers=600, seed=19)
    model = load_model(MODEL)
    manifests = read_input(tmp_path / "manifests.parquet", "manifests")
    records = read_input(tmp_path / "records.parquet", "records")
    travelers = match_frame(
        standardize(check_input(manifests, "manifests", "m").passed, "manifests"), "manifests"
    )
    identities = match_frame(
        standardize(check_input(records, "records", "r").passed, "records"), "records"
    )
    engine = build_engine(travelers, identities, model.splink_settings, prepared=True)
    blocked = pl.from_arrow(
        engine.linker.inference.compute_blocked_pairs_for_predict()
        .as_duckdbpyrelation()
        .to_arrow_table()
    )
    assert isinstance(blocked, pl.DataFrame)
    splink_pairs = {
        (left.split("-__-", 1)[1], right.split("-__-", 1)[1])
        for left, right in blocked.select("join_key_l", "join_key_r").iter_rows()
    }
    build_store(tmp_path / "store", tmp_path / "records.parquet", model)
    store = PreparedStore.open(tmp_path / "store", model.spec)
    found, pairs = store.candidates(travelers)
    left_ids = travelers.get_column("unique_id").to_list()
    right_ids = found.get_column("unique_id").to_list()
    key_pairs = {(left_ids[a], right_ids[b]) for a, b in pairs.iter_rows()}
    assert len(splink_pairs) > 120
    assert key_pairs == splink_pairs


def test_only_equality_rules_can_be_indexed() -> None:
    spec = load_model(MODEL).spec
    rules = key_rules(spec)
    assert len(rules) == len(spec.blocking)
    assert all(rule.columns for rule in rules)
    odd = spec.model_copy(
        update={
            "blocking": (
                BlockingSpec(description="fuzzy", sql="jaro_winkler_similarity(l.a, r.a) > 0.9"),
            )
        }
    )
    with pytest.raises(ModelError, match="cannot be indexed"):
        key_rules(odd)
