"""Build and change a prepared store: index, add or correct, remove, compact.

Every change takes the store's lock, writes new files beside the old ones and replaces
``store.json`` last, so a reader sees the old or the new store, never half of one.

Memory stays bounded whatever the input size: records are validated, standardized and
written chunk by chunk; each chunk's blocking keys are sorted and set aside in a run
file, and the runs are merged into the segment's sorted keys one key range at a time
(the keys are hashes, so equal ranges hold about equal numbers of keys).
"""

from __future__ import annotations

import fcntl
import io
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq

from pipeline.contracts import check_input
from pipeline.errors import InputError, InternalError
from pipeline.ingest.reader import iter_input
from pipeline.match.blocking import KEY_SEED, KeyRule, key_rules
from pipeline.match.engine import tf_columns
from pipeline.match.model import Model
from pipeline.schema import FEATURE_VERSION
from pipeline.store._worker import IndexedChunk, decode_chunk, index_chunk, receive, send
from pipeline.store.prepared import (
    ALIVE_FILE,
    IDENTITIES_FILE,
    KEYS_FILE,
    META_FILE,
    QUARANTINE_FILE,
    RECORDS_FILE,
    ROWS_FILE,
    SEGMENTS_DIR,
    STORE_FORMAT,
    PreparedStoreError,
    Segment,
    blocking_hash,
    check_compatible,
    read_meta,
    save_array_atomic,
    store_columns,
    write_json_atomic,
)

ChunkCallback = Callable[[int], None]
# a chunk standardizes well below the size at which standardize would start children
# of its own, and one chunk per worker in flight keeps memory at a few GB
INDEX_CHUNK_ROWS = 100_000
MAX_WORKERS = 4
MERGE_BLOCK_KEYS = 4_000_000  # keys sorted at once when the runs are merged
RUNS_DIR = "_runs"


@dataclass
class IndexReport:
    """What one index command did (no names or dates, only counts and ids)."""

    action: str
    records_in: int = 0
    records_added: int = 0
    records_quarantined: int = 0
    records_replaced: int = 0
    records_removed: int = 0
    identities_added: int = 0
    records_live: int = 0
    identities_live: int = 0
    segments: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PreparedStoreError(f"store {path} is being changed by another process") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _next_segment_name(meta: dict[str, Any] | None) -> str:
    names = [s["name"] for s in meta["segments"]] if meta else []
    return f"{(max((int(n) for n in names), default=0) + 1):06d}"


class _SegmentWriter:
    """Append indexed chunks to a new segment: identities (the stored columns) to the
    Arrow file, validated rows to Parquet, each chunk's sorted keys to a run file."""

    def __init__(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=False)
        (path / RUNS_DIR).mkdir()
        self.path = path
        self.schema: pa.Schema | None = None
        self.writer: ipc.RecordBatchFileWriter | None = None
        self.records: pq.ParquetWriter | None = None
        self.runs: list[tuple[Path, Path]] = []
        self.keys = 0
        self.identities = 0

    def add(self, records: pl.DataFrame, chunk: IndexedChunk) -> None:
        """Append ``records`` and their indexed identities."""
        if self.writer is None:
            self.schema = chunk.table.schema
            self.writer = ipc.new_file(str(self.path / IDENTITIES_FILE), self.schema)
        assert self.schema is not None
        self.writer.write_table(chunk.table.cast(self.schema))
        raw = records.to_arrow()
        if self.records is None:
            self.records = pq.ParquetWriter(str(self.path / RECORDS_FILE), raw.schema)
        self.records.write_table(raw.cast(self.records.schema))
        run = self.path / RUNS_DIR / f"{len(self.runs):06d}"
        paths = (run.with_suffix(".keys.npy"), run.with_suffix(".rows.npy"))
        np.save(paths[0], chunk.keys)
        # adding the same offset to every row keeps the run sorted by (key, row)
        np.save(paths[1], chunk.rows + np.uint32(self.identities))
        self.runs.append(paths)
        self.keys += len(chunk.keys)
        self.identities += chunk.table.num_rows

    def finish(self) -> int:
        if self.writer is None:
            raise PreparedStoreError("no valid records to index")
        self.writer.close()
        if self.records is not None:
            self.records.close()
        merge_runs(self.runs, self.keys, self.path / KEYS_FILE, self.path / ROWS_FILE)
        shutil.rmtree(self.path / RUNS_DIR)
        np.save(self.path / ALIVE_FILE, np.ones(self.identities, dtype=np.bool_))
        return self.identities


