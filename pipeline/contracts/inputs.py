"""Apply an input contract to one batch: pass, set aside, quarantine or reject.

Order of steps in :func:`check_input`:

1. An empty batch, or one without the required / name columns, is rejected.
2. Absent optional contract columns are added as null; ``_row`` is added
   (1..n) when the frame has none.
3. The suite runs in GX on a pandas copy (the input frame is never mutated), or,
   with ``evaluator="fast"``, in :mod:`pipeline.contracts.fast` on the polars frame
   (same findings, no GX fixed cost; for the low-latency screening path).
4. A row failing a ``quarantine`` rule goes to quarantine with every failed
   rule and message; a ``batch`` rule failure rejects the batch.
5. In the remaining rows, a value failing a ``warn`` rule is set to null and
   one warning row is written per (row, rule).
6. If more than ``max_bad_share`` of the rows are quarantined the batch is rejected.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Literal, get_args

import pandas as pd
import polars as pl

from pipeline.contracts import fast
from pipeline.contracts.engine import Finding, run_suite
from pipeline.contracts.suite import INPUT_SUITES, Suite, column_rules, load_suite
from pipeline.errors import BatchRejectedError
from pipeline.schema import FIELDS, ID_FIELD, LIST_FIELDS, QUARANTINE_COLUMNS, ROW_NUMBER, InputKind

#: Who executes the suite: Great Expectations (the reference) or the polars evaluator.
Evaluator = Literal["gx", "fast"]
WARNING_COLUMNS = ("kind", "row_id", "row_number", "field", "expectation", "reason")
QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.Utf8(),
    "kind": pl.Utf8(),
    "row_number": pl.Int64(),
    "row_id": pl.Utf8(),
    "expectations": pl.List(pl.Utf8()),
    "reasons": pl.List(pl.Utf8()),
}
WARNING_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.Utf8(),
    "row_id": pl.Utf8(),
    "row_number": pl.Int64(),
    "field": pl.Utf8(),
    "expectation": pl.Utf8(),
    "reason": pl.Utf8(),
}
assert tuple(QUARANTINE_SCHEMA) == QUARANTINE_COLUMNS


@dataclass(frozen=True)
class ContractOutcome:
    """Good rows (bad optional values nulled), quarantined rows and warnings of one batch."""

    passed: pl.DataFrame
    quarantine: pl.DataFrame
    warnings: pl.DataFrame

    @property
    def rows_in(self) -> int:
        return self.passed.height + self.quarantine.height

    @property
    def rows_passed(self) -> int:
        return self.passed.height

    @property
    def rows_quarantined(self) -> int:
        return self.quarantine.height

    @property
    def n_warnings(self) -> int:
        return self.warnings.height


def _complete(df: pl.DataFrame, kind: InputKind, source: str) -> pl.DataFrame:
    if df.height == 0:
        raise BatchRejectedError(f"{source}: {kind} input has no data rows")
    rules = column_rules(kind)
    present = set(df.columns)
    for column in rules.required:
        if column not in present:
            raise BatchRejectedError(f"{source}: required column {column!r} is missing")
    for group in rules.any_of:
        if not present & set(group):
            raise BatchRejectedError(f"{source}: needs at least one of the columns {list(group)}")
    missing = [
        pl.lit(None, dtype=pl.List(pl.Utf8) if f in LIST_FIELDS else pl.Utf8).alias(f)
        for f in FIELDS[kind]
        if f not in present
    ]
    if ROW_NUMBER not in present:
        missing.append(pl.int_range(1, df.height + 1, dtype=pl.Int64).alias(ROW_NUMBER))
    return df.with_columns(missing).select(*FIELDS[kind], ROW_NUMBER)


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """A pandas copy for GX; lists become tuples so GX can fingerprint the batch by hashing
    (with arrays it falls back to pickling the whole frame, which is several times slower)."""
    pdf = frame.to_pandas()
    for column, dtype in frame.schema.items():
        if isinstance(dtype, pl.List):
            pdf[column] = pdf[column].map(tuple, na_action="ignore")
    return pdf


def _raise_batch(findings: list[Finding], source: str) -> None:
    for finding in findings:
        if finding.rule.severity == "batch" and not finding.success:
            raise BatchRejectedError(f"{source}: {finding.rule.message}")
        if finding.error is not None:
            raise BatchRejectedError(
                f"{source}: contract check {finding.rule.label} could not run: {finding.error}"
            )


def _quarantined(findings: list[Finding]) -> dict[int, list[Finding]]:
    by_row: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.rule.severity == "quarantine":
            for row in finding.rows:
                by_row[row].append(finding)
    return by_row


def _quarantine_frame(
    df: pl.DataFrame, by_row: dict[int, list[Finding]], kind: InputKind, source: str
) -> pl.DataFrame:
    positions = sorted(by_row)
    picked = df[positions] if positions else df.clear()
    return pl.DataFrame(
        {
            "source": [source] * len(positions),
            "kind": [kind] * len(positions),
            "row_number": picked[ROW_NUMBER].to_list(),
            "row_id": picked[ID_FIELD[kind]].to_list(),
            "expectations": [[f.rule.label for f in by_row[p]] for p in positions],
            "reasons": [[f.rule.message for f in by_row[p]] for p in positions],
        },
        schema=QUARANTINE_SCHEMA,
    )


def _warning_rows(
    df: pl.DataFrame, finding: Finding, keep: list[int], kind: InputKind
) -> pl.DataFrame:
    rule = finding.rule
    return df[keep].select(
        pl.lit(kind).alias("kind"),
        pl.col(ID_FIELD[kind]).alias("row_id"),
        pl.col(ROW_NUMBER).alias("row_number"),
        pl.lit(rule.column).alias("field"),
        pl.lit(rule.label).alias("expectation"),
        pl.lit(rule.message).alias("reason"),
    )


def _warnings(
    df: pl.DataFrame, findings: list[Finding], bad: set[int], kind: InputKind
) -> tuple[pl.DataFrame, dict[str, list[int]]]:
    """One warning row per (row, warn rule) outside quarantine; positions to null per field."""
    frames = [pl.DataFrame(schema=WARNING_SCHEMA)]
    nulled: dict[str, list[int]] = defaultdict(list)
    for finding in findings:
        field = finding.rule.column
        if finding.rule.severity != "warn" or field is None or not finding.rows:
            continue
        keep = [p for p in finding.rows if p not in bad]
        nulled[field].extend(keep)
        frames.append(_warning_rows(df, finding, keep, kind))
    return pl.concat(frames, how="vertical_relaxed").cast(WARNING_SCHEMA), nulled  # type: ignore[arg-type]


def _set_aside(df: pl.DataFrame, nulled: dict[str, list[int]]) -> pl.DataFrame:
    if not nulled:
        return df
    index = pl.int_range(0, pl.len(), dtype=pl.Int64)
    return df.with_columns(
        pl.when(index.is_in(positions)).then(None).otherwise(pl.col(field)).alias(field)
        for field, positions in nulled.items()
    )


def _check_share(quarantine: pl.DataFrame, total: int, max_bad_share: float, source: str) -> None:
    share = quarantine.height / total
    if share <= max_bad_share:
        return
    reasons = Counter(r for rs in quarantine["reasons"].to_list() for r in rs)
    top = reasons.most_common(1)[0][0] if reasons else "unknown"
    raise BatchRejectedError(
        f"{source}: {quarantine.height} of {total} rows ({share:.0%}) fail the contract, "
        f"more than the allowed {max_bad_share:.0%}; most common reason: {top}"
    )


def _findings(suite: Suite, frame: pl.DataFrame, evaluator: Evaluator) -> list[Finding]:
    if evaluator == "gx":
        return run_suite(suite, to_pandas(frame))
    if evaluator == "fast":
        return fast.run_suite(suite, frame)
    raise ValueError(f"unknown contract evaluator {evaluator!r}; use one of {get_args(Evaluator)}")


def check_input(
    df: pl.DataFrame,
    kind: InputKind,
    source: str,
    max_bad_share: float = 0.2,
    *,
    evaluator: Evaluator = "gx",
) -> ContractOutcome:
    """Apply the ``kind`` input contract to ``df`` (see the module docstring).

    ``evaluator="fast"`` runs the suite without GX (``pipeline.contracts.fast``); it
    raises ``FastEvaluatorUnsupported`` for a rule or a non-text column it cannot
    evaluate exactly as GX would.
    """
    frame = _complete(df, kind, source)
    findings = _findings(load_suite(INPUT_SUITES[kind]), frame.drop(ROW_NUMBER), evaluator)
    _raise_batch(findings, source)
    by_row = _quarantined(findings)
    quarantine = _quarantine_frame(frame, by_row, kind, source)
    _check_share(quarantine, frame.height, max_bad_share, source)
    warnings, nulled = _warnings(frame, findings, set(by_row), kind)
    keep = pl.int_range(0, pl.len(), dtype=pl.Int64).is_in(sorted(by_row)).not_()
    passed = _set_aside(frame, nulled).filter(keep)
    return ContractOutcome(passed, quarantine, warnings)
