"""Synthetic world generator: persons named in their own script, their conviction records
and traveler manifests with realistic romanization, date and field noise, and exact truth.

Public API: :func:`generate_world`, :func:`describe_world`, :func:`load_config`.
"""

from __future__ import annotations

from pipeline.generate.config import GeneratorConfig, load_config
from pipeline.generate.describe import WorldDescription, describe_world
from pipeline.generate.world import WorldSummary, generate_world

__all__ = [
    "GeneratorConfig",
    "WorldDescription",
    "WorldSummary",
    "describe_world",
    "generate_world",
    "load_config",
]
