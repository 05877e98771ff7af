"""Measure how well standardized names bring true pairs together, per script.

One command: ``python bench/measure_names.py`` (or ``make measure-names``). Generates
the evaluation world (100k records, 20k travelers, seed 2) unless it exists, runs the
standardizer on both sides, and writes ``bench/results/name_keys.json`` and the table
in ``docs/name_keys_measurement.md``: for true pairs and for as many random non-pairs,
the share of pairs sharing at least one romanization key, at least one token code, and
the quantiles of the key-set Jaccard similarity.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pipeline.generate import generate_world
from pipeline.standardize import standardize
from pipeline.standardize.measure import name_key_overlap

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "out" / "measure-world"
RESULTS = ROOT / "bench" / "results" / "name_keys.json"
DOC = ROOT / "docs" / "name_keys_measurement.md"


def _markdown(table: pl.DataFrame) -> str:
    header = "| " + " | ".join(table.columns) + " |"
    rule = "| " + " | ".join("---" for _ in table.columns) + " |"
    rows = [
        "| " + " | ".join(f"{v:.3f}" if isinstance(v, float) else str(v) for v in row) + " |"
        for row in table.iter_rows()
    ]
    return "\n".join([header, rule, *rows])


def main() -> None:
    if not (WORLD / "truth.parquet").exists():
        generate_world(WORLD, n_records=100_000, n_travelers=20_000, seed=2)
    manifests = standardize(pl.read_parquet(WORLD / "manifests.parquet"), "manifests")
    records = standardize(pl.read_parquet(WORLD / "records.parquet"), "records")
    table = name_key_overlap(manifests, records, pl.read_parquet(WORLD / "truth.parquet"))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(table.to_dicts(), indent=2) + "\n")
    DOC.write_text(
        "# Name keys on the synthetic world\n\n"
        "Reproduce with `make measure-names` (`python bench/measure_names.py`): world of "
        "100k records and 20k travelers, seed 2, default noise. `name_script` is the script "
        "of the record's name (the manifest side is always the passport's Latin form). "
        "`share_key_overlap`: pairs sharing at least one romanization key; "
        "`share_code_overlap`: sharing at least one per-token code (key, consonant skeleton, "
        "Metaphone, name-variant cluster); `similarity_q*`: quantiles of the best Jaccard "
        "similarity of the key sets over the record's identities.\n\n" + _markdown(table) + "\n"
    )
    print(table)


if __name__ == "__main__":
    main()
