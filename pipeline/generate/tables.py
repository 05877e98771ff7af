"""Reference tables shipped as data files in ``pipeline/generate/data`` (read once)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_table(name: str) -> dict[str, Any]:
    """Parse ``data/<name>.toml``."""
    text = (
        resources.files("pipeline.generate")
        .joinpath("data")
        .joinpath(f"{name}.toml")
        .read_text("utf-8")
    )
    return tomllib.loads(text)
