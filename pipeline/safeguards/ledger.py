"""Reciprocity ledger: records sent to and received from each partner, per month.

JSON lines, one per disclosure or partner batch: ``partner``, ``period`` (YYYY-MM),
``direction`` (``sent`` | ``received``), ``records``, ``agreement_id``, ``recorded_at``.
Counts only; the ledger never holds record content or ids.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final, Literal

from pipeline.safeguards.errors import LedgerError
from pipeline.safeguards.jsonlines import append_line, canonical_json, locked

Direction = Literal["sent", "received"]
ENV_VAR: Final = "CHRILINK_LEDGER"


def default_ledger_path() -> Path:
    """``$CHRILINK_LEDGER`` if set, else ``audit/ledger.jsonl`` under the working dir."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else Path.cwd() / "audit" / "ledger.jsonl"


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def append_ledger(
    ledger_path: Path,
    *,
    partner: str,
    day: date,
    direction: Direction,
    records: int,
    agreement_id: str,
) -> dict[str, object]:
    """Append one entry and return it."""
    entry: dict[str, object] = {
        "partner": partner,
        "period": period_of(day),
        "direction": direction,
        "records": records,
        "agreement_id": agreement_id,
        "recorded_at": datetime.now(UTC).isoformat(),
    }
    try:
        with locked(ledger_path) as handle:
            append_line(handle, canonical_json(entry))
    except OSError as exc:
        raise LedgerError(f"cannot write ledger {ledger_path}: {type(exc).__name__}") from None
    return entry


@dataclass(frozen=True)
class PeriodCounts:
    sent: int = 0
    received: int = 0


@dataclass(frozen=True)
class LedgerBalance:
    """Records sent and received with one partner, in total and per period."""

    partner: str
    sent: int
    received: int
    periods: dict[str, PeriodCounts] = field(default_factory=dict)

    @property
    def balance(self) -> int:
        """Received minus sent: negative when the partner has received more than it gave."""
        return self.received - self.sent


def _entries(ledger_path: Path) -> list[dict[str, object]]:
    if not ledger_path.exists():
        return []
    try:
        lines = ledger_path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError) as exc:
        raise LedgerError(f"cannot read ledger {ledger_path}: {type(exc).__name__}") from None


def _add(counts: PeriodCounts, direction: object, records: int) -> PeriodCounts:
    if direction == "sent":
        return PeriodCounts(counts.sent + records, counts.received)
    return PeriodCounts(counts.sent, counts.received + records)


def ledger_balance(ledger_path: Path, partner: str) -> LedgerBalance:
    """Sum the ledger's entries for ``partner``."""
    periods: dict[str, PeriodCounts] = {}
    for entry in _entries(ledger_path):
        if entry.get("partner") != partner:
            continue
        period = str(entry.get("period"))
        records = entry.get("records")
        if not isinstance(records, int) or entry.get("direction") not in ("sent", "received"):
            raise LedgerError(f"ledger {ledger_path} has a malformed entry for {partner}")
        periods[period] = _add(periods.get(period, PeriodCounts()), entry["direction"], records)
    sent = sum(p.sent for p in periods.values())
    received = sum(p.received for p in periods.values())
    return LedgerBalance(partner, sent, received, dict(sorted(periods.items())))
