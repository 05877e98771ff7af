"""Safeguards of the 2026 order on CHRI: purpose binding, partner agreements,
felony-only minimized exchange, US-person privacy, retention, hash-chained audit log.

See docs/safeguards.md for the rules and how each maps to the order. The CLI
commands live in ``pipeline.safeguards.commands`` (``register(app)``).

Names are imported lazily: ``build_disclosure`` and ``ingest_partner`` pull in the
readers and contracts (Great Expectations, seconds to import), which the audit log,
the runner and ``chrilink --help`` must not pay for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.safeguards.agreements import (
        DEFAULT_PARTNERS_DIR,
        DISCLOSABLE_FIELDS,
        PartnerAgreement,
        load_agreement,
        load_agreements,
    )
    from pipeline.safeguards.audit import (
        AuditReport,
        append_audit,
        default_audit_path,
        verify_audit,
    )
    from pipeline.safeguards.disclosure import build_disclosure
    from pipeline.safeguards.errors import (
        AgreementError,
        AuditLogError,
        LedgerError,
        SafeguardError,
    )
    from pipeline.safeguards.ingest import IngestResult, ingest_partner
    from pipeline.safeguards.ledger import LedgerBalance, default_ledger_path, ledger_balance
    from pipeline.safeguards.purpose import require_purpose
    from pipeline.safeguards.retention import purge_partner_data

_WHERE = {
    "DEFAULT_PARTNERS_DIR": "agreements",
    "DISCLOSABLE_FIELDS": "agreements",
    "PartnerAgreement": "agreements",
    "load_agreement": "agreements",
    "load_agreements": "agreements",
    "AuditReport": "audit",
    "append_audit": "audit",
    "default_audit_path": "audit",
    "verify_audit": "audit",
    "build_disclosure": "disclosure",
    "AgreementError": "errors",
    "AuditLogError": "errors",
    "LedgerError": "errors",
    "SafeguardError": "errors",
    "IngestResult": "ingest",
    "ingest_partner": "ingest",
    "LedgerBalance": "ledger",
    "default_ledger_path": "ledger",
    "ledger_balance": "ledger",
    "require_purpose": "purpose",
    "purge_partner_data": "retention",
}
__all__ = [
    "DEFAULT_PARTNERS_DIR",
    "DISCLOSABLE_FIELDS",
    "AgreementError",
    "AuditLogError",
    "AuditReport",
    "IngestResult",
    "LedgerBalance",
    "LedgerError",
    "PartnerAgreement",
    "SafeguardError",
    "append_audit",
    "build_disclosure",
    "default_audit_path",
    "default_ledger_path",
    "ingest_partner",
    "ledger_balance",
    "load_agreement",
    "load_agreements",
    "purge_partner_data",
    "require_purpose",
    "verify_audit",
]
assert sorted(__all__) == sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'pipeline.safeguards' has no attribute {name!r}")
    return getattr(importlib.import_module(f"pipeline.safeguards.{_WHERE[name]}"), name)
