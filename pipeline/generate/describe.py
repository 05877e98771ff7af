"""``describe_world``: counts by origin, script, date format and noise of a generated world."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rich.table import Table

from pipeline.errors import InputError
from pipeline.generate.origins import all_origins, frequency_kinds

TRUTH_RECORDS = "truth_records.parquet"
TRUTH_TRAVELERS = "truth_travelers.parquet"
TRUTH_PAIRS = "truth.parquet"


@dataclass(frozen=True)
class WorldDescription:
    """Sections of (label, count) rows; ``to_table`` renders them for the CLI."""

    n_records: int
    n_travelers: int
    n_true_pairs: int
    sections: dict[str, list[tuple[str, int]]]

    def brief(self, sections: tuple[str, ...] = ("records: script",)) -> WorldDescription:
        """The same description limited to a few sections (the demo prints this)."""
        kept = {name: rows for name, rows in self.sections.items() if name in sections}
        return WorldDescription(self.n_records, self.n_travelers, self.n_true_pairs, kept)

    def to_table(self) -> Table:
        """One rich table: section, value, count, share of the section's rows."""
        table = Table(title=f"{self.n_records} records, {self.n_travelers} travelers, "
                      f"{self.n_true_pairs} true pairs")  # fmt: skip
        for column in ("section", "value", "count", "share"):
            table.add_column(column, justify="right" if column in ("count", "share") else "left")
        for section, rows in self.sections.items():
            base = self.n_records if section.startswith("records") else self.n_travelers
            for label, count in rows:
                share = f"{count / base:.1%}" if base else "-"
                table.add_row(section, label, str(count), share)
        return table


def _counts(frame: pl.DataFrame, column: str) -> list[tuple[str, int]]:
    counts = frame[column].value_counts(sort=True)
    return [(str(v), int(c)) for v, c in counts.iter_rows()]


def _list_counts(frame: pl.DataFrame, *columns: str) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for column in columns:
        exploded = frame.select(pl.col(column).explode()).drop_nulls()
        counter.update(dict(exploded[column].value_counts().iter_rows()))
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def _name_frequencies(records: pl.DataFrame) -> list[tuple[str, int]]:
    """Records per origin, labelled with how its surnames and given names are weighted."""
    rows = []
    for code, count in _counts(records, "origin"):
        if code in all_origins():
            surname, given = frequency_kinds(code)
            rows.append((f"{code}: surnames {surname}, given names {given}", count))
    return rows


def describe_world(directory: Path) -> WorldDescription:
    """Read the truth files of a generated world and count what it holds."""
    paths = [directory / n for n in (TRUTH_RECORDS, TRUTH_TRAVELERS, TRUTH_PAIRS)]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        raise InputError(f"{directory} is not a generated world (missing {', '.join(missing)})")
    records = pl.read_parquet(paths[0])
    travelers = pl.read_parquet(paths[1])
    pairs = pl.scan_parquet(paths[2]).select(pl.len()).collect().item()
    sections = {
        "records: origin": _counts(records, "origin"),
        "records: name frequencies": _name_frequencies(records),
        "records: script": _counts(records, "script"),
        "records: name form": _counts(records, "name_form"),
        "records: date format": _counts(records, "dob_format"),
        "records: noise": _list_counts(records, "name_noise", "dob_noise", "field_noise"),
        "travelers: origin": _counts(travelers, "origin"),
        "travelers: kind": _counts(
            travelers.with_columns(
                pl.when(pl.col("has_record"))
                .then(pl.lit("has_record"))
                .otherwise(pl.col("negative_kind"))
                .alias("kind")
            ),
            "kind",
        ),
        "travelers: name style": _counts(travelers, "name_style"),
        "travelers: date format": _counts(travelers, "dob_format"),
        "travelers: noise": _list_counts(travelers, "manifest_noise"),
    }
    return WorldDescription(records.height, travelers.height, int(pairs), sections)
