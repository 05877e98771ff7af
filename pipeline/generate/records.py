"""Build conviction-record chunks (contract columns) and their truth rows as Arrow arrays.

Names are taken from the precomputed spelling table (:mod:`lookup`) and composed with
Arrow string kernels; only rows whose noise needs per-row work (typos, an extra middle
name, initials, Slavic masculine or cut Spanish surnames) go through :func:`record_name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generate.columns import (
    digits,
    join,
    label_lists,
    lists,
    null_where,
    replace_rows,
    strings,
    take,
    where,
)  # fmt: skip
from pipeline.generate.context import World
from pipeline.generate.dates import january_first, render, swap_day_month
from pipeline.generate.lookup import SLOTS, NameTable
from pipeline.generate.names import NameFlags, record_name
from pipeline.generate.noise import ocr_confuse
from pipeline.generate.people import N_CITIES
from pipeline.generate.pool import Parts
from pipeline.generate.render import SEX_CODES, choose, country_names
from pipeline.generate.tables import load_table

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]
NAME_LABELS = ("masculine_surname", "drop_second_surname", "drop_middle", "extra_middle",
               "initials", "typo", "reversed_order", "alias")  # fmt: skip
DOB_LABELS = ("wrong_dob", "placeholder_dob", "alternate_dob")
FIELD_LABELS = ("sex_missing", "sex_variant", "nationality_missing", "doc_ocr",
                "place_of_birth_missing", "offense_level_unknown")  # fmt: skip


@dataclass(frozen=True)
class RecordRows:
    """The rows of one chunk: global record index, person, and whether from the second country."""

    index: IntArray
    person: IntArray
    second_source: BoolArray


def full_names(
    table: NameTable, origin: IntArray, native: BoolArray, surname: pa.Array, given: pa.Array
) -> pa.Array:
    """Full name as a clerk writes it: native order and joiner, else ``SURNAME given`` for
    family-first origins and ``given surname`` for the others (see ``names._full``)."""
    family_first = table.family_first[origin]
    upper = surname
    if (family_first & ~native).any():
        upper = where(native, surname, pc.utf8_upper(surname))
    first = where(family_first, upper, given)
    second = where(family_first, given, surname)
    sep = where(native, table.joiner.take(pa.array(origin)), pa.array(np.full(len(origin), " ")))
    return join(first, second, sep)


def _names(
    world: World, rows: RecordRows, rng: np.random.Generator
) -> tuple[Columns, Columns, IntArray]:
    c = world.cfg.records.names
    t = world.table
    n = len(rows.person)
    people = world.people
    origin = people.origin[rows.person]
    gid = t.gid(origin, people.ident[rows.person])
    forms, layouts = np.array(list(c.form)), list(c.layout)
    form = forms[choose(c.form, rng, n)]
    layout = choose(c.layout, rng, n)
    picks = rng.random(n)
    rates = (c.typo, c.reversed_order, c.drop_middle, c.extra_middle, c.initials,
             c.masculine_surname, c.drop_second_surname)  # fmt: skip
    flags = rng.random((n, len(rates))) < np.array(rates)
    typo, reverse, drop, extra, initials, masculine, second = flags.T
    n_alias = np.where(rng.random(n) < c.alias, rng.integers(1, c.max_aliases + 1, size=n), 0)

    n_alt = t.n_schemes[origin] - 2
    alternate = 2 + (picks * np.maximum(n_alt, 1)).astype(np.int64)
    slot = np.where(
        form == "native", 0, np.where((form == "passport") | (n_alt == 0), 1, alternate)
    )
    scheme = origin * SLOTS + slot
    native = t.native_scheme[scheme]
    middle_index = t.index(2, slot, origin, gid)
    has_middle = t.has_middle[middle_index]
    female = people.sex[rows.person] == 1
    per_row = (
        typo
        | (extra & ~has_middle)
        | (initials & (~native | t.latin[origin]))
        | (masculine & t.slavic[origin] & female)
        | (second & t.two_surnames[origin])
    )
    # Vectorized rows: drop_middle and reversed_order only.
    index = [pa.array(t.index(0, slot, origin, gid)), pa.array(t.index(1, slot, origin, gid)),
             pa.array(middle_index)]  # fmt: skip
    surname, given, middle = (values.take(index[p]) for p, values in enumerate(t.parts))
    keep_middle = has_middle & ~drop
    given = where(keep_middle, join(given, middle, " "), given)
    surname, given = where(reverse, given, surname), where(reverse, surname, given)
    full = full_names(t, origin, native, surname, given)
    labels = np.zeros((n, len(NAME_LABELS)), dtype=np.bool_)
    labels[:, 2] = has_middle & drop
    labels[:, 6] = reverse
    # Per-row rows: the reference implementation, in row order with this chunk's generator.
    special = np.flatnonzero(per_row)
    labels[special] = False
    new: tuple[list[str | None], list[str | None], list[str | None]] = ([], [], [])
    rows_at = pa.array(special)
    spelled = [values.take(index[p].take(rows_at)).to_pylist() for p, values in enumerate(t.parts)]
    for k, i in enumerate(special.tolist()):
        o = int(origin[i])
        identity = world.pools[o].identity(int(people.ident[rows.person[i]]))
        # The table's spelling (same functions as ``pool.spell``), so no romanization here.
        identity.spellings[t.schemes[int(scheme[i])]] = Parts(*(v[k] for v in spelled))
        fields = record_name(
            world.origins[o], identity, t.schemes[int(scheme[i])], "both",
            NameFlags(*map(bool, flags[i])), rng,
        )  # fmt: skip
        new[0].append(fields.surname)
        new[1].append(fields.given)
        new[2].append(fields.full)
        labels[i, [NAME_LABELS.index(label) for label in fields.labels]] = True
    surname = replace_rows(surname, special, new[0])
    given = replace_rows(given, special, new[1])
    full = replace_rows(full, special, new[2])
    labels[:, 7] = n_alias > 0
    split = layout == layouts.index("split") if "split" in layouts else np.zeros(n, np.bool_)
    full_only = layout == layouts.index("full") if "full" in layouts else np.zeros(n, np.bool_)
    columns: Columns = {
        "surname": null_where(surname, full_only),
        "given_names": null_where(given, full_only),
        "full_name": null_where(full, split),
        "aliases": _aliases(t, origin, gid, n_alias, rng),
    }
    truth: Columns = {
        "name_form": t.scheme_names.take(pa.array(scheme)),
        "name_noise": label_lists(labels, NAME_LABELS),
    }
    return columns, truth, origin


def _aliases(
    t: NameTable, origin: IntArray, gid: IntArray, count: IntArray, rng: np.random.Generator
) -> pa.Array:
    """Other spellings of the same person: full names in schemes drawn uniformly."""
    row = np.repeat(np.arange(len(count)), count)
    o = origin[row]
    slot = (rng.random(len(row)) * t.n_schemes[o]).astype(np.int64)
    surname = t.surname.take(pa.array(t.index(0, slot, o, gid[row])))
    given = t.given.take(pa.array(t.index(1, slot, o, gid[row])))
    native = t.native_scheme[o * SLOTS + slot]
    values = full_names(t, o, native, surname, given)
    return lists(count, values)


def _wrong_dates(dob: IntArray, rng: np.random.Generator) -> IntArray:
    kind = rng.integers(0, 3, size=len(dob))
    shifted = dob + np.where(kind == 0, rng.choice([-1, 1], size=len(dob)), 0)
    shifted = shifted + np.where(kind == 1, 365 * rng.choice([-1, 1, -10, 10], size=len(dob)), 0)
    out: IntArray = np.where(kind == 2, swap_day_month(dob), shifted)
    return out


def _dates(world: World, rows: RecordRows, rng: np.random.Generator) -> tuple[Columns, Columns]:
    c = world.cfg.records.dates
    n = len(rows.person)
    true_dob = world.people.dob[rows.person]
    names = tuple(c.formats)
    fmt = choose(c.formats, rng, n)
    wrong = rng.random(n) < c.wrong
    placeholder = ~wrong & (rng.random(n) < c.placeholder)
    dob = np.where(wrong, _wrong_dates(true_dob, rng), true_dob)
    dob = np.where(placeholder, january_first(true_dob), dob)
    alternate = rng.random(n) < c.alternate
    alt_fmt = choose(c.formats, rng, n)
    alt_dob = np.where(wrong | placeholder, true_dob, _wrong_dates(true_dob, rng))
    alt_rows = np.flatnonzero(alternate)
    alternates = lists(
        alternate.astype(np.int64), render(alt_dob[alt_rows], alt_fmt[alt_rows], names)
    )
    columns: Columns = {"date_of_birth": render(dob, fmt, names), "alternate_dobs": alternates}
    labels = np.stack([wrong, placeholder, alternate], axis=1)
    return columns, {
        "dob_format": strings(names).take(pa.array(fmt)),
        "dob_noise": label_lists(labels, DOB_LABELS),
    }


@cache
def _country_table(codes: tuple[str, ...], styles: tuple[str, ...]) -> pa.Array:
    return strings([str(v) for s in styles for v in country_names(list(codes), s)])


def country_column(
    world: World, country: IntArray, style: IntArray, styles: tuple[str, ...],
    null: BoolArray | None = None,
) -> pa.Array:  # fmt: skip
    """Each row's country (index into ``geo.countries``) in its drawn style."""
    codes = tuple(world.geo.countries)
    return take(_country_table(codes, styles), style * len(codes) + country, null)


