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


def build_engine(
    manifests: pl.DataFrame,
    records: pl.DataFrame,
    settings: dict[str, Any],
    con: duckdb.DuckDBPyConnection | None = None,
) -> Engine:
    """Register both sides (standardized features) and build a linker."""
    con = con or connect()
    left = prepare_for_matching(manifests).to_arrow()
    right = prepare_for_matching(records).to_arrow()
    con.register("chrilink_left_arrow", left)
    con.register("chrilink_right_arrow", right)
    con.execute("CREATE OR REPLACE TABLE chrilink_left AS SELECT * FROM chrilink_left_arrow")
    con.execute("CREATE OR REPLACE TABLE chrilink_right AS SELECT * FROM chrilink_right_arrow")
    con.unregister("chrilink_left_arrow")
    con.unregister("chrilink_right_arrow")
    api = DuckDBAPI(connection=con)
    sdf_left = api.register("chrilink_left", dataset_display_name=LEFT)
    sdf_right = api.register("chrilink_right", dataset_display_name=RIGHT)
    linker = Linker([sdf_left, sdf_right], settings, log_level=logging.ERROR)
    return Engine(con=con, linker=linker)
