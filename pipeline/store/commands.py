"""CLI commands of the prepared store: ``index``, ``screen`` and ``serve``.

Heavy modules are imported inside the commands so ``chrilink --help`` stays fast.
Output shows ids, counts and paths only.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from pipeline.config import DEFAULT_MODEL
from pipeline.errors import InputError
from pipeline.safeguards.purpose import require_purpose

out = Console()
err = Console(stderr=True)

StoreOut = Annotated[Path, typer.Option("--out", help="Store directory to build or change.")]
ModelOpt = Annotated[
    Path, typer.Option("--model", help="Model whose blocking rules the store is keyed for.")
]


def _table(title: str, rows: dict[str, Any]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for key, value in rows.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    return table


def index(
    out_dir: StoreOut,
    records: Annotated[
        Path | None, typer.Option(help="Conviction records to index (.csv/.parquet/.jsonl).")
    ] = None,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Add records to an existing store; a known id replaces its record."
        ),
    ] = False,
    remove: Annotated[
        Path | None,
        typer.Option(
            help="Remove the record ids in this file (record_id column, or one id per line)."
        ),
    ] = None,
    compact: Annotated[
        bool,
        typer.Option(
            "--compact",
            help="Rebuild one segment from the live records (also after a code or model change).",
        ),
    ] = False,
    model: ModelOpt = DEFAULT_MODEL,
    max_bad_share: Annotated[
        float,
        typer.Option(help="Reject the input if more than this share of rows fails the contract."),
    ] = 0.2,
) -> None:
    """Validate, standardize and index conviction records into a prepared store, or
    change one (--update, --remove, --compact) without a full rebuild."""
    from pipeline.match.model import load_model
    from pipeline.store.index import (
        build_store,
        compact_store,
        read_record_ids,
        remove_records,
        update_store,
    )

    actions = sum([records is not None and not update, update, remove is not None, compact])
    if actions != 1:
        raise InputError(
            "give one of: --records FILE (new store), --records FILE --update, "
            "--remove IDS, --compact"
        )
    loaded = load_model(model)
    start = time.perf_counter()
    done = 0
    with err.status("indexing …") as status:

        def on_chunk(rows: int) -> None:
            nonlocal done
            done += rows
            rate = done / max(time.perf_counter() - start, 1e-9)
            status.update(f"indexing … {done:,} records ({rate:,.0f}/s)")

        if update:
            if records is None:
                raise InputError("--update needs --records FILE")
            report = update_store(
                out_dir, records, loaded, max_bad_share=max_bad_share, on_chunk=on_chunk
            )
        elif remove is not None:
            report = remove_records(out_dir, read_record_ids(remove), loaded)
        elif compact:
            report = compact_store(out_dir, loaded, on_chunk=on_chunk)
        else:
            assert records is not None
            report = build_store(
                out_dir, records, loaded, max_bad_share=max_bad_share, on_chunk=on_chunk
            )
    rows = {k: v for k, v in report.as_dict().items() if k != "seconds" and v != 0}
    rows["wall time (s)"] = round(time.perf_counter() - start, 1)
    out.print(_table(f"store {out_dir}", rows))


def screen(
    store: Annotated[Path, typer.Option("--store", help="Prepared store (`chrilink index`).")],
    manifest: Annotated[Path, typer.Option("--manifest", help="One manifest file.")],
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL,
    purpose: Annotated[
        str, typer.Option(help="border_screening | immigration_vetting.")
    ] = "border_screening",
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Also write the match tables and run.json here.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the screening rows as JSON lines.")
    ] = False,
) -> None:
    """Screen one flight manifest against a prepared store."""
    from pipeline.config import job_from_dict
    from pipeline.runner import run_link

    require_purpose(purpose)
    if out_dir is not None:
        job = job_from_dict(
            {
                "purpose": purpose,
                "manifests": {"path": str(manifest)},
                "store": {"path": str(store)},
                "model": {"path": str(model)},
                "output": {"dir": str(out_dir)},
            },
            Path.cwd(),
        )
        result = run_link(job)
        screening = result.screening
    else:
        screening = _screen_without_outputs(store, manifest, model, purpose)
    if as_json:
        for row in screening.to_dicts():
            out.print_json(json.dumps(row), indent=None)
        return
    counts = dict(screening.group_by("status").len().iter_rows())
    table = Table(title=f"screened {screening.height} travelers", title_justify="left")
    for column in ("traveler_id", "status", "best_record_id", "probability"):
        table.add_column(column)
    flagged = screening.filter(screening["status"].is_in(["hit", "review", "rejected"]))
    for row in flagged.sort("status").iter_rows(named=True):
        p = row["best_match_probability"]
        table.add_row(
            row["traveler_id"],
            row["status"],
            row["best_record_id"] or "",
            "" if p is None else f"{p:.3f}",
        )
    out.print(table)
    out.print(", ".join(f"{s}: {counts.get(s, 0)}" for s in ("hit", "review", "clear", "rejected")))
    if out_dir is not None:
        out.print(f"outputs: {out_dir}")


def _screen_without_outputs(store: Path, manifest: Path, model: Path, purpose: str) -> Any:
    from pipeline.hashing import sha256_file
    from pipeline.ingest import read_input
    from pipeline.runner import new_run_id
    from pipeline.safeguards.audit import append_audit, default_audit_path
    from pipeline.screening import status_counts
    from pipeline.service.app import Screener
    from pipeline.store.prepared import META_FILE

    screener = Screener.open(store, model)
    run_id = new_run_id()
    result = screener.screen(read_input(manifest, "manifests"), run_id, str(manifest))
    append_audit(
        default_audit_path(),
        command="screen",
        purpose=purpose,
        inputs={
            str(manifest): sha256_file(manifest),
            str(store): sha256_file(store / META_FILE),
        },
        model_version=screener.model.version,
        counts={"travelers": result.screening.height, **status_counts(result.screening)},
    )
    return result.screening


def serve(
    store: Annotated[Path, typer.Option("--store", help="Prepared store (`chrilink index`).")],
    model: Annotated[Path, typer.Option("--model", help="Model directory.")] = DEFAULT_MODEL,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Run the screening service (JSON over HTTP; OpenAPI at /docs and /openapi.json)."""
    import uvicorn

    from pipeline.service.app import Screener, create_app

    with err.status("loading store and model …"):
        screener = Screener.open(store, model)
        screener.warm()
    err.print(
        f"serving {store} ({screener.matcher.store.records:,} records) on http://{host}:{port}"
    )
    uvicorn.run(create_app(screener), host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    app.command()(index)
    app.command()(screen)
    app.command()(serve)
