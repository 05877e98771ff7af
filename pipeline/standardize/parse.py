"""Split raw name fields into family-name and given-name tokens.

Order of steps:

1. Unicode NFKC; apostrophes and Wade-Giles aspiration marks are removed
   (O'Brien → OBrien, Ch'in → Chin), except a geresh after a Hebrew letter.
2. Structure: ``surname``/``given_names`` fields when either is present;
   else ``full_name`` as MRZ ``SURNAME<<GIVEN<NAMES``, ``SURNAME, Given``,
   or free order.
3. Tokens split on spaces, hyphens, dots, commas, slashes, ``<`` and the
   middle dots that separate name parts in Japanese and Chinese
   transcriptions of foreign names (``・`` ``·`` ``‧`` ``•``).
4. Free-order names (decided on space-separated words): an unspaced
   Han/Hangul name (2-4 characters) splits into family (first character,
   or a compound family name from ``data/compound_surnames.txt``) and
   given name; Han/Hangul names are family-first; a first word with a
   family-name ending (``data/surname_endings.txt``) and a last word
   without one means family-first; otherwise a token written in capitals among mixed-case
   tokens is the family name, else the last word.
5. Japanese (:mod:`.japanese`): a name with Han characters that is Japanese
   gets its katakana readings as tokens instead (佐々木裕美 → ササキ, ヒロミ);
   one that may be Chinese or Japanese keeps its Han tokens and gets the
   readings as extra given-name tokens. An unspaced kana word is cut where
   the dictionary knows a person name (ニコラテスラ → ニコラ, テスラ).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pipeline.standardize._data import read_words
from pipeline.standardize.japanese import has_han, is_kana, name_origin, read_name, split_katakana
from pipeline.standardize.scripts import token_script
from pipeline.standardize.translit import split_dense_name, to_latin

_APOSTROPHES = re.compile(r"['’ʼʻ`´‘]")
_SPLIT = re.compile(r"[\s\-‐‑–—.,;/<_()\"・·‧•]+")
_ENDINGS = "surname_endings.txt"
_FAMILY_FIRST_SCRIPTS = frozenset({"Han", "Hangul", "Hiragana", "Katakana"})
_NAME_DOTS = frozenset("・·‧•")


@dataclass(frozen=True)
class ParsedName:
    """Raw (not yet transliterated) tokens of a name."""

    family: tuple[str, ...]
    given: tuple[str, ...]


_HEBREW_GERESH = re.compile(r"(?<=[\u05d0-\u05ea])['’ʼ׳]")


def clean(text: str | None) -> str:
    """NFKC-normalized text without apostrophes; '' for None.

    An apostrophe after a Hebrew letter is the geresh (ג׳ = j, ז׳ = zh, צ׳ = ch in
    foreign names) and is kept as U+05F3 for transliteration.
    """
    if not text:
        return ""
    text = _HEBREW_GERESH.sub("\u05f3", unicodedata.normalize("NFKC", text))
    return _APOSTROPHES.sub("", text).strip()


def tokens(text: str) -> tuple[str, ...]:
    """Split cleaned text into raw tokens."""
    return tuple(t for t in _SPLIT.split(text) if t)


def _words_tokens(words: list[str]) -> tuple[str, ...]:
    return tuple(t for w in words for t in tokens(w))


def _capital_run(words: list[str]) -> tuple[int, int] | None:
    """Span of the single contiguous run of all-capital words among mixed-case ones."""
    caps = [i for i, w in enumerate(words) if sum(c.isalpha() for c in w) > 1 and w.isupper()]
    if not caps or len(caps) == len(words) or caps[-1] - caps[0] + 1 != len(caps):
        return None
    return caps[0], caps[-1] + 1


def _family_ending(word: str) -> bool:
    latin = to_latin(word)
    return any(latin.endswith(e) and len(latin) > len(e) + 2 for e in read_words(_ENDINGS))


def _with_japanese(default: ParsedName, words: list[str]) -> ParsedName:
    """A family-first name in Han characters read as Japanese (:mod:`.japanese`): the
    readings replace the Chinese ones when the name is Japanese and are added as extra
    given-name tokens when it may be either."""
    text = "".join(words)
    if not has_han(text) or _NAME_DOTS.intersection(text):
        return default
    origin = name_origin(text)
    reading = None if origin == "zh" else read_name(tuple(words))
    if reading is None:
        return default
    if origin == "ja":
        return ParsedName(*reading)
    return ParsedName(default.family, default.given + reading[0] + reading[1])


def _single_word(word: str) -> ParsedName:
    dense = split_dense_name(word)
    if dense:
        parsed = ParsedName((dense[0],), (dense[1],) if dense[1] else ())
    elif all(is_kana(ch) for ch in word):
        parts = split_katakana(word)
        parsed = ParsedName(parts[:1], parts[1:])
    else:
        parsed = ParsedName(tokens(word), ())
    return _with_japanese(parsed, [word])


def _free_order(body: str) -> ParsedName:
    words = body.split()
    if len(words) == 1:
        return _single_word(words[0])
    if not words:
        return ParsedName((), ())
    if token_script(words[0]) in _FAMILY_FIRST_SCRIPTS:
        parsed = ParsedName(tokens(words[0]), _words_tokens(words[1:]))
        return _with_japanese(parsed, words)
    if _family_ending(words[0]) and not _family_ending(words[-1]):
        return ParsedName(tokens(words[0]), _words_tokens(words[1:]))
    run = _capital_run(words)
    if run:
        family = words[run[0] : run[1]]
        return ParsedName(_words_tokens(family), _words_tokens(words[: run[0]] + words[run[1] :]))
    return ParsedName(tokens(words[-1]), _words_tokens(words[:-1]))


def parse_full_name(text: str | None) -> ParsedName:
    """Parse a full name in MRZ, ``SURNAME, Given`` or free order."""
    body = clean(text)
    if "<" in body:
        family, _, given = body.strip("<").partition("<<")
        return ParsedName(tokens(family), tokens(given))
    if "," in body:
        family, _, given = body.partition(",")
        return ParsedName(tokens(family), tokens(given))
    return _free_order(body)


def parse_name(surname: str | None, given: str | None, full: str | None) -> ParsedName:
    """Parse a name from its fields; structured fields win over ``full_name``."""
    family_tokens, given_tokens = tokens(clean(surname)), tokens(clean(given))
    if family_tokens or given_tokens:
        return _with_japanese(
            ParsedName(family_tokens, given_tokens), [*family_tokens, *given_tokens]
        )
    return parse_full_name(full)
