"""Hanyu Pinyin readings of Chinese name parts written in Wade-Giles.

A Latin token that splits completely into Wade-Giles or Pinyin syllables
(``data/wade_giles.txt``) gets the Pinyin spellings it can stand for:
KUEI → GUI, HSIANG → XIANG, CHANG → ZHANG or CHANG, KUEIHSIANG → GUIXIANG.
The readings become extra codes of the token, and readings of two adjacent
tokens joined become extra joined keys, so that Chang Kuei-hsiang meets
Zhang Guixiang. Tokens that are not made of Chinese syllables have none.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from pipeline.standardize._data import read_rows

_MAX_SYLLABLE = 6
_MAX_TOKEN = 18
_MAX_READINGS = 8
_VOWELS = frozenset("AEIOUV")


@cache
def _syllables() -> dict[str, tuple[str, ...]]:
    """Spelling (Wade-Giles or Pinyin, upper-case ASCII) -> Pinyin readings."""
    table: dict[str, set[str]] = {}
    for wade_giles, pinyin in read_rows("wade_giles.txt"):
        table.setdefault(wade_giles, set()).add(pinyin)
        table.setdefault(pinyin, set()).add(pinyin)
    return {spelling: tuple(sorted(readings)) for spelling, readings in table.items()}


@cache
def _shape() -> re.Pattern[str]:
    """Tokens made of syllables, non-initial syllables starting with a consonant (a fast
    regular-expression filter before the segmentation)."""
    spellings = sorted(_syllables(), key=len, reverse=True)
    consonantal = [x for x in spellings if x[0] not in _VOWELS]
    return re.compile(f"(?:{'|'.join(spellings)})(?:{'|'.join(consonantal)})*")


@lru_cache(maxsize=262144)
def pinyin_readings(token: str) -> tuple[str, ...]:
    """Every Pinyin spelling of an upper-case ASCII token made of Chinese syllables.

    Empty when the token does not split completely into syllables. The token itself is
    among the readings when it is already Pinyin. As in Pinyin spelling, only the first
    syllable of a token may start with a vowel (Xi'an is written with an apostrophe).
    """
    if not 2 <= len(token) <= _MAX_TOKEN or not token.isalpha():
        return ()
    if not _shape().fullmatch(token):
        return ()
    table = _syllables()
    # readings[i]: Pinyin spellings of token[:i] (at most _MAX_READINGS kept).
    readings: list[set[str]] = [set() for _ in range(len(token) + 1)]
    readings[0].add("")
    for end in range(1, len(token) + 1):
        for start in range(max(0, end - _MAX_SYLLABLE), end):
            if not readings[start] or (start and token[start] in _VOWELS):
                continue
            syllable = table.get(token[start:end])
            if syllable:
                readings[end].update(p + s for p in readings[start] for s in syllable)
        if len(readings[end]) > _MAX_READINGS:
            readings[end] = set(sorted(readings[end])[:_MAX_READINGS])
    return tuple(sorted(readings[-1]))
