"""Name-variant knowledge base: equivalent name parts share cluster ids.

Two sources, both data:

* ``wd:Q...`` — Wikidata-derived person-name symbols shipped (compiled)
  with OpenSanctions rigour; read through ``rigour.names.analyze_names``
  for the native-script token and its Latin form.
* ``kb:NAME`` — clusters in ``data/name_variants.txt`` (versioned; see
  :data:`KB_VERSION`), matched on the romanization key of each variant so
  unseen spellings that fold to the same key join the cluster.
"""

from __future__ import annotations

from functools import cache, lru_cache

from rigour.names import NameTypeTag, analyze_names

from pipeline.standardize._data import read_rows
from pipeline.standardize.keys import fold_key

KB_FILE = "name_variants.txt"
KB_VERSION = "1"


@cache
def _clusters() -> dict[str, tuple[str, ...]]:
    """Romanization key -> local cluster ids."""
    index: dict[str, set[str]] = {}
    for row in read_rows(KB_FILE):
        cluster, variants = row[0], row[1].split()
        for variant in variants:
            index.setdefault(fold_key(variant.replace("-", "")), set()).add(f"kb:{cluster}")
    return {key: tuple(sorted(ids)) for key, ids in index.items()}


def _wikidata_ids(text: str) -> set[str]:
    names = analyze_names(NameTypeTag.PER, [text], phonetics=False, numerics=False)
    return {
        f"wd:{symbol.id}"
        for name in names
        for symbol in name.symbols
        if str(symbol.category.value) == "NAME"
    }


@lru_cache(maxsize=262144)
def kb_ids(raw: str, latin: str) -> tuple[str, ...]:
    """Cluster ids of one name part given its raw token and Latin form."""
    if len(latin) < 2:
        return ()
    ids = _wikidata_ids(latin)
    if raw and raw.upper() != latin:
        ids |= _wikidata_ids(raw)
    ids.update(_clusters().get(fold_key(latin), ()))
    return tuple(sorted(ids))
