"""Name origins (``data/origins.toml``) and their name lists from faker.

Faker's person providers hold name lists per locale, many of them compiled from
national statistics (sources are documented in faker's provider modules and listed
in docs/generator.md). Where a list is an ``OrderedDict`` its values are frequency
weights and we keep them; plain tuples get uniform weights.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from pipeline.generate.tables import load_table

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Origin:
    """How one name origin is written and romanized."""

    code: str
    locale: str
    script: str
    countries: tuple[str, ...]
    family_first: bool
    joiner: str
    passport: str
    alternates: tuple[str, ...]
    middle: str
    surnames: int
    gendered_surnames: bool
    han_given: bool
    slavic: bool
    surname_locales: tuple[str, ...]


@dataclass(frozen=True)
class WeightedNames:
    """Names and their sampling probabilities."""

    names: tuple[str, ...]
    probs: FloatArray
    cdf: FloatArray


@dataclass(frozen=True)
class NameLists:
    """Surname, given-name and middle-name lists by sex (index 0 male, 1 female)."""

    surnames: tuple[WeightedNames, WeightedNames]
    given: tuple[WeightedNames, WeightedNames]
    middle: tuple[WeightedNames, WeightedNames] | None


@cache
def all_origins() -> dict[str, Origin]:
    """Every origin of ``data/origins.toml`` by code."""
    table = load_table("origins")
    return {code: _origin(code, spec) for code, spec in table.items()}


def _origin(code: str, spec: Mapping[str, object]) -> Origin:
    def flag(key: str) -> bool:
        return bool(spec.get(key, False))

    def strings(key: str) -> tuple[str, ...]:
        value = spec.get(key, [])
        assert isinstance(value, list)
        return tuple(str(v) for v in value)

    return Origin(
        code=code,
        locale=str(spec["locale"]),
        script=str(spec["script"]),
        countries=strings("countries"),
        family_first=flag("family_first"),
        joiner=str(spec["joiner"]),
        passport=str(spec["passport"]),
        alternates=strings("alternates"),
        middle=str(spec.get("middle", "none")),
        surnames=int(str(spec.get("surnames", 1))),
        gendered_surnames=flag("gendered_surnames"),
        han_given=flag("han_given"),
        slavic=flag("slavic"),
        surname_locales=strings("surname_locales"),
    )


def _weighted(values: Sequence[str] | Mapping[str, float]) -> WeightedNames:
    if isinstance(values, Mapping):
        names = tuple(values)
        weights = np.array([float(values[n]) for n in names], dtype=np.float64)
    else:
        names = tuple(values)
        weights = np.ones(len(names), dtype=np.float64)
    merged: dict[str, float] = {}
    for name, weight in zip(names, weights, strict=True):
        merged[name] = merged.get(name, 0.0) + float(weight)
    probs = np.array(list(merged.values()), dtype=np.float64)
    probs = probs / probs.sum()
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    return WeightedNames(tuple(merged), probs, cdf)


def _provider(locale: str) -> type:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    provider: type = module.Provider
    return provider


def _attr(provider: type, *names: str) -> Sequence[str] | Mapping[str, float]:
    for name in names:
        value = getattr(provider, name, None)
        if value:
            return value  # type: ignore[no-any-return]
    raise LookupError(f"{provider.__module__} has none of {names}")


def _surnames(origin: Origin, provider: type) -> tuple[WeightedNames, WeightedNames]:
    if origin.code == "pl":
        male = list(provider.male_last_names) + list(provider.unisex_last_names)  # type: ignore[attr-defined]
        female = [_polish_female(n) for n in male]
        return _weighted(male), _weighted(female)
    if origin.gendered_surnames:
        male_names = _attr(provider, "last_names_male")
        return _weighted(male_names), _weighted(_attr(provider, "last_names_female"))
    names: list[str] = list(_attr(provider, "last_names"))
    for locale in origin.surname_locales:
        names += list(_attr(_provider(locale), "last_names"))
    if origin.code == "ja":
        names = list(provider.last_kana_names)  # type: ignore[attr-defined]
    values: Sequence[str] | Mapping[str, float] = names
    if not origin.surname_locales and origin.code != "ja":
        values = _attr(provider, "last_names")
    both = _weighted(values)
    return both, both


def _polish_female(name: str) -> str:
    for male, female in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if name.endswith(male):
            return name[: -len(male)] + female
    return name


def _given(origin: Origin, provider: type) -> tuple[WeightedNames, WeightedNames]:
    if origin.code == "ja":
        from faker.providers.person.ja_JP import Provider as Japanese

        kana = dict(zip(Japanese.first_names, Japanese.first_kana_names, strict=True))
        male = [kana[n] for n in Japanese.first_names_male]
        female = [kana[n] for n in Japanese.first_names_female]
        return _weighted(male), _weighted(female)
    male_given = _attr(provider, "first_names_male")
    return _weighted(male_given), _weighted(_attr(provider, "first_names_female"))


def _middle(origin: Origin, provider: type) -> tuple[WeightedNames, WeightedNames] | None:
    if origin.middle == "patronymic":
        male_middle = _attr(provider, "middle_names_male")
        return _weighted(male_middle), _weighted(_attr(provider, "middle_names_female"))
    if origin.middle == "vn":
        both = _weighted(_attr(provider, "middle_names"))
        return both, both
    return None


@cache
def name_lists(code: str) -> NameLists:
    """Weighted name lists of one origin."""
    origin = all_origins()[code]
    provider = _provider(origin.locale)
    return NameLists(
        _surnames(origin, provider), _given(origin, provider), _middle(origin, provider)
    )
