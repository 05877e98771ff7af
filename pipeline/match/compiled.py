"""Score given candidate pairs with a model's Splink SQL, compiled once.

A linker spends most of a small job on setting itself up (settings validation, SQL
generation, one statement per blocking rule). A warm store already knows its candidate
pairs, so :class:`CompiledScorer` asks Splink once for the SQL that turns pairs into
comparison vectors and match weights, and then runs it as one DuckDB statement per
batch. The SQL is Splink's own (``compute_comparison_vector_values_from_id_pairs_sqls``
and ``predict_from_comparison_vectors_sqls_using_settings``); only the join from pairs
to the two sides is ours. `tests/match/test_compiled.py` checks that it gives exactly
what ``linker.inference.predict`` gives.

Scoring runs in two phases (:mod:`pipeline.match.prune`): the first runs the same SQL
for a model whose costly comparisons are cut to an upper bound and drops the pairs that
cannot reach the threshold even so; the second scores the survivors in full. The rows,
weights and explanations are exactly those of the full SQL on every pair.

A warm call's fixed cost is DuckDB parsing, binding and planning the macro-expanded
comparisons, not running them; so each statement runs through ``execute`` (one bind;
a relation from ``sql`` binds once more to learn its schema), and the full SQL is not
run at all when no pair is left to score (its empty result is kept from an earlier
call).
"""

from __future__ import annotations

import json
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl
from splink.internals.comparison_vector_values import (
    compute_comparison_vector_values_from_id_pairs_sqls,
)
from splink.internals.misc import threshold_args_to_match_weight
from splink.internals.pipeline import CTEPipeline
from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings
from splink.internals.settings import Settings

from pipeline.match.engine import LEFT, RIGHT, build_engine, connect, tf_columns
from pipeline.match.model import Model
from pipeline.match.prune import MARGIN, bounded_settings
from pipeline.match.score import to_scored_pairs

ROW = "_chrilink_row"

# DuckDB warns that Arrow from an executed statement copies the rows once more and
# suggests ``con.sql``, which binds the statement twice; for the few rows scored per
# call the copy is cheap and the second bind is not. Only this module's calls are quiet.
warnings.filterwarnings(
    "ignore",
    message="Arrow output on a DB-API result",
    category=UserWarning,
    module=r"pipeline\.match\.compiled",
)


@dataclass
class Scored:
    """Scored pairs (the columns of :func:`pipeline.match.score.score`), how many
    candidate pairs the first phase dropped, and the seconds each phase's SQL took."""

    pairs: pl.DataFrame
    pruned: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _splink_settings(settings: dict[str, Any], left: pl.DataFrame, right: pl.DataFrame) -> Settings:
    """Splink's parsed settings for ``settings`` over frames shaped like ``left`` / ``right``."""
    engine = build_engine(
        left.head(1).with_columns(pl.lit(0, dtype=pl.UInt32).alias(ROW)),
        right.head(1).with_columns(pl.lit(0, dtype=pl.UInt32).alias(ROW)),
        settings,
        prepared=True,
        frequencies={},
    )
    engine.con.close()
    return engine.linker._settings_obj


def scoring_sql(settings: Settings, threshold_weight: float | None) -> str:
    """Splink's SQL from pairs (``chrilink_pairs``) to predictions at ``threshold_weight``."""
    columns = ", ".join(settings._columns_to_select_for_blocking)
    pipeline = CTEPipeline()
    pipeline.enqueue_sql(
        f"select {columns}, 0 as match_key from chrilink_pairs as b "
        f"join chrilink_l as l on l.{ROW} = b.l_row "
        f"join chrilink_r as r on r.{ROW} = b.r_row",
        "blocked_with_cols",
    )
    vectors = compute_comparison_vector_values_from_id_pairs_sqls(
        settings._columns_to_select_for_blocking,
        settings._columns_to_select_for_comparison_vector_values,
        input_tablename_l="chrilink_l",
        input_tablename_r="chrilink_r",
        source_dataset_input_column=settings.column_info_settings.source_dataset_input_column,
        unique_id_input_column=settings.column_info_settings.unique_id_input_column,
        link_type=settings._link_type,
        sql_dialect_str="duckdb",
    )
    if vectors[0]["output_table_name"] != "blocked_with_cols":
        raise RuntimeError("unexpected Splink SQL pipeline; check pipeline/match/compiled.py")
    pipeline.enqueue_list_of_sqls(vectors[1:])
    pipeline.enqueue_list_of_sqls(
        predict_from_comparison_vectors_sqls_using_settings(
            settings, threshold_match_weight=threshold_weight
        )
    )
    return pipeline.generate_cte_pipeline_sql()


