"""Spelling-variation keys for one upper-case ASCII name token.

Order of steps in :func:`fold_key` (repeated until stable, so it is
idempotent):

1. Whole-token variants (``data/romanization_tokens.txt``: LEE/YI/RHEE → I,
   PARK/PAK/BAK → PAK, CHEUNG → ZHANG, ...).
2. Surname endings (``data/surname_suffixes.txt``: -OVA → -OV,
   -SKAYA → -SKI, -INA → -IN, -IY/-IJ/-YI → -I), longest first, keeping a
   stem of at least three letters.
3. Ordered rewrite rules (``data/romanization_rules.txt``: HS → X, KH → H,
   ZH → J, TS → C, PH → F, W → V, Q → K, OU → U, IU/YU/JU → YU, Y → I ...).
4. Doubled letters collapse.

:func:`skeleton` drops vowels from a key (``data/skeleton.txt``);
:func:`loose_skeletons` gives the coarser consonant classes of a Latin token
(``data/loose_skeleton.txt``), with W and V read as vowels or as consonants
in tokens from an abjad; :func:`phonetic_codes` gives jellyfish Metaphone
and NYSIIS codes.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import jellyfish

from pipeline.standardize._data import read_mapping, read_rows

_DOUBLES = re.compile(r"(.)\1+")
_MIN_STEM = 3
_MAX_PASSES = 4


@cache
def _rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = read_rows("romanization_rules.txt")
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


@cache
def _suffixes() -> tuple[tuple[str, str], ...]:
    rows = [(row[0], row[1]) for row in read_rows("surname_suffixes.txt")]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


@cache
def _skeleton_table() -> dict[int, str]:
    rows = read_rows("skeleton.txt")
    return {ord(row[0]): (row[1] if len(row) > 1 else "") for row in rows}


def fold_suffix(token: str) -> str:
    """Fold one surname ending (female or romanization variant)."""
    for suffix, replacement in _suffixes():
        if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_STEM:
            return token[: -len(suffix)] + replacement
    return token


def _fold_once(token: str) -> str:
    token = read_mapping("romanization_tokens.txt").get(token, token)
    token = fold_suffix(token)
    for pattern, replacement in _rules():
        token = pattern.sub(replacement, token)
    return _DOUBLES.sub(r"\1", token)


@lru_cache(maxsize=262144)
def fold_key(token: str) -> str:
    """Romanization-variant key of an upper-case ASCII token (idempotent)."""
    if len(token) <= 1:
        return token
    for _ in range(_MAX_PASSES):
        folded = _fold_once(token)
        if folded == token:
            break
        token = folded
    return token


@lru_cache(maxsize=262144)
def skeleton(key: str) -> str:
    """Consonant skeleton of a key: vowels dropped, similar letters merged."""
    body = _DOUBLES.sub(r"\1", key.translate(_skeleton_table()))
    return body[:-1] if body.endswith("H") and len(body) > 2 else body


@cache
def _loose_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = read_rows("loose_skeleton.txt")
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


def _loose(token: str) -> str:
    for pattern, replacement in _loose_rules():
        token = pattern.sub(replacement, token)
    return _DOUBLES.sub(r"\1", token)


@lru_cache(maxsize=262144)
def latin_loose(latin: str) -> str:
    """The loose skeleton of a Latin-spelled token (W a vowel, V a labial), any length."""
    return _loose(latin.replace("W", "").replace("V", "B"))


@lru_cache(maxsize=262144)
def loose_skeletons(latin: str, abjad: bool) -> tuple[str, ...]:
    """Loose consonant skeletons of an upper-case ASCII token (at least two letters).

    In a Latin spelling W is a vowel (Walid / Ualid) and V a labial; in a token
    transliterated from Arabic, Persian or Hebrew script, W and V may each be a
    vowel letter or a consonant, so both readings are given.
    """
    if abjad:
        forms = [
            _loose(latin.replace("W", "").replace("V", "")),
            _loose(latin.replace("W", "B").replace("V", "B")),
        ]
    else:
        forms = [latin_loose(latin)]
    return tuple(dict.fromkeys(s for s in forms if len(s) >= 2))


@lru_cache(maxsize=262144)
def phonetic_codes(token: str) -> tuple[str, ...]:
    """Metaphone (``M:``) and NYSIIS (``N:``) codes of an ASCII token."""
    if len(token) < 2 or not token.isalpha():
        return ()
    return (f"M:{jellyfish.metaphone(token)}", f"N:{jellyfish.nysiis(token)}")
