"""One exception hierarchy for chrilink.

Every error a user can cause is a :class:`ChrilinkError` whose message is one
line that says what went wrong and what to do next. Messages carry record ids,
never names, dates of birth or document numbers.

Exit codes (see ``pipeline.cli``): 2 for bad usage or bad input, 1 for an
internal error.
"""

from __future__ import annotations


class ChrilinkError(Exception):
    """Base class of every error chrilink raises on purpose."""

    exit_code = 1


class InputError(ChrilinkError):
    """Bad input the user can fix: a missing file, a bad job file, a bad column."""

    exit_code = 2


class JobFileError(InputError):
    """The job file is missing, unreadable or does not match the schema."""


class BatchRejectedError(InputError):
    """A whole input batch fails (missing column, unreadable file, too many bad rows)."""


class ModelError(InputError):
    """A model directory is missing, malformed, or does not match this code's features."""


class InternalError(ChrilinkError):
    """A bug or a broken invariant; the run publishes nothing."""

    exit_code = 1


class OutputContractError(InternalError):
    """An output table violates its contract; nothing is published."""
