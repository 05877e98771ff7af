"""The compiled scorer gives exactly what Splink's linker gives, pruned or not."""

from __future__ import annotations

import polars as pl
import pytest

from pipeline.match.compiled import CompiledScorer
from pipeline.match.engine import Engine, build_engine
from pipeline.match.model import Model
from pipeline.match.score import score
from pipeline.store.prepared import PreparedStore
from tests.match.conftest import StoreWorld

KEYS = ["traveler_id", "identity_id"]


Case = tuple[Model, PreparedStore, pl.DataFrame, pl.DataFrame]


@pytest.fixture(scope="module")
def case(store_world: StoreWorld) -> Case:
    w = store_world
    return w.model, w.store, w.travelers, w.identities


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
