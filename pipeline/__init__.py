"""chrilink: link traveler manifests to conviction records across scripts and date formats."""

from __future__ import annotations

__version__ = "0.1.0"
