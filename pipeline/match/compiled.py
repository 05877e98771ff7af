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
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
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


@dataclass
class Scored:
    """Scored pairs (the columns of :func:`pipeline.match.score.score`) and how many
    candidate pairs the first phase dropped."""

    pairs: pl.DataFrame
    pruned: int = 0


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
                out = out.join(table, on=column, how="left", maintain_order="left")
        return out

    def _run(self, con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
        frame = pl.from_arrow(con.sql(sql).to_arrow_table())
        assert isinstance(frame, pl.DataFrame)
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
        with self._lock:
            con = self._con.cursor()
        try:
            con.register("chrilink_l", self._side(left, LEFT, frequencies).to_arrow())
            con.register("chrilink_r", self._side(right, RIGHT, frequencies).to_arrow())
            candidates = pairs.select("l_row", "r_row")
            con.register("chrilink_pairs", candidates.to_arrow())
            survivors = candidates
            if prune_sql is not None:
                survivors = self._run(con, prune_sql)
                con.unregister("chrilink_pairs")
                con.register("chrilink_pairs", survivors.to_arrow())
            frame = self._run(con, self.sql)
        finally:
            con.close()
        scored = to_scored_pairs(
            frame, self.model.spec, self.model.thresholds.review, self.model.calibration
        )
        return Scored(scored, candidates.height - survivors.height)

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
