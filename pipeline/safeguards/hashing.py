"""File hashes for the audit log and manifests.

Same digest as ``pipeline.runner.sha256_of``; kept here because the runner imports
the audit log, and importing the runner from this package would be circular.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
