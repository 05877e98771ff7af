"""``generate_world``: persons, then records and manifests in chunks, then the truth."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from pipeline.errors import InputError
from pipeline.generate.config import GeneratorConfig, load_config
from pipeline.generate.context import World
from pipeline.generate.lookup import build_name_table
from pipeline.generate.manifests import TravelerRows, build_manifests
from pipeline.generate.origins import all_origins
from pipeline.generate.people import (
    US,
    Geography,
    People,
    namesakes,
    random_people,
    relatives,
    twins,
)  # fmt: skip
from pipeline.generate.pool import Pool
from pipeline.generate.records import RecordRows, build_records
from pipeline.generate.render import cities
from pipeline.generate.tables import load_table
from pipeline.generate.writer import (
    ChunkWriter,
    Format,
    chunk_table,
    contract_schema,
    write_parquet,
)  # fmt: skip
from pipeline.schema import LIST_FIELDS, MANIFEST_FIELDS, RECORD_FIELDS

IntArray = npt.NDArray[np.int64]
TRAVELERS_TRUTH = "truth_travelers.parquet"
RECORDS_TRUTH = "truth_records.parquet"
Progress = Callable[[int, int], None]

TRUTH_RECORD_SCHEMA = pa.schema([
    ("record_id", pa.string()), ("person_id", pa.int64()), ("origin", pa.string()),
    ("script", pa.string()), ("name_form", pa.string()), ("name_noise", pa.list_(pa.string())),
    ("dob_format", pa.string()), ("dob_noise", pa.list_(pa.string())),
    ("field_noise", pa.list_(pa.string())), ("source_country", pa.string()),
])  # fmt: skip
TRUTH_TRAVELER_SCHEMA = pa.schema([
    ("traveler_id", pa.string()), ("person_id", pa.int64()), ("origin", pa.string()),
    ("script", pa.string()), ("has_record", pa.bool_()), ("negative_kind", pa.string()),
    ("anchor_person_id", pa.int64()), ("name_style", pa.string()), ("dob_format", pa.string()),
    ("manifest_noise", pa.list_(pa.string())),
])  # fmt: skip


@dataclass(frozen=True)
class WorldSummary:
    """What ``generate_world`` wrote."""

    out_dir: Path
    files: tuple[Path, ...]
    n_records: int
    n_travelers: int
    n_persons: int
    n_true_pairs: int
    n_matched_travelers: int
    seconds: float


@dataclass(frozen=True)
class _Plan:
    record_person: IntArray  # person of each record, in output order
    second_source: npt.NDArray[np.bool_]
    traveler_person: IntArray
    traveler_kind: IntArray
    traveler_anchor: IntArray


def _geography(origin_codes: list[str]) -> Geography:
    origins = all_origins()
    codes: list[str] = [US]
    for code in origin_codes:
        codes += [c for c in origins[code].countries if c not in codes]
    codes += [c for c in load_table("reference")["second_countries"] if c not in codes]
    per_origin = [np.array([codes.index(c) for c in origins[o].countries]) for o in origin_codes]
    return Geography(codes, per_origin, codes.index(US))


def _records_per_person(cfg: GeneratorConfig, n_records: int, rng: np.random.Generator) -> IntArray:
    mean = cfg.world.extra_records_mean
    estimate = int(n_records / (1 + mean) * 1.2) + 10
    counts = rng.geometric(1 / (1 + mean), size=estimate).astype(np.int64)
    ends = np.cumsum(counts)
    n_persons = int(np.searchsorted(ends, n_records)) + 1
    counts = counts[:n_persons].copy()
    counts[-1] -= int(ends[n_persons - 1]) - n_records
    return counts


def _record_layout(
    cfg: GeneratorConfig, counts: IntArray, rng: np.random.Generator
) -> tuple[IntArray, npt.NDArray[np.bool_]]:
    person = np.repeat(np.arange(len(counts)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    nth = np.arange(len(person)) - starts
    two_countries = (counts >= 2) & (rng.random(len(counts)) < cfg.world.second_country_rate)
    second = two_countries[person] & (nth % 2 == 1)
    order = rng.permutation(len(person))
    return person[order], second[order]


def _traveler_counts(cfg: GeneratorConfig, n_travelers: int, n_subjects: int) -> list[int]:
    matched = min(round(n_travelers * cfg.world.match_rate), n_subjects)
    neg = cfg.negatives
    kinds = [round(n_travelers * r) if n_subjects else 0  # hard negatives need an anchor
             for r in (neg.namesake, neg.twin, neg.relative)]  # fmt: skip
    kinds = [min(k, max(n_travelers - matched - sum(kinds[:i]), 0)) for i, k in enumerate(kinds)]
    return [matched, n_travelers - matched - sum(kinds), *kinds]


def _travelers(
    world: World,
    n_travelers: int,
    n_subjects: int,
    probs: npt.NDArray[np.float64],
    rng: np.random.Generator,
) -> tuple[IntArray, IntArray, IntArray]:
    matched, unrelated, n_namesake, n_twin, n_relative = _traveler_counts(
        world.cfg, n_travelers, n_subjects
    )
    subjects = world.people
    chosen = (
        rng.choice(n_subjects, size=matched, replace=False) if matched else np.zeros(0, np.int64)
    )
    groups: list[People] = [random_people(unrelated, probs, world.pools, world.cfg, world.geo, rng)]
    anchors: list[IntArray] = [np.full(unrelated, -1, dtype=np.int64)]
    for size, make in ((n_namesake, "namesake"), (n_twin, "twin"), (n_relative, "relative")):
        anchor = rng.integers(0, max(n_subjects, 1), size=size)
        people = subjects.take(anchor)
        if make == "namesake":
            groups.append(namesakes(people, world.cfg, world.geo, rng))
        elif make == "twin":
            groups.append(twins(people, world.pools, world.cfg, world.geo, rng))
        else:
            groups.append(relatives(people, world.pools, world.cfg, world.geo, rng))
        anchors.append(anchor.astype(np.int64))
    new = groups[0]
    for g in groups[1:]:
        new = new.concat(g)
    world.people = subjects.concat(new)
    person = np.concatenate([chosen.astype(np.int64), n_subjects + np.arange(len(new))])
    kind = np.concatenate(
        [np.full(matched, -1), np.repeat([0, 1, 2, 3], [unrelated, n_namesake, n_twin, n_relative])]
    )
    anchor = np.concatenate([np.full(matched, -1), *anchors])
    order = rng.permutation(len(person))
    return person[order], kind[order].astype(np.int64), anchor[order]


def _origin_probs(cfg: GeneratorConfig) -> tuple[list[str], npt.NDArray[np.float64]]:
    known = all_origins()
    unknown = sorted(set(cfg.origins) - set(known))
    if unknown:
        raise InputError(f"unknown name origin(s) in generator config: {', '.join(unknown)}")
    codes = [c for c, w in cfg.origins.items() if w > 0]
    weights = np.array([cfg.origins[c] for c in codes], dtype=np.float64)
    return codes, weights / weights.sum()


def _build_world(
    cfg: GeneratorConfig, seed: int, n_records: int, n_travelers: int
) -> tuple[World, _Plan]:
    rng = np.random.default_rng([seed, 0])
    codes, probs = _origin_probs(cfg)
    counts = _records_per_person(cfg, n_records, rng) if n_records else np.zeros(0, np.int64)
    n_subjects = len(counts)
    origins = [all_origins()[c] for c in codes]
    pools = [Pool.empty(o) for o in origins]  # persons add their identities
    geo = _geography(codes)
    city_lists = [cities(o.locale, seed, 60) for o in origins]
    world = World(
        cfg, seed, origins, pools, geo,
        random_people(n_subjects, probs, pools, cfg, geo, rng), city_lists,
    )  # fmt: skip
    record_person, second = _record_layout(cfg, counts, rng)
    traveler_person, kind, anchor = _travelers(world, n_travelers, n_subjects, probs, rng)
    world.names = build_name_table(origins, pools)
    pa.default_memory_pool().release_unused()  # the table's build buffers
    return world, _Plan(record_person, second, traveler_person, kind, anchor)


def _chunks(total: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _write_records(
    world: World,
    plan: _Plan,
    out: Path,
    fmt: Format,
    matched: npt.NDArray[np.bool_],
    tick: Callable[[int], None],
) -> pa.Table:
    schema = contract_schema(RECORD_FIELDS, LIST_FIELDS)
    kept: list[pa.Table] = [TRUTH_RECORD_SCHEMA.empty_table()]
    with ChunkWriter(out / f"records.{fmt}", schema, fmt) as records, \
            ChunkWriter(out / RECORDS_TRUTH, TRUTH_RECORD_SCHEMA, "parquet") as truth:  # fmt: skip
        for chunk, (start, end) in enumerate(
            _chunks(len(plan.record_person), world.cfg.world.chunk_rows)
        ):
            rows = RecordRows(
                np.arange(start, end), plan.record_person[start:end], plan.second_source[start:end]
            )
            columns, truth_columns = build_records(world, rows, chunk)
            records.write(columns)
            truth_table = chunk_table(truth_columns, TRUTH_RECORD_SCHEMA)
            truth.write_table(truth_table)
            kept.append(truth_table.filter(pa.array(matched[rows.person])))
            tick(end - start)
    return pa.concat_tables(kept)


def _write_manifests(
    world: World, plan: _Plan, out: Path, fmt: Format, tick: Callable[[int], None]
) -> pa.Table:
    schema = contract_schema(MANIFEST_FIELDS, LIST_FIELDS)
    kept: list[pa.Table] = [TRUTH_TRAVELER_SCHEMA.empty_table()]
    with ChunkWriter(out / f"manifests.{fmt}", schema, fmt) as manifests, \
            ChunkWriter(out / TRAVELERS_TRUTH, TRUTH_TRAVELER_SCHEMA, "parquet") as tr:  # fmt: skip
        for chunk, (start, end) in enumerate(
            _chunks(len(plan.traveler_person), world.cfg.world.chunk_rows)
        ):
            part = slice(start, end)
            rows = TravelerRows(
                np.arange(start, end), plan.traveler_person[part],
                plan.traveler_kind[part], plan.traveler_anchor[part],
            )  # fmt: skip
            columns, truth_columns = build_manifests(world, rows, chunk)
            manifests.write(columns)
            truth_table = chunk_table(truth_columns, TRUTH_TRAVELER_SCHEMA)
            tr.write_table(truth_table)
            kept.append(truth_table.filter(pa.array(rows.kind < 0)))
            tick(end - start)
    return pa.concat_tables(kept)


def _write_pairs(out: Path, travelers: pa.Table, records: pa.Table) -> int:
    left = pl.DataFrame(pl.from_arrow(travelers)).select(
        "traveler_id", "person_id", "origin", "script", "name_style",
        pl.col("dob_format").alias("manifest_dob_format"), "manifest_noise",
    )  # fmt: skip
    right = pl.DataFrame(pl.from_arrow(records)).select(
        "record_id", "person_id", "name_form", "name_noise",
        pl.col("dob_format").alias("record_dob_format"),
        "dob_noise", "field_noise", "source_country",
    )  # fmt: skip
    pairs = left.join(right, on="person_id", how="inner").sort("traveler_id", "record_id")
    columns = [
        "traveler_id",
        "record_id",
        *[c for c in pairs.columns if c not in ("traveler_id", "record_id")],
    ]
    write_parquet(out / "truth.parquet", pairs.select(columns).to_arrow())
    return pairs.height


def generate_world(
    out_dir: Path,
    *,
    n_records: int,
    n_travelers: int,
    seed: int,
    fmt: Format = "parquet",
    config_path: Path | None = None,
    progress: Progress | None = None,
) -> WorldSummary:
    """Write records, manifests and ground truth of a synthetic world to ``out_dir``.

    Files: ``records.<fmt>``, ``manifests.<fmt>`` (input contract), ``truth.parquet`` (true
    traveler-record pairs), ``truth_travelers.parquet`` and ``truth_records.parquet`` (labels).
    The same arguments give byte-identical files.
    """
    if n_records < 0 or n_travelers < 0:
        raise InputError("--records and --travelers must be zero or more")
    if fmt not in ("parquet", "csv"):
        raise InputError(f"unknown format {fmt!r}: use parquet or csv")
    started = time.perf_counter()
    cfg = load_config(config_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    world, plan = _build_world(cfg, seed, n_records, n_travelers)
    total, done = n_records + n_travelers, [0]

    def tick(rows: int) -> None:
        done[0] += rows
        if progress is not None:
            progress(done[0], total)

    matched = np.zeros(len(world.people), dtype=np.bool_)
    matched[plan.traveler_person[plan.traveler_kind < 0]] = True
    record_truth = _write_records(world, plan, out_dir, fmt, matched, tick)
    traveler_truth = _write_manifests(world, plan, out_dir, fmt, tick)
    n_pairs = _write_pairs(out_dir, traveler_truth, record_truth)
    names = (
        f"records.{fmt}",
        f"manifests.{fmt}",
        "truth.parquet",
        "truth_travelers.parquet",
        "truth_records.parquet",
    )
    return WorldSummary(
        out_dir=out_dir,
        files=tuple(out_dir / n for n in names),
        n_records=n_records,
        n_travelers=n_travelers,
        n_persons=len(world.people),
        n_true_pairs=n_pairs,
        n_matched_travelers=int((plan.traveler_kind < 0).sum()),
        seconds=time.perf_counter() - started,
    )
