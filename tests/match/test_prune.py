"""The two-phase prune is exact: the bound never falls below a pair's true weight, and
pruned scoring gives the same rows, weights and explanations as unpruned scoring."""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.match.compiled import ROW, CompiledScorer, _splink_settings, scoring_sql
from pipeline.match.engine import LEFT, RIGHT, connect
from pipeline.match.model import Model, Thresholds
from pipeline.match.prune import (
    BOUND_LABEL,
    bounded_settings,
    is_cheap,
    tf_adjustment_bound,
)
from pipeline.screening import StoreMatcher
from tests.match.conftest import StoreWorld

KEYS = ["traveler_id", "identity_id"]


@pytest.fixture(scope="module")
def world(store_world: StoreWorld) -> StoreWorld:
    return store_world


def edge_cases(travelers: pl.DataFrame, identities: pl.DataFrame) -> pl.DataFrame:
    """Identities bent into the levels a bound must respect: missing names (null level),
    a traveler's exact name (the term-frequency level, rare or common), missing or
    placeholder dates, missing sex, nationality and document."""
    n = min(identities.height, travelers.height, 40)
    base = identities.head(n)
    name_cols = [c for c in travelers.columns if c.startswith("name_")]
    dob_cols = [c for c in travelers.columns if c.startswith("dob_") and c != "dob_placeholder"]
    same_name = base.with_columns(travelers.head(n).select(name_cols).get_columns())
    no_name = base.with_columns(
        pl.lit([], dtype=pl.List(pl.String)).alias("name_keys"),
        pl.lit(None, dtype=pl.String).alias("name_sorted"),
    )
    no_dob = same_name.with_columns(
        *(
            pl.lit([], dtype=pl.List(pl.String)).alias(c)
            for c in ("dob_readings", "dob_full", "dob_months", "dob_years")
        ),
        pl.lit(None, dtype=pl.String).alias("sex"),
        pl.lit(None, dtype=pl.String).alias("nationality"),
        pl.lit(None, dtype=pl.String).alias("doc_number"),
        pl.lit(None, dtype=pl.String).alias("doc_ocr_key"),
    )
    placeholder = same_name.with_columns(
        *travelers.head(n).select(dob_cols).get_columns(),
        pl.lit(True).alias("dob_placeholder"),
    )
    parts = [identities, same_name, no_name, no_dob, placeholder]
    out = pl.concat([p.with_columns(pl.col("unique_id") + f"~{i}") for i, p in enumerate(parts)])
    return out


def all_pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame({"l_row": pl.arange(0, left.height, dtype=pl.UInt32, eager=True)}).join(
        pl.DataFrame({"r_row": pl.arange(0, right.height, dtype=pl.UInt32, eager=True)}),
        how="cross",
    )


def with_thresholds(model: Model, review: float) -> Model:
    hit = max(review, model.thresholds.hit)
    return dataclasses.replace(model, thresholds=Thresholds(hit=hit, review=review))


def sorted_scores(scorer: CompiledScorer, world: StoreWorld, pairs: pl.DataFrame) -> pl.DataFrame:
    scored = scorer.score(world.travelers, world.identities, pairs, world.store.frequencies)
    return scored.sort(KEYS)


def test_pruned_scoring_equals_unpruned_on_a_world(world: StoreWorld) -> None:
    full = CompiledScorer(world.model, world.travelers, world.identities, prune=False)
    pruned = CompiledScorer(world.model, world.travelers, world.identities)
    args = (world.travelers, world.identities, world.pairs, world.store.frequencies)
    expected = full.score_pairs(*args)
    got = pruned.score_pairs(*args)
    assert expected.pruned == 0
    assert 0 < got.pruned < world.pairs.height
    assert got.pairs.height > 0
    assert got.pairs.sort(KEYS).equals(expected.pairs.sort(KEYS))


