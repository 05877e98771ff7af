"""Benchmark the prepared store: index, batch link, flight-manifest latency, vanilla ratio.

Usage: ``python bench/bench_store.py --size small|full [--keep DIR] [--sizes N ...]``

* small: one world of 100k records and 10k travelers (``make bench``, a few minutes).
* full: worlds of 1M, 3M and 10M records with a tenth as many travelers each. The
  scaling table indexes each world and links the same batch (the first 100k travelers)
  against each store. The 10M world gives the targets: index 10M records, link all its
  1M travelers (stopped after ``LINK_ALL_LIMIT_S``), and screen 60 flight manifests of
  400 travelers against the warm store through the HTTP service (``chrilink serve``).

Every measured step runs in its own process, so its peak memory is its own (the main
process plus the largest child, e.g. the standardizer's second process). The vanilla
Splink configuration (bench/compare_vanilla.py: ASCII-folded names, the standard
ForenameSurnameComparison and DateOfBirthComparison, exact sex and nationality, no
prepared store) links the same batch, blocking on surname + date of birth or first
name + date of birth; it is stopped after ``VANILLA_LIMIT_S`` at the full size.

Results: ``bench/results/store-<size>.json`` and the tables in ``BENCHMARKS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import psutil

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
MODEL = ROOT / "models" / "default"
SIZES: dict[str, list[int]] = {"small": [100_000], "full": [1_000_000, 3_000_000, 10_000_000]}
MANIFEST_SIZE = 400
N_MANIFESTS = 60
SAMPLE_TRAVELERS = 100_000  # the batch linked at every store size (the scaling table)
LINK_ALL_LIMIT_S = 2400  # all travelers of the largest world
VANILLA_LIMIT_S = {"small": 1800, "full": 1200}


def _peak_gb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round((own + child) / 1e6, 2)


# ---------------------------------------------------------------- steps (own process)


def step_generate(world: Path, records: int) -> dict[str, Any]:
    from pipeline.generate import generate_world

    start = time.perf_counter()
    generate_world(world, n_records=records, n_travelers=records // 10, seed=21)
    return {"seconds": round(time.perf_counter() - start, 1)}


def step_index(world: Path, store: Path) -> dict[str, Any]:
    from pipeline.match.model import load_model
    from pipeline.store.index import build_store

    model = load_model(MODEL)
    start = time.perf_counter()
    report = build_store(store, world / "records.parquet", model)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in store.rglob("*") if p.is_file())
    return {
        "seconds": round(seconds, 1),
        "records": report.records_live,
        "identities": report.identities_live,
        "records_per_s": round(report.records_live / seconds),
        "store_gb": round(size / 1e9, 2),
        "peak_gb": _peak_gb(),
    }


def step_link(manifests: Path, store: Path, out: Path) -> dict[str, Any]:
    from pipeline.config import job_from_dict
    from pipeline.runner import run_link

    job = job_from_dict(
        {
            "manifests": {"path": str(manifests)},
            "store": {"path": str(store)},
            "model": {"path": str(MODEL)},
            "output": {"dir": str(out)},
        },
        manifests.parent,
    )
    start = time.perf_counter()
    result = run_link(job)
    seconds = time.perf_counter() - start
    info = result.run_info
    pairs = int(info["inputs"]["records"]["pairs_scored"])
    score_s = float(info["timings_seconds"]["score against store"])
    return {
        "seconds": round(seconds, 1),
        "travelers": info["counts"]["travelers_in"],
        "pairs_scored": pairs,
        "pairs_pruned": int(info["inputs"]["records"].get("pairs_pruned", 0)),
        "pairs_per_traveler": round(pairs / max(info["counts"]["travelers_in"], 1), 1),
        "pairs_per_s": round(pairs / max(score_s, 1e-9)),
        "stages_s": info["timings_seconds"],
        "screening": info["screening"],
        "peak_gb": _peak_gb(),
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def step_latency(world: Path, store: Path) -> dict[str, Any]:
    """Start `chrilink serve`, wait for it, post N_MANIFESTS manifests, time each answer."""
    port = _free_port()
    env = {**os.environ, "CHRILINK_AUDIT_LOG": str(store.parent / "bench-audit.jsonl")}
    command = [sys.executable, "-c", "from pipeline.cli import main; main()", "serve"]
    command += ["--store", str(store)]
    start = time.perf_counter()
    server = subprocess.Popen([*command, "--port", str(port)], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                    health = json.load(response)
                break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError("chrilink serve exited") from None
                time.sleep(0.5)
        warm_s = time.perf_counter() - start
        travelers = pl.read_parquet(world / "manifests.parquet").cast(pl.String)
        timings: list[float] = []
        counts: list[dict[str, int]] = []
        for i in range(N_MANIFESTS):
            offset = (i * MANIFEST_SIZE) % max(1, travelers.height - MANIFEST_SIZE)
            rows = travelers.slice(offset, MANIFEST_SIZE).to_dicts()
            body = json.dumps({"purpose": "border_screening", "travelers": rows}).encode()
            request = urllib.request.Request(
                f"{base}/screen", data=body, headers={"Content-Type": "application/json"}
            )
            t0 = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                answer = json.load(response)
            timings.append(time.perf_counter() - t0)
            counts.append(answer["counts"])
    finally:
        server.terminate()
        server.wait(timeout=60)
    ordered = sorted(timings)
    return {
        "manifests": N_MANIFESTS,
        "travelers_per_manifest": MANIFEST_SIZE,
        "store_records": health["store"]["records"],
        "startup_s": round(warm_s, 1),
        "median_s": round(statistics.median(timings), 3),
        "p95_s": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_s": round(ordered[-1], 3),
        "pairs_per_manifest": round(statistics.mean(c["pairs_scored"] for c in counts), 1),
        "pruned_per_manifest": round(statistics.mean(c.get("pairs_pruned", 0) for c in counts), 1),
        "hits_per_manifest": round(statistics.mean(c["hit"] for c in counts), 1),
    }


def step_vanilla(world: Path, manifests: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "bench"))
    from compare_vanilla import SETTINGS, vanilla_frame  # type: ignore[import-not-found]
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    start = time.perf_counter()
    travelers = vanilla_frame(pl.read_parquet(manifests), "traveler_id")
    records = vanilla_frame(pl.read_parquet(world / "records.parquet"), "record_id")
    prepare_s = time.perf_counter() - start
    api = DuckDBAPI()
    left = api.register(travelers.to_arrow(), dataset_display_name="manifests")
    right = api.register(records.to_arrow(), dataset_display_name="records")
    settings = SettingsCreator(
        **{  # type: ignore[arg-type]
            **SETTINGS,
            "blocking_rules_to_generate_predictions": [
                block_on("surname", "dob"),
                block_on("first_name", "dob"),
            ],
        }
    )
    linker = Linker([left, right], settings)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    t0 = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    n = predictions.as_duckdbpyrelation().count("*").fetchall()[0]
    return {
        "seconds": round(time.perf_counter() - start, 1),
        "prepare_s": round(prepare_s, 1),
        "predict_s": round(time.perf_counter() - t0, 1),
        "pairs_at_0.01": int(n[0]) if n else 0,
        "peak_gb": _peak_gb(),
    }


STEPS = {
    "generate": lambda a: step_generate(Path(a.world), a.records),
    "index": lambda a: step_index(Path(a.world), Path(a.store)),
    "link": lambda a: step_link(Path(a.manifests), Path(a.store), Path(a.out)),
    "latency": lambda a: step_latency(Path(a.world), Path(a.store)),
    "vanilla": lambda a: step_vanilla(Path(a.world), Path(a.manifests)),
}


# ---------------------------------------------------------------- driver


class _MemorySampler:
    """Peak memory of a process tree, sampled every half second.

    ``rss`` counts every resident page, including the pages of memory-mapped store files
    (page cache the kernel may drop at any time); ``private`` leaves out file-backed and
    shared pages (RSS minus ``shared`` in /proc/PID/statm), i.e. the memory a step
    really holds. Both are sums over the step's process and its children.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_rss = self.peak_private = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        try:
            root = psutil.Process(self.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        rss = private = 0
        for process in tree:
            try:
                info = process.memory_info()
            except psutil.Error:
                continue
            rss += info.rss
            private += info.rss - getattr(info, "shared", 0)
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_private = max(self.peak_private, private)

    def _loop(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        return {
            "peak_rss_gb": round(self.peak_rss / 1e9, 2),
            "peak_private_gb": round(self.peak_private / 1e9, 2),
        }


def _run(step: str, limit_s: float | None = None, **kwargs: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--step", step]
    for key, value in kwargs.items():
        command += [f"--{key}", str(value)]
    print(f"  {step} {' '.join(str(v) for v in kwargs.values())} …", flush=True)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _MemorySampler(process.pid)
    try:
        stdout, stderr = process.communicate(timeout=limit_s)
    except subprocess.TimeoutExpired:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
        process.kill()
        process.communicate()
        return {"did_not_finish_within_s": limit_s, **sampler.stop()}
    memory = sampler.stop()
    if process.returncode != 0:
        sys.stderr.write(stderr[-3000:])
        return {"failed": process.returncode, "seconds": round(time.perf_counter() - start, 1)}
    result: dict[str, Any] = {**json.loads(stdout.strip().splitlines()[-1]), **memory}
    print(f"    {result}", flush=True)
    return result


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem_kb = 0
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1e6, 1),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _sample(world: Path, n: int) -> Path:
    """The first ``n`` travelers of a world (the same sample at every store size)."""
    path = world / f"manifests-{n}.parquet"
    if not path.exists():
        pl.read_parquet(world / "manifests.parquet").head(n).write_parquet(path)
    return path


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


def drive(size: str, keep: Path | None, save: Any, only: list[int] | None = None) -> dict[str, Any]:
    """Largest size first (the targets), then the others for the scaling table, then
    the long runs (all travelers, vanilla) with time limits. Results are saved after
    every step, so a stopped run keeps what it measured."""
    results: dict[str, Any] = {
        "size": size,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": machine(),
        "sizes": only,
        "runs": [],
    }
    base = keep or Path(tempfile.mkdtemp(prefix="chrilink-bench-"))
    sizes = sorted(only or SIZES[size], reverse=True)
    largest = sizes[0]
    runs: dict[int, dict[str, Any]] = {}
    try:
        for n in sizes:
            world, store = base / f"world-{n}", base / f"store-{n}"
            sample = min(SAMPLE_TRAVELERS, n // 10)
            run = runs[n] = {"records": n, "travelers": n // 10, "sample": sample}
            results["runs"] = [runs[k] for k in sorted(runs)]
            print(f"{n:,} records, {n // 10:,} travelers", flush=True)
            if not (world / "records.parquet").exists():
                run["generate"] = _run("generate", world=world, records=n)
            if store.exists():
                shutil.rmtree(store)
            run["index"] = _run("index", world=world, store=store)
            save(results)
            if n == largest:
                run["latency"] = _run("latency", world=world, store=store)
                save(results)
            run["link"] = _run(
                "link", manifests=_sample(world, sample), store=store, out=base / f"run-{n}"
            )
            save(results)
        world, store, run = base / f"world-{largest}", base / f"store-{largest}", runs[largest]
        if largest // 10 > run["sample"]:
            run["link_all"] = _run(
                "link",
                LINK_ALL_LIMIT_S,
                manifests=world / "manifests.parquet",
                store=store,
                out=base / f"run-all-{largest}",
            )
            save(results)
        run["vanilla"] = _run(
            "vanilla", VANILLA_LIMIT_S[size], world=world, manifests=_sample(world, run["sample"])
        )
        link_s, vanilla_s = run["link"].get("seconds"), run["vanilla"].get("seconds")
        if link_s and vanilla_s:
            run["vanilla_over_chrilink"] = round(vanilla_s / link_s, 2)
        save(results)
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=tuple(SIZES), default="small")
    parser.add_argument("--keep", help="keep worlds and stores in this directory (reused)")
    parser.add_argument(
        "--sizes", type=int, nargs="+", help="record counts to run instead of the size's"
    )
    parser.add_argument("--step", choices=tuple(STEPS), help=argparse.SUPPRESS)
    for name in ("world", "store", "out", "records", "manifests"):
        parser.add_argument(f"--{name}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        if args.records:
            args.records = int(args.records)
        print(json.dumps(STEPS[args.step](args)))
        return
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    suffix = "-".join(
        f"{n // 1_000_000}m" if n % 1_000_000 == 0 else str(n) for n in args.sizes or []
    )
    target = RESULTS_DIR / (
        f"store-{args.size}-{suffix}.json" if args.sizes else f"store-{args.size}.json"
    )

    def save(results: dict[str, Any]) -> None:
        target.write_text(json.dumps(results, indent=2) + "\n")
        subprocess.run([sys.executable, str(ROOT / "bench" / "benchmarks_md.py")], check=True)

    drive(args.size, Path(args.keep) if args.keep else None, save, args.sizes)
    print(f"written: {target}, BENCHMARKS.md")


if __name__ == "__main__":
    main()
