"""Index chunks of validated records: in this process, or in child interpreters.

:func:`index_chunk` is the per-chunk work of ``chrilink index`` (standardize, match
frame, the stored columns, sorted blocking keys). It holds no state between chunks, so
chunks can be indexed in any process and in any order; :mod:`.index` writes the results
in input order, so a store does not depend on the number of processes.

Run as ``python -m pipeline.store._worker SPEC`` by :class:`.index._Pool`: chunks of
records come in on stdin and indexed chunks go out on stdout, as framed messages
(:func:`send`, :func:`receive`). A fresh interpreter (not a fork, and not
multiprocessing, which would re-import the caller's ``__main__``) keeps polars' thread
pool out of the child; the child is pinned to one CPU and runs polars on one thread, so
two children on two cores do not compete, and standardization starts no children of its
own.
"""

from __future__ import annotations

import io
import json
import os
import struct
import sys
from dataclasses import dataclass
from typing import IO

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc

from pipeline.match.blocking import KeyRule, blocking_keys
from pipeline.match.engine import match_frame
from pipeline.standardize import standardize
from pipeline.store.prepared import compact_table

_COUNT = struct.Struct("<I")
_LENGTH = struct.Struct("<Q")


@dataclass
class IndexedChunk:
    """Stored identity columns of a chunk, and its blocking keys sorted by (key, row);
    ``rows`` count from the chunk's first identity."""

    table: pa.Table
    keys: npt.NDArray[np.uint64]
    rows: npt.NDArray[np.uint32]


def index_chunk(
    records: pl.DataFrame, rules: tuple[KeyRule, ...], columns: tuple[str, ...]
) -> IndexedChunk:
    """Standardize ``records``; keep ``columns`` of their match frames; key every rule."""
    identities = match_frame(standardize(records, "records"), "records")
    keyed = blocking_keys(identities, rules)
    keys = keyed.get_column("key").to_numpy()
    rows = keyed.get_column("row").to_numpy().astype(np.uint32)
    order = np.lexsort((rows, keys))
    return IndexedChunk(compact_table(identities.select(columns)), keys[order], rows[order])


def send(stream: IO[bytes], *parts: bytes | memoryview) -> None:
    """Write one message: a count of parts, then each part with its length."""
    stream.write(_COUNT.pack(len(parts)))
    for part in parts:
        stream.write(_LENGTH.pack(len(part)))
        stream.write(part)
    stream.flush()


def _exactly(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError("message cut short")
    return data


def receive(stream: IO[bytes]) -> list[bytes] | None:
    """Read one message; ``None`` at the end of the stream."""
    head = stream.read(_COUNT.size)
    if not head:
        return None
    head += _exactly(stream, _COUNT.size - len(head))
    (count,) = _COUNT.unpack(head)
    parts = []
    for _ in range(count):
        (size,) = _LENGTH.unpack(_exactly(stream, _LENGTH.size))
        parts.append(_exactly(stream, size))
    return parts


def table_bytes(table: pa.Table) -> memoryview:
    sink = pa.BufferOutputStream()
    with ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return memoryview(sink.getvalue())


def read_table(data: bytes) -> pa.Table:
    return ipc.open_stream(pa.py_buffer(data)).read_all()


def encode_chunk(chunk: IndexedChunk) -> tuple[memoryview, bytes, bytes]:
    return table_bytes(chunk.table), chunk.keys.tobytes(), chunk.rows.tobytes()


def decode_chunk(parts: list[bytes]) -> IndexedChunk:
    table, keys, rows = parts
    return IndexedChunk(
        read_table(table), np.frombuffer(keys, np.uint64), np.frombuffer(rows, np.uint32)
    )


def _rules(spec: dict[str, object]) -> tuple[KeyRule, ...]:
    rows = spec["rules"]
    assert isinstance(rows, list)
    return tuple(KeyRule(int(i), tuple(c), frozenset(e)) for i, c, e in rows)


def main() -> None:
    """Index every chunk of records read from stdin (see the module docstring)."""
    spec = json.loads(sys.argv[1])
    if spec.get("cpu") is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {int(spec["cpu"])})
    rules, columns = _rules(spec), tuple(spec["columns"])
    while (message := receive(sys.stdin.buffer)) is not None:
        records = pl.read_ipc(io.BytesIO(message[0]))
        send(sys.stdout.buffer, *encode_chunk(index_chunk(records, rules, columns)))


if __name__ == "__main__":
    try:
        main()
    except Exception as exc:  # the type only: a message may quote a record's values
        sys.stderr.write(f"chrilink index worker failed: {type(exc).__name__}\n")
        sys.exit(1)
