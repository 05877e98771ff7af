"""Transliteration of one token into upper-case ASCII Latin.

Steps for a token (cached per distinct token):

1. Detect its script (:mod:`pipeline.standardize.scripts`).
2. Hiragana/Katakana: :func:`.japanese.kana_spellings` (passport Hepburn).
   Han: pypinyin ``lazy_pinyin`` (Mandarin readings, no tones), syllables
   joined. Hangul family names: ``data/korean_surnames.txt`` (customary
   passport spelling) when the whole token is a listed surname; other
   Hangul: Revised Romanization syllable by syllable
   (``data/hangul_rr.txt``: rieul r before a vowel, l at a syllable end).
   Arabic script: a leading article ``ال`` is dropped first. Hebrew:
   ``data/hebrew_latin.txt`` letter by letter (the Academy of the Hebrew
   Language rules, with b/v, k/kh, p/f chosen by position since unpointed
   text does not mark them); ICU's Hebrew transforms spell shin and tsadi
   as s and z (or leave shin untransliterated).
3. Every other script: the ICU transform named in
   ``data/transliteration.txt`` (BGN/PCGN where ICU has it), falling back
   to ``Any-Latin``.
4. ``Latin-ASCII`` folds diacritics; German umlauts are spelled AE/OE/UE
   before folding only when written as such, so MRZ and visual forms meet
   in the key stage, not here.
5. Upper-case and keep ``A-Z0-9`` only.

Kana: passport Hepburn without long vowels (:func:`.japanese.kana_spellings`;
a token may carry alternative readings after ``・``, the first is spelled).
Kanji of Japanese names reach this module already read as kana by the parser
(:mod:`.japanese`); kanji left here are read as Mandarin.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import icu
from pypinyin import lazy_pinyin

from pipeline.standardize._data import read_mapping, read_rows, read_words
from pipeline.standardize.japanese import kana_spellings
from pipeline.standardize.scripts import token_script

_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_ARABIC_ARTICLE = "ال"
_DIGRAPH_CHARS = frozenset("šŠčČžŽśŚṣṢĉŝ")
_INDIC = frozenset({"Devanagari", "Bengali", "Gujarati", "Gurmukhi", "Kannada", "Telugu", "Tamil"})


@cache
def _transform(transform_id: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(transform_id)


@cache
def _ascii_fold() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def _icu_latin(token: str, script: str) -> str:
    transform_id = read_mapping("transliteration.txt").get(script.upper(), "Any-Latin")
    try:
        latin = _transform(transform_id).transliterate(token)
    except icu.ICUError:  # pragma: no cover - IDs are checked in tests
        latin = token
    return str(_ascii_fold().transliterate(_digraphs(latin)))


def _digraphs(text: str) -> str:
    table = read_mapping("latin_digraphs.txt")
    return "".join(table.get(ch.upper(), ch) if ch in _DIGRAPH_CHARS else ch for ch in text)


def _drop_final_schwa(raw: str, latin: str) -> str:
    """Indic transforms spell the inherent vowel of a final consonant: राहुल → rahula."""
    last = unicodedata.category(raw[-1]) if raw else ""
    return latin[:-1] if last == "Lo" and latin.endswith("a") and len(latin) > 2 else latin


def _han_latin(token: str) -> str:
    return "".join(lazy_pinyin(token, errors="ignore"))


_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


@cache
def _hangul_tables() -> dict[str, tuple[str, ...]]:
    return {
        row[0]: tuple("" if x == "-" else x for x in row[1].split())
        for row in read_rows("hangul_rr.txt")
    }


def _revised_romanization(token: str) -> str:
    """Hangul syllables in Revised Romanization; other characters are kept."""
    tables = _hangul_tables()
    initials, vowels, finals = tables["initial"], tables["vowel"], tables["final"]
    out: list[str] = []
    previous_final = ""
    for char in token:
        code = ord(char)
        if not _HANGUL_FIRST <= code <= _HANGUL_LAST:
            out.append(char)
            previous_final = ""
            continue
        offset = code - _HANGUL_FIRST
        initial = initials[offset // 588]
        if initial == "r" and previous_final == "l":
            initial = "l"
        previous_final = finals[offset % 28]
        out.append(initial + vowels[(offset % 588) // 28] + previous_final)
    return "".join(out)


def _hangul_latin(token: str) -> str:
    surname = read_mapping("korean_surnames.txt").get(token)
    return surname if surname else _revised_romanization(token)


@cache
def _hangul_western_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = read_rows("hangul_western.txt")
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


@lru_cache(maxsize=65536)
def hangul_western_spellings(latin: str) -> tuple[str, ...]:
    """Latin spellings of a romanized Hangul token read as a transcribed Western name
    (``data/hangul_western.txt``): epenthetic EU dropped, EO as ER, SY as SH; a second
    spelling with a first R as L (루이 RUI for Louis); a third with the consonants Korean
    lacks read back (``data/hangul_foreign_consonants.txt``: P as F, B as V, J as Z, a
    final NG as N). Empty when nothing changes."""
    western = latin
    for pattern, replacement in _hangul_western_rules():
        western = pattern.sub(replacement, western)
    out = [western, "L" + western[1:] if western.startswith("R") else western]
    foreign = western
    for pattern, replacement in _hangul_foreign_rules():
        foreign = pattern.sub(replacement, foreign)
    out.append(foreign)
    return tuple(s for s in dict.fromkeys(out) if s and s != latin)


@cache
def _hangul_foreign_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = read_rows("hangul_foreign_consonants.txt")
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


def ascii_upper(text: str) -> str:
    """Upper-case ``A-Z0-9`` only (non-letters dropped)."""
    return _NON_ALNUM.sub("", text.upper())


@lru_cache(maxsize=262144)
def to_latin(token: str) -> str:
    """Upper-case ASCII transliteration of one token (may be empty)."""
    script = token_script(token)
    if script is None:
        return ascii_upper(token)
    if script == "Han":
        return ascii_upper(_han_latin(token))
    if script == "Hangul":
        return ascii_upper(_hangul_latin(token))
    if script == "Hebrew":
        return ascii_upper(_hebrew_latin(token))
    if script in ("Hiragana", "Katakana"):
        spellings = kana_spellings(token)
        return spellings[0] if spellings else ""
    if script in ("Arabic", "Persian") and token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
        token = token[len(_ARABIC_ARTICLE) :]
    if script in _INDIC:
        return ascii_upper(_icu_latin_indic(token, script))
    return ascii_upper(_icu_latin(token, script))


def _icu_latin_indic(token: str, script: str) -> str:
    transform_id = read_mapping("transliteration.txt").get(script.upper(), "Any-Latin")
    latin = str(_transform(transform_id).transliterate(token))
    return str(_ascii_fold().transliterate(_digraphs(_drop_final_schwa(token, latin))))


@cache
def _hebrew_table() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Two-letter and one-letter rows of ``data/hebrew_latin.txt``."""
    rows = read_rows("hebrew_latin.txt")
    pairs = {r[0]: (r[1], r[2]) for r in rows if len(r[0]) == 2}
    singles = {r[0]: (r[1], r[2]) for r in rows if len(r[0]) == 1}
    return pairs, singles


