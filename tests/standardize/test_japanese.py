"""Japanese names: kanji readings, passport spellings of kana, katakana splits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.standardize.japanese import (
    ALTERNATIVES,
    kana_spellings,
    name_origin,
    read_name,
    split_katakana,
)
from pipeline.standardize.names import name_features

ORIGINS = [
    {"description": "iteration mark", "name": "佐々木裕美", "origin": "ja"},
    {"description": "kana in the given name", "name": "川崎てつお", "origin": "ja"},
    {"description": "two-character family name", "name": "高橋尚子", "origin": "ja"},
    {"description": "simplified Chinese form (not in Shift_JIS)", "name": "张伟", "origin": "zh"},
    {"description": "one-character family name, both readings", "name": "王明", "origin": "either"},
]


@pytest.mark.parametrize("case", ORIGINS, ids=[str(c["description"]) for c in ORIGINS])
def test_name_origin(case: dict[str, str]) -> None:
    assert name_origin(case["name"]) == case["origin"]


def test_read_name_gives_family_then_given_with_alternative_readings() -> None:
    reading = read_name(("高橋尚子",))
    assert reading is not None
    family, given_names = reading
    assert family == ("タカハシ",)
    assert {"ナオコ", "ヒサコ"} <= set(given_names[0].split(ALTERNATIVES))


SPELLINGS = [
    {
        "description": "long vowel dropped, OU and OH kept as variants",
        "kana": "サトウ",
        "first": "SATO",
        "also": {"SATOU", "SATOH"},
    },
    {"description": "double vowel", "kana": "オオノ", "first": "ONO", "also": {"OONO", "OHNO"}},
    {"description": "N before M written M", "kana": "ホンマ", "first": "HONMA", "also": {"HOMMA"}},
    {"description": "hiragana", "kana": "ゆうこ", "first": "YUKO", "also": {"YUUKO"}},
    {
        "description": "foreign small vowels",
        "kana": "ヴィヴィアン",
        "first": "VIVIAN",
        "also": set(),
    },
    {"description": "wi and du", "kana": "ウィドゥ", "first": "WIDU", "also": set()},
    {"description": "alternatives", "kana": "ナオコ・ヒサコ", "first": "NAOKO", "also": {"HISAKO"}},
]


@pytest.mark.parametrize("case", SPELLINGS, ids=[str(c["description"]) for c in SPELLINGS])
def test_kana_spellings(case: dict[str, object]) -> None:
    spellings = kana_spellings(str(case["kana"]))
    assert spellings[0] == case["first"]
    assert set(case["also"]) <= set(spellings)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("word", "parts"),
    [("ニコラテスラ", ("ニコラ", "テスラ")), ("ツェルニー", ("ツェルニー",)), ("アン", ("アン",))],
)
def test_split_katakana(word: str, parts: tuple[str, ...]) -> None:
    assert split_katakana(word) == parts


NAMES = [
    {
        "description": "Japanese kanji read in Japanese",
        "name": "佐々木裕美",
        "tokens": ("SASAKI", "HIROMI"),
    },
    {"description": "kanji and hiragana", "name": "川崎てつお", "tokens": ("KAWASAKI", "TETSUO")},
    {"description": "Chinese name keeps pinyin only", "name": "张伟", "tokens": ("ZHANG", "WEI")},
    {
        "description": "either: pinyin first, Japanese readings added",
        "name": "王明",
        "tokens": ("WANG", "MING", "O", "AKIRA"),
    },
    {
        "description": "family and given fields read word by word",
        "name": "宮崎 駿",
        "tokens": ("MIYAZAKI", "SHUN"),
    },
]


def test_a_latin_given_name_beside_a_kanji_family_name_stays() -> None:
    assert name_features(surname="佐藤", given_names="Ken").tokens == ("SATO", "KEN")


@pytest.mark.parametrize("case", NAMES, ids=[str(c["description"]) for c in NAMES])
def test_japanese_names_in_features(case: dict[str, object]) -> None:
    assert name_features(full_name=str(case["name"])).tokens == case["tokens"]


def test_japanese_reading_meets_the_passport_name() -> None:
    record = name_features(full_name="佐藤尚子")
    manifest = name_features(full_name="SATOH<<NAOKO")
    manifest_codes = {c for codes in manifest.token_codes for c in codes}
    assert all(set(codes) & manifest_codes for codes in record.token_codes)


KATAKANA = st.text(alphabet=st.characters(min_codepoint=0x30A1, max_codepoint=0x30FA), max_size=12)


@given(KATAKANA)
def test_kana_spellings_are_upper_case_ascii(word: str) -> None:
    for spelling in kana_spellings(word):
        assert spelling.isascii() and spelling.isalpha() and spelling.isupper()


@given(KATAKANA)
def test_split_katakana_keeps_every_character(word: str) -> None:
    assert "".join(split_katakana(word)) == word
