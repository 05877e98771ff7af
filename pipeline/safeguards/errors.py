"""Errors of the safeguards: all are ``InputError`` (exit code 2, one line, ids only)."""

from __future__ import annotations

from pipeline.errors import InputError


class SafeguardError(InputError):
    """A rule of the order refuses the request (purpose, agreement, field, person)."""


class AgreementError(InputError):
    """A partner agreement file is missing, unreadable or does not match the schema."""


class AuditLogError(InputError):
    """The audit log cannot be read or appended to (damaged or unwritable)."""


class LedgerError(InputError):
    """The reciprocity ledger cannot be read or appended to."""