def sorted_unique(keys: pl.Series) -> bool:
    """Whether ``keys`` are sorted ascending, unique and without nulls."""
    if keys.null_count() or not keys.is_sorted():
        return False
    return keys.len() < 2 or not (keys.slice(1) == keys.slice(0, keys.len() - 1)).any()


def attach_frequency(
    frame: pl.DataFrame, table: pl.DataFrame, column: str, sorted_keys: bool
) -> pl.DataFrame:
    """``frame`` with ``tf_<column>`` from ``table`` (``column``, ``tf_<column>``), as a
    left join gives it.

    A store's table has a row per distinct value (millions in a large store), and a
    join hashes all of them on every call; with ``sorted_keys`` (sorted, unique, no
    nulls) each value is found by binary search instead, otherwise the join reads only
    the rows of the values present.
    """
    keys = table.get_column(column)
    values = frame.get_column(column)
    plain = not sorted_keys or table.width != 2 or keys.len() == 0
    if plain or values.dtype != keys.dtype:
        present = table.filter(pl.col(column).is_in(values.drop_nulls().implode()))
        return frame.join(present, on=column, how="left", maintain_order="left")
    at = keys.search_sorted(values, side="left").clip(upper_bound=keys.len() - 1)
    looked_up = pl.DataFrame(
        {"found": (keys.gather(at) == values).fill_null(False), "tf": table[f"tf_{column}"][at]}
    )
    tf = looked_up.select(pl.when("found").then("tf").alias(f"tf_{column}")).to_series()
    return frame.with_columns(tf)


