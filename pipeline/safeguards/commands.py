"""CLI commands of the safeguards; ``register(app)`` adds them to ``chrilink``.

Heavy modules are imported inside the commands so ``chrilink --help`` stays fast.
Output shows ids, counts, paths and hashes only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import InputError
from pipeline.safeguards.agreements import DEFAULT_PARTNERS_DIR
from pipeline.safeguards.audit import default_audit_path, verify_audit
from pipeline.safeguards.errors import AuditLogError
from pipeline.safeguards.ledger import default_ledger_path, ledger_balance

out = Console()

PartnerOpt = Annotated[
    str, typer.Option("--partner", help="Partner code: config/partners/<CODE>.toml.")
]
PartnersDirOpt = Annotated[
    Path, typer.Option("--partners-dir", help="Directory of partner agreement files.")
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option(
        "--ledger", help="Reciprocity ledger (default $CHRILINK_LEDGER or audit/ledger.jsonl)."
    ),
]
AuditOpt = Annotated[
    Path | None,
    typer.Option(
        "--audit-log", help="Audit log (default $CHRILINK_AUDIT_LOG or audit/audit.jsonl)."
    ),
]
StoreOpt = Annotated[Path, typer.Option("--store", help="Record store (DuckDB file).")]


def parse_day(text: str | None) -> date | None:
    """``YYYY-MM-DD`` to a date; None stays None."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"date {text!r} is not YYYY-MM-DD") from None


def _table(title: str, rows: dict[str, object]) -> Table:
    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for key, value in rows.items():
        table.add_row(key, str(value))
    return table


def exchange(
    run: Annotated[Path, typer.Option("--run", help="Run directory written by chrilink link.")],
    partner: PartnerOpt,
    partners_dir: PartnersDirOpt = DEFAULT_PARTNERS_DIR,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Disclosure directory (default under the run).")
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field", help="Field to disclose (repeat); default: all the agreement allows."
        ),
    ] = None,
    ledger: LedgerOpt = None,
    audit_log: AuditOpt = None,
) -> None:
    """Build the felony-only, minimized, pseudonymized disclosure of a run's hits for a partner."""
    import json

    from pipeline.safeguards.disclosure import build_disclosure

    target = build_disclosure(
        run,
        partner,
        partners_dir=partners_dir,
        ledger_path=ledger or default_ledger_path(),
        fields=tuple(field) if field else None,
        out_dir=out_dir,
        audit_log=audit_log,
    )
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    rows: dict[str, object] = {"partner": partner, "agreement": manifest["agreement_id"]}
    out.print(_table(f"disclosure {manifest['disclosure_id']}", rows | manifest["counts"]))
    out.print(f"written: {target}")


def ingest_partner(
    records: Annotated[Path, typer.Option("--records", help="Partner's conviction record file.")],
    partner: PartnerOpt,
    store: StoreOpt,
    received: Annotated[
        str | None, typer.Option("--received", help="Date received, YYYY-MM-DD (default today).")
    ] = None,
    purpose: Annotated[
        str, typer.Option(help="border_screening | immigration_vetting.")
    ] = "border_screening",
    partners_dir: PartnersDirOpt = DEFAULT_PARTNERS_DIR,
    ledger: LedgerOpt = None,
    audit_log: AuditOpt = None,
) -> None:
    """Check a partner's conviction records against the records contract and store them."""
    from pipeline.safeguards.disclosure import today_utc
    from pipeline.safeguards.ingest import ingest_partner as ingest

    result = ingest(
        records,
        partner,
        store_path=store,
        partners_dir=partners_dir,
        received=parse_day(received) or today_utc(),
        purpose=purpose,
        ledger_path=ledger,
        audit_log=audit_log,
    )
    out.print(_table(f"ingest {partner} ({result.agreement_id})", dict(result.counts())))


def purge(
    store: StoreOpt,
    partners_dir: PartnersDirOpt = DEFAULT_PARTNERS_DIR,
    audit_log: AuditOpt = None,
) -> None:
    """Delete partner records held longer than their agreement's retention period."""
    from pipeline.safeguards.disclosure import today_utc
    from pipeline.safeguards.retention import purge_partner_data

    deleted = purge_partner_data(store, partners_dir, today_utc(), audit_log=audit_log)
    out.print(f"purged {deleted} expired partner record(s) from {store}")


def ledger(
    partner: PartnerOpt,
    ledger_path: LedgerOpt = None,
) -> None:
    """Show records sent to and received from a partner, per month."""
    balance = ledger_balance(ledger_path or default_ledger_path(), partner)
    table = Table(title=f"reciprocity ledger: {partner}", title_justify="left")
    for column in ("period", "sent", "received"):
        table.add_column(column, justify="right")
    for period, counts in balance.periods.items():
        table.add_row(period, str(counts.sent), str(counts.received))
    table.add_row("total", str(balance.sent), str(balance.received), style="bold")
    out.print(table)


def audit_verify(
    log: Annotated[
        Path | None,
        typer.Option("--log", help="Audit log (default $CHRILINK_AUDIT_LOG or audit/audit.jsonl)."),
    ] = None,
) -> None:
    """Check the hash chain of the audit log; exit code 2 if any line was changed."""
    path = log or default_audit_path()
    report = verify_audit(path)
    if not report.ok:
        raise AuditLogError(f"audit log {path} failed verification: {report.message}")
    out.print(f"[green]ok[/]: {path}: {report.message}")
    out.print(f"head hash: {report.last_hash} (record it elsewhere to anchor the log)")


def register(app: typer.Typer) -> None:
    """Add exchange, ingest-partner, purge, ledger and ``audit verify`` to ``app``."""
    app.command("exchange")(exchange)
    app.command("ingest-partner")(ingest_partner)
    app.command("purge")(purge)
    app.command("ledger")(ledger)
    audit = typer.Typer(help="Audit log commands.", no_args_is_help=True)
    audit.command("verify")(audit_verify)
    app.add_typer(audit, name="audit")