def sex_values(
    sex: IntArray, variant: IntArray, use: BoolArray, null: BoolArray | None
) -> pa.Array:
    """``M``/``F``, or one of the other spellings where ``use`` ."""
    width = len(SEX_CODES[0])
    column = np.where(use, 1 + variant % (width - 1), 0)
    return take(strings([v for row in SEX_CODES for v in row]), sex * width + column, null)


def documents(
    letter: IntArray, number: IntArray, ocr: BoolArray, rng: np.random.Generator
) -> pa.Array:
    """Passport numbers (a letter and eight digits), one OCR confusion where ``ocr``."""
    docs = digits(number, 8)
    prefix = take(strings([chr(65 + k) for k in range(26)]), letter)
    joined = join(prefix, docs, "")
    rows = np.flatnonzero(ocr)
    if len(rows) == 0:
        return joined
    raw = joined.take(pa.array(rows)).to_pylist()
    return replace_rows(joined, rows, [ocr_confuse(str(d), rng) for d in raw])


@cache
def _cities(world_cities: tuple[tuple[str, ...], ...]) -> pa.Array:
    return strings([city for cities in world_cities for city in cities])


def _fields(world: World, rows: RecordRows, rng: np.random.Generator) -> tuple[Columns, Columns]:
    c = world.cfg.records.fields
    n = len(rows.person)
    people = world.people.take(rows.person)
    labels = np.zeros((n, len(FIELD_LABELS)), dtype=np.bool_)

    def flag(rate: float, label: str, among: BoolArray | None = None) -> BoolArray:
        drawn = rng.random(n) < rate
        if among is not None:
            drawn &= among
        labels[:, FIELD_LABELS.index(label)] = drawn
        return drawn

    sex_missing = flag(c.sex_missing, "sex_missing")
    sex_variant = flag(c.sex_variant, "sex_variant", among=~sex_missing)
    sex = sex_values(people.sex, rng.integers(0, 8, size=n), sex_variant, sex_missing)
    styles = tuple(c.nationality_format)
    style = choose(c.nationality_format, rng, n)
    nat_missing = flag(c.nationality_missing, "nationality_missing")
    nationality = country_column(world, people.country, style, styles, nat_missing)
    present = rng.random(n) < c.document_present
    ocr = flag(c.ocr_confusion, "doc_ocr", among=present)
    docs = null_where(documents(people.doc_letter, people.doc_number, ocr, rng), ~present)
    pob_missing = flag(c.place_of_birth_missing, "place_of_birth_missing")
    cities = _cities(tuple(world.cities))
    pob = take(cities, people.origin * N_CITIES + people.birthplace, pob_missing)
    columns: Columns = {"sex": sex, "nationality": nationality, "document_number": docs,
                        "place_of_birth": pob}  # fmt: skip
    columns.update(
        _offense(world, people.dob, rng, flag(c.offense_level_unknown, "offense_level_unknown"))
    )
    country, agencies = _source(world, rows, rng)
    source = take(strings(world.geo.countries), country)
    columns["source_country"] = source
    columns["source_agency"] = agencies
    columns["subject_id"] = _subject_ids(world, rows, source)
    columns["us_person"] = take(strings(["false", "true"]), people.us_person.astype(np.int64))
    return columns, {"field_noise": label_lists(labels, FIELD_LABELS), "source_country": source}


