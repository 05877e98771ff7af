"""Run the benchmarks: each bench/bench_<stage>.py in its own process, small or full sizes.

Results are JSON files in bench/results/; this script prints one line per benchmark.
Benchmarks never run in the test suite.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--only", nargs="*", help="stage names, e.g. generate standardize")
    args = parser.parse_args()
    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.only]
    failures = 0
    for script in scripts:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, str(script), "--size", args.size], check=False)
        status = "ok" if result.returncode == 0 else f"FAILED ({result.returncode})"
        print(f"{script.stem:<24} {status:<12} {time.perf_counter() - start:8.1f} s", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
