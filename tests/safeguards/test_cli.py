"""The safeguard commands end to end through ``pipeline.cli.main``, with planted
personal values in the inputs: none may appear in stdout, stderr, the audit log,
the ledger or the disclosure manifest."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline import cli
from pipeline.safeguards.commands import register
from tests.safeguards.conftest import PLANTED, make_run, write_agreement

# Registers the safeguard commands only if the lead has not wired them yet.
MAIN = (
    "from pipeline.cli import app, main\n"
    "if not any(c.name == 'exchange' for c in app.registered_commands):\n"
    "    from pipeline.safeguards.commands import register\n"
    "    register(app)\n"
    "main()\n"
)
COMMANDS = ("exchange", "ingest-partner", "purge", "ledger", "audit", "audit verify")


def chrilink(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        check=False,
    )


def fresh_app() -> typer.Typer:
    """An app with only the safeguard commands, so the lead's global app is untouched."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    register(app)
    return app


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(fresh_app(), [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_real_entry_point_one_line_error(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_text("not json\n")
    result = chrilink("audit", "verify", "--log", str(log))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: audit log {log} failed verification: line 1 is not valid JSON"
    ]
    assert "ingest-partner" in chrilink("--help").stdout


def run_main(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """``pipeline.cli.main()`` in-process (one interpreter: fast) on a fresh app."""
    monkeypatch.setattr(cli, "app", fresh_app())
    monkeypatch.setattr(sys, "argv", ["chrilink", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def test_end_to_end_with_planted_personal_values(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    run_dir = make_run(tmp_path)
    partners = tmp_path / "partners"
    forever = {"valid_from": date(2000, 1, 1), "valid_to": date(2099, 12, 31)}
    write_agreement(partners, "OK", **forever)
    write_agreement(
        partners,
        "OLD",
        agreement_id="SYNTH-T-2",
        valid_from=date(2000, 1, 1),
        valid_to=date(2001, 1, 1),
    )
    write_agreement(partners, "ONEWAY", agreement_id="SYNTH-T-4", reciprocal=False, **forever)
    monkeypatch.setenv("CHRILINK_AUDIT_LOG", str(tmp_path / "audit" / "audit.jsonl"))
    monkeypatch.setenv("CHRILINK_LEDGER", str(tmp_path / "audit" / "ledger.jsonl"))
    p = ("--partners-dir", str(partners))
    store = str(tmp_path / "store.duckdb")
    steps: list[tuple[tuple[str, ...], int]] = [
        (
            (
                "exchange",
                "--run",
                str(run_dir),
                "--partner",
                "OK",
                "--out",
                str(tmp_path / "d"),
                *p,
            ),
            0,
        ),
        (("exchange", "--run", str(run_dir), "--partner", "OLD", *p), 2),
        (("exchange", "--run", str(run_dir), "--partner", "ONEWAY", *p), 2),
        (
            (
                "exchange",
                "--run",
                str(run_dir),
                "--partner",
                "OK",
                "--field",
                "document_number",
                *p,
            ),
            2,
        ),
        (("exchange", "--run", str(tmp_path / "nowhere"), "--partner", "OK", *p), 2),
        (
            (
                "ingest-partner",
                "--records",
                str(tmp_path / "records.csv"),
                "--partner",
                "OK",
                "--store",
                store,
                "--received",
                "2026-03-01",
                *p,
            ),
            0,
        ),
        (
            (
                "ingest-partner",
                "--records",
                str(tmp_path / "records.csv"),
                "--partner",
                "OK",
                "--store",
                store,
                "--purpose",
                "curiosity",
                *p,
            ),
            2,
        ),
        (
            (
                "ingest-partner",
                "--records",
                str(tmp_path / "records.csv"),
                "--partner",
                "OK",
                "--store",
                store,
                "--received",
                "01/03/2026",
                *p,
            ),
            2,
        ),
        (("purge", "--store", store, *p), 0),
        (("ledger", "--partner", "OK"), 0),
        (("audit", "verify"), 0),
    ]
    transcript: list[str] = []
    for args, code in steps:
        returncode, stdout, stderr = run_main(args, monkeypatch, capsys)
        transcript += [stdout, stderr]
        assert returncode == code, (args, stdout, stderr)
        assert "Traceback" not in stderr
        if code == 2:
            assert len(stderr.strip().splitlines()) == 1, stderr

    log = tmp_path / "audit" / "audit.jsonl"
    lines = log.read_text().splitlines()
    assert [line.count('"command":"exchange"') for line in lines[:1]] == [1]
    log.write_text(
        "\n".join([lines[0].replace('"disclosed":1', '"disclosed":0'), *lines[1:]]) + "\n"
    )
    code, stdout, stderr = run_main(("audit", "verify", "--log", str(log)), monkeypatch, capsys)
    assert code == 2 and "line 1" in stderr
    transcript += [stdout, stderr, caplog.text]

    planted_in = (tmp_path / "records.csv").read_text() + str(
        __import__("polars").read_parquet(tmp_path / "d" / "disclosure.parquet").to_dicts()
    )
    assert all(value in planted_in for value in PLANTED.values())  # the scan is not vacuous
    written = [log, tmp_path / "audit" / "ledger.jsonl", tmp_path / "d" / "manifest.json"]
    everything = "\n".join(transcript + [path.read_text() for path in written])
    for field, value in PLANTED.items():
        assert value not in everything, field
