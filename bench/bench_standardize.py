"""Benchmark ``pipeline.standardize.standardize`` on a generated world's records.

Usage: ``python bench/bench_standardize.py --size small|full`` (100k or 1M conviction
records from ``chrilink generate``, seed 5, so names repeat as the generator's real
name frequencies make them). Writes ``bench/results/standardize-<size>.json`` with rows,
identities (aliases included), distinct names, seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from pipeline.generate import generate_world
from pipeline.standardize import standardize

SIZES = {"small": 100_000, "full": 1_000_000}
RESULTS_DIR = Path(__file__).resolve().parent / "results"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    args = parser.parse_args()
    n = SIZES[args.size]
    with tempfile.TemporaryDirectory() as tmp:
        generate_world(Path(tmp), n_records=n, n_travelers=1_000, seed=5)
        records = pl.read_parquet(Path(tmp) / "records.parquet")
    distinct = records.select("surname", "given_names", "full_name").n_unique()
    standardize(records.head(100), "records")  # load reference data once, outside the timing
    start = time.perf_counter()
    features = standardize(records, "records")
    seconds = time.perf_counter() - start
    result = {
        "stage": "standardize",
        "size": args.size,
        "rows": n,
        "identities": features.height,
        "distinct_names": distinct,
        "seconds": round(seconds, 2),
        "rows_per_second": round(n / seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cpus": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"standardize-{args.size}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
