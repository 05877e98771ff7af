"""Name features: tokens, romanization keys, skeletons, phonetic codes, KB ids.

Order of steps in :func:`name_features`:

1. Parse into family and given raw tokens (:mod:`.parse`).
2. Transliterate each token to upper-case ASCII (:mod:`.translit`).
3. Drop titles (``data/titles.txt``) and, while two or more tokens remain,
   particles (``data/particles.txt``).
4. Per token: romanization key (:func:`.keys.fold_key`), consonant skeleton,
   Metaphone/NYSIIS codes, knowledge-base cluster ids (:mod:`.kb`); the same,
   grouped per token, in ``name_token_codes``, with the loose skeletons
   (``L:``, :func:`.keys.loose_skeletons`), the keys of the Pinyin readings of
   Wade-Giles syllables (:mod:`.chinese`) and the first letter (``F:<letter>``,
   so that an initial on the other side can meet the token). An initial is
   the single code ``I:<letter>``. A kana token adds the codes of its other
   spellings and readings (:func:`.japanese.kana_spellings`: SATOU, SATOH,
   HOMMA), a Hangul token those of its reading as a transcribed Western name
   (:func:`.translit.hangul_western_spellings`), and a Hebrew, Arabic-script,
   Cyrillic or long (3+ characters) Han token those of its readings as a
   transcribed foreign name (``translit.*_foreign_spellings``: matres lectionis
   as vowels, ف as v, г as h, 尔 ER as R ...), so that foreign names written in
   those scripts can agree by key, skeleton or Metaphone, not only by the loose
   skeleton.
5. Joined keys (``name_joined``, apart from the per-token ``name_keys``): the
   concatenation of every two adjacent tokens (so Xiao-Ming, Xiao Ming and
   Xiaoming meet) and of a particle with the token after it (Van Damme →
   VANDAMME), the Pinyin readings of two adjacent Chinese syllables joined
   (Kuei-hsiang → GUIXIANG), and the loose skeleton of two adjacent tokens
   joined in either order (``L:``; Nikola Tesla meets the unspaced katakana
   ニコラテスラ).

Token sets are unordered; ``name_sorted`` joins the sorted token keys.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.standardize._data import read_words
from pipeline.standardize.chinese import pinyin_readings
from pipeline.standardize.japanese import kana_spellings
from pipeline.standardize.kb import kb_ids
from pipeline.standardize.keys import (
    fold_key,
    latin_loose,
    loose_skeletons,
    phonetic_codes,
    skeleton,
)
from pipeline.standardize.parse import ParsedName, parse_full_name, parse_name
from pipeline.standardize.scripts import base_script, dominant_script, token_script
from pipeline.standardize.translit import (
    arabic_foreign_spellings,
    cyrillic_foreign_spellings,
    han_foreign_spellings,
    hangul_western_spellings,
    hebrew_foreign_spellings,
    to_latin,
)

_MIN_SKELETON = 2
_MIN_JOINED_LOOSE = 4
_MIN_METAPHONE = 2  # a one-letter Metaphone code (BUI, BAO -> B) says nothing
_ABJADS = frozenset({"Arabic", "Persian", "Hebrew"})
_SYLLABIC = frozenset({"Han", "Hangul", "Hiragana", "Katakana", None})
_KANA = frozenset({"Hiragana", "Katakana"})


@dataclass(frozen=True)
class NameFeatures:
    """Comparable features of one name (see ``pipeline.schema.FEATURE_COLUMNS``)."""

    script: str | None
    tokens: tuple[str, ...]
    keys: tuple[str, ...]
    joined: tuple[str, ...]
    token_codes: tuple[tuple[str, ...], ...]
    skeletons: tuple[str, ...]
    phonetic: tuple[str, ...]
    kb: tuple[str, ...]
    sorted_keys: str | None
    surname_key: str | None
    given_key: str | None
    display: str | None


@dataclass(frozen=True)
class _Token:
    raw: str
    latin: str
    family: bool


@cache
def _titles() -> frozenset[str]:
    return read_words("titles.txt")


@cache
def _particles() -> frozenset[str]:
    return read_words("particles.txt")


def _latin(raw: str) -> str:
    """Transliteration; an initial stays one letter (Е. → Y, not YE)."""
    latin = to_latin(raw)
    alphabetic = token_script(raw) not in _SYLLABIC
    return latin[:1] if len(raw) == 1 and alphabetic and not raw.isascii() else latin


def _latin_tokens(parsed: ParsedName) -> list[_Token]:
    out = [_Token(raw, _latin(raw), True) for raw in parsed.family]
    out += [_Token(raw, _latin(raw), False) for raw in parsed.given]
    return [t for t in out if t.latin and t.latin not in _titles()]


def _drop_particles(tokens: list[_Token]) -> list[_Token]:
    kept = [t for t in tokens if t.latin not in _particles() and t.raw not in _particles()]
    return kept if len(kept) >= 2 else tokens


def _joined(tokens: list[_Token]) -> list[str]:
    """Concatenations of adjacent tokens (before particle removal)."""
    return [a.latin + b.latin for a, b in itertools.pairwise(tokens)]


@lru_cache(maxsize=262144)
def joined_loose(a: str, b: str) -> tuple[str, ...]:
    """Loose skeletons (``L:``) of two adjacent tokens joined, in both orders: the two
    tokens' loose skeletons (:func:`.keys.latin_loose`) concatenated, a letter doubled
    at the seam written once.

    Only skeletons of at least ``_MIN_JOINED_LOOSE`` letters: shorter ones would join
    two syllables into the skeleton of an unrelated single name.
    """
    first, second = latin_loose(a), latin_loose(b)
    out = []
    for x, y in ((first, second), (second, first)):
        bones = x + y[1:] if x and y and x[-1] == y[0] else x + y
        if len(bones) >= _MIN_JOINED_LOOSE:
            out.append(f"L:{bones}")
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=262144)
def pinyin_joins(a: str, b: str) -> tuple[str, ...]:
    """Keys of the Pinyin readings of two adjacent Chinese-syllable tokens joined."""
    first, second = pinyin_readings(a), pinyin_readings(b)
    if first == (a,) and second == (b,):
        return ()  # Pinyin already: the plain joined key is the reading
    return tuple(fold_key(x + y) for x in first for y in second)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _display(tokens: list[_Token]) -> str | None:
    given = [t.latin.title() for t in tokens if not t.family]
    family = [t.latin.title() for t in tokens if t.family]
    return " ".join(given + family) or None


def _first_key(tokens: list[_Token], family: bool) -> str | None:
    return next((fold_key(t.latin) for t in tokens if t.family is family), None)


def _token_codes(token: _Token) -> tuple[str, ...]:
    """Every code under which one token can meet a spelling of itself on the other side.

    The romanization key, the consonant skeleton (``S:``), the Metaphone code and the
    knowledge-base clusters; a token "agrees" with another name when any code is shared.
    """
    key = fold_key(token.latin)
    if len(key) <= 1:
        return (f"I:{key}",)
    codes = [key]
    codes += [fold_key(r) for r in pinyin_readings(token.latin)]
    if len(bones := skeleton(fold_key(token.latin.replace("W", "U")))) >= _MIN_SKELETON:
        codes.append(f"S:{bones}")
    abjad = token_script(token.raw) in _ABJADS
    codes += [f"L:{bones}" for bones in loose_skeletons(token.latin, abjad)]
    codes += [
        c for c in phonetic_codes(token.latin) if c.startswith("M:") and len(c) > 1 + _MIN_METAPHONE
    ]
    codes += kb_ids(token.raw, token.latin)
    codes += [f"F:{token.latin[0]}", f"F:{key[0]}"]
    script = token_script(token.raw)
    if script in _KANA:
        codes += _spelling_codes(kana_spellings(token.raw)[1:])
    elif script == "Hangul":
        codes += _spelling_codes(hangul_western_spellings(token.latin))
    elif script == "Hebrew":
        codes += _spelling_codes(hebrew_foreign_spellings(token.raw))
    elif script in ("Arabic", "Persian"):
        codes += _spelling_codes(arabic_foreign_spellings(token.raw))
    elif script == "Han":
        codes += _spelling_codes(han_foreign_spellings(token.raw, token.latin))
    elif script in ("Cyrillic", "Ukrainian"):
        codes += _spelling_codes(cyrillic_foreign_spellings(token.raw))
    return _unique(codes)


def _spelling_codes(spellings: tuple[str, ...]) -> list[str]:
    """Key, skeletons and Metaphone code of other spellings of a token (kana readings,
    Hangul read as a Western name)."""
    codes: list[str] = []
    for latin in spellings:
        key = fold_key(latin)
        codes.append(key)
        if len(bones := skeleton(key)) >= _MIN_SKELETON:
            codes.append(f"S:{bones}")
        codes += [f"L:{bones}" for bones in loose_skeletons(latin, False)]
        codes += [
            c for c in phonetic_codes(latin) if c.startswith("M:") and len(c) > 1 + _MIN_METAPHONE
        ]
    return codes


def features_from_parsed(parsed: ParsedName) -> NameFeatures:
    """Build features from parsed raw tokens."""
    raw_script = dominant_script(list(parsed.family + parsed.given))
    all_tokens = _latin_tokens(parsed)
    tokens = _drop_particles(all_tokens)
    token_keys = [fold_key(t.latin) for t in tokens]
    joined = _joined(all_tokens)
    keys = _unique(token_keys)
    joined_keys = _unique(
        [k for j in joined if (k := fold_key(j)) not in keys]
        + [
            k
            for a, b in itertools.pairwise(all_tokens)
            for k in pinyin_joins(a.latin, b.latin)
            if k not in keys
        ]
        + [c for a, b in itertools.pairwise(all_tokens) for c in joined_loose(a.latin, b.latin)]
    )
    # W is a vowel letter in Arabic/Hebrew romanizations (و ו): skeletons read it as U.
    skeleton_sources = [fold_key(x.replace("W", "U")) for x in [t.latin for t in tokens] + joined]
    token_codes = tuple(_token_codes(t) for t in tokens)
    kb = [i for t in tokens for i in kb_ids(t.raw, t.latin)]
    kb += [i for j in joined for i in kb_ids("", j)]
    return NameFeatures(
        script=base_script(raw_script) if raw_script else None,
        tokens=_unique([t.latin for t in tokens]),
        keys=keys,
        joined=joined_keys,
        token_codes=token_codes,
        skeletons=_unique([s for k in skeleton_sources if len(s := skeleton(k)) >= _MIN_SKELETON]),
        phonetic=_unique([c for t in tokens for c in phonetic_codes(t.latin)]),
        kb=tuple(sorted(set(kb))),
        sorted_keys=" ".join(sorted(set(token_keys))) or None,
        surname_key=_first_key(tokens, True),
        given_key=_first_key(tokens, False),
        display=_display(tokens),
    )


def name_features(
    surname: str | None = None, given_names: str | None = None, full_name: str | None = None
) -> NameFeatures:
    """Features of a name given as fields or as a full name."""
    return features_from_parsed(parse_name(surname, given_names, full_name))


def name_keys_for(text: str | None) -> list[str]:
    """Romanization keys of a full name in any script and order."""
    features = features_from_parsed(parse_full_name(text))
    return list(features.keys + features.joined)


def latin_display(text: str | None) -> str | None:
    """Title-cased Latin form of a full name (given names first), or None."""
    return features_from_parsed(parse_full_name(text)).display
