"""The person table: columnar numpy arrays, one row per synthetic person.

Record subjects come first (ids 0..n-1); travelers who have no record (namesakes,
twins, relatives and unrelated travelers) are appended after them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from pipeline.generate.config import GeneratorConfig
from pipeline.generate.dates import day_numbers
from pipeline.generate.pool import Identity, Parts, Pool, draw_given, draw_identity

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
US = "US"
N_CITIES = 60


@dataclass
class Geography:
    """Countries (alpha-2) and the index of each origin's countries in that list."""

    countries: list[str]
    origin_countries: list[IntArray]
    us_index: int


@dataclass
class People:
    """Columns of the person table."""

    origin: IntArray
    ident: IntArray
    sex: IntArray
    dob: IntArray
    country: IntArray
    doc_letter: IntArray
    doc_number: IntArray
    birthplace: IntArray
    us_person: BoolArray

    def __len__(self) -> int:
        return len(self.origin)

    def take(self, rows: IntArray) -> People:
        return People(*(getattr(self, f.name)[rows] for f in fields(self)))

    def concat(self, other: People) -> People:
        return People(
            *(np.concatenate([getattr(self, f.name), getattr(other, f.name)]) for f in fields(self))
        )


def sexes(pools: list[Pool], origin: IntArray, ident: IntArray) -> IntArray:
    """Sex of each person's identity."""
    out = np.zeros(len(origin), dtype=np.int64)
    for code, pool in enumerate(pools):
        mask = origin == code
        if mask.any():
            out[mask] = pool.sex[ident[mask]]
    return out


def random_dobs(cfg: GeneratorConfig, rng: np.random.Generator, n: int) -> IntArray:
    first, last = day_numbers(f"{cfg.world.dob_min_year}-01-01", f"{cfg.world.dob_max_year}-12-31")
    return rng.integers(first, last + 1, size=n)


def _countries(geo: Geography, origin: IntArray, rng: np.random.Generator) -> IntArray:
    out = np.zeros(len(origin), dtype=np.int64)
    for code, options in enumerate(geo.origin_countries):
        mask = origin == code
        out[mask] = options[rng.integers(0, len(options), size=int(mask.sum()))]
    return out


def new_people(
    origin: IntArray,
    ident: IntArray,
    sex: IntArray,
    dob: IntArray,
    cfg: GeneratorConfig,
    geo: Geography,
    rng: np.random.Generator,
) -> People:
    """Persons with the given names and dates, and fresh documents, countries, birthplaces."""
    n = len(origin)
    us_person = rng.random(n) < cfg.world.us_person_rate
    country = np.where(us_person, geo.us_index, _countries(geo, origin, rng))
    return People(
        origin=origin,
        ident=ident,
        sex=sex,
        dob=dob,
        country=country,
        doc_letter=rng.integers(0, 26, size=n),
        doc_number=rng.integers(0, 100_000_000, size=n),
        birthplace=rng.integers(0, N_CITIES, size=n),
        us_person=us_person,
    )


def random_people(
    n: int, probs: npt.NDArray[np.float64], pools: list[Pool], cfg: GeneratorConfig,
    geo: Geography, rng: np.random.Generator,
) -> People:  # fmt: skip
    """``n`` unrelated persons, origins drawn with ``probs``, each with a new identity."""
    origin = rng.choice(len(probs), size=n, p=probs).astype(np.int64)
    ident = np.zeros(n, dtype=np.int64)
    for code, pool in enumerate(pools):
        rows = np.flatnonzero(origin == code)
        if len(rows):
            ident[rows] = pool.draw(len(rows), rng)
    sex = sexes(pools, origin, ident)
    return new_people(origin, ident, sex, random_dobs(cfg, rng, n), cfg, geo, rng)


def namesakes(
    anchor: People, cfg: GeneratorConfig, geo: Geography, rng: np.random.Generator
) -> People:
    """Other persons with the anchors' exact names, born on other days."""
    dob = random_dobs(cfg, rng, len(anchor))
    return new_people(anchor.origin, anchor.ident, anchor.sex, dob, cfg, geo, rng)


def _kin(anchor: People, pools: list[Pool], rng: np.random.Generator) -> IntArray:
    """New identities sharing each anchor's surname (given and middle names drawn anew)."""
    siblings: list[list[Identity]] = [[] for _ in pools]
    for row in range(len(anchor)):
        pool = pools[int(anchor.origin[row])]
        base = pool.identity(int(anchor.ident[row]))
        siblings[int(anchor.origin[row])].append(_sibling(pool, base, rng))
    out = np.zeros(len(anchor), dtype=np.int64)
    for code, pool in enumerate(pools):
        if siblings[code]:
            out[anchor.origin == code] = pool.add_many(siblings[code])
    return out


def _sibling(pool: Pool, base: Identity, rng: np.random.Generator) -> Identity:
    fresh = draw_identity(pool.origin, rng, sex=base.sex)
    given = fresh.native.given
    for _ in range(3):
        if given != base.native.given:
            break
        given = draw_given(pool.origin, base.sex, rng)
    middle = base.native.middle if pool.origin.middle == "patronymic" else fresh.native.middle
    return Identity(base.sex, Parts(base.native.surname, given, middle))


def twins(
    anchor: People,
    pools: list[Pool],
    cfg: GeneratorConfig,
    geo: Geography,
    rng: np.random.Generator,
) -> People:
    """Siblings born the same day: same surname (and patronymic), another given name."""
    ident = _kin(anchor, pools, rng)
    return new_people(anchor.origin, ident, anchor.sex, anchor.dob.copy(), cfg, geo, rng)


def relatives(
    anchor: People,
    pools: list[Pool],
    cfg: GeneratorConfig,
    geo: Geography,
    rng: np.random.Generator,
) -> People:
    """Family members: same surname, another given name, born 2-35 years apart."""
    ident = _kin(anchor, pools, rng)
    gap = rng.integers(2 * 365, 35 * 365, size=len(anchor)) * rng.choice([-1, 1], size=len(anchor))
    _, latest = day_numbers("2000-01-01", f"{cfg.world.dob_max_year}-12-31")
    dob = anchor.dob + gap
    dob = np.where(dob > latest, anchor.dob - np.abs(gap), dob)
    return new_people(anchor.origin, ident, anchor.sex, dob, cfg, geo, rng)
