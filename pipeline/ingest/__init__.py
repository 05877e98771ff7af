"""Input readers: CSV, Parquet and JSON Lines to the input contract's shape.

``read_input`` returns exactly the contract fields of ``schema.FIELDS[kind]``
as text (``aliases`` and ``alternate_dobs`` as lists of text) plus ``_row``,
the 1-based data row number in the source (JSON Lines: the line number).
``iter_input`` yields the same in chunks for files too large for memory.
Errors are one-line ``InputError`` / ``BatchRejectedError``. See
docs/contracts.md for the behaviour on encodings, delimiters and odd files.
"""

from pipeline.ingest.reader import DEFAULT_CHUNK_ROWS, iter_input, read_input

__all__ = ["DEFAULT_CHUNK_ROWS", "iter_input", "read_input"]
