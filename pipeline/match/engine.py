"""Splink on embedded DuckDB: one connection, our SQL macros, two registered sides.

This is the only module that talks to Splink's linker; everything around it works on
polars frames.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb
import polars as pl
from splink import DuckDBAPI, Linker

from pipeline.match.blocking import Side, add_blocking_columns
from pipeline.match.prepare import prepare_for_matching

LEFT = "manifests"
RIGHT = "records"

# Splink logs training progress and warnings at INFO/WARNING; chrilink reports its own.
logging.getLogger("splink").setLevel(logging.ERROR)


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with chrilink's macros loaded."""
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    macros = resources.files("pipeline.match").joinpath("macros.sql").read_text()
    code = "\n".join(line for line in macros.splitlines() if not line.lstrip().startswith("--"))
    for statement in (s.strip() for s in code.split(";")):
        if statement:
            con.execute(statement)
    return con


@dataclass
class Engine:
    """A connection and a Splink linker over prepared manifest and record features."""

    con: duckdb.DuckDBPyConnection
    linker: Linker


def match_frame(features: pl.DataFrame, side: Side) -> pl.DataFrame:
    """Standardized features → the columns the comparisons and blocking rules read."""
    return add_blocking_columns(prepare_for_matching(features), side)


def tf_columns(settings: dict[str, Any]) -> list[str]:
    """Columns whose term frequencies adjust a comparison level."""
    found = {
        level["tf_adjustment_column"]
        for comparison in settings.get("comparisons", [])
        for level in comparison.get("comparison_levels", [])
        if level.get("tf_adjustment_column")
    }
    return sorted(found)


def term_frequencies(records: pl.DataFrame, column: str) -> pl.DataFrame:
    """How often each value of ``column`` occurs among record identities.

    Frequencies come from the record side only, so a name's weight does not depend on
    which manifest is screened, and a store and a batch run agree.
    """
    values = records.get_column(column).drop_nulls()
    total = max(values.len(), 1)
    return (
        values.value_counts(name="n")
        .select(pl.col(column), (pl.col("n") / total).alias(f"tf_{column}"))
        .sort(column)
    )


def build_engine(
    manifests: pl.DataFrame,
    records: pl.DataFrame,
    settings: dict[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    prepared: bool = False,
    frequencies: dict[str, pl.DataFrame] | None = None,
) -> Engine:
    """Register both sides and build a linker.

    ``manifests`` and ``records`` are standardized features, or already the output of
    :func:`match_frame` when ``prepared``. Term frequencies are computed from
    ``records`` unless given (a store passes the frequencies of all its identities).
    """
    con = con or connect()
    left_frame = manifests if prepared else match_frame(manifests, "manifests")
    right_frame = records if prepared else match_frame(records, "records")
    if frequencies is None:
        frequencies = {c: term_frequencies(right_frame, c) for c in tf_columns(settings)}
    con.register("chrilink_left_arrow", left_frame.to_arrow())
    con.register("chrilink_right_arrow", right_frame.to_arrow())
    con.execute("CREATE OR REPLACE TABLE chrilink_left AS SELECT * FROM chrilink_left_arrow")
    con.execute("CREATE OR REPLACE TABLE chrilink_right AS SELECT * FROM chrilink_right_arrow")
    con.unregister("chrilink_left_arrow")
    con.unregister("chrilink_right_arrow")
    api = DuckDBAPI(connection=con)
    sdf_left = api.register("chrilink_left", dataset_display_name=LEFT)
    sdf_right = api.register("chrilink_right", dataset_display_name=RIGHT)
    linker = Linker([sdf_left, sdf_right], settings, log_level=logging.ERROR)
    for column, table in frequencies.items():
        name = f"chrilink_tf_{column}"
        con.register(f"{name}_arrow", table.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM {name}_arrow")
        con.unregister(f"{name}_arrow")
        linker.table_management.register_term_frequency_lookup(
            api.register(name, dataset_display_name=name), column
        )
    return Engine(con=con, linker=linker)
