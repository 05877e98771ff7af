"""The compiled scorer gives exactly what Splink's linker gives, pruned or not."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipeline.contracts import check_input
from pipeline.generate import generate_world
from pipeline.match.compiled import CompiledScorer
from pipeline.match.engine import Engine, build_engine, match_frame
from pipeline.match.model import Model, load_model
from pipeline.match.score import score
from pipeline.standardize import standardize
from pipeline.store.index import build_store
from pipeline.store.prepared import PreparedStore

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"
KEYS = ["traveler_id", "identity_id"]


Case = tuple[Model, PreparedStore, pl.DataFrame, pl.DataFrame]


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    root = tmp_path_factory.mktemp("compiled")
    generate_world(root, n_records=1500, n_travelers=500, seed=31)
    model = load_model(MODEL)
    build_store(root / "store", root / "records.parquet", model)
    store = PreparedStore.open(root / "store", model.spec)
    manifests = pl.read_parquet(root / "manifests.parquet")
    outcome = check_input(manifests, "manifests", "test", 0.2, evaluator="fast")
    travelers = match_frame(standardize(outcome.passed, "manifests"), "manifests")
    identities, _ = store.candidates(travelers)
    return model, store, travelers, identities


def blocked_pairs(engine: Engine, left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """Splink's blocked pairs as row positions (``l_row``, ``r_row``) in ``left`` / ``right``."""
    blocked = pl.from_arrow(
        engine.linker.inference.compute_blocked_pairs_for_predict()
        .as_duckdbpyrelation()
        .to_arrow_table()
    )
    assert isinstance(blocked, pl.DataFrame)
    rows = {
        side: frame.select(pl.col("unique_id").alias(f"id_{side}")).with_row_index(f"{side}_row")
        for side, frame in (("l", left), ("r", right))
    }
    return (
        blocked.select(
            pl.col(f"join_key_{side}")
            .str.split_exact("-__-", 1)
            .struct.field("field_1")
            .alias(f"id_{side}")
            for side in ("l", "r")
        )
        .join(rows["l"], on="id_l")
        .join(rows["r"], on="id_r")
        .select("l_row", "r_row")
    )


@pytest.mark.parametrize("prune", [False, True], ids=["one phase", "two phases"])
def test_compiled_scores_equal_linker_predict(case: Case, prune: bool) -> None:
    """Same pairs in (Splink's blocking), same rows, weights and explanations out."""
    model, store, travelers, identities = case
    engine = build_engine(
        travelers, identities, model.splink_settings, prepared=True, frequencies=store.frequencies
    )
    try:
        expected = score(engine, model.spec, model.thresholds.review, model.calibration)
        pairs = blocked_pairs(engine, travelers, identities)
    finally:
        engine.con.close()
    scorer = CompiledScorer(model, travelers, identities, prune=prune)
    got = scorer.score_pairs(travelers, identities, pairs, store.frequencies)

    assert expected.height > 20
    assert (got.pruned > 0) == prune
    assert got.pairs.sort(KEYS).equals(expected.sort(KEYS))
