"""The ``chrilink`` command line.

Exit codes: 0 success, 2 bad usage or bad input (one clear line on stderr), 1 internal
error. Set ``CHRILINK_DEBUG=1`` to see the traceback of an internal error.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.status import Status
from rich.table import Table

from pipeline.config import DEFAULT_MODEL, JobConfig, job_from_dict, load_job
from pipeline.errors import ChrilinkError, InputError
from pipeline.safeguards.commands import register as register_safeguards
from pipeline.store.commands import register as register_store_commands

app = typer.Typer(
    name="chrilink",
    help="Link traveler manifests to conviction records across scripts and date formats.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


class ConsoleProgress:
    """Shows each stage with a spinner and prints its time when it ends."""

    def __init__(self, console: Console, quiet: bool = False) -> None:
        self.console = console
        self.quiet = quiet
        self._status: Status | None = None
        self._name = ""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.quiet:
            yield
            return
        start = time.perf_counter()
        with self.console.status(f"{name} …") as status:
            self._status, self._name = status, name
            try:
                yield
            finally:
                self._status = None
        self.console.print(f"  [green]✓[/] {name:<18} {time.perf_counter() - start:6.1f} s")

    def note(self, text: str) -> None:
        if self._status is not None:
            self._status.update(f"{self._name} … {text}")


def _job(
    job: Path | None,
    manifests: Path | None,
    records: Path | None,
    out_dir: Path | None,
    model: Path | None,
    purpose: str | None,
    store: Path | None = None,
) -> JobConfig:
    if job is not None:
        if any(x is not None for x in (manifests, records, out_dir, store)):
            raise InputError("give either --job or --manifests/--records/--out, not both")
        loaded = load_job(job)
        if model is not None:
            loaded = loaded.model_copy(
                update={"model": loaded.model.model_copy(update={"path": model.resolve()})}
            )
        return loaded
    if manifests is None or (records is None) == (store is None) or out_dir is None:
        raise InputError(
            "give --job JOB.toml, or --manifests, --out and one of --records or --store"
        )
    data: dict[str, Any] = {
        "manifests": {"path": str(manifests)},
        "output": {"dir": str(out_dir)},
        "model": {"path": str(model or DEFAULT_MODEL)},
    }
    if records is not None:
        data["records"] = {"path": str(records)}
    else:
        data["store"] = {"path": str(store)}
    if purpose is not None:
        data["purpose"] = purpose
    return job_from_dict(data, Path.cwd())


def _summary_table(title: str, rows: dict[str, Any]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for key, value in rows.items():
        table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
    return table


JobOpt = Annotated[Path | None, typer.Option("--job", help="TOML job file.", dir_okay=False)]
ManifestsOpt = Annotated[Path | None, typer.Option(help="Manifest file (.csv/.parquet/.jsonl).")]
RecordsOpt = Annotated[Path | None, typer.Option(help="Conviction record file.")]
StoreOpt = Annotated[
    Path | None, typer.Option("--store", help="Prepared record store (`chrilink index`).")
]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Output directory.")]
ModelOpt = Annotated[Path | None, typer.Option("--model", help="Model directory.")]
PurposeOpt = Annotated[str | None, typer.Option(help="border_screening | immigration_vetting.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


@app.command()
def link(
    job: JobOpt = None,
    manifests: ManifestsOpt = None,
    records: RecordsOpt = None,
    store: StoreOpt = None,
    out_dir: OutOpt = None,
    model: ModelOpt = None,
    purpose: PurposeOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Screen manifests against conviction records (a file or a prepared --store) and
    write the match tables."""
    from pipeline.runner import run_link

    config = _job(job, manifests, records, out_dir, model, purpose, store)
    result = run_link(config, ConsoleProgress(err, quiet))
    _print_run_summary(result.run_info, result.out_dir)


def _print_run_summary(info: dict[str, Any], out_dir: Path) -> None:
    rows: dict[str, Any] = {
        "travelers in": info["counts"]["travelers_in"],
        **{f"  {k}": v for k, v in info["screening"].items()},
        **(
            {"records in store": info["inputs"]["records"]["records_live"]}
            if "store" in info["inputs"]["records"]
            else {
                "records in": info["inputs"]["records"]["rows_in"],
                "records quarantined": info["inputs"]["records"]["rows_quarantined"],
            }
        ),
        "matches written": info["counts"]["matches"],
        "model": info["model"]["version"],
    }
    out.print(_summary_table(f"run {info['run_id']}", rows))
    out.print(f"outputs: {out_dir}")


