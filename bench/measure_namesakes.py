"""Measure full-name namesakes in a generated world (issue #3).

Usage: ``python bench/measure_namesakes.py OUT_DIR --records N --travelers M --seed S``
with the arguments the world was generated with. Person ids come from
``truth_records.parquet``; each person's native full name (surname, given, middle in the
native script) from the rebuilt person table. Prints JSON: the share of records whose native
full name is also the name of a record of another person, the mean number of other persons
per record sharing its full name, and the same share among persons (all persons of the world,
travelers included) per origin.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import polars as pl

from pipeline.generate import GeneratorConfig
from pipeline.generate.world import _build_world


def _native_names(world_args: tuple[int, int, int]) -> pl.DataFrame:
    seed, n_records, n_travelers = world_args
    world, _ = _build_world(GeneratorConfig(), seed, n_records, n_travelers)
    people = world.people
    rows: list[tuple[int, str, str]] = []
    for person in range(len(people)):
        o = int(people.origin[person])
        native = world.pools[o].identity(int(people.ident[person])).native
        full = f"{native.surname}|{native.given}|{native.middle}"
        rows.append((person, world.origins[o].code, full))
    return pl.DataFrame(rows, schema=["person_id", "origin", "full"], orient="row")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--travelers", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args()
    names = _native_names((args.seed, args.records, args.travelers))
    records = pl.read_parquet(args.out / "truth_records.parquet", columns=["person_id"])
    records = records.join(names, on="person_id")
    persons = records.group_by("full").agg(pl.col("person_id").n_unique().alias("persons"))
    per_record = records.join(persons, on="full")
    shared = float(per_record.select((pl.col("persons") > 1).mean()).item())
    others = float(per_record.select((pl.col("persons") - 1).mean()).item())
    by_name = names.group_by("origin", "full").len()
    by_origin = (
        names.join(by_name, on=["origin", "full"])
        .group_by("origin")
        .agg((pl.col("len") > 1).mean().alias("shared"), pl.len().alias("persons"))
        .sort("origin")
    )
    result = {
        "records": records.height,
        "persons": names.height,
        "record_name_shared_with_other_person": round(shared, 4),
        "mean_other_persons_per_record": round(others, 3),
        "person_name_shared_by_origin": {
            o: round(float(s), 4) for o, s, _ in by_origin.iter_rows()
        },
    }
    person_shared = names.join(by_name, on=["origin", "full"]).select((pl.col("len") > 1).mean())
    result["person_name_shared"] = round(float(person_shared.item()), 4)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
