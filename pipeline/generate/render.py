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


@cache
def cities(locale: str, seed: int, n: int) -> tuple[str, ...]:
    """``n`` city names of ``locale`` from faker's address provider."""
    fake = Faker(locale)
    fake.seed_instance(seed)
    return tuple(str(fake.city()) for _ in range(n))
