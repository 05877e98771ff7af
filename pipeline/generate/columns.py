"""Vectorized Arrow column builders shared by the record and manifest chunks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


def strings(values: Sequence[str]) -> pa.Array:
    """A small lookup table as an Arrow string array."""
    return pa.array(list(values), pa.string())


def take(table: pa.Array, index: IntArray, null: BoolArray | None = None) -> pa.Array:
    """``table[index]``, null where ``null``."""
    indices = pa.array(index, pa.int64(), mask=null) if null is not None else pa.array(index)
    return table.take(indices)


def null_where(values: pa.Array, mask: BoolArray) -> pa.Array:
    """``values`` with nulls where ``mask``."""
    if not mask.any():
        return values
    return pc.if_else(pa.array(mask), pa.nulls(len(values), values.type), values)


def where(mask: BoolArray, yes: pa.Array, no: pa.Array) -> pa.Array:
    """Row-wise choice between two arrays of the same type."""
    return pc.if_else(pa.array(mask), yes, no)


def replace_rows(values: pa.Array, rows: IntArray, new: Sequence[str | None]) -> pa.Array:
    """``values`` with the rows ``rows`` (increasing) replaced by ``new``."""
    if len(rows) == 0:
        return values
    mask = np.zeros(len(values), dtype=np.bool_)
    mask[rows] = True
    return pc.replace_with_mask(values, pa.array(mask), pa.array(list(new), values.type))


def join(first: pa.Array, second: pa.Array, sep: str | pa.Array) -> pa.Array:
    """``first + sep + second`` row by row."""
    return pc.binary_join_element_wise(first, second, sep)


def digits(values: IntArray, width: int, prefix: str = "", base: int = 10) -> pa.Array:
    """``prefix`` + ``values`` zero-padded to ``width`` digits (base 10 or 16, upper case)."""
    n = len(values)
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    out = np.empty((n, len(head) + width), dtype=np.uint8)
    out[:, : len(head)] = head
    rest = values.astype(np.uint64).copy()
    for col in range(len(head) + width - 1, len(head) - 1, -1):
        out[:, col] = _HEX[(rest % np.uint64(base)).astype(np.int64)]
        rest //= np.uint64(base)
    raw = out.view(f"S{len(head) + width}").ravel()
    return pa.array(raw, pa.binary(len(head) + width)).cast(pa.string())


def label_lists(flags: BoolArray, labels: Sequence[str]) -> pa.Array:
    """list<string> column: for each row the labels whose flag is set, in ``labels`` order."""
    counts = flags.sum(axis=1)
    offsets = np.zeros(len(flags) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    which = np.flatnonzero(flags.ravel()) % len(labels)
    values = strings(labels).take(pa.array(which))
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def lists(counts: IntArray, values: pa.Array) -> pa.Array:
    """list<string> column with ``counts[i]`` consecutive ``values`` in row ``i``."""
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)