class CompiledScorer:
    """The scoring SQL of one model; thread-safe (one DuckDB cursor per call)."""

    def __init__(
        self, model: Model, left: pl.DataFrame, right: pl.DataFrame, *, prune: bool = True
    ) -> None:
        """``left`` / ``right``: match frames (any rows) that give the column types.

        ``prune``: score in two phases (same result, fewer pairs through the costly
        comparisons).
        """
        self.model = model
        self.tf = tf_columns(model.splink_settings)
        self._shape = (left.head(1), right.head(1))
        settings = _splink_settings(model.splink_settings, *self._shape)
        review = model.thresholds.review
        self.threshold = threshold_args_to_match_weight(
            review if model.calibration is None else None,
            None if model.calibration is None else model.calibration.weight_floor(review),
        )
        self.sql = scoring_sql(settings, self.threshold)
        self._comparisons = settings.comparisons
        self.prune = prune and self.threshold is not None
        self._prune_sql: dict[str, str] = {}
        self._empty: pl.DataFrame | None = None  # the full SQL's result on no pairs
        self._tf_checked: dict[str, tuple[pl.DataFrame, bool]] = {}
        self._con = connect()
        self._lock = threading.Lock()

    def prune_sql(self, frequencies: dict[str, pl.DataFrame]) -> str | None:
        """The first phase's SQL (``l_row``, ``r_row`` of the pairs that may reach the
        threshold) for these term frequencies; ``None`` when nothing can be pruned."""
        if not self.prune or self.threshold is None:
            return None
        bounded = bounded_settings(self.model.splink_settings, self._comparisons, frequencies)
        if bounded is None:
            return None
        key = json.dumps(bounded, sort_keys=True)
        with self._lock:
            if key not in self._prune_sql:
                phase_one = {
                    **bounded,
                    "retain_matching_columns": False,
                    "retain_intermediate_calculation_columns": False,
                    "additional_columns_to_retain": [ROW],
                }
                sql = scoring_sql(
                    _splink_settings(phase_one, *self._shape), self.threshold - MARGIN
                )
                self._prune_sql[key] = (
                    f"select {ROW}_l as l_row, {ROW}_r as r_row from ({sql}) as phase_one"
                )
            return self._prune_sql[key]

    def _side(
        self, frame: pl.DataFrame, source: str, frequencies: dict[str, pl.DataFrame]
    ) -> pl.DataFrame:
        out = frame.with_columns(
            pl.lit(source).alias("source_dataset"),
            pl.int_range(0, pl.len(), dtype=pl.UInt32).alias(ROW),
        )
        for column in self.tf:
            table = frequencies.get(column)
            if table is None:
                out = out.with_columns(pl.lit(None, dtype=pl.Float64).alias(f"tf_{column}"))
            else:
                out = attach_frequency(out, table, column, self._sorted_keys(column, table))
        return out

    def _sorted_keys(self, column: str, table: pl.DataFrame) -> bool:
        """Whether ``table``'s keys are sorted and unique, checked once per table."""
        with self._lock:
            known = self._tf_checked.get(column)
            if known is None or known[0] is not table:
                known = (table, sorted_unique(table.get_column(column)))
                self._tf_checked[column] = known
            return known[1]

    def _run(self, con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
        # ``execute`` binds once; ``con.sql(...)`` would bind a relation first and then
        # bind again to run it, and binding the name macros is most of a small call.
        frame = pl.from_arrow(con.execute(sql).to_arrow_table())
        assert isinstance(frame, pl.DataFrame)
        return frame

    def _full(self, con: duckdb.DuckDBPyConnection, survivors: int) -> pl.DataFrame:
        """The full SQL over ``chrilink_pairs`` (``survivors`` rows); with none, the empty
        result an earlier call kept (same columns and types), so nothing is bound."""
        if survivors == 0 and self._empty is not None:
            return self._empty
        frame = self._run(con, self.sql)
        if self._empty is None:
            self._empty = frame.clear()
        return frame

    def score_pairs(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        pairs: pl.DataFrame,
        frequencies: dict[str, pl.DataFrame],
    ) -> Scored:
        """Score ``pairs`` (``l_row``, ``r_row``: row positions in ``left`` / ``right``)."""
        prune_sql = self.prune_sql(frequencies) if pairs.height else None
        seconds: dict[str, float] = {}
        with self._lock:
            con = self._con.cursor()
        try:
            con.register("chrilink_l", self._side(left, LEFT, frequencies).to_arrow())
            con.register("chrilink_r", self._side(right, RIGHT, frequencies).to_arrow())
            candidates = pairs.select("l_row", "r_row")
            con.register("chrilink_pairs", candidates.to_arrow())
            survivors = candidates
            if prune_sql is not None:
                start = time.perf_counter()
                survivors = self._run(con, prune_sql)
                seconds["phase1"] = time.perf_counter() - start
                con.unregister("chrilink_pairs")
                con.register("chrilink_pairs", survivors.to_arrow())
            start = time.perf_counter()
            frame = self._full(con, survivors.height)
            seconds["phase2"] = time.perf_counter() - start
        finally:
            con.close()
        scored = to_scored_pairs(
            frame, self.model.spec, self.model.thresholds.review, self.model.calibration
        )
        return Scored(scored, candidates.height - survivors.height, seconds)

    def score(
        self,
        left: pl.DataFrame,
        right: pl.DataFrame,
        pairs: pl.DataFrame,
        frequencies: dict[str, pl.DataFrame],
    ) -> pl.DataFrame:
        """Score ``pairs`` (``l_row``, ``r_row``: row positions in ``left`` / ``right``).

        Returns the columns of :func:`pipeline.match.score.score`.
        """
        return self.score_pairs(left, right, pairs, frequencies).pairs