@cache
def _agency_table(codes: tuple[str, ...]) -> tuple[pa.Array, int, int]:
    ref = load_table("reference")
    agencies: list[str] = ref["agencies"]
    us_agencies: list[str] = ref["us_agencies"]
    names = country_names(list(codes), "name")
    table = [f"{names[c]} {a}" for c in range(len(codes)) for a in agencies] + us_agencies
    return strings(table), len(agencies), len(us_agencies)


def _source(world: World, rows: RecordRows, rng: np.random.Generator) -> tuple[IntArray, pa.Array]:
    ref = load_table("reference")
    geo = world.geo
    own = world.people.country[rows.person]
    second = np.array([geo.countries.index(c) for c in ref["second_countries"]])
    other = second[(rows.person * 7 + world.seed) % len(second)]
    other = np.where(other == own, geo.us_index, other)
    country = np.where(rows.second_source, other, own)
    table, n_agencies, n_us = _agency_table(tuple(geo.countries))
    pick = rng.integers(0, 1 << 30, size=len(country))
    index = np.where(
        country == geo.us_index,
        len(geo.countries) * n_agencies + pick % n_us,
        country * n_agencies + pick % n_agencies,
    )
    return country, take(table, index)


def _subject_ids(world: World, rows: RecordRows, source: pa.Array) -> pa.Array:
    key = rows.person.astype(np.uint64) * np.uint64(2) + rows.second_source.astype(np.uint64)
    mixed = (key * np.uint64(0x9E3779B97F4A7C15) + np.uint64(world.seed)) & np.uint64((1 << 40) - 1)
    return join(source, digits(mixed.astype(np.int64), 10, base=16), "-")


