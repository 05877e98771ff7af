"""Pure selection of what a partner may receive from a run's hits (no I/O).

Order of steps in :func:`minimize`:

1. Only matches with ``decision == "hit"`` are kept.
2. Each hit is joined to its conviction record by ``record_id``.
3. Only felony convictions are kept (``offense_level`` is ``felony``, any case).
4. Unless the agreement includes US persons, only records whose ``us_person`` is an
   explicit no (``false``/``no``/``n``/``0``) are kept: an unknown status is treated
   as a possible US person and left out.
5. Exactly the requested fields are kept; ``record_id``, ``traveler_id`` and
   ``subject_id`` are replaced by per-disclosure pseudonyms; rows are sorted by
   pseudonym so their order says nothing about the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import polars as pl

from pipeline.safeguards.pseudonyms import pseudonymize

ID_FIELDS: Final = ("record_id", "traveler_id", "subject_id")
NOT_US_PERSON: Final = ("false", "no", "n", "0")


@dataclass(frozen=True)
class Minimized:
    """The disclosure table and the counts of what was left out."""

    frame: pl.DataFrame
    hits: int
    not_felony: int
    us_persons_excluded: int

    @property
    def disclosed(self) -> int:
        return self.frame.height

    def counts(self) -> dict[str, int]:
        return {
            "hits": self.hits,
            "excluded_not_felony": self.not_felony,
            "excluded_us_person": self.us_persons_excluded,
            "disclosed": self.disclosed,
        }


def _normalized(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars().str.to_lowercase()


def hit_records(matches: pl.DataFrame, records: pl.DataFrame) -> pl.DataFrame:
    """One row per hit: the match columns plus the record's contract fields."""
    hits = matches.filter(pl.col("decision") == "hit").drop("subject_id", strict=False)
    return hits.join(records, on="record_id", how="inner")


def _pseudonymized(frame: pl.DataFrame, key: bytes) -> pl.DataFrame:
    ids = [pseudonymize(frame[c], key) for c in ID_FIELDS if c in frame.columns]
    return frame.with_columns(ids)


def minimize(
    matches: pl.DataFrame,
    records: pl.DataFrame,
    fields: tuple[str, ...],
    us_persons: Literal["exclude", "include"],
    key: bytes,
) -> Minimized:
    """Apply steps 1-5 of the module docstring."""
    joined = hit_records(matches, records)
    felonies = joined.filter(_normalized("offense_level") == "felony")
    allowed = felonies
    if us_persons == "exclude":
        allowed = felonies.filter(_normalized("us_person").is_in(NOT_US_PERSON).fill_null(False))
    table = _pseudonymized(allowed, key).sort("record_id", "traveler_id").select(fields)
    return Minimized(
        frame=table,
        hits=joined.height,
        not_felony=joined.height - felonies.height,
        us_persons_excluded=felonies.height - allowed.height,
    )
