"""Score given candidate pairs with a model's Splink SQL, compiled once.

A linker spends most of a small job on setting itself up (settings validation, SQL
generation, one statement per blocking rule). A warm store already knows its candidate
pairs, so :class:`CompiledScorer` asks Splink once for the SQL that turns pairs into
comparison vectors and match weights, and then runs it as one DuckDB statement per
batch. The SQL is Splink's own (``compute_comparison_vector_values_from_id_pairs_sqls``
and ``predict_from_comparison_vectors_sqls_using_settings``); only the join from pairs
to the two sides is ours. `tests/match/test_compiled.py` checks that it gives exactly
what ``linker.inference.predict`` gives.
"""

from __future__ import annotations

import threading
from typing import Any

import polars as pl
from splink.internals.comparison_vector_values import (
    compute_comparison_vector_values_from_id_pairs_sqls,
)
from splink.internals.pipeline import CTEPipeline
from splink.internals.predict import predict_from_comparison_vectors_sqls_using_settings

from pipeline.match.engine import LEFT, RIGHT, build_engine, connect, tf_columns
from pipeline.match.model import Model
from pipeline.match.score import to_scored_pairs

ROW = "_chrilink_row"


class CompiledScorer:
    """The scoring SQL of one model; thread-safe (one DuckDB cursor per call)."""

    def __init__(self, model: Model, left: pl.DataFrame, right: pl.DataFrame) -> None:
        """``left`` / ``right``: match frames (any rows) that give the column types."""
        self.model = model
        self.tf = tf_columns(model.splink_settings)
        engine = build_engine(
            left.head(1), right.head(1), model.splink_settings, prepared=True, frequencies={}
        )
        settings = engine.linker._settings_obj
        min_probability = model.thresholds.review
        threshold: dict[str, Any] = (
            {"threshold_match_probability": min_probability}
            if model.calibration is None
            else {"threshold_match_weight": model.calibration.weight_floor(min_probability)}
        )
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
            predict_from_comparison_vectors_sqls_using_settings(settings, **threshold)
        )
        self.sql = pipeline.generate_cte_pipeline_sql()
        engine.con.close()
        self._con = connect()
        self._lock = threading.Lock()

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
        with self._lock:
            con = self._con.cursor()
        try:
            con.register("chrilink_l", self._side(left, LEFT, frequencies).to_arrow())
            con.register("chrilink_r", self._side(right, RIGHT, frequencies).to_arrow())
            con.register("chrilink_pairs", pairs.select("l_row", "r_row").to_arrow())
            table = con.sql(self.sql).to_arrow_table()
        finally:
            con.close()
        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return to_scored_pairs(
            frame, self.model.spec, self.model.thresholds.review, self.model.calibration
        )
