"""Value predicates the contracts share with ``pipeline.standardize``.

Dates are judged by the same parser that standardizes them, so the contract
never accepts a date of birth the matcher cannot use. Country codes come from
``pipeline.standardize.fields.is_known_country`` when that module provides
it, else from ISO 3166 (alpha-2 or alpha-3) plus the ICAO Doc 9303 codes in
``data/icao_country_codes.txt``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

import iso3166

from pipeline.standardize.dates import ParsedDate, parse_date

_DATA = Path(__file__).with_name("data")
#: Reference year for spotting explicit far-future years that the parser would refuse.
FAR_YEAR = 9999
PARSE_CACHE = 1 << 18


@cache
def _icao_codes() -> frozenset[str]:
    lines = (_DATA / "icao_country_codes.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.split("#")[0].strip() for line in lines if line.split("#")[0].strip())


def _iso_known(code: str) -> bool:
    text = code.strip().upper()
    return (
        text in iso3166.countries_by_alpha2
        or text in iso3166.countries_by_alpha3
        or text in _icao_codes()
    )


@cache
def _country_predicate() -> Callable[[str], bool]:
    try:
        module = importlib.import_module("pipeline.standardize.fields")
    except ImportError:
        return _iso_known
    found = getattr(module, "is_known_country", None)
    return found if callable(found) else _iso_known


def is_known_country(code: str) -> bool:
    """True for a country code the pipeline understands."""
    return bool(_country_predicate()(code))


@lru_cache(maxsize=PARSE_CACHE)
def _parse(text: str, reference_year: int) -> ParsedDate | None:
    """``parse_date`` memoized: chunks of a large file repeat the same dates."""
    return parse_date(text, reference_year=reference_year)


def is_readable_date(text: str, years_ahead: int = 0) -> bool:
    """True when our date parser reads ``text``, allowing years up to ``years_ahead`` ahead."""
    return _parse(text, date.today().year + years_ahead) is not None


def _bound(reading: str, limit: date) -> str:
    return limit.isoformat()[: len(reading)]


def _parse_ahead(text: str, latest: date) -> ParsedDate | None:
    """Parse allowing dates up to ``latest``; else accept a written four-digit future year."""
    for reference in (date.today().year, latest.year + 1):
        parsed = _parse(text, reference)
        if parsed is not None:
            return parsed
    far = _parse(text, FAR_YEAR)
    return far if far is not None and not far.century_inferred else None


def is_date_within(text: str, days_before: int | None, days_after: int) -> bool:
    """False when every reading of ``text`` is outside [today - before, today + after].

    Unreadable text passes: readability is a separate expectation. Partial
    readings (``1975-03``, ``1975``) are compared at their own precision.
    """
    today = date.today()
    latest = today + timedelta(days=days_after)
    parsed = _parse_ahead(text, latest)
    if parsed is None:
        return True
    earliest = today - timedelta(days=days_before) if days_before is not None else date.min
    return any(_bound(r, earliest) <= r <= _bound(r, latest) for r in parsed.readings)
