"""Build and change a prepared store: index, add or correct, remove, compact.

Every change takes the store's lock, writes new files beside the old ones and replaces
``store.json`` last, so a reader sees the old or the new store, never half of one.
"""

from __future__ import annotations

import fcntl
import shutil
import time
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
from pipeline.errors import InputError
from pipeline.ingest.reader import iter_input
from pipeline.match.blocking import KeyRule, blocking_keys, key_rules
from pipeline.match.engine import match_frame, tf_columns
from pipeline.match.model import Model
from pipeline.schema import FEATURE_VERSION
from pipeline.standardize import standardize
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
    write_json_atomic,
)

ChunkCallback = Callable[[int], None]
INDEX_CHUNK_ROWS = 500_000


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
    """Append standardized chunks to a new segment, then sort its keys."""

    def __init__(self, path: Path, rules: tuple[KeyRule, ...]) -> None:
        path.mkdir(parents=True, exist_ok=False)
        self.path = path
        self.rules = rules
        self.schema: pa.Schema | None = None
        self.writer: ipc.RecordBatchFileWriter | None = None
        self.records: pq.ParquetWriter | None = None
        self.keys: list[npt.NDArray[np.uint64]] = []
        self.rows: list[npt.NDArray[np.uint32]] = []
        self.identities = 0

    def add(self, records: pl.DataFrame, identities: pl.DataFrame) -> None:
        table = identities.to_arrow()
        if self.writer is None:
            self.schema = table.schema
            self.writer = ipc.new_file(str(self.path / IDENTITIES_FILE), table.schema)
        assert self.schema is not None
        self.writer.write_table(table.cast(self.schema))
        raw = records.to_arrow()
        if self.records is None:
            self.records = pq.ParquetWriter(str(self.path / RECORDS_FILE), raw.schema)
        self.records.write_table(raw.cast(self.records.schema))
        keys = blocking_keys(identities, self.rules)
        self.keys.append(keys.get_column("key").to_numpy())
        self.rows.append((keys.get_column("row").to_numpy() + self.identities).astype(np.uint32))
        self.identities += identities.height

    def finish(self) -> int:
        if self.writer is None:
            raise PreparedStoreError("no valid records to index")
        self.writer.close()
        if self.records is not None:
            self.records.close()
        keys = np.concatenate(self.keys)
        rows = np.concatenate(self.rows)
        self.keys, self.rows = [], []
        order = np.argsort(keys, kind="stable")
        np.save(self.path / KEYS_FILE, keys[order])
        del keys
        np.save(self.path / ROWS_FILE, rows[order])
        np.save(self.path / ALIVE_FILE, np.ones(self.identities, dtype=np.bool_))
        return self.identities


def _validated_chunks(
    chunks: Iterable[pl.DataFrame],
    source: str,
    max_bad_share: float,
    report: IndexReport,
    quarantine: list[pl.DataFrame],
) -> Iterator[pl.DataFrame]:
    """Records that pass the contract; a record id seen in an earlier chunk is set aside."""
    seen: pl.Series = pl.Series("record_id", [], dtype=pl.String)
    for chunk in chunks:
        # the polars evaluator: the same findings as GX (tests/contracts/
        # test_fast_equivalence.py) at a third of the time on millions of rows
        outcome = check_input(chunk, "records", source, max_bad_share, evaluator="fast")
        report.records_in += outcome.passed.height + outcome.quarantine.height
        passed = outcome.passed
        repeated = passed.get_column("record_id").is_in(seen.implode())
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
        seen = pl.concat([seen, passed.get_column("record_id")])
        report.records_added += passed.height
        if passed.height:
            yield passed


def _write_segment(
    path: Path,
    records: Iterable[pl.DataFrame],
    rules: tuple[KeyRule, ...],
    on_chunk: ChunkCallback | None,
) -> tuple[int, pl.Series]:
    """Standardize and index ``records`` into a new segment; return identities, ids."""
    writer = _SegmentWriter(path, rules)
    ids: list[pl.Series] = []
    for chunk in records:
        identities = match_frame(standardize(chunk, "records"), "records")
        writer.add(chunk, identities)
        ids.append(chunk.get_column("record_id"))
        if on_chunk is not None:
            on_chunk(chunk.height)
    count = writer.finish()
    return count, pl.concat(ids) if ids else pl.Series("record_id", [], dtype=pl.String)


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
) -> tuple[dict[str, Any], pl.Series]:
    name = _next_segment_name(meta)
    seg_path = path / SEGMENTS_DIR / name
    quarantine: list[pl.DataFrame] = []
    start = time.perf_counter()
    try:
        valid = _validated_chunks(chunks, source, max_bad_share, report, quarantine)
        identities, ids = _write_segment(seg_path, valid, key_rules(model.spec), on_chunk)
        report.records_quarantined = _write_quarantine(seg_path, quarantine)
    except BaseException:
        shutil.rmtree(seg_path, ignore_errors=True)
        raise
    report.identities_added = identities
    report.seconds["validate, standardize and index"] = round(time.perf_counter() - start, 3)
    meta = meta if meta is not None else _new_meta(model)
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
) -> IndexReport:
    """Index ``records`` into a new store at ``path`` (which must not hold a store)."""
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
            path, None, model, chunks, str(records), max_bad_share, report, on_chunk
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
                seg_path, _live_records(path, meta), key_rules(model.spec), on_chunk
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