def _phase_weights(
    model: Model,
    settings: dict[str, Any],
    world: StoreWorld,
    left: pl.DataFrame,
    right: pl.DataFrame,
) -> pl.DataFrame:
    """Splink's match weight of every pair in ``left`` × ``right`` under ``settings``,
    no threshold, keyed by the two row positions."""
    scorer = CompiledScorer(model, left, right, prune=False)
    shaped = {
        **settings,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "additional_columns_to_retain": [ROW],
    }
    sql = scoring_sql(_splink_settings(shaped, left, right), None)
    con = connect()
    con.register("chrilink_l", scorer._side(left, LEFT, world.store.frequencies).to_arrow())
    con.register("chrilink_r", scorer._side(right, RIGHT, world.store.frequencies).to_arrow())
    con.register("chrilink_pairs", all_pairs(left, right).to_arrow())
    frame = pl.from_arrow(
        con.sql(f"select {ROW}_l, {ROW}_r, match_weight, gamma_name from ({sql})").to_arrow_table()
    )
    con.close()
    assert isinstance(frame, pl.DataFrame)
    return frame


def assert_bound_holds(model: Model, world: StoreWorld) -> int:
    """Phase one's weight is never below the full weight, and equal to it wherever the
    name level is one of the cheap levels phase one keeps. Returns the pairs checked."""
    left = world.travelers.head(60)
    right = edge_cases(world.travelers, world.identities).head(400)
    probe = CompiledScorer(model, left, right)
    bounded = bounded_settings(model.splink_settings, probe._comparisons, world.store.frequencies)
    assert bounded is not None
    full = _phase_weights(model, model.splink_settings, world, left, right)
    bound = _phase_weights(model, bounded, world, left, right)
    both = full.join(bound, on=[f"{ROW}_l", f"{ROW}_r"], suffix="_bound")
    assert both.height == left.height * right.height
    assert (both["match_weight_bound"] >= both["match_weight"]).all()
    name = next(c for c in probe._comparisons if c.output_column_name == "name")
    first_costly = next(i for i, lvl in enumerate(name.comparison_levels) if not is_cheap(lvl))
    kept = [lvl.comparison_vector_value for lvl in name.comparison_levels[:first_costly]]
    exact = both.filter(pl.col("gamma_name").is_in(kept))
    assert set(exact["gamma_name"].unique()) == set(kept)  # null and same-name pairs occur
    assert (exact["match_weight_bound"] == exact["match_weight"]).all()
    return both.height


def test_bound_is_never_below_the_true_weight(world: StoreWorld) -> None:
    assert assert_bound_holds(world.model, world) > 10_000


def test_bound_holds_with_a_tf_adjustment_on_a_costly_level(world: StoreWorld) -> None:
    settings = copy.deepcopy(world.model.splink_settings)
    name = next(c for c in settings["comparisons"] if c["output_column_name"] == "name")
    level = name["comparison_levels"][2]
    level.update(
        tf_adjustment_column="name_sorted", tf_adjustment_weight=0.7, tf_minimum_u_value=1e-7
    )
    model = dataclasses.replace(world.model, splink_settings=settings)
    assert assert_bound_holds(model, world) > 10_000


@settings(max_examples=6, deadline=None)
@given(review=st.floats(min_value=1e-4, max_value=0.99))
def test_pruned_equals_unpruned_at_any_threshold(world: StoreWorld, review: float) -> None:
    model = with_thresholds(world.model, review)
    right = edge_cases(world.travelers, world.identities)
    bent = all_pairs(world.travelers.head(40), right.slice(world.identities.height))
    shifted = bent.with_columns(pl.col("r_row") + world.identities.height)
    pairs = pl.concat([world.pairs.select("l_row", "r_row"), shifted], how="vertical_relaxed")
    full = CompiledScorer(model, world.travelers, right, prune=False)
    pruned = CompiledScorer(model, world.travelers, right)
    args = (world.travelers, right, pairs, world.store.frequencies)
    expected = full.score_pairs(*args).pairs.sort(KEYS)
    got = pruned.score_pairs(*args)
    assert got.pairs.sort(KEYS).equals(expected)


