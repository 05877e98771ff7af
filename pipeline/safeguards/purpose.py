"""Purpose binding: CHRI is used only to screen travelers and immigrants (order, sec. 3(a)).

Job files are checked by ``pipeline.config.JobConfig``; every other entry point calls
:func:`require_purpose`. The audit log also accepts ``retention``, the purpose of the
purge command, which deletes data and never uses it.
"""

from __future__ import annotations

from typing import Final

from pipeline.config import PURPOSES
from pipeline.safeguards.errors import SafeguardError

#: Purposes of safeguard commands that maintain data without using it.
ADMIN_PURPOSES: Final = ("retention",)
AUDIT_PURPOSES: Final = (*PURPOSES, *ADMIN_PURPOSES)


def require_purpose(purpose: str) -> str:
    """Return ``purpose`` if the order permits it, else raise :class:`SafeguardError`."""
    if purpose not in PURPOSES:
        raise SafeguardError(
            f"purpose {purpose!r} is not allowed; the order permits only {', '.join(PURPOSES)}"
        )
    return purpose
