"""Dates as days since 1970-01-01 (int32), rendered through per-format lookup tables.

Every format of DOMAIN.md is a key of :data:`FORMATS`; partial formats (year only,
year-month, placeholders) drop the parts they do not show. A table holds the string of
every day in :data:`FIRST_DAY`..:data:`LAST_DAY`, built once per format, so rendering a
column is one Arrow ``take``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa

IntArray = npt.NDArray[np.int64]

EPOCH = dt.date(1970, 1, 1)
FIRST_DAY = (dt.date(1900, 1, 1) - EPOCH).days
LAST_DAY = (dt.date(2030, 12, 31) - EPOCH).days
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")

FORMATS: dict[str, Callable[[dt.date], str]] = {
    "iso": lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
    "dmy_slash": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}",
    "mdy_slash": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year:04d}",
    "dmy_dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year:04d}",
    "ymd_compact": lambda d: f"{d.year:04d}{d.month:02d}{d.day:02d}",
    "mrz": lambda d: f"{d.year % 100:02d}{d.month:02d}{d.day:02d}",
    "d_mon_y": lambda d: f"{d.day:02d} {_MONTHS[d.month - 1]} {d.year:04d}",
    "d_mon_yy": lambda d: f"{d.day:02d}-{_MONTHS[d.month - 1].title()}-{d.year % 100:02d}",
    "month_d_y": lambda d: f"{d.strftime('%B')} {d.day}, {d.year:04d}",
    "year_month": lambda d: f"{d.year:04d}-{d.month:02d}",
    "year_only": lambda d: f"{d.year:04d}",
    "zero_dm": lambda d: f"00/00/{d.year:04d}",
    "x_dm": lambda d: f"XX XXX {d.year:04d}",
    "mrz_year": lambda d: f"{d.year % 100:02d}<<<<",
}
#: Formats that do not show the full date.
PARTIAL_FORMATS = frozenset({"year_month", "year_only", "zero_dm", "x_dm", "mrz_year"})


@cache
def format_table(name: str) -> tuple[str, ...]:
    """Rendered string of every day in range for format ``name``."""
    render = FORMATS[name]
    days = range(LAST_DAY - FIRST_DAY + 1)
    start = dt.date(1900, 1, 1)
    return tuple(render(start + dt.timedelta(days=i)) for i in days)


@cache
def _flat_table(names: tuple[str, ...]) -> pa.Array:
    return pa.array([v for name in names for v in format_table(name)], pa.string())


def render(days: IntArray, format_index: IntArray, names: tuple[str, ...]) -> pa.Array:
    """Render ``days`` with ``names[format_index[i]]`` row by row (one Arrow ``take``)."""
    width = LAST_DAY - FIRST_DAY + 1
    index = format_index.astype(np.int64) * width + np.clip(days, FIRST_DAY, LAST_DAY) - FIRST_DAY
    return _flat_table(names).take(pa.array(index))


@cache
def _ymd() -> tuple[IntArray, IntArray, IntArray]:
    days = np.arange(FIRST_DAY, LAST_DAY + 1).astype("datetime64[D]")
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    months = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day_of_month = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return years, months, day_of_month


def year_of(days: IntArray) -> IntArray:
    """Calendar year of each day."""
    return _ymd()[0][np.clip(days, FIRST_DAY, LAST_DAY) - FIRST_DAY]


def january_first(days: IntArray) -> IntArray:
    """The 1 January of each day's year (the 01/01 placeholder)."""
    years = year_of(days)
    return (years - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def swap_day_month(days: IntArray) -> IntArray:
    """Day and month exchanged where both are 12 or less; other days unchanged."""
    years, months, dom = (a[np.clip(days, FIRST_DAY, LAST_DAY) - FIRST_DAY] for a in _ymd())
    first = ((years - 1970) * 12 + dom - 1).astype("datetime64[M]").astype("datetime64[D]")
    swapped = first.astype(np.int64) + months - 1
    out: IntArray = np.where(dom <= 12, swapped, days)
    return out


def day_numbers(start: str, end: str) -> tuple[int, int]:
    """Inclusive day-number range of two ISO dates."""
    first = (dt.date.fromisoformat(start) - EPOCH).days
    last = (dt.date.fromisoformat(end) - EPOCH).days
    return first, last