def _hebrew_latin(token: str) -> str:
    """Unpointed Hebrew, letter by letter; other characters (points, geresh) dropped."""
    pairs, singles = _hebrew_table()
    out: list[str] = []
    i = 0
    while i < len(token):
        row = pairs.get(token[i : i + 2])
        step = 2
        if row is None:
            row, step = singles.get(token[i]), 1
        if row is not None:
            out.append(row[0] if not out else row[1])
        i += step
    return "".join(out)


@cache
def _foreign_table(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """``data/<name>``: letter(s) -> readings (at word start, elsewhere, at word end),
    each a tuple of the readings in the first and second foreign spelling."""

    def cell(text: str) -> tuple[str, ...]:
        return tuple("" if x == "-" else x.upper() for x in text.split("/"))

    return {r[0]: (cell(r[1]), cell(r[2]), cell(r[3])) for r in read_rows(name)}


_GERESH = "׳"


def _foreign_spellings(
    letters: str, table: dict[str, tuple[tuple[str, ...], ...]]
) -> tuple[str, ...]:
    """Two spellings of a letter sequence, each taking one reading of every letter
    (the longest listed letter group first); letters not in the table are skipped."""
    units: list[str] = []
    i = 0
    while i < len(letters):
        step = 2 if letters[i : i + 2] in table else 1
        if letters[i : i + step] in table:
            units.append(letters[i : i + step])
        i += step
    if not units:
        return ()
    spellings = []
    for variant in (0, 1):
        out = []
        for index, unit in enumerate(units):
            position = 0 if index == 0 else 2 if index == len(units) - 1 else 1
            readings = table[unit][position]
            out.append(readings[min(variant, len(readings) - 1)])
        spellings.append("".join(out))
    return tuple(dict.fromkeys(s for s in spellings if s))


@lru_cache(maxsize=65536)
def hebrew_foreign_spellings(token: str) -> tuple[str, ...]:
    """Latin spellings of an unpointed Hebrew token read as a transcribed foreign name
    (``data/hebrew_foreign.txt``: matres lectionis as vowels, final he as a or e, no
    begadkefat, geresh letters as j, zh, ch, th). Empty when nothing is Hebrew."""
    table = _foreign_table("hebrew_foreign.txt")
    text = token.replace("'", _GERESH)
    letters = "".join(ch for ch in text if ch in table or ch == _GERESH).lstrip(_GERESH)
    return _foreign_spellings(letters, table)


@lru_cache(maxsize=65536)
def arabic_foreign_spellings(token: str) -> tuple[str, ...]:
    """Latin spellings of an Arabic-script token read as a transcribed foreign name
    (``data/arabic_foreign.txt``: long-vowel letters as vowels, ba as b or p, fa as f or
    v, jim and ghain as g). A leading article ``ال`` is dropped. Empty when nothing is
    Arabic."""
    table = _foreign_table("arabic_foreign.txt")
    if token.startswith(_ARABIC_ARTICLE) and len(token) > 3:
        token = token[len(_ARABIC_ARTICLE) :]
    return _foreign_spellings("".join(ch for ch in token if ch in table), table)


@lru_cache(maxsize=65536)
def cyrillic_foreign_spellings(token: str) -> tuple[str, ...]:
    """Latin spellings of a Cyrillic token read as a transcribed foreign name
    (``data/cyrillic_foreign.txt``: г as g or h, дж as j or g, ц as z, ч as ch or c, х as
    ch or h, э as e). Empty when nothing is Cyrillic."""
    table = _foreign_table("cyrillic_foreign.txt")
    return _foreign_spellings("".join(ch for ch in token.lower() if ch in table), table)


@cache
def _han_foreign_rules() -> tuple[tuple[tuple[re.Pattern[str], str], ...], ...]:
    rows = read_rows("han_foreign.txt")
    return tuple(
        tuple((re.compile(r[1]), r[2] if len(r) > 2 else "") for r in rows if r[0] == spelling)
        for spelling in ("1", "2")
    )


_MIN_HAN_FOREIGN = 3


@lru_cache(maxsize=65536)
def han_foreign_spellings(raw: str, latin: str) -> tuple[str, ...]:
    """Latin spellings of the Pinyin of a Han token of three or more characters read as
    a Mandarin transcription of a foreign name (``data/han_foreign.txt``: ER as R or L,
    a final NG as N, L as R, X as S or SH, ZH as Z or J, Q as CH or K). Empty for shorter
    tokens (Chinese names) and when nothing changes."""
    if len(raw) < _MIN_HAN_FOREIGN or token_script(raw) != "Han":
        return ()
    out = []
    for rules in _han_foreign_rules():
        spelling = latin
        for pattern, replacement in rules:
            spelling = pattern.sub(replacement, spelling)
        out.append(spelling)
    return tuple(s for s in dict.fromkeys(out) if s and s != latin)


@cache
def compound_surnames() -> frozenset[str]:
    """Two-character Han/Hangul family names (``data/compound_surnames.txt``)."""
    return read_words("compound_surnames.txt")


def split_dense_name(token: str) -> tuple[str, str] | None:
    """Split an unspaced Han/Hangul name (2-4 chars) into (family, given)."""
    if not 2 <= len(token) <= 4 or token_script(token) not in ("Han", "Hangul"):
        return None
    cut = 2 if token[:2] in compound_surnames() and len(token) > 2 else 1
    return token[:cut], token[cut:]
