"""Loader for the commented reference tables in ``pipeline/standardize/data/``.

Tables are UTF-8 text, one entry per line, fields separated by a tab or a
comma-free pipe ``|``; ``#`` starts a comment and blank lines are skipped.
Every table names its source in its header comment. Tables are read once
(``functools.cache``) and never written.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def read_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Return the non-comment rows of ``data/<name>`` split on ``|``, stripped."""
    text = resources.files("pipeline.standardize").joinpath("data", name).read_text("utf-8")
    rows: list[tuple[str, ...]] = []
    for line in text.splitlines():
        body = line.split("#", 1)[0].strip()
        if body:
            rows.append(tuple(part.strip() for part in body.split("|")))
    return tuple(rows)


@cache
def read_words(name: str) -> frozenset[str]:
    """Return the first field of every row of ``data/<name>``, upper-cased."""
    return frozenset(row[0].upper() for row in read_rows(name))


@cache
def read_mapping(name: str) -> dict[str, str]:
    """Return ``{first field (upper-cased): second field}`` for ``data/<name>``."""
    return {row[0].upper(): row[1] for row in read_rows(name) if len(row) >= 2}
