"""Locked appends and reads of JSON-lines files (audit log, reciprocity ledger)."""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def canonical_json(data: dict[str, Any]) -> str:
    """One stable text per value: sorted keys, no spaces, ASCII only."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


@contextmanager
def locked(path: Path) -> Iterator[IO[str]]:
    """Open ``path`` for read and append under an exclusive lock (creating it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+", encoding="utf-8") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def append_line(handle: IO[str], line: str) -> None:
    """Append one line and flush it to disk."""
    handle.seek(0, os.SEEK_END)
    handle.write(line + "\n")
    handle.flush()
    os.fsync(handle.fileno())


def last_line(handle: IO[str]) -> str | None:
    """The last non-empty line of an open file (reads the file once)."""
    handle.seek(0)
    last = None
    for line in handle:
        if line.strip():
            last = line.rstrip("\n")
    return last
