"""Parse dates of birth written in any of the formats seen on manifests and records.

Order of steps in :func:`parse_date`:

1. ``None`` or blank text gives ``None``.
2. Unicode NFKC; every decimal digit of any script (Persian, Arabic-Indic,
   Thai, Devanagari, ...) becomes its ASCII digit; CJK/Korean ``年月日``
   markers become separators.
3. A calendar marker (``data/calendar_markers.txt``: ``BE``, ``พ.ศ.``, ``SH``,
   ``AH``, ``民國`` ...) is removed and remembered; Persian digits imply Solar
   Hijri and Arabic-Indic digits imply lunar Hijri when the year is below 1500.
4. The first shape that fits is read: MRZ ``YYMMDD`` (with ``<`` fillers),
   compact ``YYYYMMDD``, year-first ``Y-M-D``, named month (``12 MAR 1975``,
   ``March 12, 1975``), numeric ``D/M/Y`` or ``M/D/Y``, ``M/Y`` or ``Y-M``, a
   bare year. Unknown parts (``00``, ``XX``, ``<<``) become ``None``.
5. Every (month, day) candidate is kept: slash- or dash-separated ``a/b/Y``
   with ``a`` and ``b`` both <= 12 and different gives two readings; dots fix
   the order to day first (European convention), as do named months and ISO.
6. A two-digit year is pivoted so that it is not after ``reference_year``.
7. Unmarked four-digit years above ``reference_year`` that fit the Thai
   Buddhist era (-543) are converted; unmarked years in 1279..1420 are read as
   Solar Hijri. Other calendars convert through ``convertdate``.
8. Impossible dates (31 February) are dropped; the result must fall in
   1900..``reference_year``, else ``None``.

Fields ``month``/``day`` are only set when every reading agrees, so an
ambiguous ``03/04/1975`` has ``month = day = None`` and two readings.
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from convertdate import islamic, persian

from pipeline.standardize._data import read_mapping, read_rows

MIN_YEAR = 1900
UNKNOWN_PART = re.compile(r"^(0+|X+|\?+|-+|<+|UN|UNK|NK)$")
_SEPARATORS = re.compile(r"[\s/\-.,_]+")
_CJK_SEPARATORS = str.maketrans({"年": "-", "月": "-", "日": " ", "년": "-", "월": "-", "일": " "})
_PERSIAN_DIGITS = range(0x06F0, 0x06FA)
_ARABIC_DIGITS = range(0x0660, 0x066A)
MonthDay = tuple[int | None, int | None]


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date; parts are ``None`` when unknown or ambiguous."""

    year: int | None
    month: int | None
    day: int | None
    readings: tuple[str, ...]
    placeholder: bool
    century_inferred: bool
    calendar: str


@dataclass(frozen=True)
class _Raw:
    """A date shape read from text, before calendar conversion and checks."""

    year: int
    candidates: tuple[MonthDay, ...]
    two_digit_year: bool = False
    placeholder: bool = False


@cache
def _markers() -> tuple[tuple[str, str], ...]:
    """Calendar markers, longest first so ``B.E.`` wins over ``BE``."""
    rows = [(row[0].upper(), row[1]) for row in read_rows("calendar_markers.txt")]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def _fold_digits(text: str) -> str:
    """Replace every Unicode decimal digit by its ASCII digit."""
    return "".join(str(unicodedata.digit(ch)) if ch.isdecimal() else ch for ch in text)


def _digit_calendar(text: str) -> str | None:
    """Calendar implied by the digit script, if any."""
    if any(ord(ch) in _PERSIAN_DIGITS for ch in text):
        return "solar_hijri"
    if any(ord(ch) in _ARABIC_DIGITS for ch in text):
        return "islamic"
    return None


