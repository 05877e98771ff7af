"""The prepared store: conviction records validated, standardized and indexed once.

A store is a directory::

    STORE/
      store.json              format, feature version, blocking rules hash, stored columns,
                              segments, counts
      tf_<column>.parquet     term frequencies over all live identities
      segments/000001/
        identities.arrow      the match features that scoring and folding read, of every
                              identity (Arrow IPC, 32-bit offsets, memory-mapped)
        keys.npy, rows.npy    blocking keys and the identity row of each, sorted by (key, row)
        alive.npy             one flag per identity: False once removed or corrected
        records.parquet       the validated input rows (for rebuilds and provenance)
        quarantine.parquet    rows the record contract set aside

Segments are immutable except for ``alive.npy``: adding or correcting records writes a
new segment and clears the flags of the rows it replaces; removing records clears
flags; ``compact`` rebuilds one segment from the live records. A lookup (a manifest's
blocking keys) is a binary search in each segment's keys, so a warm store answers in
milliseconds whatever its size.

A store keeps only the columns the model's comparisons read (Splink's own list), the
record and subject ids that fold identities to records, and the term-frequency columns
(:func:`store_columns`); blocking keys are computed at index time, so the columns that
only blocking rules read are not kept. A candidate frame gets them back empty, typed
like the travelers' (the scoring SQL passes them through without reading them).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa
import pyarrow.ipc as ipc
from splink.internals.settings_creator import SettingsCreator

from pipeline.errors import InputError
from pipeline.match.blocking import KeyRule, blocking_keys, key_rules
from pipeline.match.settings import settings_from_spec
from pipeline.match.spec import ModelSpec
from pipeline.schema import FEATURE_VERSION

# 2: identities keep only the scoring, folding and term-frequency columns, with 32-bit
# offsets; keys are sorted by (key, row)
STORE_FORMAT: Final = 2
FOLD_COLUMNS: Final = ("unique_id", "source_id", "subject_id")
META_FILE: Final = "store.json"
SEGMENTS_DIR: Final = "segments"
IDENTITIES_FILE: Final = "identities.arrow"
KEYS_FILE: Final = "keys.npy"
ROWS_FILE: Final = "rows.npy"
ALIVE_FILE: Final = "alive.npy"
RECORDS_FILE: Final = "records.parquet"
QUARANTINE_FILE: Final = "quarantine.parquet"


class PreparedStoreError(InputError):
    """A prepared store is missing, damaged or does not fit the model or this code."""


def blocking_hash(spec: ModelSpec) -> str:
    """A short hash of the blocking rules: keys built for other rules are useless."""
    canonical = json.dumps([rule.model_dump(mode="json") for rule in spec.blocking])
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def store_columns(spec: ModelSpec) -> tuple[str, ...]:
    """Identity columns a store keeps for ``spec``: those its comparisons read (as Splink
    parses their SQL), the term-frequency columns, and the ids that fold identities to
    records (:func:`pipeline.match.decide.fold_identities`)."""
    settings = SettingsCreator.from_path_or_dict(settings_from_spec(spec)).get_settings("duckdb")
    used = [c.unquote().name for c in settings._columns_used_by_comparisons]
    used += [c.unquote().name for c in settings._term_frequency_columns]
    source = settings.column_info_settings.source_dataset_column_name
    return tuple(dict.fromkeys(c for c in (*FOLD_COLUMNS, *used) if c != source))


def compact_type(dtype: pa.DataType) -> pa.DataType:
    """``dtype`` with 32-bit instead of 64-bit offsets (half the offsets of every list
    and string); a segment's columns stay far below 2 GiB of values per record batch."""
    if pa.types.is_large_list(dtype) or pa.types.is_list(dtype):
        return pa.list_(compact_type(dtype.value_type))
    if pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return pa.string()
    return dtype


