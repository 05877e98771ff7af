"""Standardize sex, nationality/country, document numbers and yes/no fields.

Each function is ``str | None -> value | None`` and never raises; the code
tables live in ``data/`` (sex_codes, country_codes, ocr_confusions,
bool_words). Countries resolve through the ICAO-only table first, then
``countrynames`` (alpha-2, alpha-3, English and native names).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import countrynames

from pipeline.standardize._data import read_mapping

_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def _clean(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper() if text else ""


def standardize_sex(text: str | None) -> str | None:
    """ "M", "F", "X" or None (unknown)."""
    code = read_mapping("sex_codes.txt").get(_clean(text).rstrip("."))
    return code if code in ("M", "F", "X") else None


@lru_cache(maxsize=4096)
def standardize_country(text: str | None) -> str | None:
    """ISO 3166 alpha-3 (or ICAO code) of a country code or name; None if unknown."""
    cleaned = _clean(text)
    if not cleaned:
        return None
    icao = read_mapping("country_codes.txt").get(cleaned)
    if icao:
        return icao
    try:
        code = countrynames.to_code_3(cleaned)
    except (KeyError, ValueError):  # countrynames fails on some fragments, e.g. "TA"
        return None
    return str(code) if code else None


def is_known_country(text: str | None) -> bool:
    """True when :func:`standardize_country` resolves ``text``."""
    return standardize_country(text) is not None


def standardize_document(text: str | None) -> str | None:
    """Upper-case alphanumerics of a document number; None if nothing is left."""
    return _NON_ALNUM.sub("", _clean(text)) or None


@cache
def _ocr_table() -> dict[int, str]:
    return {ord(k): v for k, v in read_mapping("ocr_confusions.txt").items()}


def ocr_key(document: str | None) -> str | None:
    """OCR-confusion folded key of a standardized document number."""
    return document.translate(_ocr_table()) if document else None


def ocr_pairs() -> tuple[list[str], list[str]]:
    """The OCR table as (from, to) lists, for vectorized ``str.replace_many``."""
    table = read_mapping("ocr_confusions.txt")
    return list(table), list(table.values())


def standardize_bool(text: str | None) -> bool | None:
    """Yes/no words to bool; None when missing or unrecognized."""
    word = read_mapping("bool_words.txt").get(_clean(text))
    return None if word is None else word == "true"
