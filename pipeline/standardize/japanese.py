"""Japanese names: readings of kanji, passport spellings of kana, splits of katakana.

Kanji are read with Sudachi (``sudachipy`` with the SudachiDict core dictionary,
both Apache-2.0), which knows Japanese family and given names with their
readings. Order of steps for a name in Han characters (with or without kana),
cached per distinct name:

1. :func:`name_origin`: kana, the iteration mark 々 or ヶ make the name
   Japanese; a character outside Shift_JIS (cp932: simplified Chinese forms
   such as 张, 刘, 陈) makes it Chinese; Sudachi reading the first part as a
   family name of two characters or more makes it Japanese; anything else may
   be either (王明 is Wang Ming and Ō Akira).
2. :func:`read_name`: Sudachi (split mode C) segments the name; its first
   part is the family name and the rest the given name (a name in several
   words is read word by word). Each part becomes a katakana token, its
   other dictionary readings as person name appended after ``・``
   (:data:`ALTERNATIVES`), at most :data:`_MAX_READINGS`: 尚子 → ナオコ・ヒサコ.
   The parser splits on ``・``, so a raw token holds it only in this role.

Kana tokens (:func:`kana_spellings`) are spelled as Japanese passports do:
Hepburn without long vowels (サトウ → SATO, オオノ → ONO); the spellings with
OU/OO/UU, with OH and with M before B/M/P (ホンマ → HOMMA) are extra codes.

:func:`split_katakana` splits an unspaced katakana name (ニコラテスラ) where
a prefix or suffix is a person name known to the dictionary.
"""

from __future__ import annotations

import itertools
import re
from functools import cache, lru_cache
from typing import Literal

import icu
from sudachipy import Dictionary, SplitMode, Tokenizer  # type: ignore[import-untyped]

ALTERNATIVES = "・"
Origin = Literal["ja", "zh", "either"]

_MAX_READINGS = 4
_MIN_SPLIT_PART = 2
_MIN_SPLIT_WORD = 5
_FAMILY_CHARS = 2  # most Japanese family names have two characters
_JAPANESE_MARKS = frozenset("々ヶヵ〆")
_LONG_VOWELS = re.compile(r"(OU|OO|UU)(?![AEIOU])")
_OH = re.compile(r"(OU|OO)(?![AEIOU])")
_N_LABIAL = re.compile(r"N(?=[BMP])")
_SMALL_VOWEL = re.compile(r"([bcdfghjklmnpqrstvz])[aeiou]~")


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


@cache
def _tokenizer() -> Tokenizer:
    return _dictionary().tokenizer(SplitMode.C)


@cache
def _kana_latin() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Hiragana-Katakana; Katakana-Latin; Latin-ASCII")


