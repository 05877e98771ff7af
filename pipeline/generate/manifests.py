"""Build traveler-manifest chunks (contract columns) and their truth rows as Arrow arrays."""

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
    null_where,
    replace_rows,
    strings,
    take,
    where,
)  # fmt: skip
from pipeline.generate.context import World
from pipeline.generate.dates import day_numbers, render
from pipeline.generate.lookup import manifest_forms
from pipeline.generate.noise import typo
from pipeline.generate.records import country_column, documents, sex_values
from pipeline.generate.render import choose
from pipeline.generate.tables import load_table

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
Columns = dict[str, pa.Array]
NEGATIVE_KINDS = ("none", "namesake", "twin", "relative")
MANIFEST_LABELS = ("typo", "sex_variant", "doc_ocr")


@dataclass(frozen=True)
class TravelerRows:
    """One chunk of travelers: global index, person, and the negative kind (-1 = record subject)."""

    index: IntArray
    person: IntArray
    kind: IntArray
    anchor: IntArray


def _names(
    world: World, rows: TravelerRows, origin: IntArray, rng: np.random.Generator
) -> tuple[Columns, Columns, BoolArray]:
    c = world.cfg.manifests
    t = world.table
    n = len(rows.person)
    styles = list(c.name_style)
    style = choose(c.name_style, rng, n)
    with_typo = rng.random(n) < c.typo
    forms = manifest_forms(t, origin, t.gid(origin, world.people.ident[rows.person]))
    name = np.array(styles)[style]
    mrz_split = name == "mrz_split"
    surname = where(mrz_split, forms["mrz_surname"], forms["visual_surname"])
    given = where(mrz_split, forms["mrz_given"], forms["visual_given"])
    full = where(name == "mrz_full", forms["mrz_full"], forms["visual_full"])
    has_full = (name == "mrz_full") | (name == "visual_full")
    typo_full = np.flatnonzero(with_typo & has_full)
    typo_given = np.flatnonzero(with_typo & ~has_full)
    # Typos in row order with this chunk's generator (full name, else given names).
    new: dict[int, str] = {}
    full_rows, given_rows = set(typo_full.tolist()), typo_given.tolist()
    for i in np.flatnonzero(with_typo).tolist():
        source = full if i in full_rows else given
        new[i] = typo(str(source[i].as_py() or ""), rng)
    full = replace_rows(full, typo_full, [new[i] for i in typo_full.tolist()])
    given = replace_rows(given, typo_given, [new[i] for i in given_rows])
    columns: Columns = {
        "surname": null_where(surname, has_full),
        "given_names": null_where(given, has_full),
        "full_name": null_where(full, ~has_full),
    }
    return columns, {"name_style": strings(styles).take(pa.array(style))}, with_typo


@cache
def _flight_tables() -> tuple[pa.Array, pa.Array, pa.Array]:
    ref = load_table("reference")
    return strings(ref["carriers"]), strings(ref["hub_ports"]), strings(ref["us_ports"])


def _flights(world: World, rows: TravelerRows) -> Columns:
    carriers, hubs, us = _flight_tables()
    flight = rows.index // world.cfg.manifests.flight_size
    mixed = (flight * 2654435761 + world.seed) % (1 << 31)
    first, _ = day_numbers(world.cfg.world.departure_date, world.cfg.world.departure_date)
    dates = render(first + mixed % 7, np.zeros(len(flight), dtype=np.int64), ("iso",))
    carrier = take(carriers, mixed % len(carriers))
    number = pc.cast(pa.array(100 + mixed % 9000), pa.string())
    return {
        "carrier": carrier,
        "flight_number": join(carrier, number, ""),
        "departure_port": take(hubs, (mixed >> 5) % len(hubs)),
        "arrival_port": take(us, (mixed >> 9) % len(us)),
        "departure_date": dates,
    }


def build_manifests(world: World, rows: TravelerRows, chunk: int) -> tuple[Columns, Columns]:
    """Contract columns and truth columns of one chunk of travelers."""
    c = world.cfg.manifests
    rng = np.random.default_rng([world.seed, 2, chunk])
    n = len(rows.person)
    people = world.people.take(rows.person)
    names, name_truth, with_typo = _names(world, rows, people.origin, rng)
    dob_names = tuple(c.dob_formats)
    dob_fmt = choose(c.dob_formats, rng, n)
    sex_variant = rng.random(n) < c.sex_variant
    nat_styles = tuple(c.nationality_format)
    nationality = country_column(
        world, people.country, choose(c.nationality_format, rng, n), nat_styles
    )
    ocr = rng.random(n) < c.ocr_confusion
    docs = documents(people.doc_letter, people.doc_number, ocr, rng)
    alpha3 = country_column(world, people.country, np.zeros(n, dtype=np.int64), ("alpha3",))
    traveler_id = digits(rows.index, 9, prefix="T")
    columns: Columns = {
        "traveler_id": traveler_id,
        **names,
        "date_of_birth": render(people.dob, dob_fmt, dob_names),
        "sex": sex_values(people.sex, rng.integers(0, 8, size=n), sex_variant, None),
        "nationality": nationality,
        "document_number": docs,
        "document_country": alpha3,
        **_flights(world, rows),
    }
    noise = label_lists(np.stack([with_typo, sex_variant, ocr], axis=1), MANIFEST_LABELS)
    origin = pa.array(people.origin)
    truth: Columns = {
        "traveler_id": traveler_id,
        "person_id": pa.array(rows.person, pa.int64()),
        "origin": strings([o.code for o in world.origins]).take(origin),
        "script": strings([o.script for o in world.origins]).take(origin),
        "has_record": pa.array(rows.kind < 0),
        "negative_kind": take(strings(NEGATIVE_KINDS), np.maximum(rows.kind, 0)),
        "anchor_person_id": pa.array(rows.anchor, pa.int64(), mask=rows.anchor < 0),
        "name_style": name_truth["name_style"],
        "dob_format": strings(dob_names).take(pa.array(dob_fmt)),
        "manifest_noise": noise,
    }
    return columns, truth
