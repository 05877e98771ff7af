"""Cross-script name codes: Hebrew and Hangul transliteration, Wade-Giles readings, loose
consonant skeletons, initials and joined names (feature version 2)."""

from __future__ import annotations

import pytest

from pipeline.standardize import name_features
from pipeline.standardize.chinese import pinyin_readings
from pipeline.standardize.keys import loose_skeletons
from pipeline.standardize.translit import hangul_western_spellings, to_latin


@pytest.mark.parametrize(
    ("hebrew", "latin"),
    [
        ("אברהם", "VRHM"),  # bet after the first letter is v (Avraham)
        ("בלום", "BLWM"),  # bet at the start is b
        ("כהן", "KHN"),  # kaf at the start is k
        ("מרדכי", "MRDKHY"),  # kaf elsewhere is kh
        ("יוסף", "YWSF"),  # final pe is f
        ("צדוק", "TSDWK"),  # tsadi is ts, qof k
        ("שפר", "SHFR"),  # shin is sh
        ("חיים", "KHYM"),  # het is kh; a doubled yod is one consonant y
        ("ג'ובאני", "JWVNY"),  # gimel with a geresh is j
    ],
)
def test_hebrew_transliteration(hebrew: str, latin: str) -> None:
    assert name_features(full_name=hebrew).tokens == (latin,)


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [("이시하라", "ISIHARA"), ("설리", "SEOLLI"), ("라민", "RAMIN"), ("쇼스택", "SYOSEUTAEK")],
)
def test_hangul_revised_romanization(hangul: str, latin: str) -> None:
    assert to_latin(hangul) == latin


def test_wade_giles_syllables_read_as_pinyin() -> None:
    assert "GUI" in pinyin_readings("KUEI")
    assert pinyin_readings("HSIANG") == ("XIANG",)
    assert set(pinyin_readings("CHANG")) == {"CHANG", "ZHANG"}
    assert pinyin_readings("SMITH") == ()
    assert pinyin_readings("ISHII") == ()  # a vowel-initial syllable only starts a token
    features = name_features("Chang", "Kuei-hsiang")
    assert "GUIXIANG" in features.joined
    kao = name_features(full_name="KAO Kuei").token_codes
    assert any("GAO" in codes for codes in kao)


def test_loose_skeletons_meet_across_abjads() -> None:
    def meet(latin: str, native: str) -> bool:
        return bool(
            set(loose_skeletons(latin, False)) & set(loose_skeletons(to_latin(native), True))
        )

    assert meet("YEHONATAN", "יהונתן")
    assert meet("COHEN", "כהן")
    assert meet("KAHN", "כהן")
    assert meet("ABRAHAM", "אברהם")
    assert meet("TZADOK", "צדוק")
    assert meet("DAVID", "דוד")
    assert meet("NOUROUZI", "نوروزی")
    assert meet("MORDECHAI", "מרדכי")
    assert not meet("DAVID", "משה")


def test_loose_skeletons_merge_liquids_for_kana_and_hangul() -> None:
    assert loose_skeletons("ROOSEVELT", False) == loose_skeletons(to_latin("ルーズベルト"), False)


def test_unspaced_katakana_is_split_into_names_that_meet_the_latin_ones() -> None:
    record = name_features(full_name="ニコラテスラ")
    manifest = name_features(full_name="TESLA<<NIKOLA")
    manifest_codes = {c for codes in manifest.token_codes for c in codes}
    assert record.tokens == ("NIKORA", "TESURA")
    assert all(set(codes) & manifest_codes for codes in record.token_codes)
    assert "NIKORATESURA" in record.joined


def test_middle_dots_separate_name_parts() -> None:
    assert len(name_features(full_name="マザー・ジョーンズ").tokens) == 2
    assert len(name_features(full_name="阿诺德·施瓦辛格").tokens) == 2


def test_hebrew_script_article_is_a_particle() -> None:
    assert name_features(full_name="עומר אל-בשיר").tokens == ("BSHYR", "WMR")


def test_initial_and_first_letter_codes() -> None:
    features = name_features("KANG", "C")
    assert features.token_codes[1] == ("I:C",)
    full = name_features("KANG", "CHAEWON").token_codes[1]
    assert "F:C" in full  # the Latin first letter, although the key starts with Z
    assert "F:Z" in full


def test_one_letter_metaphone_codes_are_left_out() -> None:
    codes = {c for codes in name_features(full_name="BUI BAO").token_codes for c in codes}
    assert not {c for c in codes if c.startswith("M:") and len(c) <= 3}


@pytest.mark.parametrize(
    ("latin", "spelling"),
    [
        ("SEUTEURAISAENDEU", "STRAISAEND"),
        ("HUKEO", "HUKER"),
        ("EDITEU", "EDIT"),
        ("SYAPEL", "SHAPEL"),
        ("RUI", "LUI"),
    ],
)
def test_hangul_read_as_a_western_name(latin: str, spelling: str) -> None:
    assert spelling in hangul_western_spellings(latin)


def test_hangul_transcription_meets_the_latin_name_without_loose_skeletons() -> None:
    record = name_features(full_name="존 리 후커")
    manifest = name_features(full_name="HOOKER<<JOHN<LEE")
    strict = {c for codes in manifest.token_codes for c in codes if not c.startswith("L:")}
    hooker = record.token_codes[record.tokens.index("HUKEO")]
    assert set(hooker) & strict