def is_kana(ch: str) -> bool:
    """Hiragana or katakana letter (the prolonged sound mark ー included)."""
    return "\u3041" <= ch <= "\u30ff" and ch != ALTERNATIVES


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _shift_jis(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


@lru_cache(maxsize=65536)
def name_origin(text: str) -> Origin:
    """Whether a name in Han characters (possibly with kana) is Japanese (see module doc)."""
    if any(is_kana(ch) or ch in _JAPANESE_MARKS for ch in text):
        return "ja"
    if not _shift_jis(text):
        return "zh"
    first = _tokenizer().tokenize(text)[0]
    pos = first.part_of_speech()
    if pos[2] == "人名" and pos[3] == "姓" and len(first.surface()) >= 2:
        return "ja"
    return "either"


def _japanese_text(text: str) -> bool:
    return any(_is_han(ch) or is_kana(ch) for ch in text)


def has_han(text: str) -> bool:
    """Whether the text holds a Han character."""
    return any(_is_han(ch) for ch in text)


def _katakana(reading: str) -> str | None:
    """Sudachi's reading if it is katakana only (unknown words come back as written)."""
    return reading if reading and all(is_kana(ch) for ch in reading) else None


def _readings(surface: str, first: str) -> list[str]:
    """The tokenizer's reading, then the other person-name readings of ``surface``."""
    out = [first]
    for entry in _dictionary().lookup(surface):
        reading = _katakana(entry.reading_form())
        if reading and entry.part_of_speech()[2] == "人名":
            out.append(reading)
    return list(dict.fromkeys(out))[:_MAX_READINGS]


def _read_part(text: str) -> str | None:
    """Katakana readings of one name part, ``・``-joined; None if a piece is unknown."""
    pieces: list[list[str]] = []
    for morpheme in _tokenizer().tokenize(text):
        reading = _katakana(morpheme.reading_form())
        if reading is None:
            return None
        pieces.append(_readings(morpheme.surface(), reading))
    combos = ["".join(c) for c in itertools.islice(itertools.product(*pieces), _MAX_READINGS)]
    return ALTERNATIVES.join(dict.fromkeys(combos)) or None


def _split_unspaced(word: str) -> tuple[str, str]:
    """Family and given part of an unspaced name: Sudachi's first morpheme, or when it
    reads the whole name as one word, two characters (one for a name of two)."""
    morphemes = _tokenizer().tokenize(word)
    if len(morphemes) >= 2:
        return word[: len(morphemes[0].surface())], word[len(morphemes[0].surface()) :]
    cut = _FAMILY_CHARS if len(word) > _FAMILY_CHARS + 1 else 1
    return word[:cut], word[cut:]


@lru_cache(maxsize=65536)
def read_name(words: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Japanese readings (katakana tokens, see module doc) of a family-first name given
    as its space-separated words (words without kanji or kana are kept as they are);
    None when a part cannot be read."""
    if len(words) == 1:
        family, given = _split_unspaced(words[0])
        parts = [family, given] if given else [family]
    else:
        parts = list(words)
    readings = [_read_part(p) if _japanese_text(p) else p for p in parts]
    if any(r is None for r in readings):
        return None
    tokens = [r for r in readings if r]
    return (tuple(tokens[:1]), tuple(tokens[1:]))


def _is_person_name(text: str) -> bool:
    return any(e.part_of_speech()[2] == "人名" for e in _dictionary().lookup(text))


def _is_word(text: str) -> bool:
    return len(_dictionary().lookup(text)) > 0


_SYLLABLE_ENDS = frozenset("ーッャュョァィゥェォヮ")


def _cut_score(head: str, tail: str) -> int:
    """How good a cut is: both parts person names, else the longer known name; a part
    that is a dictionary word of another kind counts one more (ジャック|レモン over
    ジャッ|クレモン). 0: no part is a person name, or a part would start with a mark that
    ends a syllable (ー ッ small kana) or end with ッ."""
    if tail[0] in _SYLLABLE_ENDS or head[-1] == "ッ":
        return 0
    known_head, known_tail = _is_person_name(head), _is_person_name(tail)
    if not (known_head or known_tail):
        return 0
    both = 2 * (len(head) + len(tail)) if known_head and known_tail else 0
    longer = max(len(head) * known_head, len(tail) * known_tail)
    words = (not known_head and _is_word(head)) + (not known_tail and _is_word(tail))
    return both + longer + words


@lru_cache(maxsize=65536)
def split_katakana(word: str, *, strict: bool = False) -> tuple[str, ...]:
    """An unspaced katakana name cut where a part is a known person name (アダム|サンドラー).

    The best cut by :func:`_cut_score` wins; parts have two characters or more. A word
    without such a cut comes back whole. A part that is not itself a person name is
    split again (``strict``: only after a person name, as a given name comes first in a
    foreign name), so three names can come apart.
    """
    if len(word) < _MIN_SPLIT_WORD or not all(is_kana(ch) for ch in word):
        return (word,)
    cuts = range(_MIN_SPLIT_PART, len(word) - _MIN_SPLIT_PART + 1)
    score, cut = max(((_cut_score(word[:c], word[c:]), c) for c in cuts), key=lambda x: x[0])
    if score == 0 or (strict and (not _is_person_name(word[:cut]) or len(word) - cut <= 2)):
        return (word,)
    parts = (word[:cut], word[cut:])
    return tuple(p for part in parts for p in _split_unknown(part))


def _split_unknown(part: str) -> tuple[str, ...]:
    return (part,) if _is_person_name(part) else split_katakana(part, strict=True)


def _icu_spelling(kana: str) -> str:
    latin = _SMALL_VOWEL.sub(r"\1", str(_kana_latin().transliterate(kana)))
    latin = latin.replace("u~", "w").replace("~", "").replace("dji", "ji").replace("dzu", "zu")
    return re.sub(r"[^A-Z]", "", latin.upper())


@lru_cache(maxsize=262144)
def kana_spellings(token: str) -> tuple[str, ...]:
    """Latin spellings of a kana token (its ``・`` alternatives too), passport form first.

    Passport Hepburn drops long vowels (SATOU → SATO); the other spellings keep them
    (SATOU), write them OH (SATOH) or write N before B/M/P as M (HONMA → HOMMA).
    """
    out: list[str] = []
    for reading in token.split(ALTERNATIVES):
        full = _icu_spelling(reading)
        if not full:
            continue
        passport = _LONG_VOWELS.sub(lambda m: m.group(0)[0], full)
        out += [passport, full, _OH.sub("OH", full), _N_LABIAL.sub("M", passport)]
    return tuple(dict.fromkeys(out))
