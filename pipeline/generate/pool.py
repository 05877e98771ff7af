"""Pools of name identities per origin, each with every spelling precomputed.

A person points at one identity of its origin's pool. The pool is drawn from the
weighted name lists, so frequent names recur in the pool (and among persons) as in
life. Each identity keeps its native parts and, per scheme, the romanized parts; the
record and manifest builders only look spellings up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.generate.origins import NameLists, Origin, WeightedNames, name_lists
from pipeline.generate.translit import mrz_name, romanize

StrArray = npt.NDArray[np.object_]

SECOND_GIVEN_RATE = 0.25  # share of persons with a second given name where customary
TWO_CHAR_GIVEN_RATE = 0.7  # share of Chinese given names with two characters


@dataclass(frozen=True)
class Parts:
    """A name split as a record would: family name, given name(s), middle name."""

    surname: str
    given: str
    middle: str


@dataclass(frozen=True)
class Identity:
    """One native name and its spellings (scheme id -> parts)."""

    sex: int  # 0 male, 1 female
    native: Parts
    spellings: dict[str, Parts] = field(default_factory=dict)


@dataclass
class Pool:
    """The identities of one origin as columns; new ones (twins, relatives) are appended."""

    origin: Origin
    sex: list[int]
    surname: list[str]
    given: list[str]
    middle: list[str]

    def __len__(self) -> int:
        return len(self.sex)

    def identity(self, index: int) -> Identity:
        """Identity ``index`` (a fresh object: spellings are cached per call site)."""
        return Identity(
            self.sex[index], Parts(self.surname[index], self.given[index], self.middle[index])
        )

    def add(self, identity: Identity) -> int:
        self.sex.append(identity.sex)
        self.surname.append(identity.native.surname)
        self.given.append(identity.native.given)
        self.middle.append(identity.native.middle)
        return len(self.sex) - 1


def _draw(names: WeightedNames, rng: np.random.Generator) -> str:
    return names.names[int(np.searchsorted(names.cdf, rng.random(), side="right"))]


def draw_given(origin: Origin, sex: int, rng: np.random.Generator) -> str:
    """A given name (with an optional second one) for a person of ``origin``."""
    lists = name_lists(origin.code)
    first = _draw(lists.given[sex], rng)
    if origin.han_given and len(first) == 1 and rng.random() < TWO_CHAR_GIVEN_RATE:
        return first + _draw(lists.given[sex], rng)
    return first


def _middle(origin: Origin, lists: NameLists, sex: int, rng: np.random.Generator) -> str:
    if lists.middle is not None:
        return _draw(lists.middle[sex], rng)
    if origin.middle == "father":
        return _draw(lists.given[0], rng)
    if origin.middle == "second_given" and rng.random() < SECOND_GIVEN_RATE:
        return _draw(lists.given[sex], rng)
    return ""


def _surname(origin: Origin, lists: NameLists, sex: int, rng: np.random.Generator) -> str:
    first = _draw(lists.surnames[sex], rng)
    if origin.surnames == 2:
        return first + " " + _draw(lists.surnames[sex], rng)
    return first


def draw_identity(origin: Origin, rng: np.random.Generator, sex: int | None = None) -> Identity:
    """A new identity of ``origin`` drawn from the weighted name lists."""
    lists = name_lists(origin.code)
    chosen = int(rng.integers(0, 2)) if sex is None else sex
    parts = Parts(
        _surname(origin, lists, chosen, rng),
        draw_given(origin, chosen, rng),
        _middle(origin, lists, chosen, rng),
    )
    return Identity(chosen, parts)


def _draw_many(names: WeightedNames, rng: np.random.Generator, n: int) -> StrArray:
    index = np.searchsorted(names.cdf, rng.random(n), side="right")
    table = np.array(names.names, dtype=object)
    out: StrArray = table[np.minimum(index, len(table) - 1)]
    return out


def _join(first: StrArray, second: StrArray, sep: str) -> StrArray:
    out: StrArray = first + sep + second
    return out


def _draw_parts(
    origin: Origin, sex: int, n: int, rng: np.random.Generator
) -> tuple[StrArray, StrArray, StrArray]:
    """Vectorized ``draw_identity`` for ``n`` persons of one sex (same distributions)."""
    lists = name_lists(origin.code)
    surname = _draw_many(lists.surnames[sex], rng, n)
    if origin.surnames == 2:
        surname = _join(surname, _draw_many(lists.surnames[sex], rng, n), " ")
    given = _draw_many(lists.given[sex], rng, n)
    if origin.han_given:
        single = np.array([len(g) == 1 for g in given], dtype=np.bool_)
        two = single & (rng.random(n) < TWO_CHAR_GIVEN_RATE)
        given = np.where(two, _join(given, _draw_many(lists.given[sex], rng, n), ""), given)
    empty = np.full(n, "", dtype=object)
    if lists.middle is not None:
        middle = _draw_many(lists.middle[sex], rng, n)
    elif origin.middle == "father":
        middle = _draw_many(lists.given[0], rng, n)
    elif origin.middle == "second_given":
        second = rng.random(n) < SECOND_GIVEN_RATE
        middle = np.where(second, _draw_many(lists.given[sex], rng, n), empty)
    else:
        middle = empty
    return surname, given, middle


def build_pool(origin: Origin, size: int, rng: np.random.Generator) -> Pool:
    """``size`` identities of ``origin`` (drawn column-wise from the weighted lists)."""
    sex = rng.integers(0, 2, size=size)
    surname = np.empty(size, dtype=object)
    given = np.empty(size, dtype=object)
    middle = np.empty(size, dtype=object)
    for value in (0, 1):
        rows = np.flatnonzero(sex == value)
        surname[rows], given[rows], middle[rows] = _draw_parts(origin, value, len(rows), rng)
    return Pool(
        origin,
        [int(v) for v in sex],
        [str(v) for v in surname],
        [str(v) for v in given],
        [str(v) for v in middle],
    )


def spell(parts: Parts, scheme: str) -> Parts:
    """Romanize each part of a native name with ``scheme``."""
    return Parts(
        romanize(parts.surname, scheme, surname=True),
        spell_given(parts.given, scheme),
        romanize(parts.middle, scheme),
    )


def spell_given(given: str, scheme: str) -> str:
    """Romanize given name(s) token by token (Chinese given names as one unit)."""
    return " ".join(romanize(t, scheme) for t in _given_tokens(given, scheme))


def _given_tokens(given: str, scheme: str) -> list[str]:
    if scheme in ("pinyin", "pinyin_split", "wade_giles"):
        return [given]
    return given.split(" ")


def spelling(identity: Identity, scheme: str) -> Parts:
    """The identity's parts in ``scheme``, computed once."""
    found = identity.spellings.get(scheme)
    if found is None:
        found = identity.native if scheme == "native" else spell(identity.native, scheme)
        identity.spellings[scheme] = found
    return found


def mrz_form(origin: Origin, identity: Identity) -> str:
    """``SURNAME<<GIVEN<NAMES`` from the passport spelling, truncated to the 39-char field."""
    parts = spelling(identity, origin.passport)
    given = parts.given
    if parts.middle and origin.middle not in ("patronymic", "father"):
        given = f"{given} {parts.middle}"
    text = f"{mrz_name(parts.surname)}<<{mrz_name(given)}"
    return text[:39]
