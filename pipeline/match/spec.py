"""The declarative model specification (``models/<version>/spec.toml``).

A spec names the comparisons, their levels (DuckDB SQL over feature columns) and the
blocking rules. It is data: this module only reads and validates it.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import ModelError


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LevelSpec(_Strict):
    label: str
    sql: str
    null: bool = False
    tf_column: str | None = None
    #: Label of another level of the same comparison whose weight this level may not
    #: exceed after training (a weak form of that evidence, such as a placeholder date,
    #: whose rarity in the training sample says nothing about real data).
    at_most: str | None = None


class ComparisonSpec(_Strict):
    name: str
    description: str
    levels: tuple[LevelSpec, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _else_last(self) -> ComparisonSpec:
        if self.levels[-1].sql.strip().lower() != "else":
            raise ValueError(f"comparison {self.name!r}: the last level must be 'else'")
        labels = {level.label for level in self.levels}
        for level in self.levels:
            if level.at_most is not None and level.at_most not in labels:
                raise ValueError(
                    f"comparison {self.name!r}: level {level.label!r} is capped at an "
                    f"unknown level {level.at_most!r}"
                )
        return self


class BlockingSpec(_Strict):
    description: str
    sql: str
    explode: tuple[str, ...] = ()


class ModelSpec(_Strict):
    name: str
    feature_version: int
    link_type: str = "link_only"
    blocking: tuple[BlockingSpec, ...] = Field(min_length=1)
    comparisons: tuple[ComparisonSpec, ...] = Field(min_length=1)

    def settings_hash(self) -> str:
        """A short stable hash of the spec, recorded in model cards and run.json."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def load_spec(path: Path) -> ModelSpec:
    """Read and validate a spec.toml; raise ModelError with one line on any problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"model spec not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"cannot read model spec {path}: {exc}") from None
    try:
        return ModelSpec.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise ModelError(f"model spec {path}: {where}: {err['msg']}") from None