def merge_runs(runs: list[tuple[Path, Path]], total: int, keys_out: Path, rows_out: Path) -> None:
    """Merge sorted runs of (key, row) into one array of keys and one of rows, sorted by
    (key, row), one key range at a time (at most about ``MERGE_BLOCK_KEYS`` in memory)."""
    if total == 0:
        np.save(keys_out, np.empty(0, dtype=np.uint64))
        np.save(rows_out, np.empty(0, dtype=np.uint32))
        return
    opened = [(np.load(k, mmap_mode="r"), np.load(r, mmap_mode="r")) for k, r in runs]
    keys = np.lib.format.open_memmap(keys_out, mode="w+", dtype=np.uint64, shape=(total,))
    rows = np.lib.format.open_memmap(rows_out, mode="w+", dtype=np.uint32, shape=(total,))
    blocks = max(1, math.ceil(total / MERGE_BLOCK_KEYS))
    bounds = [np.uint64(i * 2**64 // blocks) for i in range(1, blocks)]
    done = 0
    for b in range(blocks):
        parts: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]]] = []
        for run_keys, run_rows in opened:
            lo = 0 if b == 0 else int(np.searchsorted(run_keys, bounds[b - 1]))
            hi = len(run_keys) if b == blocks - 1 else int(np.searchsorted(run_keys, bounds[b]))
            parts.append((run_keys[lo:hi], run_rows[lo:hi]))
        block_keys = np.concatenate([k for k, _ in parts])
        block_rows = np.concatenate([r for _, r in parts])
        order = np.lexsort((block_rows, block_keys))
        keys[done : done + len(order)] = block_keys[order]
        rows[done : done + len(order)] = block_rows[order]
        done += len(order)
    if done != total:
        raise PreparedStoreError("merging the blocking keys lost keys")  # pragma: no cover
    keys.flush()
    rows.flush()
    del keys, rows, opened


class _SeenIds:
    """Record ids of earlier chunks, as a sorted array of 64-bit hashes: a chunk is checked
    in O(chunk · log n), not against a hash set rebuilt from every id seen so far (which
    made a 10M build quadratic). A hash hit is confirmed on the ids themselves."""

    def __init__(self) -> None:
        self.hashes: npt.NDArray[np.uint64] = np.empty(0, dtype=np.uint64)
        self.chunks: list[pl.Series] = []

    @staticmethod
    def _hash(ids: pl.Series) -> npt.NDArray[np.uint64]:
        return ids.hash(seed=KEY_SEED).to_numpy()

    def repeated(self, ids: pl.Series) -> pl.Series:
        """Which of ``ids`` were added before."""
        hashes = self._hash(ids)
        if len(self.hashes) == 0:
            return pl.Series(np.zeros(len(ids), dtype=np.bool_))
        order = np.argsort(hashes)  # sorted probes walk the array in order: fewer misses
        at = np.minimum(np.searchsorted(self.hashes, hashes[order]), len(self.hashes) - 1)
        hit = np.empty(len(hashes), dtype=np.bool_)
        hit[order] = self.hashes[at] == hashes[order]
        if not hit.any():
            return pl.Series(hit)
        wanted = np.unique(hashes[hit])
        earlier = pl.concat(
            [ids.filter(pl.Series(np.isin(self._hash(ids), wanted))) for ids in self.chunks]
        )
        return ids.is_in(earlier.implode()) & pl.Series(hit)

    def add(self, ids: pl.Series) -> None:
        new = np.sort(self._hash(ids))
        self.hashes = np.insert(self.hashes, np.searchsorted(self.hashes, new), new)
        self.chunks.append(ids)


