"""Names are drawn with real frequencies: shares of the sources, namesakes at the implied rate."""

from __future__ import annotations

import unicodedata
from collections import Counter

import numpy as np
import pytest

from pipeline.generate.origins import (
    WeightedNames,
    all_origins,
    frequency_table,
    name_lists,
    part_specs,
)  # fmt: skip
from pipeline.generate.pool import build_pool

PARTS = ("surname", "surname_male", "surname_female", "given_male", "given_female")
# (origin, part, the source's most common name, its share of the population in the source)
SOURCE_TOPS = [
    ("pl", "surname_male", "Nowak", 143_437 / 18_580_000),  # PESEL 2020
    ("pl", "surname_female", "Nowak", 140_251 / 19_800_000),
    ("es", "surname", "García", 0.0348),  # INE
    ("ru", "surname_male", "Смирнов", 0.0161),
    ("ru", "surname_female", "Смирнова", 0.0161),
    ("vi", "surname", "Nguyễn", 0.38),
    ("ka", "surname", "ბერიძე", 24_962 / 3_713_000),
    ("he", "given_male", "דוד", 68_560 / 2_480_486),  # CBS births 1949-2006
    ("he", "given_female", "רחל", 45_048 / 2_385_818),
]
SCRIPT_WORDS = {"Cyrillic": "CYRILLIC", "Hebrew": "HEBREW", "Katakana": "KATAKANA",
                "Georgian": "GEORGIAN", "Latin": "LATIN"}  # fmt: skip


def _part(code: str, part: str) -> WeightedNames:
    lists = name_lists(code)
    sex = 1 if part.endswith("female") else 0
    return lists.given[sex] if part.startswith("given") else lists.surnames[sex]


def _collision_rate(values: list[str]) -> float:
    """Share of pairs of persons with the same value."""
    n = len(values)
    same = sum(c * (c - 1) for c in Counter(values).values())
    return same / (n * (n - 1))


def test_data_files_are_consistent() -> None:
    origins = all_origins()
    for (code, part), spec in part_specs().items():
        assert code in origins and part in PARTS, (code, part)
        assert spec.tail in ("faker", "table", "none")
    for (code, part), rows in frequency_table().items():
        assert part_specs()[(code, part)].table, (code, part)
        script = SCRIPT_WORDS[origins[code].script]
        for name, count in rows:
            assert count is None or count > 0
            letters = [c for c in name if c.isalpha()]
            assert letters and all(script in unicodedata.name(c) for c in letters), name


@pytest.mark.parametrize(("code", "part", "name", "share"), SOURCE_TOPS)
def test_weights_are_the_source_shares(code: str, part: str, name: str, share: float) -> None:
    names = _part(code, part)
    top = int(np.argmax(names.probs))
    assert names.names[top] == name
    assert names.probs[top] == pytest.approx(share, rel=1e-3)
    assert names.source == part_specs()[(code, part)].source


@pytest.mark.parametrize(("code", "part", "name", "share"), SOURCE_TOPS)
def test_generated_names_follow_the_source(code: str, part: str, name: str, share: float) -> None:
    pool = build_pool(all_origins()[code], 120_000, np.random.default_rng(7))
    sex = 1 if part.endswith("female") else 0
    column = pool.given if part.startswith("given") else pool.surname
    drawn = [v for v, s in zip(column, pool.sex, strict=True) if s == sex or part == "surname"]
    if code == "es":  # two surnames: the first one is the paternal surname of the source
        drawn = [v.split(" ")[0] for v in drawn]
    counts = Counter(drawn)
    assert counts.most_common(1)[0][0] == name
    assert counts[name] / len(drawn) == pytest.approx(share, rel=0.15)


@pytest.mark.parametrize("code", ["pl", "es", "vi", "ru", "he", "ja", "ko", "zh"])
def test_surname_collisions_at_the_implied_rate(code: str) -> None:
    """Two persons share a surname as often as the weights imply (sum of squared shares)."""
    pool = build_pool(all_origins()[code], 60_000, np.random.default_rng(11))
    lists = name_lists(code)
    for sex in (0, 1):
        surnames = [v for v, s in zip(pool.surname, pool.sex, strict=True) if s == sex]
        if code == "es":  # two surnames: compare the first
            surnames = [v.split(" ")[0] for v in surnames]
        implied = float((lists.surnames[sex].probs ** 2).sum())
        assert _collision_rate(surnames) == pytest.approx(implied, rel=0.15)


def test_namesakes_at_the_implied_rate() -> None:
    """Full-name namesakes among persons: independent parts, plus the pool's own repeats.

    Persons draw an identity uniformly from a pool of ``size`` identities, so two persons are
    the same identity with probability 1 / size on top of two identities sharing a name.
    """
    code, size = "ko", 40_000
    origin = all_origins()[code]
    pool = build_pool(origin, size, np.random.default_rng(5))
    rng = np.random.default_rng(6)
    persons = rng.integers(0, size, 80_000)
    lists = name_lists(code)
    for sex in (0, 1):
        chosen = [i for i in persons.tolist() if pool.sex[i] == sex]
        full = [pool.surname[i] + pool.given[i] for i in chosen]
        share = sum(1 for s in pool.sex if s == sex) / size
        names = float((lists.surnames[sex].probs ** 2).sum() * (lists.given[sex].probs ** 2).sum())
        implied = names + (1 - names) / (size * share)
        assert _collision_rate(full) == pytest.approx(implied, rel=0.15)
