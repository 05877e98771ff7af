"""``chrilink validate``: run the input contracts of a job chunk by chunk and report.

The report holds counts and record ids only, never names or dates of birth.
Ids repeated across chunks are counted as quarantined here (``check_input``
sees one chunk at a time); the batch share rule is applied to the totals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
from jinja2 import Environment

from pipeline.config import JobConfig
from pipeline.contracts.inputs import ContractOutcome, check_input
from pipeline.errors import BatchRejectedError
from pipeline.schema import ID_FIELD, InputKind

SAMPLE_IDS: Final = 5
CHUNK_ROWS: Final = 500_000
ID_SHOWN: Final = 32
CROSS_CHUNK_DUPLICATE: Final = "id repeats a row of an earlier chunk"
SummaryRow = tuple[str, str, str, int, str]


def shown_id(value: object) -> str:
    """A record id made safe to print: control characters escaped, long ids cut."""
    text = "" if value is None else str(value)
    safe = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
    return safe if len(safe) <= ID_SHOWN else safe[: ID_SHOWN - 1] + "…"


@dataclass
class _Tally:
    rows: int = 0
    samples: list[str] = field(default_factory=list)

    def add(self, ids: Iterable[object]) -> None:
        for value in ids:
            self.rows += 1
            if len(self.samples) < SAMPLE_IDS:
                self.samples.append(shown_id(value))


@dataclass(frozen=True)
class ReasonCount:
    severity: str
    reason: str
    rows: int
    sample_ids: tuple[str, ...]


@dataclass(frozen=True)
class InputSummary:
    """Contract results of one input file."""

    kind: InputKind
    source: str
    rows_in: int
    rows_passed: int
    rows_quarantined: int
    n_warnings: int
    reasons: tuple[ReasonCount, ...]
    rejected: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    inputs: tuple[InputSummary, ...]

    @property
    def rejected(self) -> bool:
        return any(summary.rejected for summary in self.inputs)

    def summary_rows(self) -> list[SummaryRow]:
        """(input, severity, reason, rows, sample ids) for the CLI table."""
        rows: list[SummaryRow] = []
        for s in self.inputs:
            totals = f"in {s.rows_in}, passed {s.rows_passed}, quarantined {s.rows_quarantined}"
            rows.append((s.kind, "total", totals, s.rows_in, ""))
            if s.rejected:
                rows.append((s.kind, "batch", s.rejected, s.rows_in, ""))
            rows.extend(
                (s.kind, r.severity, r.reason, r.rows, ", ".join(r.sample_ids)) for r in s.reasons
            )
        return rows


@dataclass
class _Accumulator:
    kind: InputKind
    source: str
    rows_in: int = 0
    rows_quarantined: int = 0
    n_warnings: int = 0
    tallies: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    seen: pl.Series = field(default_factory=lambda: pl.Series(dtype=pl.UInt64))

    def tally(self, severity: str, reason: str) -> _Tally:
        return self.tallies.setdefault((severity, reason), _Tally())

    def add(self, outcome: ContractOutcome) -> None:
        self.rows_in += outcome.rows_in
        self.rows_quarantined += outcome.rows_quarantined
        self.n_warnings += outcome.n_warnings
        for row_id, reasons in outcome.quarantine.select("row_id", "reasons").iter_rows():
            for reason in reasons:
                self.tally("quarantine", reason).add([row_id])
        for (reason,), group in outcome.warnings.group_by(["reason"], maintain_order=True):
            self.tally("warn", str(reason)).add(group["row_id"].to_list())
        self._cross_chunk(outcome.passed[ID_FIELD[self.kind]])

    def _cross_chunk(self, ids: pl.Series) -> None:
        hashes = ids.hash(seed=0)
        repeated = ids.filter(hashes.is_in(self.seen.implode()))
        if repeated.len():
            self.rows_quarantined += repeated.len()
            self.tally("quarantine", CROSS_CHUNK_DUPLICATE).add(repeated.to_list())
        self.seen = pl.concat([self.seen, hashes])

    def summary(self, rejected: str | None) -> InputSummary:
        reasons = tuple(
            ReasonCount(sev, reason, t.rows, tuple(t.samples))
            for (sev, reason), t in sorted(self.tallies.items(), key=lambda kv: -kv[1].rows)
        )
        passed = self.rows_in - self.rows_quarantined
        return InputSummary(
            self.kind,
            self.source,
            self.rows_in,
            passed,
            self.rows_quarantined,
            self.n_warnings,
            reasons,
            rejected,
        )


def _share_problem(acc: _Accumulator, max_bad_share: float) -> str | None:
    if acc.rows_in and acc.rows_quarantined / acc.rows_in > max_bad_share:
        share = acc.rows_quarantined / acc.rows_in
        return f"{share:.0%} of rows quarantined, more than the allowed {max_bad_share:.0%}"
    return None


def validate_input(job: JobConfig, kind: InputKind, chunk_rows: int) -> InputSummary:
    """Run the ``kind`` input contract over the job's file, chunk by chunk."""
    # Imported here: pipeline.ingest reads the suites' column rules from this package.
    from pipeline.ingest import iter_input

    spec = job.input(kind)
    acc = _Accumulator(kind, str(spec.path))
    try:
        for chunk in iter_input(spec.path, kind, spec.columns, chunk_rows=chunk_rows):
            acc.add(check_input(chunk, kind, str(spec.path), max_bad_share=1.0))
    except BatchRejectedError as exc:
        return acc.summary(str(exc))
    return acc.summary(_share_problem(acc, job.contracts.max_bad_share))


def validate_inputs(job: JobConfig, chunk_rows: int = CHUNK_ROWS) -> ValidationReport:
    """Run both input contracts of ``job``; a rejected batch is reported, not raised."""
    kinds: tuple[InputKind, ...] = ("manifests", "records")
    return ValidationReport(tuple(validate_input(job, kind, chunk_rows) for kind in kinds))


_TEMPLATE: Final = Path(__file__).with_name("templates") / "validation.html.j2"


def render_validation_html(report: ValidationReport) -> str:
    """A self-contained HTML page (no scripts, fonts or styles from the network)."""
    template = _TEMPLATE.read_text(encoding="utf-8")
    return Environment(autoescape=True).from_string(template).render(report=report)


def write_validation_html(report: ValidationReport, path: Path) -> None:
    """Write :func:`render_validation_html` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_validation_html(report), encoding="utf-8")
