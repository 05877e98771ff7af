"""Worker process for name features: Arrow IPC names on stdin, features on stdout.

Run as ``python -m pipeline.standardize._worker`` by :func:`.frame._name_table`. A
fresh interpreter (not a fork, and not multiprocessing, which would re-import the
caller's ``__main__``) keeps polars/ICU thread pools out of the child.
"""

from __future__ import annotations

import io
import sys

import polars as pl

from pipeline.standardize.batch import name_feature_frame


def main() -> None:
    """Read (surname, given_names, full_name) rows, write ``NAME_COLUMNS``."""
    names = pl.read_ipc(io.BytesIO(sys.stdin.buffer.read()))
    out = io.BytesIO()
    name_feature_frame(names.iter_rows()).write_ipc(out)
    sys.stdout.buffer.write(out.getbuffer())
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
