"""Pseudonymous ids a partner cannot link across disclosures.

Each disclosure draws a fresh 256-bit key; an id becomes the HMAC-SHA256 of
``<field>:<value>`` under that key (truncated to 128 bits, hex). The key is never
written anywhere, so the same record gets unrelated pseudonyms in two disclosures,
and nobody (us included) can map a pseudonym back without the run's own tables.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

import polars as pl

KEY_BYTES: Final = 32
PSEUDONYM_HEX: Final = 32


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def pseudonym(key: bytes, field: str, value: str) -> str:
    digest = hmac.new(key, f"{field}:{value}".encode(), hashlib.sha256).hexdigest()
    return "p" + digest[:PSEUDONYM_HEX]


def pseudonymize(column: pl.Series, key: bytes) -> pl.Series:
    """Replace every non-null value of ``column`` by its pseudonym (same name)."""
    values = [None if v is None else pseudonym(key, column.name, str(v)) for v in column]
    return pl.Series(column.name, values, dtype=pl.Utf8)
