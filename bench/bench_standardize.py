"""Benchmark ``pipeline.standardize.standardize`` on synthetic records.

Usage: ``python bench/bench_standardize.py --size small|full`` (100k or 1M
rows). Rows are built with faker in several locales (native scripts
included) from a fixed seed; a pool of 20k identities is sampled with
replacement, as real stores repeat names. Writes ``bench/results/standardize.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

import polars as pl
from faker import Faker

from pipeline.standardize import standardize

LOCALES = [
    "en_US",
    "ru_RU",
    "uk_UA",
    "el_GR",
    "ar_AA",
    "fa_IR",
    "he_IL",
    "hi_IN",
    "bn_BD",
    "zh_CN",
    "ko_KR",
    "ja_JP",
    "ka_GE",
    "hy_AM",
    "th_TH",
    "de_DE",
    "es_ES",
    "tr_TR",
]
SIZES = {"small": 100_000, "full": 1_000_000}
POOL = 20_000
SEED = 20260206


def _pool() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for fk in fakers.values():
        fk.seed_instance(SEED)
    rows = []
    for i in range(POOL):
        fk = fakers[LOCALES[i % len(LOCALES)]]
        dob = fk.date_of_birth(minimum_age=18, maximum_age=90)
        fmt = rng.choice(["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%y%m%d", "%d %b %Y"])
        rows.append({"full_name": fk.name(), "date_of_birth": dob.strftime(fmt)})
    return rows


def build(n: int) -> pl.DataFrame:
    pool = _pool()
    rng = random.Random(SEED)
    picks = [pool[rng.randrange(POOL)] for _ in range(n)]
    return pl.DataFrame(
        {
            "record_id": [f"r{i}" for i in range(n)],
            "full_name": [p["full_name"] for p in picks],
            "date_of_birth": [p["date_of_birth"] for p in picks],
            "sex": [rng.choice(["M", "F", "m", "Ж", None]) for _ in range(n)],
            "nationality": [rng.choice(["DEU", "RU", "China", "IRN", "D", None]) for _ in range(n)],
            "document_number": [f"P{rng.randrange(10**8):08d}" for _ in range(n)],
            "aliases": pl.Series([[] for _ in range(n)], dtype=pl.List(pl.Utf8)),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    size = parser.parse_args().size
    frame = build(SIZES[size])
    start = time.perf_counter()
    out = standardize(frame, "records", reference_year=2026)
    seconds = time.perf_counter() - start
    result = {
        "size": size,
        "rows": frame.height,
        "identities": out.height,
        "distinct_names": POOL,
        "seconds": round(seconds, 2),
        "rows_per_second": round(frame.height / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    Path("bench/results").mkdir(parents=True, exist_ok=True)
    Path("bench/results/standardize.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
