"""Shared rendering helpers: weighted choices, countries, cities, sex codes."""

from __future__ import annotations

from functools import cache

import numpy as np
import numpy.typing as npt
from faker import Faker
from iso3166 import countries_by_alpha2

IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.object_]

SEX_CODES = (("M", "MALE", "Male", "m", "1"), ("F", "FEMALE", "Female", "f", "2"))


def choose(weights: dict[str, float], rng: np.random.Generator, n: int) -> IntArray:
    """Index into ``list(weights)`` drawn ``n`` times with the given weights."""
    values = np.array(list(weights.values()), dtype=np.float64)
    return rng.choice(len(values), size=n, p=values / values.sum()).astype(np.int64)


def country_names(codes: list[str], style: str) -> StrArray:
    """Each alpha-2 code as ``alpha2``, ``alpha3`` or English ``name``."""
    if style == "alpha2":
        return np.array(codes, dtype=object)
    found = [countries_by_alpha2[c] for c in codes]
    if style == "alpha3":
        return np.array([c.alpha3 for c in found], dtype=object)
    return np.array([c.apolitical_name for c in found], dtype=object)


def render_country(
    country: IntArray, style: IntArray, styles: list[str], codes: list[str]
) -> StrArray:
    """Country column: each row's country in its drawn style."""
    out = np.empty(len(country), dtype=object)
    for index, name in enumerate(styles):
        mask = style == index
        out[mask] = country_names(codes, name)[country[mask]]
    return out


@cache
def cities(locale: str, seed: int, n: int) -> tuple[str, ...]:
    """``n`` city names of ``locale`` from faker's address provider."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    return tuple(str(fake.city()) for _ in range(n))


def sex_column(sex: IntArray, variant: IntArray, use_variant: npt.NDArray[np.bool_]) -> StrArray:
    """``M``/``F``, or one of the other spellings where ``use_variant``."""
    table = np.array(SEX_CODES, dtype=object)
    column = np.where(use_variant, 1 + variant % (len(SEX_CODES[0]) - 1), 0)
    out: StrArray = table[sex, column]
    return out


def doc_numbers(letter: IntArray, number: IntArray) -> list[str]:
    """Passport numbers: a letter and eight digits."""
    return [f"{chr(65 + int(a))}{int(b):08d}" for a, b in zip(letter, number, strict=True)]