def compact_table(frame: pl.DataFrame) -> pa.Table:
    """A frame as the Arrow table a segment stores (32-bit offsets)."""
    table = frame.to_arrow()
    schema = pa.schema([pa.field(f.name, compact_type(f.type)) for f in table.schema])
    return table.cast(schema)


def read_meta(path: Path) -> dict[str, Any]:
    meta_path = path / META_FILE
    if not meta_path.is_file():
        raise PreparedStoreError(
            f"no prepared store at {path} (no {META_FILE}); build one with `chrilink index`"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise PreparedStoreError(f"cannot read {meta_path}: {type(exc).__name__}") from None
    if not isinstance(meta, dict) or "format" not in meta:
        raise PreparedStoreError(f"{meta_path} is not a chrilink store")
    if meta["format"] != STORE_FORMAT:
        raise PreparedStoreError(
            f"store {path} has format {meta['format']}, this code reads format "
            f"{STORE_FORMAT}; rebuild it from the records with "
            f"`chrilink index --records FILE --out NEW_STORE`"
        )
    return meta


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def save_array_atomic(path: Path, array: npt.NDArray[Any]) -> None:
    tmp = path.with_name(path.name + ".tmp.npy")
    np.save(tmp, array)
    os.replace(tmp, path)


def check_compatible(meta: dict[str, Any], spec: ModelSpec, where: Path) -> None:
    """Refuse a store whose features or keys do not fit this code and model."""
    if meta.get("feature_version") != FEATURE_VERSION:
        raise PreparedStoreError(
            f"store {where} holds features of version {meta.get('feature_version')}, this "
            f"code produces version {FEATURE_VERSION}; rebuild it with "
            f"`chrilink index --compact --out {where}`"
        )
    if meta.get("blocking_hash") != blocking_hash(spec):
        raise PreparedStoreError(
            f"store {where} was indexed for other blocking rules than model {spec.name}; "
            f"re-index it with `chrilink index --compact --out {where} --model MODEL`"
        )
    if meta.get("polars") != pl.__version__:
        raise PreparedStoreError(
            f"store {where} was indexed with polars {meta.get('polars')}, whose key hashes "
            f"may differ from polars {pl.__version__}; re-index it with "
            f"`chrilink index --compact --out {where}`"
        )
    missing = sorted(set(store_columns(spec)) - set(meta.get("columns", [])))
    if missing:
        raise PreparedStoreError(
            f"store {where} lacks column(s) {', '.join(missing)} that model {spec.name} "
            f"compares; re-index it with `chrilink index --compact --out {where} --model MODEL`"
        )


@dataclass
class Segment:
    """One immutable part of a store, memory-mapped."""

    path: Path
    identities: pa.Table
    keys: npt.NDArray[np.uint64]
    rows: npt.NDArray[np.uint32]
    alive: npt.NDArray[np.bool_]

    @classmethod
    def open(cls, path: Path) -> Segment:
        try:
            source = pa.memory_map(str(path / IDENTITIES_FILE), "r")
            identities = ipc.open_file(source).read_all()
            keys = np.load(path / KEYS_FILE, mmap_mode="r")
            rows = np.load(path / ROWS_FILE, mmap_mode="r")
            alive = np.load(path / ALIVE_FILE)
        except (OSError, ValueError, pa.ArrowInvalid) as exc:
            raise PreparedStoreError(
                f"store segment {path} is damaged: {type(exc).__name__}"
            ) from None
        if len(alive) != identities.num_rows or len(keys) != len(rows):
            raise PreparedStoreError(f"store segment {path} is damaged: sizes disagree")
        return cls(path, identities, keys, rows, alive)

    def lookup(
        self, keys: npt.NDArray[np.uint64]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(index into ``keys``, live identity row) for every identity holding a key."""
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        lengths = (hi - lo).astype(np.int64)
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        which = np.repeat(np.arange(len(keys), dtype=np.int64), lengths)
        starts = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
        positions = np.arange(total, dtype=np.int64) + starts
        rows = np.asarray(self.rows[positions], dtype=np.int64)
        live = self.alive[rows]
        return which[live], rows[live]

    def frame(self, rows: npt.NDArray[np.int64]) -> pl.DataFrame:
        taken = self.identities.take(pa.array(rows, type=pa.int64()))
        frame = pl.from_arrow(taken)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def live_identities(self) -> int:
        return int(self.alive.sum())


class PreparedStore:
    """An open store: segments memory-mapped, term frequencies loaded, rules checked."""

    def __init__(
        self,
        path: Path,
        meta: dict[str, Any],
        segments: list[Segment],
        rules: tuple[KeyRule, ...],
        frequencies: dict[str, pl.DataFrame],
    ) -> None:
        self.path = path
        self.meta = meta
        self.segments = segments
        self.rules = rules
        self.frequencies = frequencies

    @classmethod
    def open(cls, path: Path, spec: ModelSpec) -> PreparedStore:
        meta = read_meta(path)
        check_compatible(meta, spec, path)
        segments = [Segment.open(path / SEGMENTS_DIR / s["name"]) for s in meta["segments"]]
        frequencies = {}
        for column in meta.get("tf_columns", []):
            try:
                frequencies[column] = pl.read_parquet(path / f"tf_{column}.parquet")
            except OSError:
                raise PreparedStoreError(
                    f"store {path} lacks its term frequencies for {column}; "
                    f"rebuild it with `chrilink index --compact --out {path}`"
                ) from None
        return cls(path, meta, segments, key_rules(spec), frequencies)

    @property
    def records(self) -> int:
        return int(self.meta.get("records_live", 0))

    @property
    def identities(self) -> int:
        return int(self.meta.get("identities_live", 0))

    def candidates(self, travelers: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Identities that some blocking rule could pair with a traveler, and the pairs.

        ``travelers`` are match frames (``match_frame(features, "manifests")``). Returns
        the identities' match frames and a frame of pairs (``l_row``: traveler row,
        ``r_row``: row in the returned identities), both UInt32.
        """
        traveler_keys = blocking_keys(travelers, self.rules)
        keys = np.unique(traveler_keys.get_column("key").to_numpy())
        frames: list[pl.DataFrame] = []
        pairs: list[pl.DataFrame] = []
        offset = 0
        for seg in self.segments:
            which, rows = seg.lookup(keys)
            if len(rows) == 0:
                continue
            hits = pl.DataFrame({"key": keys[which], "seg_row": rows})
            seg_pairs = (
                traveler_keys.join(hits, on="key")
                .select(pl.col("row").alias("l_row"), "seg_row")
                .unique()
            )
            wanted = np.unique(rows)
            position = np.searchsorted(wanted, seg_pairs.get_column("seg_row").to_numpy())
            pairs.append(
                pl.DataFrame(
                    {
                        "l_row": seg_pairs.get_column("l_row").cast(pl.UInt32),
                        "r_row": pl.Series(position + offset, dtype=pl.UInt32),
                    }
                )
            )
            frames.append(seg.frame(wanted))
            offset += len(wanted)
        if not frames:
            empty = pl.DataFrame(schema={"l_row": pl.UInt32, "r_row": pl.UInt32})
            return travelers.clear(), empty
        found = pl.concat(frames, how="vertical_relaxed")
        return like(found, travelers), pl.concat(pairs).sort("l_row", "r_row")


def like(identities: pl.DataFrame, travelers: pl.DataFrame) -> pl.DataFrame:
    """Identities with the travelers' columns, order and types: a column the store does
    not keep (read by blocking rules only) is empty, a list column an empty list."""

    def column(name: str, dtype: pl.DataType) -> pl.Expr:
        if name in identities.columns:
            return pl.col(name).cast(dtype)
        if isinstance(dtype, pl.List):
            return pl.lit([], dtype=dtype).alias(name)
        return pl.lit(None, dtype=dtype).alias(name)

    return identities.select(column(n, d) for n, d in travelers.schema.items())
