"""The command line as a user meets it: help everywhere, one-line errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.cli import run_chrilink

COMMANDS = (
    "demo",
    "generate",
    "validate",
    "link",
    "train",
    "evaluate",
    "exchange",
    "ingest-partner",
    "purge",
    "ledger",
    "audit",
)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run_chrilink(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout


def test_unknown_option_is_bad_usage() -> None:
    result = run_chrilink("link", "--frobnicate")
    assert result.returncode == 2


def write_inputs(tmp_path: Path) -> tuple[Path, Path]:
    manifests = tmp_path / "m.csv"
    records = tmp_path / "r.csv"
    pl.DataFrame(
        {
            "manifest_id": ["t1"],
            "surname": ["IVANOV"],
            "given_names": ["IURII"],
            "date_of_birth": ["1975-03-12"],
        }
    ).write_csv(manifests)
    pl.DataFrame(
        {
            "record_id": ["r1"],
            "surname": ["Ivanov"],
            "given_names": ["Yuriy"],
            "date_of_birth": ["12.03.1975"],
        }
    ).write_csv(records)
    return manifests, records


def job_text(
    manifests: Path,
    records: Path,
    out: Path,
    extra: str = "",
    mapping: str = 'traveler_id = "manifest_id"',
) -> str:
    return (
        f'{extra}purpose = "border_screening"\n'
        f'[manifests]\npath = "{manifests}"\n[manifests.columns]\n{mapping}\n'
        f'[records]\npath = "{records}"\n'
        f'[output]\ndir = "{out}"\n'
    )


@pytest.mark.parametrize(
    ("description", "make_job", "message"),
    [
        (
            "missing input file",
            lambda m, r, o: job_text(m.with_name("absent.csv"), r, o),
            "absent.csv",
        ),
        (
            "unknown key in job file",
            lambda m, r, o: job_text(m, r, o, extra="colour = 1\n"),
            "unknown key 'colour'",
        ),
        (
            "mapped column does not exist",
            lambda m, r, o: job_text(m, r, o, mapping='traveler_id = "passenger_no"'),
            "passenger_no",
        ),
    ],
)
def test_bad_inputs_give_one_line_and_exit_2(
    tmp_path: Path, description: str, make_job: object, message: str
) -> None:
    manifests, records = write_inputs(tmp_path)
    out = tmp_path / "out"
    job = tmp_path / "job.toml"
    job.write_text(make_job(manifests, records, out))  # type: ignore[operator]
    result = run_chrilink("link", "--job", str(job), "--quiet")
    assert result.returncode == 2, (description, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, (description, result.stderr)
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert not out.exists(), "a failed run must leave no output behind"
