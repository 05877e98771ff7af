"""Benchmark the synthetic world generator: throughput and peak memory.

Usage: bench/bench_generate.py --size small|full  (small: 1M records / 100k travelers;
full: 10M / 1M). Runs the generator in a child process and writes
bench/results/generate.json: the latest run at top level, and the latest run of each size
under ``runs`` (so the small and full results are kept side by side). The load average
at the start is recorded because other jobs on the machine slow the run down.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZES = {"small": (1_000_000, 100_000), "full": (10_000_000, 1_000_000)}
CHILD = (
    "import sys; from pathlib import Path; from pipeline.generate import generate_world; "
    "generate_world(Path(sys.argv[1]), n_records=int(sys.argv[2]), n_travelers=int(sys.argv[3]), seed=1)"  # noqa: E501
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    args = parser.parse_args()
    n_records, n_travelers = SIZES[args.size]
    with tempfile.TemporaryDirectory() as tmp:
        load = os.getloadavg()[0]
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", CHILD, tmp, str(n_records), str(n_travelers)], check=True
        )
        seconds = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = {
        "stage": "generate",
        "size": args.size,
        "n_records": n_records,
        "n_travelers": n_travelers,
        "seconds": round(seconds, 2),
        "rows_per_second": round((n_records + n_travelers) / seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "output_mb": round(size / 1e6, 1),
        "cpus": os.cpu_count(),
        "load_average_at_start": round(load, 2),
    }
    out = Path(__file__).parent / "results" / "generate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    runs: dict[str, object] = {}
    if out.exists():
        previous = json.loads(out.read_text())
        runs = dict(previous.get("runs", {}))
    runs[args.size] = result
    out.write_text(json.dumps({**result, "runs": runs}, indent=2) + "\n")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