@app.command()
def generate(
    out_dir: Annotated[Path | None, typer.Option("--out", help="Directory to write.")] = None,
    records: Annotated[int, typer.Option(help="Number of conviction records.")] = 20_000,
    travelers: Annotated[int, typer.Option(help="Number of travelers.")] = 5_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same bytes).")] = 42,
    fmt: Annotated[str, typer.Option("--format", help="parquet | csv")] = "parquet",
    config: Annotated[Path | None, typer.Option(help="Noise-rate config (TOML).")] = None,
    describe: Annotated[
        Path | None, typer.Option(help="Describe a generated world instead.")
    ] = None,
) -> None:
    """Generate a synthetic world (records, manifests, truth), or --describe one."""
    from pipeline.generate import describe_world, generate_world

    if describe is not None:
        out.print(describe_world(describe).to_table())
        return
    if out_dir is None:
        raise InputError("give --out DIR (or --describe DIR)")
    if fmt not in ("parquet", "csv"):
        raise InputError(f"--format must be parquet or csv, not {fmt!r}")
    with ConsoleProgress(err).stage(f"generate {records:,} records, {travelers:,} travelers"):
        generate_world(
            out_dir,
            n_records=records,
            n_travelers=travelers,
            seed=seed,
            fmt="csv" if fmt == "csv" else "parquet",
            config_path=config,
        )
    out.print(describe_world(out_dir).to_table())


@app.command()
def validate(
    job: JobOpt = None,
    manifests: ManifestsOpt = None,
    records: RecordsOpt = None,
    report: Annotated[Path | None, typer.Option(help="Write an offline HTML report here.")] = None,
) -> None:
    """Run the input contracts only and report what would be quarantined or warned."""
    from pipeline.contracts import validate_inputs, write_validation_html

    config = _job(
        # validate writes no run outputs; the shortcut's job needs an output dir all the same
        job,
        manifests,
        records,
        Path("unused-output") if job is None else None,
        None,
        None,
    )
    result = validate_inputs(config)
    table = Table(title="input contracts", title_justify="left")
    for column in ("input", "severity", "reason", "rows", "sample ids"):
        table.add_column(column)
    for row in result.summary_rows():
        table.add_row(*(str(v) for v in row))
    out.print(table)
    if report is not None:
        write_validation_html(result, report)
        out.print(f"report: {report}")
    if result.rejected:
        raise InputError("an input was rejected as a whole; see the table above")


@app.command()
def train(
    job: JobOpt = None,
    truth: Annotated[
        Path | None, typer.Option(help="truth.parquet: labels for prior/metrics.")
    ] = None,
    spec: Annotated[Path | None, typer.Option(help="spec.toml (default: the job model's).")] = None,
    name: Annotated[str | None, typer.Option(help="New model version name.")] = None,
    models_dir: Annotated[Path, typer.Option(help="Where model versions live.")] = Path("models"),
    seed: Annotated[int, typer.Option(help="Training seed.")] = 42,
) -> None:
    """Train a new model version from a job's inputs and write it under models/."""
    from pipeline.training import train_model_version

    if job is None:
        raise InputError("give --job JOB.toml")
    config = load_job(job)
    version_dir = train_model_version(
        config,
        models_dir=models_dir,
        spec_path=spec,
        truth_path=truth,
        name=name,
        seed=seed,
        progress=ConsoleProgress(err),
    )
    out.print(f"model written: {version_dir}")


@app.command()
def evaluate(
    job: JobOpt = None,
    truth: Annotated[Path | None, typer.Option(help="truth.parquet of the world.")] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Where to write evaluation.json/.html.")
    ] = None,
) -> None:
    """Precision, recall and F1 against ground truth, by script and noise type."""
    from pipeline.evaluate import evaluate_job

    if job is None or truth is None:
        raise InputError("give --job JOB.toml and --truth TRUTH.parquet")
    report, target = evaluate_job(load_job(job), truth, out_dir, progress=ConsoleProgress(err))
    out.print(_summary_table("evaluation", report.summary()))
    out.print(f"written: {target / 'evaluation.json'}, {target / 'evaluation.html'}")


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Output directory.")] = Path("out/demo"),
    records: Annotated[int, typer.Option(help="Conviction records to generate.")] = 20_000,
    travelers: Annotated[int, typer.Option(help="Travelers to generate.")] = 5_000,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate a synthetic world, link it with the default model, print a summary."""
    from pipeline.demo import run_demo

    run_demo(
        out_dir,
        n_records=records,
        n_travelers=travelers,
        seed=seed,
        progress=ConsoleProgress(err),
        console=out,
    )


register_safeguards(app)
register_store_commands(app)


def main() -> None:
    """Entry point: map errors to exit codes and one-line messages.

    Typer handles bad usage itself (exit 2); chrilink's own errors become one line.
    """
    try:
        app()
    except ChrilinkError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        if os.environ.get("CHRILINK_DEBUG"):
            raise
        sys.exit(exc.exit_code)
    except Exception as exc:
        if os.environ.get("CHRILINK_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}; set CHRILINK_DEBUG=1 for details "
            "and please report it",
            highlight=False,
            markup=False,
        )
        sys.exit(1)
