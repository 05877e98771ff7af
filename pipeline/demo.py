"""``chrilink demo``: generate a synthetic world, link it, and show what came out."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from pipeline.config import DEFAULT_MODEL, job_from_dict
from pipeline.evaluate import evaluate_pairs, read_truth
from pipeline.match.model import load_model
from pipeline.runner import Progress, run_link


def demo_job_toml(world: Path, run_dir: Path, model: Path) -> str:
    return (
        'purpose = "border_screening"\n\n'
        f'[manifests]\npath = "{world / "manifests.parquet"}"\n\n'
        f'[records]\npath = "{world / "records.parquet"}"\n\n'
        f'[model]\npath = "{model}"\n\n'
        f'[output]\ndir = "{run_dir}"\n'
    )


def run_demo(
    out_dir: Path,
    *,
    n_records: int,
    n_travelers: int,
    seed: int,
    progress: Progress,
    console: Console,
) -> None:
    """Generate into ``out_dir/world``, link into ``out_dir/run``, print a summary."""
    from pipeline.generate import describe_world, generate_world

    world, run_dir = out_dir / "world", out_dir / "run"
    with progress.stage(f"generate world ({n_records:,} records, {n_travelers:,} travelers)"):
        generate_world(world, n_records=n_records, n_travelers=n_travelers, seed=seed)
    console.print(describe_world(world).brief().to_table())
    console.print(f"(all counts: chrilink generate --describe {world})")
    job_path = out_dir / "job.toml"
    job_path.write_text(demo_job_toml(world.resolve(), run_dir.resolve(), DEFAULT_MODEL))
    job = job_from_dict(
        {
            "manifests": {"path": str(world / "manifests.parquet")},
            "records": {"path": str(world / "records.parquet")},
            "output": {"dir": str(run_dir)},
        },
        Path.cwd(),
    )
    result = run_link(job, progress)
    thresholds = load_model(job.model.path).thresholds
    matches = pl.read_parquet(run_dir / "matches.parquet")
    metrics = evaluate_pairs(matches, read_truth(world / "truth.parquet"), thresholds)
    table = Table(title="demo summary", show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    info = result.run_info
    for status, count in info["screening"].items():
        table.add_row(f"travelers {status}", f"{count:,}")
    table.add_row(
        "records in / quarantined",
        f"{info['inputs']['records']['rows_in']:,} / "
        f"{info['inputs']['records']['rows_quarantined']:,}",
    )
    table.add_row("hit precision (vs truth)", f"{metrics.at_model.precision:.4f}")
    table.add_row("hit recall (vs truth)", f"{metrics.at_model.recall:.4f}")
    table.add_row("recall incl. review band", f"{metrics.review_recall:.4f}")
    table.add_row("total time (s)", f"{sum(info['timings_seconds'].values()):.1f}")
    console.print(table)
    console.print(
        f"outputs: {run_dir}  ·  job file: {job_path}  ·  report: {run_dir / 'report.html'}"
    )
