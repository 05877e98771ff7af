"""Romanization schemes: one native name part in, its Latin spelling out.

Scheme ids (see ``data/origins.toml``):
  native, ascii                 the native form; Latin-ASCII folding of it
  icu:<ID>, icu_ascii:<ID>      an ICU transform (e.g. Russian-Latin/BGN, ISO 9 as
                                Cyrillic-Latin), optionally folded to ASCII
  icao_cyrillic, iso9_ascii     ICAO Doc 9303 table; ISO 9 folded to ASCII
  abjad_a, abjad_e, customary   Arabic-script / Hebrew phonetic spellings (abjad.py) with
                                the customary spellings of data/spellings.toml first
  indic, indic_long             ISO 15919 folded to passport spelling
  pinyin, pinyin_split, wade_giles   Chinese via pypinyin
  revised, mccune_reischauer, korean_customary, korean_passport   Korean (hangul.py)
  hepburn, hepburn_oh, hepburn_macron   Japanese kana (faker's romanized names first,
                                else ICU with passport long-vowel folding)
Every result is tidied: NFC, single spaces, each word capitalized.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import icu
from pypinyin import Style, lazy_pinyin

from pipeline.generate.abjad import spell_abjad
from pipeline.generate.hangul import romanize_hangul
from pipeline.generate.tables import load_table

_SPACES = re.compile(r"\s+")
_NOT_NAME = re.compile(r"[^\w\s'\-ʼʻ’‘ˈ]", re.UNICODE)
_HEBREW = re.compile(r"[\u0590-\u05ff]")
_WORD_START = re.compile(r"(^|[\s\-])(\w)")


@cache
def _transliterator(transform_id: str) -> icu.Transliterator:
    return icu.Transliterator.createInstance(transform_id)


def icu_transform(text: str, transform_id: str) -> str:
    """Apply one ICU transform."""
    result: str = _transliterator(transform_id).transliterate(text)
    return result


def fold_ascii(text: str) -> str:
    """Fold Latin letters with diacritics to ASCII (ICU Latin-ASCII), drop marks left over."""
    folded = icu_transform(text, "Latin-ASCII")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c) and ord(c) < 128)


def tidy(text: str) -> str:
    """NFC, strip symbols, one space between words, capitalize each word."""
    text = _NOT_NAME.sub("", unicodedata.normalize("NFC", text))
    text = _SPACES.sub(" ", text).strip()
    return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def _map_letters(text: str, table: str) -> str:
    letters: dict[str, str] = load_table("letters")[table]
    return "".join(letters.get(c, letters.get(c.lower(), c)) for c in text)


def icao_cyrillic(text: str) -> str:
    """ICAO Doc 9303 transliteration of Cyrillic."""
    return _map_letters(text.lower(), "icao_cyrillic")


def _customary(text: str, rank: int) -> str | None:
    known: dict[str, list[str]] = load_table("spellings")["arabic"]
    variants = known.get(text)
    if variants is None:
        return None
    return variants[min(rank, len(variants) - 1)]


def _abjad(text: str, vowel: str, rank: int) -> str:
    known = _customary(text, rank)
    if known is not None:
        return known
    table = "abjad_hebrew" if _HEBREW.search(text) else "abjad_arabic"
    return spell_abjad(text, table, vowel)


def _customary_scheme(text: str) -> str:
    known = _customary(text, 99)
    return known if known is not None else _abjad(text, "a", 2).replace("ou", "u")


def _indic(text: str, long_vowels: bool) -> str:
    latin = " ".join(_indic_word(w) for w in text.split())
    if long_vowels:
        latin = _map_letters(latin, "indic_long")
    return fold_ascii(_map_letters(latin, "indic"))


def _indic_word(word: str) -> str:
    """ISO 15919 of one word, without the inherent final vowel unless a conjunct precedes it."""
    latin = icu_transform(word, "Any-Latin")
    conjunct = len(word) > 2 and unicodedata.name(word[-2], "").endswith("VIRAMA")
    if latin.endswith("a") and not latin.endswith("ā") and len(latin) > 2 and not conjunct:
        return latin[:-1]
    return latin


def _pinyin(text: str, style: Style, sep: str) -> str:
    return sep.join(lazy_pinyin(text, style=style))


@cache
def _korean_surnames() -> dict[str, list[str]]:
    table: dict[str, list[str]] = load_table("spellings")["korean_surnames"]
    return table


def _korean(text: str, scheme: str, surname: bool) -> str:
    known = _korean_surnames().get(text) if surname else None
    if scheme == "korean_passport":
        return known[0] if known else romanize_hangul(text, "hangul_rr")
    if scheme == "korean_customary":
        return known[-1] if known else romanize_hangul(text, "hangul_rr").replace("eo", "u")
    if scheme == "revised":
        return romanize_hangul(text, "hangul_rr")
    return romanize_hangul(text, "hangul_mr")


@cache
def _kana_hepburn() -> dict[str, str]:
    from faker.providers.person.ja_JP import Provider

    pairs = zip(Provider.first_kana_names, Provider.first_romanized_names, strict=True)
    last = zip(Provider.last_kana_names, Provider.last_romanized_names, strict=True)
    return dict([*pairs, *last])


def _japanese(text: str, scheme: str) -> str:
    icu_form = icu_transform(text, "Katakana-Latin")
    if scheme == "hepburn":
        # Passport Hepburn omits long vowels (Satou -> Sato, Yuuki -> Yuki).
        return _kana_hepburn().get(text) or re.sub(r"uu", "u", re.sub(r"o[ou]", "o", icu_form))
    if scheme == "hepburn_oh":
        return re.sub(r"o[ou](?=[^aeiou]|$)", "oh", icu_form)
    return re.sub(r"o[ou]", "ō", re.sub(r"uu", "ū", icu_form))


def _scheme_function(scheme: str, surname: bool) -> Callable[[str], str]:
    simple: dict[str, Callable[[str], str]] = {
        "native": lambda t: t,
        "ascii": fold_ascii,
        "icao_cyrillic": icao_cyrillic,
        "iso9_ascii": lambda t: fold_ascii(icu_transform(t, "Cyrillic-Latin")),
        "abjad_a": lambda t: _abjad(t, "a", 0),
        "abjad_e": lambda t: _abjad(t, "e", 1),
        "customary": _customary_scheme,
        "indic": lambda t: _indic(t, long_vowels=False),
        "indic_long": lambda t: _indic(t, long_vowels=True),
        "pinyin": lambda t: _pinyin(t, Style.NORMAL, ""),
        "pinyin_split": lambda t: _pinyin(t, Style.NORMAL, " "),
        "wade_giles": lambda t: _pinyin(t, Style.WADEGILES, "-"),
    }
    if scheme in simple:
        return simple[scheme]
    if scheme.startswith("icu:"):
        return lambda t: icu_transform(t, scheme[4:])
    if scheme.startswith("icu_ascii:"):
        return lambda t: fold_ascii(icu_transform(t, scheme[10:]))
    if scheme in ("revised", "mccune_reischauer", "korean_customary", "korean_passport"):
        return lambda t: _korean(t, scheme, surname)
    if scheme.startswith("hepburn"):
        return lambda t: _japanese(t, scheme)
    raise ValueError(f"unknown romanization scheme {scheme!r}")


@lru_cache(maxsize=1 << 17)  # bounded: rare names (double surnames) need not stay
def romanize(text: str, scheme: str, surname: bool = False) -> str:
    """Spell one native name part (``surname`` selects surname-specific tables)."""
    if not text:
        return ""
    spelled = _scheme_function(scheme, surname)(text)
    if scheme.startswith(("icu:", "icu_ascii:")) and not any(c.isspace() for c in text):
        # ICU breaks scripts written without spaces (Thai) into syllables; a name part
        # that is one word natively is one word on a passport too.
        spelled = spelled.replace(" ", "")
    return tidy(spelled)


def mrz_name(text: str) -> str:
    """ICAO 9303 MRZ form of a Latin (or native) name part: A-Z with ``<`` fillers."""
    latin = _map_letters(text.lower(), "icao_latin")
    latin = _map_letters(latin, "icao_cyrillic")
    ascii_text = fold_ascii(latin).upper()
    ascii_text = re.sub(r"[\s\-]+", "<", ascii_text)
    return re.sub(r"[^A-Z<]", "", ascii_text).strip("<")
