"""One generated world indexed into a store, shared by the scorer tests (built once)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from pipeline.contracts import check_input
from pipeline.generate import generate_world
from pipeline.match.engine import match_frame
from pipeline.match.model import Model, load_model
from pipeline.standardize import standardize
from pipeline.store.index import build_store
from pipeline.store.prepared import PreparedStore

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"


@dataclasses.dataclass
class StoreWorld:
    model: Model
    store: PreparedStore
    features: pl.DataFrame  # standardized travelers
    travelers: pl.DataFrame  # their match frame
    identities: pl.DataFrame  # the store's candidate identities for the travelers
    pairs: pl.DataFrame  # the store's candidate pairs


@pytest.fixture(scope="session")
def store_world(tmp_path_factory: pytest.TempPathFactory) -> StoreWorld:
    root = tmp_path_factory.mktemp("store-world")
    generate_world(root, n_records=1500, n_travelers=400, seed=29)
    model = load_model(MODEL)
    build_store(root / "store", root / "records.parquet", model)
    store = PreparedStore.open(root / "store", model.spec)
    manifests = pl.read_parquet(root / "manifests.parquet")
    outcome = check_input(manifests, "manifests", "test", 0.2, evaluator="fast")
    features = standardize(outcome.passed, "manifests")
    travelers = match_frame(features, "manifests")
    identities, pairs = store.candidates(travelers)
    return StoreWorld(model, store, features, travelers, identities, pairs)
