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
from pipeline.generate.pool import SECOND_GIVEN_RATE, TWO_CHAR_GIVEN_RATE, build_pool

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
    column = pool.column("given" if part.startswith("given") else "surname")
    drawn = [
        v for v, s in zip(column, pool.sex.tolist(), strict=True) if s == sex or part == "surname"
    ]
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
        surnames = [
            v for v, s in zip(pool.column("surname"), pool.sex.tolist(), strict=True) if s == sex
        ]
        if code == "es":  # two surnames: compare the first
            surnames = [v.split(" ")[0] for v in surnames]
        implied = float((lists.surnames[sex].probs ** 2).sum())
        assert _collision_rate(surnames) == pytest.approx(implied, rel=0.15)


Distribution = dict[str, float]


def _distribution(names: WeightedNames) -> Distribution:
    out: Distribution = {}
    for name, p in zip(names.names, names.probs.tolist(), strict=True):
        out[name] = out.get(name, 0.0) + p
    return out


def _mixed(*parts: tuple[float, Distribution]) -> Distribution:
    out: Distribution = {}
    for weight, dist in parts:
        for name, p in dist.items():
            out[name] = out.get(name, 0.0) + weight * p
    return out


def _joined(first: Distribution, second: Distribution, sep: str) -> Distribution:
    return _mixed(*((p, {f"{a}{sep}{b}": q for b, q in second.items()}) for a, p in first.items()))


def _part_distributions(code: str, sex: int) -> tuple[Distribution, Distribution, Distribution]:
    """Exact distribution of each native name part, as ``pool.draw_identity`` draws it."""
    origin, lists = all_origins()[code], name_lists(code)
    surname = _distribution(lists.surnames[sex])
    if origin.surnames == 2:
        surname = _joined(surname, surname, " ")
    given = _distribution(lists.given[sex])
    if origin.han_given:
        rate = TWO_CHAR_GIVEN_RATE
        single = {g: p for g, p in given.items() if len(g) == 1}
        given = _mixed(
            (1.0, {g: p * (1 - rate) if g in single else p for g, p in given.items()}),
            (rate, _joined(single, given, "")),
        )
    middle: Distribution = {"": 1.0}
    if lists.middle is not None:
        middle = _distribution(lists.middle[sex])
    elif origin.middle == "father":
        middle = _distribution(lists.given[0])
    elif origin.middle == "second_given":
        second = _distribution(lists.given[sex])
        middle = _mixed((1 - SECOND_GIVEN_RATE, {"": 1.0}), (SECOND_GIVEN_RATE, second))
    return surname, given, middle


def _aligned(dists: list[Distribution]) -> list[np.ndarray]:
    keys = sorted(set().union(*dists))
    return [np.array([d.get(k, 0.0) for k in keys]) for d in dists]


def _implied_shared(code: str, n: int) -> float:
    """Share of ``n`` persons of ``code`` expected to share their native full name with
    another: sum over full names x of P(x) (1 - (1 - P(x))^(n-1)), where P(x) mixes the
    sexes and, per sex, is the product of the part probabilities."""
    parts = [_part_distributions(code, sex) for sex in (0, 1)]
    surnames = _aligned([parts[0][0], parts[1][0]])
    givens = _aligned([parts[0][1], parts[1][1]])
    middles = _aligned([parts[0][2], parts[1][2]])
    rest = [0.5 * np.outer(givens[sex], middles[sex]).ravel() for sex in (0, 1)]
    total = 0.0
    for start in range(0, len(surnames[0]), 64):
        block = slice(start, start + 64)
        p = surnames[0][block, None] * rest[0] + surnames[1][block, None] * rest[1]
        total += float((p * -np.expm1((n - 1) * np.log1p(-np.minimum(p, 1 - 1e-12)))).sum())
    return total


def _observed_shared(code: str, n: int, seed: int) -> float:
    pool = build_pool(all_origins()[code], n, np.random.default_rng(seed))
    _, inverse, counts = np.unique(pool.codes, axis=1, return_inverse=True, return_counts=True)
    return float((counts[inverse.reshape(-1)] > 1).mean())


@pytest.mark.parametrize("code", ["ko", "vi", "zh", "ru", "pl", "ja", "he", "fa"])
@pytest.mark.parametrize("n", [20_000, 200_000])
def test_full_name_namesakes_follow_the_name_frequencies(code: str, n: int) -> None:
    """Persons share an exact native full name as often as the product of the part
    frequencies implies, at any size (no bounded pool of identities inflating it)."""
    implied = _implied_shared(code, n)
    assert _observed_shared(code, n, seed=n) == pytest.approx(implied, rel=0.1, abs=0.005)
