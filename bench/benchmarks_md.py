"""Write BENCHMARKS.md from bench/results/*.json (run by the benchmarks; safe to rerun)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TARGETS = {
    "index": "index 10M records ≤ 15 min",
    "link": "link 1M travelers against 10M records ≤ 10 min, ≤ 12 GB",
    "latency": "400-traveler manifest, warm 10M store: median ≤ 0.5 s, p95 ≤ 1 s",
}


def _load(name: str) -> dict[str, Any] | None:
    path = RESULTS / name
    return json.loads(path.read_text()) if path.exists() else None


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.2f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def _peak(step: dict[str, Any]) -> str:
    """Private / resident peak in GB when sampled (see bench_store._MemorySampler), else
    the older ru_maxrss peak."""
    if "peak_private_gb" in step:
        return f"{step['peak_private_gb']:.2f} / {step['peak_rss_gb']:.2f}"
    return _fmt(step.get("peak_gb"))


def _store_section(data: dict[str, Any]) -> list[str]:
    m = data["machine"]
    lines = [
        f"### Prepared store, `{data['size']}` "
        f"(`python bench/bench_store.py --size {data['size']}"
        + (f" --sizes {' '.join(str(n) for n in data['sizes'])}" if data.get("sizes") else "")
        + "`)",
        "",
        f"Run {data['date']} on {m['cpus']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python "
        f"{m['python']}; commit {data.get('commit', '?')}; load average at start "
        f"{m['load_average_at_start']} (other work on the machine makes times upper bounds).",
        "",
        "The batch linked at every size is the same first "
        f"{_fmt(data['runs'][0].get('sample'))} travelers (or all, if fewer).",
        "",
        "Peak memory is given as private / resident GB where it was sampled: resident "
        "memory includes the pages of the memory-mapped store, which the kernel can drop; "
        "private memory is what the step holds itself.",
        "",
        "| records | travelers | index time | index records/s | index peak GB | store GB "
        "| link time | pairs/traveler | pairs scored/s | link peak GB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in data["runs"]:
        idx, link = run.get("index", {}), run.get("link", {})
        lines.append(
            f"| {_fmt(run['records'])} | {_fmt(run.get('sample', run['travelers']))} "
            f"| {_fmt(idx.get('seconds'), ' s')} | {_fmt(idx.get('records_per_s'))} "
            f"| {_peak(idx)} | {_fmt(idx.get('store_gb'))} "
            f"| {_fmt(link.get('seconds'), ' s')} | {_fmt(link.get('pairs_per_traveler'))} "
            f"| {_fmt(link.get('pairs_per_s'))} | {_peak(link)} |"
        )
    if data.get("note"):
        lines += ["", f"Note: {data['note']}"]
    for run in data["runs"]:
        lat = run.get("latency")
        if lat and "median_s" in lat:
            lines += [
                "",
                f"Flight manifests through `chrilink serve` (HTTP, warm store of "
                f"{_fmt(lat['store_records'])} records): {lat['manifests']} manifests of "
                f"{lat['travelers_per_manifest']} travelers, median **{lat['median_s']} s**, "
                f"95th percentile **{lat['p95_s']} s**, max {lat['max_s']} s; "
                f"{lat['pairs_per_manifest']} pairs scored per manifest; service start-up "
                f"{lat['startup_s']} s.",
            ]
        every = run.get("link_all")
        if every and "seconds" in every and "failed" not in every:
            lines += [
                "",
                f"All {_fmt(every['travelers'])} travelers against the "
                f"{_fmt(run['records'])}-record store: **{every['seconds']} s**, "
                f"{_fmt(every['pairs_scored'])} pairs ({every['pairs_per_traveler']} per "
                f"traveler, {_fmt(every['pairs_per_s'])} scored per second), peak "
                f"{_peak(every)} GB.",
            ]
        elif every and "did_not_finish_within_s" in every:
            lines += [
                "",
                f"All {_fmt(run['travelers'])} travelers against the "
                f"{_fmt(run['records'])}-record store did **not** finish within "
                f"{every['did_not_finish_within_s']} s.",
            ]
        van = run.get("vanilla")
        if van:
            if "seconds" in van and "failed" not in van:
                ratio = run.get("vanilla_over_chrilink")
                lines += [
                    "",
                    f"Vanilla Splink on the same batch ({_fmt(run['travelers'])} travelers × "
                    f"{_fmt(run['records'])} records, no prepared store): {van['seconds']} s "
                    f"(preparation {van['prepare_s']} s, predict {van['predict_s']} s), peak "
                    f"{_peak(van)} GB: **{ratio}×** chrilink's link time against its store.",
                ]
            elif "did_not_finish_within_s" in van:
                lines += [
                    "",
                    f"Vanilla Splink on the same batch did not finish within "
                    f"{van['did_not_finish_within_s']} s.",
                ]
    return lines


def _stage_lines() -> list[str]:
    lines = ["", "### Stages", "", "| stage | size | time | peak memory | command |"]
    lines.append("| --- | --- | --- | --- | --- |")
    gen = _load("generate.json")
    if gen:
        for size, run in gen.get("runs", {}).items():
            lines.append(
                f"| generate | {run['n_records']:,} records + {run['n_travelers']:,} travelers "
                f"| {run['seconds']} s | {run['peak_rss_mb'] / 1000:.1f} GB "
                f"| `python bench/bench_generate.py --size {size}` |"
            )
    for size in ("small", "full"):
        std = _load(f"standardize-{size}.json")
        if std:
            lines.append(
                f"| standardize | {std['rows']:,} records ({std['distinct_names']:,} distinct "
                f"names) | {std['seconds']} s | {std['peak_rss_mb'] / 1000:.1f} GB + a second "
                f"process | `python bench/bench_standardize.py --size {size}` |"
            )
        con = _load(f"contracts-{size}.json")
        if con:
            for run in con["runs"]:
                lines.append(
                    f"| contracts: {run['task']} | {run['rows']:,} rows | {run['seconds']} s "
                    f"| {run['peak_rss_mb'] / 1000:.1f} GB "
                    f"| `python bench/bench_contracts.py --size {size}` |"
                )
    return lines


def main() -> None:
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/benchmarks_md.py` from `bench/results/*.json`. `make bench` runs "
        "the small sizes, `make bench-full` the large ones (10M records; over an hour).",
        "",
        "Targets of the scale issue: " + "; ".join(TARGETS.values()) + ".",
        "",
        "Peak memory: where it was sampled (runs since 2026-11-28), private / resident GB "
        "of the step's whole process tree; resident memory counts the pages of the "
        "memory-mapped store that were read, which the kernel can drop (page cache), "
        "private memory does not. Older runs give the largest resident set of the step's "
        "process plus its largest child.",
        "",
    ]
    named = sorted(p.name for p in RESULTS.glob("store-*.json"))
    order = [
        "store-full.json",
        *[n for n in named if n not in {"store-full.json", "store-small.json"}],
    ]
    for name in [*order, "store-small.json"]:
        data = _load(name)
        if data:
            lines += [*_store_section(data), ""]
    lines += _stage_lines()
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
