"""Table-driven date cases for every format in DOMAIN.md, ambiguous ones included."""

from __future__ import annotations

import pytest

from pipeline.standardize import is_readable_date, parse_date

REF = 2026
# (text, year, month, day, readings, placeholder, century_inferred, calendar)
CASES = [
    ("1975-03-12", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("1975/03/12", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12/03/1975", 1975, None, None, ("1975-03-12", "1975-12-03"), False, False, "gregorian"),
    ("03/12/1975", 1975, None, None, ("1975-12-03", "1975-03-12"), False, False, "gregorian"),
    ("25/12/1975", 1975, 12, 25, ("1975-12-25",), False, False, "gregorian"),
    ("12/25/1975", 1975, 12, 25, ("1975-12-25",), False, False, "gregorian"),
    ("03/03/1975", 1975, 3, 3, ("1975-03-03",), False, False, "gregorian"),
    ("03-04-1975", 1975, None, None, ("1975-04-03", "1975-03-04"), False, False, "gregorian"),
    ("12.03.1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("03.12.1975", 1975, 12, 3, ("1975-12-03",), False, False, "gregorian"),
    ("19750312", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12031975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("750312", 1975, 3, 12, ("1975-03-12",), False, True, "gregorian"),
    ("050312", 2005, 3, 12, ("2005-03-12",), False, True, "gregorian"),
    ("251231", 2025, 12, 31, ("2025-12-31",), False, True, "gregorian"),
    ("12 MAR 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12 mar 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12-Mar-75", 1975, 3, 12, ("1975-03-12",), False, True, "gregorian"),
    ("March 12, 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12 March 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("1975 MAR 12", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12 mars 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("12 marzo 1975", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("MAR 1975", 1975, 3, None, ("1975-03",), False, False, "gregorian"),
    ("1975", 1975, None, None, ("1975",), False, False, "gregorian"),
    ("00/00/1975", 1975, None, None, ("1975",), True, False, "gregorian"),
    ("00.00.1975", 1975, None, None, ("1975",), True, False, "gregorian"),
    ("00/03/1975", 1975, 3, None, ("1975-03",), True, False, "gregorian"),
    ("01/01/1975", 1975, 1, 1, ("1975-01-01",), True, False, "gregorian"),
    ("1975-01-01", 1975, 1, 1, ("1975-01-01",), True, False, "gregorian"),
    ("XX XXX 1975", 1975, None, None, ("1975",), True, False, "gregorian"),
    ("XX MAR 1975", 1975, 3, None, ("1975-03",), True, False, "gregorian"),
    ("X/X/1975", 1975, None, None, ("1975",), True, False, "gregorian"),
    ("75<<<<", 1975, None, None, ("1975",), True, True, "gregorian"),
    ("821006", 1982, 10, 6, ("1982-10-06",), False, True, "gregorian"),  # 00 inside, no placeholder
    ("750101", 1975, 1, 1, ("1975-01-01",), True, True, "gregorian"),
    ("750000", 1975, None, None, ("1975",), True, True, "gregorian"),
    ("7503<<", 1975, 3, None, ("1975-03",), True, True, "gregorian"),
    ("1975-03", 1975, 3, None, ("1975-03",), False, False, "gregorian"),
    ("03/1975", 1975, 3, None, ("1975-03",), False, False, "gregorian"),
    ("1975/03", 1975, 3, None, ("1975-03",), False, False, "gregorian"),
    ("2518", 1975, None, None, ("1975",), False, False, "buddhist"),
    ("2518 BE", 1975, None, None, ("1975",), False, False, "buddhist"),
    ("พ.ศ. 2518", 1975, None, None, ("1975",), False, False, "buddhist"),
    ("12/03/2518", 1975, None, None, ("1975-03-12", "1975-12-03"), False, False, "buddhist"),
    ("๑๒/๑๓/๒๕๑๘", 1975, 12, 13, ("1975-12-13",), False, False, "buddhist"),
    ("1354/12/21", 1976, 3, 11, ("1976-03-11",), False, False, "solar_hijri"),
    ("۱۳۵۴/۱۲/۲۱", 1976, 3, 11, ("1976-03-11",), False, False, "solar_hijri"),
    ("1354 SH", 1975, None, None, ("1975",), False, False, "solar_hijri"),
    ("1354/01/01 SH", 1975, 3, 21, ("1975-03-21",), True, False, "solar_hijri"),
    ("١٩٧٥-٠٣-١٢", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("1395/03/01 AH", 1975, 3, 14, ("1975-03-14",), False, False, "islamic"),
    ("民國64年3月12日", 1975, 3, 12, ("1975-03-12",), False, False, "minguo"),
    ("1975年3月12日", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("1975년 3월 12일", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("  1975-03-12  ", 1975, 3, 12, ("1975-03-12",), False, False, "gregorian"),
    ("29/02/1976", 1976, 2, 29, ("1976-02-29",), False, False, "gregorian"),
    ("25/12/05", 2005, 12, 25, ("2005-12-25",), False, True, "gregorian"),
    ("25/12/99", 1999, 12, 25, ("1999-12-25",), False, True, "gregorian"),
]

UNREADABLE = [
    None,
    "",
    "   ",
    "foo",
    "31/02/1975",
    "13/13/1975",
    "2030",
    "1850-01-01",
    "29/02/1975",
    "1975-13-01",
    "UNK UNK 1975",
    "12/03/1975/1",
]


@pytest.mark.parametrize(
    ("text", "year", "month", "day", "readings", "placeholder", "century", "calendar"), CASES
)
def test_parse_date(
    text: str,
    year: int,
    month: int | None,
    day: int | None,
    readings: tuple[str, ...],
    placeholder: bool,
    century: bool,
    calendar: str,
) -> None:
    parsed = parse_date(text, reference_year=REF)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day) == (year, month, day)
    assert parsed.readings == readings
    assert parsed.placeholder is placeholder
    assert parsed.century_inferred is century
    assert parsed.calendar == calendar


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable(text: str | None) -> None:
    assert parse_date(text, reference_year=REF) is None
    assert not is_readable_date(text)


def test_pivot_follows_reference_year() -> None:
    parsed = parse_date("200101", reference_year=2019)
    assert parsed is not None and parsed.year == 1920
