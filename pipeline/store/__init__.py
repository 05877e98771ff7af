"""The record store: conviction records received from partners, with provenance.

A DuckDB file with one ``records`` table (the record contract fields plus the
``prov_*`` provenance columns) and a ``store_meta`` table holding the schema version.
Later stages extend the same file with standardized features and indexes.
"""

from pipeline.store.records import (
    PROVENANCE_COLUMNS,
    SCHEMA_VERSION,
    Provenance,
    RecordStore,
    StoreError,
)

__all__ = ["PROVENANCE_COLUMNS", "SCHEMA_VERSION", "Provenance", "RecordStore", "StoreError"]
