"""Foreign names written in Hebrew, Arabic, Cyrillic and Hangul script: the extra
readings of a token (feature version 4) let the name meet its Latin spelling by key,
skeleton or Metaphone code, without the loose skeletons."""

from __future__ import annotations

import pytest

from pipeline.standardize import name_features
from pipeline.standardize.translit import (
    arabic_foreign_spellings,
    cyrillic_foreign_spellings,
    han_foreign_spellings,
    hangul_western_spellings,
    hebrew_foreign_spellings,
)


def _strict(codes: tuple[str, ...]) -> set[str]:
    return {c for c in codes if not c.startswith(("L:", "F:", "I:"))}


def strict_meet(mrz: str, native: str) -> bool:
    """Every token of the shorter name shares a strict code with the other name."""
    left = [_strict(c) for c in name_features(full_name=mrz).token_codes]
    right = [_strict(c) for c in name_features(full_name=native).token_codes]
    left_all, right_all = set().union(*left), set().union(*right)
    agreeing = min(sum(bool(t & right_all) for t in left), sum(bool(t & left_all) for t in right))
    return agreeing == min(len(left), len(right))


@pytest.mark.parametrize(
    ("hebrew", "spelling"),
    [
        ("מייקל", "MEIKL"),  # a doubled yod is ei/ai
        ("פרנק", "FRNK"),  # pe at the start may be f
        ("לורה", "LORA"),  # vav is o, a final he is a
        ("ג'ורג'", "JORJ"),  # gimel with a geresh is j
        ("וויליאם", "WELEAM"),  # a doubled vav is w
    ],
)
def test_hebrew_foreign_spellings(hebrew: str, spelling: str) -> None:
    assert spelling in hebrew_foreign_spellings(hebrew)


@pytest.mark.parametrize(
    ("arabic", "spelling"),
    [
        ("فيكتوريا", "VECTUREA"),  # fa may be v, kaf c, waw u, ya e
        ("بيتر", "PETR"),  # ba is p
        ("غوردون", "GORDON"),  # ghain is g
        ("الموريتاني", "MORITANI"),  # the article is dropped
    ],
)
def test_arabic_foreign_spellings(arabic: str, spelling: str) -> None:
    assert spelling in arabic_foreign_spellings(arabic)


@pytest.mark.parametrize(
    ("cyrillic", "spelling"),
    [
        ("Харрисон", "HARRISON"),  # kha at the start is h
        ("Гамильтон", "HAMILTON"),  # ge may be h
        ("Джордж", "GORG"),  # dzh may be g
        ("Цукерберг", "ZOUCERBERH"),  # tse may be z
        ("Дэвис", "DAWIS"),  # e may be a
    ],
)
def test_cyrillic_foreign_spellings(cyrillic: str, spelling: str) -> None:
    assert spelling in cyrillic_foreign_spellings(cyrillic)


def test_hangul_consonants_korean_lacks() -> None:
    assert "VIKTORIA" in hangul_western_spellings("BIKTORIA")  # ㅂ for v
    assert "FRANK" in hangul_western_spellings("PEURANGKEU")  # ㅍ for f
    assert "MARTAN" in hangul_western_spellings("MAREUTANG")  # final ㅇ for a nasal vowel


def test_foreign_readings_are_empty_for_other_scripts() -> None:
    assert hebrew_foreign_spellings("Smith") == ()
    assert arabic_foreign_spellings("Smith") == ()
    assert cyrillic_foreign_spellings("Smith") == ()


@pytest.mark.parametrize(
    ("mrz", "native"),
    [
        ("SINATRA<<FRANK", "פרנק סינטרה"),
        ("BECKHAM<<VICTORIA", "فيكتوريا بيكهام"),
        ("HARRISON<<GEORGE", "Джордж Харрисон"),
        ("HOFFMAN<<DUSTIN", "더스틴 호프먼"),
    ],
)
def test_foreign_names_meet_their_latin_spelling_strictly(mrz: str, native: str) -> None:
    assert strict_meet(mrz, native)


@pytest.mark.parametrize(
    ("mrz", "native"),
    [
        ("SINATRA<<FRANK", "ג'ון לנון"),
        ("BECKHAM<<VICTORIA", "محمد عبد الله"),
        ("HARRISON<<GEORGE", "Иван Петров"),
        ("HOFFMAN<<DUSTIN", "김민준"),
    ],
)
def test_different_names_stay_apart(mrz: str, native: str) -> None:
    assert not strict_meet(mrz, native)


def test_han_transcriptions_of_foreign_names() -> None:
    assert "TARUNDINUO" in han_foreign_spellings("塔伦蒂诺", "TALUNDINUO")  # L as R
    assert han_foreign_spellings("毛泽东", "MAOZEDONG")  # three characters: read too
    assert han_foreign_spellings("泽东", "ZEDONG") == ()  # Chinese given names: left alone
    assert han_foreign_spellings("Smith", "SMITH") == ()