@cache
def _offense_tables() -> tuple[pa.Array, pa.Array, int]:
    offenses: list[dict[str, str]] = load_table("reference")["offenses"]
    return (
        strings([o["description"] for o in offenses]),
        strings([o["level"] for o in offenses]),
        len(offenses),
    )


def _offense(world: World, dob: IntArray, rng: np.random.Generator, unknown: BoolArray) -> Columns:
    descriptions, levels, n_offenses = _offense_tables()
    n = len(dob)
    pick = rng.integers(0, n_offenses, size=n)
    adult = dob + 18 * 365
    last = np.int64(np.datetime64(world.cfg.world.departure_date, "D").astype(np.int64))
    convicted = adult + (rng.random(n) * np.maximum(last - adult, 1)).astype(np.int64)
    names = ("iso", "dmy_slash", "d_mon_y")
    return {
        "offense_description": take(descriptions, pick),
        "offense_level": take(levels, pick, unknown),
        "conviction_date": render(convicted, rng.integers(0, len(names), size=n), names),
    }


def build_records(world: World, rows: RecordRows, chunk: int) -> tuple[Columns, Columns]:
    """Contract columns and truth columns of one chunk of records."""
    rng = np.random.default_rng([world.seed, 1, chunk])
    names, name_truth, origin = _names(world, rows, rng)
    dates, date_truth = _dates(world, rows, rng)
    fields, field_truth = _fields(world, rows, rng)
    record_id = digits(rows.index, 10, prefix="R")
    columns: Columns = {"record_id": record_id, **names, **dates, **fields}
    codes = strings([o.code for o in world.origins])
    scripts = strings([o.script for o in world.origins])
    origin_index = pa.array(origin)
    truth: Columns = {
        "record_id": record_id,
        "person_id": pa.array(rows.person, pa.int64()),
        "origin": codes.take(origin_index),
        "script": scripts.take(origin_index),
        **name_truth,
        **date_truth,
        **field_truth,
    }
    return columns, truth