def _validated_chunks(
    chunks: Iterable[pl.DataFrame],
    source: str,
    max_bad_share: float,
    report: IndexReport,
    quarantine: list[pl.DataFrame],
) -> Iterator[pl.DataFrame]:
    """Records that pass the contract; a record id seen in an earlier chunk is set aside."""
    seen = _SeenIds()
    for chunk in chunks:
        # the polars evaluator: the same findings as GX (tests/contracts/
        # test_fast_equivalence.py) at a third of the time on millions of rows
        outcome = check_input(chunk, "records", source, max_bad_share, evaluator="fast")
        report.records_in += outcome.passed.height + outcome.quarantine.height
        passed = outcome.passed
        repeated = seen.repeated(passed.get_column("record_id"))
        if repeated.any():
            dup = passed.filter(repeated)
            quarantine.append(
                pl.DataFrame(
                    {
                        "row_id": dup.get_column("record_id"),
                        "reasons": [["record_id repeated in the input"]] * dup.height,
                    }
                )
            )
            passed = passed.filter(~repeated)
        if outcome.quarantine.height:
            quarantine.append(outcome.quarantine.select("row_id", "reasons"))
        seen.add(passed.get_column("record_id"))
        report.records_added += passed.height
        if passed.height:
            yield passed


class _Pool:
    """Child interpreters (``python -m pipeline.store._worker``) that index chunks."""

    def __init__(self, count: int, rules: tuple[KeyRule, ...], columns: tuple[str, ...]) -> None:
        root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {
            **os.environ,
            "PYTHONPATH": root + (os.pathsep + path if path else ""),
            "POLARS_MAX_THREADS": "1",
        }
        cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        rule_rows = [[r.index, list(r.columns), sorted(r.exploded)] for r in rules]
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            for n in range(count):
                spec = {
                    "cpu": cpus[n % len(cpus)] if cpus else None,
                    "rules": rule_rows,
                    "columns": list(columns),
                }
                self.procs.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "pipeline.store._worker", json.dumps(spec)],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        env=env,
                    )
                )
        except BaseException:
            self.stop()
            raise

    def submit(self, proc: subprocess.Popen[bytes], records: pl.DataFrame) -> None:
        """Hand ``records`` to ``proc``, which is idle and reading (no deadlock)."""
        buffer = io.BytesIO()
        records.write_ipc(buffer)
        assert proc.stdin is not None
        try:
            send(proc.stdin, buffer.getbuffer())
        except BrokenPipeError:
            self._failed(proc)

    def result(self, proc: subprocess.Popen[bytes]) -> IndexedChunk:
        assert proc.stdout is not None
        try:
            parts = receive(proc.stdout)
        except EOFError:
            parts = None
        if parts is None:
            self._failed(proc)
        assert parts is not None
        return decode_chunk(parts)

    def _failed(self, proc: subprocess.Popen[bytes]) -> None:
        code = proc.wait()
        raise InternalError(f"index: a worker process failed (exit code {code})")

    def close(self) -> None:
        for proc in self.procs:
            if proc.stdin is not None:
                proc.stdin.close()
        for proc in self.procs:
            if proc.wait() != 0:
                raise InternalError("index: a worker process failed")

    def stop(self) -> None:
        """End every child still running (after an error)."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def index_workers() -> int:
    """Processes that index chunks at once: one per usable CPU, at most ``MAX_WORKERS``."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, MAX_WORKERS))


