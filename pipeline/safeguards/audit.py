"""Append-only, hash-chained audit log of every use and exchange of CHRI.

Each line is the canonical JSON (sorted keys, no spaces) of one entry. An entry holds
``prev_hash``, the hash of the entry before it (64 zeros for the first), and ``hash``,
the sha256 of its own canonical JSON without ``hash``. Editing, deleting or reordering
a line breaks the chain. A sidecar ``<log>.head`` holds the number of entries and the
last hash, so that lines cut from the end are detected too; copy the head hash that
``chrilink audit verify`` prints to a place operators of the host cannot edit to anchor
the log against someone who rewrites both files.

Entries hold who (OS user), when (UTC), command, purpose, partner code, input paths
with their sha256, model version and counts: never names, dates of birth or document
numbers.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from pipeline.safeguards.errors import AuditLogError
from pipeline.safeguards.jsonlines import append_line, canonical_json, last_line, locked
from pipeline.safeguards.purpose import AUDIT_PURPOSES

GENESIS: Final = "0" * 64
ENV_VAR: Final = "CHRILINK_AUDIT_LOG"
_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")
_TOKEN: Final = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
ENTRY_KEYS: Final = frozenset(
    {
        "seq",
        "at",
        "user",
        "command",
        "purpose",
        "partner",
        "inputs",
        "model_version",
        "counts",
        "prev_hash",
        "hash",
    }
)


def default_audit_path() -> Path:
    """``$CHRILINK_AUDIT_LOG`` if set, else ``audit/audit.jsonl`` under the working dir."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else Path.cwd() / "audit" / "audit.jsonl"


def head_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name + ".head")


def entry_hash(entry: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of ``entry`` without its ``hash`` key."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(canonical_json(body).encode("ascii")).hexdigest()


def _check_fields(
    command: str, purpose: str, inputs: dict[str, str], counts: dict[str, int]
) -> None:
    if not _TOKEN.match(command):
        raise AuditLogError(f"audit: command {command!r} must be a short lower-case token")
    if purpose not in AUDIT_PURPOSES:
        raise AuditLogError(f"audit: purpose {purpose!r} is not one of {', '.join(AUDIT_PURPOSES)}")
    if not all(_SHA256.match(v) for v in inputs.values()):
        raise AuditLogError("audit: every input must map a path to a sha256 hex digest")
    if not all(_TOKEN.match(k) and type(v) is int for k, v in counts.items()):
        raise AuditLogError("audit: counts must map lower-case names to integers")


def _previous(log_path: Path, line: str | None) -> tuple[int, str]:
    if line is None:
        return 0, GENESIS
    try:
        entry = json.loads(line)
        return int(entry["seq"]), str(entry["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditLogError(
            f"audit log {log_path} is damaged at its last line; run chrilink audit verify"
        ) from None


def _write_head(log_path: Path, n_entries: int, last_hash: str) -> None:
    head = head_path(log_path)
    tmp = head.with_name(head.name + ".tmp")
    tmp.write_text(canonical_json({"n_entries": n_entries, "last_hash": last_hash}) + "\n")
    tmp.replace(head)


def append_audit(
    log_path: Path,
    *,
    command: str,
    purpose: str,
    partner: str | None = None,
    inputs: dict[str, str],
    model_version: str | None = None,
    counts: dict[str, int],
) -> dict[str, Any]:
    """Append one entry to the audit log and return it (with its hash)."""
    _check_fields(command, purpose, inputs, counts)
    try:
        with locked(log_path) as handle:
            seq, prev_hash = _previous(log_path, last_line(handle))
            entry: dict[str, Any] = {
                "seq": seq + 1,
                "at": datetime.now(UTC).isoformat(),
                "user": getpass.getuser(),
                "command": command,
                "purpose": purpose,
                "partner": partner,
                "inputs": dict(sorted(inputs.items())),
                "model_version": model_version,
                "counts": dict(sorted(counts.items())),
                "prev_hash": prev_hash,
            }
            entry["hash"] = entry_hash(entry)
            append_line(handle, canonical_json(entry))
            _write_head(log_path, seq + 1, entry["hash"])
    except OSError as exc:
        raise AuditLogError(f"cannot write audit log {log_path}: {type(exc).__name__}") from None
    return entry


@dataclass(frozen=True)
class AuditReport:
    """Outcome of :func:`verify_audit`; ``first_bad_line`` is 1-based."""

    ok: bool
    n_entries: int
    first_bad_line: int | None
    message: str
    last_hash: str = GENESIS


def _line_problem(line: str, seq: int, prev_hash: str) -> str | None:
    try:
        entry = json.loads(line)
    except ValueError:
        return "is not valid JSON"
    if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
        return "does not have the audit entry keys"
    if canonical_json(entry) != line:
        return "was edited (not in canonical form)"
    if entry["hash"] != entry_hash(entry):
        return "was edited (its hash does not match its content)"
    if entry["prev_hash"] != prev_hash or entry["seq"] != seq:
        return "is out of place: an entry before it was deleted, inserted or moved"
    return None


def _check_head(log_path: Path, n_entries: int, last_hash: str) -> str | None:
    head = head_path(log_path)
    if not head.exists():
        return None if n_entries == 0 else f"head file {head.name} is missing"
    try:
        data = json.loads(head.read_text(encoding="utf-8"))
        expected = (int(data["n_entries"]), str(data["last_hash"]))
    except (OSError, ValueError, KeyError, TypeError):
        return f"head file {head.name} is unreadable"
    if expected != (n_entries, last_hash):
        return (
            f"the log ends at entry {n_entries} but its head records {expected[0]} entries: "
            "entries were cut from the end"
        )
    return None


def verify_audit(log_path: Path) -> AuditReport:
    """Check every line and the chain; report the first bad line."""
    try:
        lines = log_path.read_text(encoding="utf-8").splitlines() if log_path.exists() else []
    except (OSError, UnicodeDecodeError) as exc:
        raise AuditLogError(f"cannot read audit log {log_path}: {type(exc).__name__}") from None
    prev_hash = GENESIS
    for number, line in enumerate(lines, start=1):
        problem = _line_problem(line, number, prev_hash)
        if problem is not None:
            return AuditReport(False, number - 1, number, f"line {number} {problem}", prev_hash)
        prev_hash = json.loads(line)["hash"]
    head_problem = _check_head(log_path, len(lines), prev_hash)
    if head_problem is not None:
        return AuditReport(False, len(lines), len(lines) + 1, head_problem, prev_hash)
    noun = "entry" if len(lines) == 1 else "entries"
    return AuditReport(True, len(lines), None, f"{len(lines)} {noun}, chain intact", prev_hash)