@pytest.mark.parametrize(
    ("frequencies", "weight", "floor"),
    [
        ([1e-6, 1e-3, 0.2], 1.0, 0.0),
        ([1e-6, 1e-3, 0.2], 0.5, 1e-4),
        ([1e-6, 1e-3, 0.2], -1.0, 0.0),
        ([0.5], 1.0, 0.9),
        ([], 1.0, 0.0),
    ],
)
def test_tf_adjustment_bound_covers_splinks_sql(
    world: StoreWorld, frequencies: list[float], weight: float, floor: float
) -> None:
    """The bound is at least Splink's own tf adjustment SQL for any pair of known or
    unknown frequencies from the table."""
    settings = copy.deepcopy(world.model.splink_settings)
    name = next(c for c in settings["comparisons"] if c["output_column_name"] == "name")
    name["comparison_levels"][2].update(
        tf_adjustment_column="name_sorted",
        tf_adjustment_weight=weight,
        tf_minimum_u_value=floor,
    )
    parsed = _splink_settings(settings, world.travelers, world.identities)
    levels = next(c for c in parsed.comparisons if c.output_column_name == "name").comparison_levels
    level = levels[2]
    table = pl.DataFrame(
        {"name_sorted": [str(i) for i in range(len(frequencies))], "tf_name_sorted": frequencies},
        schema={"name_sorted": pl.String, "tf_name_sorted": pl.Float64},
    )
    bound = tf_adjustment_bound(level, levels, {"name_sorted": table})
    values: list[float | None] = [*frequencies, None]
    cases = pl.DataFrame(
        [(a, b) for a in values for b in values],
        schema={"tf_name_sorted_l": pl.Float64, "tf_name_sorted_r": pl.Float64},
        orient="row",
    ).with_columns(pl.lit(level.comparison_vector_value).alias("gamma_name"))
    con = duckdb.connect()
    con.register("cases", cases.to_arrow())
    sql = f"select case {level._tf_adjustment_sql('gamma_name', levels)} end as adj from cases"
    adjustments = con.sql(sql).pl()["adj"]
    con.close()
    largest = float(adjustments.max())
    assert bound >= largest - 1e-9
    assert math.isclose(bound, max(0.0, largest), abs_tol=1e-9)


def test_nothing_to_bound_means_no_first_phase(world: StoreWorld) -> None:
    probe = CompiledScorer(world.model, world.travelers, world.identities)
    freq = world.store.frequencies
    assert probe.prune_sql(freq) is not None
    assert bounded_settings(world.model.splink_settings, probe._comparisons, freq, ()) is None
    # a review threshold below the calibration's range keeps every pair: nothing to prune
    everything = with_thresholds(world.model, 1e-7)
    scorer = CompiledScorer(everything, world.travelers, world.identities)
    assert scorer.threshold is None
    assert scorer.prune_sql(freq) is None


def test_bounded_model_keeps_cheap_levels_and_one_bound(world: StoreWorld) -> None:
    probe = CompiledScorer(world.model, world.travelers, world.identities)
    bounded = bounded_settings(
        world.model.splink_settings, probe._comparisons, world.store.frequencies
    )
    assert bounded is not None
    before = {c["output_column_name"]: c for c in world.model.splink_settings["comparisons"]}
    for comparison in bounded["comparisons"]:
        original = before[comparison["output_column_name"]]
        if comparison["output_column_name"] != "name":
            assert comparison == original
            continue
        *kept, last = comparison["comparison_levels"]
        assert kept == original["comparison_levels"][: len(kept)]
        assert last["label_for_charts"] == BOUND_LABEL
        assert last["sql_condition"] == "ELSE"


def test_store_matcher_reports_pruned_pairs(world: StoreWorld) -> None:
    pruned = StoreMatcher(world.store, world.model)
    full = StoreMatcher(world.store, world.model)
    full._scorer = CompiledScorer(world.model, world.travelers, world.identities, prune=False)
    a = pruned.score(world.features, chunk_travelers=150)
    b = full.score(world.features, chunk_travelers=150)
    assert b.pairs_pruned == 0
    assert 0 < a.pairs_pruned < a.pairs_scored == b.pairs_scored
    keys = ["traveler_id", "record_id"]
    assert a.pairs.sort(keys).equals(b.pairs.sort(keys))