def _indexed(
    chunks: Iterable[pl.DataFrame],
    rules: tuple[KeyRule, ...],
    columns: tuple[str, ...],
    workers: int,
) -> Iterator[tuple[pl.DataFrame, IndexedChunk]]:
    """(records, indexed chunk) in input order.

    With more than one worker and more than one chunk, child interpreters index the
    chunks round robin while this process validates the next chunk and writes the
    finished ones; a single chunk is indexed here (starting children costs seconds).
    """
    it = iter(chunks)
    head = list(itertools.islice(it, 2))
    if workers <= 1 or len(head) < 2:
        for records in itertools.chain(head, it):
            yield records, index_chunk(records, rules, columns)
        return
    pool = _Pool(workers, rules, columns)
    try:
        pending: deque[tuple[pl.DataFrame, subprocess.Popen[bytes]]] = deque()
        for n, records in enumerate(itertools.chain(head, it)):
            done = None
            if len(pending) == len(pool.procs):
                oldest, proc = pending.popleft()
                done = (oldest, pool.result(proc))
            proc = pool.procs[n % len(pool.procs)]
            pool.submit(proc, records)
            pending.append((records, proc))
            if done is not None:
                yield done
        while pending:
            oldest, proc = pending.popleft()
            yield oldest, pool.result(proc)
        pool.close()
    finally:
        pool.stop()


def _write_segment(
    path: Path,
    records: Iterable[pl.DataFrame],
    rules: tuple[KeyRule, ...],
    columns: tuple[str, ...],
    on_chunk: ChunkCallback | None,
    workers: int | None = None,
) -> tuple[int, pl.Series]:
    """Standardize and index ``records`` into a new segment; return identities, ids."""
    writer = _SegmentWriter(path)
    ids: list[pl.Series] = []
    count = index_workers() if workers is None else workers
    for chunk, indexed in _indexed(records, rules, columns, count):
        writer.add(chunk, indexed)
        ids.append(chunk.get_column("record_id"))
        if on_chunk is not None:
            on_chunk(chunk.height)
    identities = writer.finish()
    return identities, pl.concat(ids) if ids else pl.Series("record_id", [], dtype=pl.String)


def _write_quarantine(path: Path, quarantine: list[pl.DataFrame]) -> int:
    frame = (
        pl.concat(quarantine, how="vertical_relaxed")
        if quarantine
        else pl.DataFrame(schema={"row_id": pl.String, "reasons": pl.List(pl.String)})
    )
    frame.write_parquet(path / QUARANTINE_FILE)
    return frame.height


def _segments(path: Path, meta: dict[str, Any]) -> list[Segment]:
    return [Segment.open(path / SEGMENTS_DIR / s["name"]) for s in meta["segments"]]


def _kill(segments: list[Segment], record_ids: pl.Series) -> int:
    """Clear the live flags of every identity of ``record_ids``; return records hit."""
    hit: set[str] = set()
    wanted = record_ids.implode()
    for seg in segments:
        source = pl.from_arrow(seg.identities.select(["source_id"]))
        assert isinstance(source, pl.DataFrame)
        mask = source.get_column("source_id").is_in(wanted).to_numpy() & seg.alive
        if mask.any():
            hit.update(source.filter(pl.Series(mask)).get_column("source_id").to_list())
            alive = seg.alive.copy()
            alive[mask] = False
            save_array_atomic(seg.path / ALIVE_FILE, alive)
            seg.alive = alive
    return len(hit)


