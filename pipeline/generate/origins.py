"""Name origins (``data/origins.toml``) and their weighted name lists.

Each name part (surname, given names by sex) of an origin is drawn with real frequencies
where a documented public source was found (``data/name_frequencies.toml``,
``data/names.csv``, sources in ``data/NAME_SOURCES.md``): the head names get their
population share (count / population) and the rest of the population is spread evenly
over the tail (the other names of the origin's faker list). Parts without a source use
faker's lists: an ``OrderedDict`` carries frequency weights, which we keep; plain tuples
get uniform weights.
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
    """Names and their sampling probabilities (``source`` says where the weights come from)."""

    names: tuple[str, ...]
    probs: FloatArray
    cdf: FloatArray
    source: str = "faker list, uniform"


@dataclass(frozen=True)
class PartSpec:
    """How one name part of one origin gets its frequencies (``data/name_frequencies.toml``)."""

    source: str
    table: bool
    locale: str | None
    population: float | None
    tail: str


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


Values = Sequence[str] | Mapping[str, float]


def _weighted(values: Values, source: str | None = None) -> WeightedNames:
    if isinstance(values, Mapping):
        names = tuple(values)
        weights = np.array([float(values[n]) for n in names], dtype=np.float64)
        if source is None and np.ptp(weights) > 0:
            source = "faker list, faker's weights"
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
    return WeightedNames(tuple(merged), probs, cdf, source or "faker list, uniform")


@cache
def part_specs() -> dict[tuple[str, str], PartSpec]:
    """Every ``(origin, part)`` of ``data/name_frequencies.toml``."""
    specs: dict[tuple[str, str], PartSpec] = {}
    for code, parts in load_table("name_frequencies").items():
        for part, spec in parts.items():
            population = spec.get("population")
            specs[(code, part)] = PartSpec(
                source=str(spec["source"]),
                table=bool(spec.get("table", False)),
                locale=spec.get("locale"),
                population=None if population is None else float(population),
                tail=str(spec.get("tail", "none")),
            )
    return specs


@cache
def frequency_table() -> dict[tuple[str, str], list[tuple[str, int | None]]]:
    """Rows of ``data/names.csv`` by ``(origin, part)``: native name and count (or ``None``)."""
    text = (
        resources.files("pipeline.generate")
        .joinpath("data")
        .joinpath("names.csv")
        .read_text("utf-8")
    )
    table: dict[tuple[str, str], list[tuple[str, int | None]]] = {}
    for row in csv.DictReader(text.splitlines()):
        count = int(row["count"]) if row["count"] else None
        table.setdefault((row["origin"], row["part"]), []).append((row["name"], count))
    return table


def _with_frequencies(code: str, part: str, faker_values: Values) -> WeightedNames:
    """The part's list: faker's, or a source's head with population shares plus a tail."""
    spec = part_specs().get((code, part))
    if spec is None:
        return _weighted(faker_values)
    if spec.locale is not None:
        faker_values = _attr(_provider(spec.locale), *_PART_ATTRS[part])
    if not spec.table:
        return _weighted(faker_values, spec.source)
    rows = frequency_table().get((code, part), [])
    head = {name: float(count) for name, count in rows if count is not None}
    tail = [name for name, count in rows if count is None]
    if spec.tail == "faker":
        tail += list(faker_values)
    tail = [name for name in dict.fromkeys(tail) if name not in head]
    if not head:
        return _weighted(tail, spec.source)
    total = spec.population if spec.population is not None else sum(head.values())
    shares = {name: count / total for name, count in head.items()}
    residual = 1.0 - sum(shares.values())
    if residual > 1e-9 and tail:
        shares.update(dict.fromkeys(tail, residual / len(tail)))
    return _weighted(shares, spec.source)


_PART_ATTRS = {
    "surname": ("last_names",),
    "surname_male": ("last_names_male", "last_names"),
    "surname_female": ("last_names_female", "last_names"),
    "given_male": ("first_names_male",),
    "given_female": ("first_names_female",),
}


def _provider(locale: str) -> type:
    module = importlib.import_module(f"faker.providers.person.{locale}")
    provider: type = module.Provider
    return provider


def _attr(provider: type, *names: str) -> Values:
    for name in names:
        value = getattr(provider, name, None)
        if value:
            return value  # type: ignore[no-any-return]
    raise LookupError(f"{provider.__module__} has none of {names}")


def _surnames(origin: Origin, provider: type) -> tuple[WeightedNames, WeightedNames]:
    code = origin.code
    if code == "pl":
        male = list(provider.male_last_names) + list(provider.unisex_last_names)  # type: ignore[attr-defined]
        female = [_polish_female(n) for n in male]
        return (
            _with_frequencies(code, "surname_male", male),
            _with_frequencies(code, "surname_female", female),
        )
    if origin.gendered_surnames:
        male_names = _attr(provider, "last_names_male")
        female_names = _attr(provider, "last_names_female")
        return (
            _with_frequencies(code, "surname_male", male_names),
            _with_frequencies(code, "surname_female", female_names),
        )
    names: list[str] = list(_attr(provider, "last_names"))
    for locale in origin.surname_locales:
        names += list(_attr(_provider(locale), "last_names"))
    if code == "ja":
        names = list(provider.last_kana_names)  # type: ignore[attr-defined]
    values: Values = names
    if not origin.surname_locales and code != "ja":
        values = _attr(provider, "last_names")
    both = _with_frequencies(code, "surname", values)
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
        return (
            _with_frequencies(origin.code, "given_male", male),
            _with_frequencies(origin.code, "given_female", female),
        )
    male_given = _attr(provider, "first_names_male")
    return (
        _with_frequencies(origin.code, "given_male", male_given),
        _with_frequencies(origin.code, "given_female", _attr(provider, "first_names_female")),
    )


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


def frequency_kinds(code: str) -> tuple[str, str]:
    """How the surnames and the given names of an origin are weighted: ``real`` (a documented
    source, NAME_SOURCES.md), ``faker weights`` or ``uniform``."""

    def kind(names: WeightedNames) -> str:
        if "uniform" in names.source:
            return "uniform"
        return "faker weights" if names.source.startswith("faker list") else "real"

    lists = name_lists(code)
    return kind(lists.surnames[0]), kind(lists.given[0])