@cache
def _marker_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled markers standing as their own word, in :func:`_markers` order."""
    return tuple(
        (re.compile(r"(?<![A-Z])" + re.escape(marker) + r"(?![A-Z])"), name)
        for marker, name in _markers()
    )


def _strip_marker(text: str) -> tuple[str, str | None]:
    """Remove a calendar marker standing as its own word; return text and calendar."""
    for pattern, name in _marker_patterns():
        if pattern.search(text):
            return pattern.sub(" ", text, count=1), name
    return text, None


def _part(text: str) -> int | None:
    """An integer date part, or ``None`` for an unknown-part marker."""
    return None if UNKNOWN_PART.match(text) else int(text)


def _is_num(text: str) -> bool:
    """A numeric part or a short unknown marker (``XXX``/``UNK`` stand for a month name)."""
    if text.isdigit():
        return True
    return bool(UNKNOWN_PART.match(text)) and not (text.isalpha() and len(text) >= 3)


def _month_number(text: str) -> int | None:
    month = read_mapping("months.txt").get(text)
    return int(month) if month else None


def _parse_mrz(text: str) -> _Raw | None:
    """``YYMMDD`` with optional ``<`` fillers for unknown month/day."""
    match = re.fullmatch(r"(\d\d)([\d<]{2})([\d<]{2})", text)
    if not match or ("<" not in text and not text.isdigit()):
        return None
    month, day = _part(match.group(2)), _part(match.group(3))
    placeholder = month is None or day is None or (month == 1 and day == 1)
    return _Raw(int(match.group(1)), ((month, day),), True, placeholder)


def _parse_compact(text: str) -> _Raw | None:
    """``YYYYMMDD`` (or ``DDMMYYYY`` when the first form is impossible)."""
    if not re.fullmatch(r"\d{8}", text):
        return None
    if 1200 <= int(text[:4]) <= 2700 and int(text[4:6]) <= 12:
        return _numeric_raw(text[:4], text[4:6], text[6:8])
    return _numeric_raw(text[4:], text[2:4], text[:2])


def _numeric_raw(year: str, month: str, day: str) -> _Raw:
    """A fixed-order numeric date."""
    m, d = _part(month), _part(day)
    placeholder = m is None or d is None or (m == 1 and d == 1)
    return _Raw(int(year), ((m, d),), len(year) <= 2, placeholder)


def _parse_parts(parts: list[str], ordered: bool, calendar: str | None) -> _Raw | None:
    """Dispatch a split date on the number and shape of its parts."""
    if not parts or len(parts) > 3:
        return None
    if any(not _is_num(p) for p in parts):
        return _parse_named(parts)
    if len(parts) == 1:
        return _parse_year(parts[0])
    if len(parts) == 2:
        return _parse_year_month(parts)
    return _parse_three(parts, ordered, calendar)


def _parse_year(text: str) -> _Raw | None:
    if not text.isdigit() or len(text) not in (2, 3, 4):
        return None
    return _Raw(int(text), ((None, None),), len(text) == 2)


def _parse_year_month(parts: list[str]) -> _Raw | None:
    first, second = parts
    if len(first) >= 3 and first.isdigit():
        year, month = first, second
    elif len(second) >= 3 and second.isdigit():
        year, month = second, first
    else:
        return None
    if len(month) > 2:
        return None
    m = _part(month)
    return _Raw(int(year), ((m, None),), False, m is None)


def _parse_three(parts: list[str], ordered: bool, calendar: str | None) -> _Raw | None:
    a, b, c = parts
    if (len(a) >= 3 or calendar == "minguo") and a.isdigit():
        return _numeric_raw(a, b, c)
    if len(a) > 2 or len(b) > 2 or not c.isdigit() or len(c) not in (2, 3, 4):
        return None
    raw = _numeric_raw(c, b, a)
    first, second = _part(a), _part(b)
    if ordered or first is None or second is None or first == second:
        return raw
    if first > 12 or second > 12:
        return _numeric_raw(c, b, a) if first > 12 else _numeric_raw(c, a, b)
    return _Raw(raw.year, ((second, first), (first, second)), raw.two_digit_year, raw.placeholder)


def _parse_named(parts: list[str]) -> _Raw | None:
    """Dates with a month name: ``12 MAR 1975``, ``March 12, 1975``, ``XX XXX 1975``."""
    words = [p for p in parts if not _is_num(p)]
    numbers = [p for p in parts if _is_num(p)]
    if len(words) != 1 or not 1 <= len(numbers) <= 2:
        return None
    month = _month_number(words[0])
    if month is None and not UNKNOWN_PART.match(words[0]):
        return None
    years = [n for n in numbers if len(n) >= 3 and n.isdigit()] or [numbers[-1]]
    if not years[0].isdigit():
        return None
    days = [n for n in numbers if n is not years[0]]
    if days and len(days[0]) > 2:
        return None
    day = _part(days[0]) if days and month is not None else None
    placeholder = month is None or (bool(days) and day is None) or (month == 1 and day == 1)
    return _Raw(int(years[0]), ((month, day),), len(years[0]) == 2, placeholder)


def _normalize(text: str) -> tuple[str, str | None]:
    """NFKC, ASCII digits, CJK separators; returns text and digit-implied calendar."""
    implied = _digit_calendar(text)
    folded = _fold_digits(unicodedata.normalize("NFKC", text)).translate(_CJK_SEPARATORS)
    return folded.upper().strip(), implied


def _read_shape(text: str, calendar: str | None) -> _Raw | None:
    """Read the first date shape that fits ``text``."""
    compact = text.replace(" ", "")
    raw = _parse_mrz(compact) or _parse_compact(compact)
    if raw is not None:
        return raw
    ordered = "." in text and "/" not in text and "-" not in text
    parts = [p for p in _SEPARATORS.split(text) if p]
    return _parse_parts(parts, ordered, calendar)


def _pivot(year: int, reference_year: int) -> int:
    """Century for a two-digit year so a date of birth is not in the future."""
    return 2000 + year if 2000 + year <= reference_year else 1900 + year


def _choose_calendar(year: int, marked: str | None, implied: str | None, ref: int) -> str:
    if marked:
        return marked
    if implied == "solar_hijri" or (implied == "islamic" and year < 1500):
        return implied
    if year > ref and MIN_YEAR <= year - 543 <= ref:
        return "buddhist"
    if 1279 <= year <= 1420:
        return "solar_hijri"
    return "gregorian"


def _to_gregorian(cal: str, year: int, month: int | None, day: int | None) -> tuple[int, ...]:
    """Convert one (year, month, day) to Gregorian; unknown parts stay unknown."""
    if cal == "buddhist":
        return (year - 543,)
    if cal == "minguo":
        return (year + 1911,)
    converters = {"solar_hijri": persian, "islamic": islamic}
    if cal not in converters:
        return (year,)
    if month is None or day is None:
        offset = 621 if cal == "solar_hijri" else 0
        return (year + offset if offset else round(year * 0.970229 + 621.5643),)
    return tuple(converters[cal].to_gregorian(year, month, day))


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return day is None
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= _calendar.monthrange(year, month)[1]


def _reading(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _resolve(raw: _Raw, cal: str, ref: int) -> list[tuple[int, int | None, int | None]]:
    """Gregorian (year, month, day) for every valid candidate of ``raw``."""
    year = _pivot(raw.year, ref) if raw.two_digit_year and cal == "gregorian" else raw.year
    out: list[tuple[int, int | None, int | None]] = []
    for month, day in raw.candidates:
        if not _valid(2000 if cal != "gregorian" else year, month, day):
            continue
        converted = _to_gregorian(cal, year, month, day)
        if len(converted) == 3:
            out.append((converted[0], converted[1], converted[2]))
        elif _valid(converted[0], month, day):
            out.append((converted[0], month, day))
    return [r for r in out if MIN_YEAR <= r[0] <= ref]


def _agreed(values: list[int | None]) -> int | None:
    return values[0] if len(set(values)) == 1 else None


def parse_date(text: str | None, *, reference_year: int | None = None) -> ParsedDate | None:
    """Parse a date of birth; ``None`` when empty, unreadable or implausible."""
    if text is None or not text.strip():
        return None
    ref = reference_year if reference_year is not None else date.today().year
    normalized, implied = _normalize(text)
    body, marked = _strip_marker(normalized)
    raw = _read_shape(body.strip(" ,"), marked)
    if raw is None:
        return None
    cal = (
        "gregorian"
        if raw.two_digit_year and not marked
        else _choose_calendar(raw.year, marked, implied, ref)
    )
    resolved = _resolve(raw, cal, ref)
    if not resolved:
        return None
    readings = tuple(dict.fromkeys(_reading(*r) for r in resolved))
    return ParsedDate(
        year=_agreed([r[0] for r in resolved]),
        month=_agreed([r[1] for r in resolved]),
        day=_agreed([r[2] for r in resolved]),
        readings=readings,
        placeholder=raw.placeholder,
        century_inferred=raw.two_digit_year and cal == "gregorian",
        calendar=cal,
    )


def is_readable_date(text: str | None) -> bool:
    """True when :func:`parse_date` can read ``text`` into a plausible date."""
    return parse_date(text) is not None