def _refresh(path: Path, meta: dict[str, Any], model: Model, report: IndexReport) -> dict[str, Any]:
    """Recount, rewrite term frequencies and store.json."""
    segments = _segments(path, meta)
    columns = tf_columns(model.splink_settings)
    live_ids = 0
    records: list[pl.Series] = []
    tf_parts: dict[str, list[pl.DataFrame]] = {c: [] for c in columns}
    for seg, info in zip(segments, meta["segments"], strict=True):
        frame = pl.from_arrow(seg.identities.select(["source_id", *columns]))
        assert isinstance(frame, pl.DataFrame)
        frame = frame.filter(pl.Series(seg.alive))
        info["identities_live"] = frame.height
        info["records_live"] = frame.get_column("source_id").n_unique()
        live_ids += frame.height
        records.append(frame.get_column("source_id").unique())
        for column in columns:
            tf_parts[column].append(frame.get_column(column).drop_nulls().value_counts(name="n"))
    for column in columns:
        counts = pl.concat(tf_parts[column]).group_by(column).agg(pl.col("n").sum())
        total = max(int(counts.get_column("n").sum()), 1)
        tf = counts.select(pl.col(column), (pl.col("n") / total).alias(f"tf_{column}")).sort(column)
        tmp = path / f"tf_{column}.parquet.tmp"
        tf.write_parquet(tmp)
        tmp.replace(path / f"tf_{column}.parquet")
    meta.update(
        records_live=pl.concat(records).n_unique() if records else 0,
        identities_live=live_ids,
        tf_columns=columns,
        updated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    write_json_atomic(path / META_FILE, meta)
    report.records_live = int(meta["records_live"])
    report.identities_live = live_ids
    report.segments = len(meta["segments"])
    return meta


def _segment_entry(name: str, source: str, records: int, identities: int) -> dict[str, Any]:
    return {
        "name": name,
        "source": source,
        "records": records,
        "identities": identities,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _new_meta(model: Model) -> dict[str, Any]:
    return {
        "format": STORE_FORMAT,
        "feature_version": FEATURE_VERSION,
        "blocking_hash": blocking_hash(model.spec),
        "columns": list(store_columns(model.spec)),
        "polars": pl.__version__,
        "model": model.version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "segments": [],
    }


def _add_segment(
    path: Path,
    meta: dict[str, Any] | None,
    model: Model,
    chunks: Iterable[pl.DataFrame],
    source: str,
    max_bad_share: float,
    report: IndexReport,
    on_chunk: ChunkCallback | None,
    workers: int | None = None,
) -> tuple[dict[str, Any], pl.Series]:
    name = _next_segment_name(meta)
    seg_path = path / SEGMENTS_DIR / name
    quarantine: list[pl.DataFrame] = []
    meta = meta if meta is not None else _new_meta(model)
    # every segment of a store keeps the same columns
    columns = tuple(meta["columns"])
    start = time.perf_counter()
    try:
        valid = _validated_chunks(chunks, source, max_bad_share, report, quarantine)
        identities, ids = _write_segment(seg_path, valid, key_rules(model.spec), columns, on_chunk)
        report.records_quarantined = _write_quarantine(seg_path, quarantine)
    except BaseException:
        shutil.rmtree(seg_path, ignore_errors=True)
        raise
    report.identities_added = identities
    report.seconds["validate, standardize and index"] = round(time.perf_counter() - start, 3)
    meta["segments"].append(_segment_entry(name, source, ids.len(), identities))
    return meta, ids


def build_store(
    path: Path,
    records: Path,
    model: Model,
    *,
    columns: Mapping[str, str] | None = None,
    max_bad_share: float = 0.2,
    on_chunk: ChunkCallback | None = None,
    chunk_rows: int = INDEX_CHUNK_ROWS,
    workers: int | None = None,
) -> IndexReport:
    """Index ``records`` into a new store at ``path`` (which must not hold a store).

    ``workers``: processes that standardize chunks at once (default: one per CPU, see
    :func:`index_workers`); the store does not depend on it.
    """
    if (path / META_FILE).exists():
        raise PreparedStoreError(
            f"{path} already holds a store; use --update to add or correct records, "
            "or choose another --out"
        )
    if path.exists() and any(p.name != ".lock" for p in path.iterdir()):
        raise PreparedStoreError(f"{path} exists and is not an empty directory")
    report = IndexReport("build")
    with _locked(path):
        chunks = iter_input(records, "records", columns, chunk_rows)
        meta, _ = _add_segment(
            path, None, model, chunks, str(records), max_bad_share, report, on_chunk, workers
        )
        _refresh(path, meta, model, report)
    return report


def update_store(
    path: Path,
    records: Path,
    model: Model,
    *,
    columns: Mapping[str, str] | None = None,
    max_bad_share: float = 0.2,
    on_chunk: ChunkCallback | None = None,
    chunk_rows: int = INDEX_CHUNK_ROWS,
) -> IndexReport:
    """Add records; a record whose id is already in the store replaces it (a correction)."""
    report = IndexReport("update")
    with _locked(path):
        meta = read_meta(path)
        check_compatible(meta, model.spec, path)
        old = _segments(path, meta)
        chunks = iter_input(records, "records", columns, chunk_rows)
        meta, ids = _add_segment(
            path, meta, model, chunks, str(records), max_bad_share, report, on_chunk
        )
        report.records_replaced = _kill(old, ids)
        _refresh(path, meta, model, report)
    return report


def read_record_ids(path: Path) -> pl.Series:
    """Record ids to remove: a CSV/Parquet with a ``record_id`` column, or one per line."""
    if not path.is_file():
        raise InputError(f"file of record ids not found: {path}")
    try:
        if path.suffix.lower() in {".parquet", ".pq"}:
            frame = pl.read_parquet(path)
        elif path.suffix.lower() == ".csv":
            frame = pl.read_csv(path, infer_schema=False)
        else:
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
            frame = pl.DataFrame({"record_id": [ln for ln in lines if ln]})
    except (OSError, UnicodeError, pl.exceptions.PolarsError) as exc:
        raise InputError(f"cannot read record ids from {path}: {type(exc).__name__}") from None
    if "record_id" not in frame.columns:
        raise InputError(f"{path} has no record_id column")
    return frame.get_column("record_id").cast(pl.String).drop_nulls().unique()


def remove_records(path: Path, record_ids: pl.Series, model: Model) -> IndexReport:
    """Remove records by id; ids not in the store are ignored (and counted)."""
    report = IndexReport("remove", records_in=record_ids.len())
    with _locked(path):
        meta = read_meta(path)
        check_compatible(meta, model.spec, path)
        report.records_removed = _kill(_segments(path, meta), record_ids)
        _refresh(path, meta, model, report)
    return report


def _live_records(path: Path, meta: dict[str, Any]) -> Iterator[pl.DataFrame]:
    for seg in _segments(path, meta):
        source = pl.from_arrow(seg.identities.select(["source_id"]))
        assert isinstance(source, pl.DataFrame)
        live = source.filter(pl.Series(seg.alive)).get_column("source_id").unique()
        for batch in pq.ParquetFile(seg.path / RECORDS_FILE).iter_batches(INDEX_CHUNK_ROWS):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame = frame.filter(pl.col("record_id").is_in(live.implode()))
            if frame.height:
                yield frame


def live_records(path: Path) -> pl.DataFrame:
    """Every live record of a store, as the contract-shaped rows it was indexed from."""
    meta = read_meta(path)
    frames = list(_live_records(path, meta))
    if not frames:
        return pl.DataFrame(schema={"record_id": pl.String})
    return pl.concat(frames, how="vertical_relaxed")


def compact_store(path: Path, model: Model, on_chunk: ChunkCallback | None = None) -> IndexReport:
    """Rebuild one segment from the live records (re-standardized with this code and
    re-keyed for ``model``'s blocking rules), then drop the old segments."""
    report = IndexReport("compact")
    with _locked(path):
        meta = read_meta(path)
        name = _next_segment_name(meta)
        seg_path = path / SEGMENTS_DIR / name
        start = time.perf_counter()
        try:
            identities, ids = _write_segment(
                seg_path,
                _live_records(path, meta),
                key_rules(model.spec),
                store_columns(model.spec),
                on_chunk,
            )
            _write_quarantine(seg_path, [])
        except BaseException:
            shutil.rmtree(seg_path, ignore_errors=True)
            raise
        report.seconds["standardize and index"] = round(time.perf_counter() - start, 3)
        old = [s["name"] for s in meta["segments"]]
        new_meta = _new_meta(model)
        new_meta["created_at"] = meta.get("created_at", new_meta["created_at"])
        new_meta["segments"] = [_segment_entry(name, "compaction", ids.len(), identities)]
        report.records_in = report.records_added = ids.len()
        report.identities_added = identities
        _refresh(path, new_meta, model, report)
        for old_name in old:
            shutil.rmtree(path / SEGMENTS_DIR / old_name, ignore_errors=True)
    return report
