"""The audit log: chained, and any edit, deletion or reordering is detected."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.safeguards import AuditLogError, append_audit, default_audit_path, verify_audit


def write_log(path: Path, n: int = 4) -> list[str]:
    for i in range(n):
        append_audit(
            path,
            command="link",
            purpose="border_screening",
            inputs={f"/data/in{i}.csv": "a" * 64},
            model_version="models/default@abc",
            counts={"matches": i},
        )
    return path.read_text().splitlines()


def test_untouched_log_verifies(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    write_log(log)
    report = verify_audit(log)
    assert (report.ok, report.n_entries, report.first_bad_line) == (True, 4, None)


def test_empty_log_verifies(tmp_path: Path) -> None:
    assert verify_audit(tmp_path / "none.jsonl").ok


def _edit_count(lines: list[str]) -> list[str]:
    entry = json.loads(lines[1])
    entry["counts"]["matches"] = 99
    return [lines[0], json.dumps(entry, sort_keys=True, separators=(",", ":")), *lines[2:]]


def _edit_and_rehash(lines: list[str]) -> list[str]:
    from pipeline.safeguards.audit import entry_hash

    entry = json.loads(lines[1])
    entry["purpose"] = "immigration_vetting"
    entry["hash"] = entry_hash(entry)
    return [lines[0], json.dumps(entry, sort_keys=True, separators=(",", ":")), *lines[2:]]


TAMPERING: list[tuple[str, Callable[[list[str]], list[str]], int]] = [
    ("edit a count", _edit_count, 2),
    ("edit and recompute the hash", _edit_and_rehash, 3),
    ("reformat a line", lambda ls: [ls[0], json.dumps(json.loads(ls[1]), indent=1), *ls[2:]], 2),
    ("delete a middle line", lambda ls: [ls[0], *ls[2:]], 2),
    ("delete the first line", lambda ls: ls[1:], 1),
    ("delete the last line", lambda ls: ls[:-1], 4),
    ("swap two lines", lambda ls: [ls[0], ls[2], ls[1], ls[3]], 2),
    ("duplicate a line", lambda ls: [ls[0], ls[0], *ls[1:]], 2),
]


@pytest.mark.parametrize(("how", "tamper", "bad_line"), TAMPERING, ids=[t[0] for t in TAMPERING])
def test_tampering_is_detected(
    tmp_path: Path, how: str, tamper: Callable[[list[str]], list[str]], bad_line: int
) -> None:
    log = tmp_path / "audit.jsonl"
    log.write_text("\n".join(tamper(write_log(log))) + "\n")
    report = verify_audit(log)
    assert not report.ok, how
    assert report.first_bad_line == bad_line, report.message


def test_deleting_head_file_is_detected(tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    write_log(log)
    (tmp_path / "audit.jsonl.head").unlink()
    assert not verify_audit(log).ok


def test_entries_refuse_personal_looking_values(tmp_path: Path) -> None:
    with pytest.raises(AuditLogError, match="sha256"):
        append_audit(
            tmp_path / "a.jsonl",
            command="link",
            purpose="border_screening",
            inputs={"x": "IVANOV 1975-03-12"},
            counts={},
        )
    with pytest.raises(AuditLogError, match="purpose"):
        append_audit(tmp_path / "a.jsonl", command="link", purpose="gossip", inputs={}, counts={})


def test_entry_records_who_and_purpose(tmp_path: Path) -> None:
    import getpass

    entry = append_audit(
        tmp_path / "a.jsonl", command="link", purpose="immigration_vetting", inputs={}, counts={}
    )
    assert entry["user"] == getpass.getuser() and entry["purpose"] == "immigration_vetting"
    assert entry["at"].endswith("+00:00") and entry["prev_hash"] == "0" * 64


def test_default_path_reads_env_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHRILINK_AUDIT_LOG", str(tmp_path / "x.jsonl"))
    assert default_audit_path() == tmp_path / "x.jsonl"
    monkeypatch.delenv("CHRILINK_AUDIT_LOG")
    monkeypatch.chdir(tmp_path)
    assert default_audit_path() == tmp_path / "audit" / "audit.jsonl"