def phase_one_survivors(
    scorer: CompiledScorer, world: StoreWorld, pairs: pl.DataFrame
) -> pl.DataFrame:
    """The pairs the first phase keeps (``l_row``, ``r_row``)."""
    prune_sql = scorer.prune_sql(world.store.frequencies)
    assert prune_sql is not None
    con = connect()
    try:
        for name, frame, side in (
            ("chrilink_l", world.travelers, LEFT),
            ("chrilink_r", world.identities, RIGHT),
        ):
            con.register(name, scorer._side(frame, side, world.store.frequencies).to_arrow())
        con.register("chrilink_pairs", pairs.select("l_row", "r_row").to_arrow())
        kept = pl.from_arrow(con.sql(prune_sql).to_arrow_table())
    finally:
        con.close()
    assert isinstance(kept, pl.DataFrame)
    return kept


class CountingScorer(CompiledScorer):
    """Counts how often the full (second-phase) SQL runs."""

    full_runs = 0

    def _run(self, con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
        if sql == self.sql:
            self.full_runs += 1
        return super()._run(con, sql)


@pytest.mark.parametrize("warm", [False, True], ids=["first call", "warm"])
def test_no_survivors_skips_the_full_sql_with_the_same_result(
    world: StoreWorld, warm: bool
) -> None:
    """Pairs the first phase drops all: same (empty) frame and columns as unpruned
    scoring, and a warm scorer does not run the full SQL for them."""
    full = CompiledScorer(world.model, world.travelers, world.identities, prune=False)
    pruned = CountingScorer(world.model, world.travelers, world.identities)
    freq = world.store.frequencies
    kept = phase_one_survivors(pruned, world, world.pairs)
    dropped = world.pairs.select("l_row", "r_row").join(kept, on=["l_row", "r_row"], how="anti")
    assert dropped.height > 0
    if warm:
        pruned.score_pairs(world.travelers, world.identities, world.pairs, freq)
    runs = pruned.full_runs
    got = pruned.score_pairs(world.travelers, world.identities, dropped, freq)
    expected = full.score_pairs(world.travelers, world.identities, dropped, freq)
    assert got.pruned == dropped.height
    assert got.pairs.schema == expected.pairs.schema
    assert got.pairs.equals(expected.pairs)
    assert got.pairs.height == 0
    assert pruned.full_runs - runs == (0 if warm else 1)


def test_no_pairs_gives_the_unpruned_empty_frame(world: StoreWorld) -> None:
    full = CompiledScorer(world.model, world.travelers, world.identities, prune=False)
    pruned = CountingScorer(world.model, world.travelers, world.identities)
    args = (world.travelers, world.identities, world.pairs.head(0), world.store.frequencies)
    pruned.score_pairs(*args)
    got = pruned.score_pairs(*args)
    expected = full.score_pairs(*args)
    assert got.pairs.schema == expected.pairs.schema
    assert got.pairs.equals(expected.pairs)
    assert (got.pruned, pruned.full_runs) == (0, 1)


def test_scoring_reports_the_seconds_of_each_phase(world: StoreWorld) -> None:
    pruned = CompiledScorer(world.model, world.travelers, world.identities)
    args = (world.travelers, world.identities, world.pairs, world.store.frequencies)
    assert set(pruned.score_pairs(*args).seconds) == {"phase1", "phase2"}
    full = CompiledScorer(world.model, world.travelers, world.identities, prune=False)
    assert set(full.score_pairs(*args).seconds) == {"phase2"}
    scoring = StoreMatcher(world.store, world.model).score(world.features, chunk_travelers=150)
    assert {"candidates", "score", "score_phase1", "score_phase2"} <= set(scoring.seconds)
    assert scoring.seconds["score_phase1"] + scoring.seconds["score_phase2"] <= (
        scoring.seconds["score"] + 0.01
    )
