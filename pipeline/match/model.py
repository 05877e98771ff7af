"""Versioned model directories under ``models/``.

A model directory holds:

- ``spec.toml``: comparisons, levels and blocking rules (declarative, see spec.py);
- ``splink_model.json``: the trained Splink settings (m, u, prior);
- ``thresholds.toml``: hit and review thresholds, with the history of changes;
- ``card.json`` and ``MODEL_CARD.md``: training data, date, seed, settings hash, metrics.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import ModelError
from pipeline.match.calibrate import CALIBRATION_FILE, Calibration, load_calibration
from pipeline.match.prepare import MATCH_INPUT_COLUMNS
from pipeline.match.settings import blocking_rule_dicts, comparison_dict
from pipeline.match.spec import ModelSpec, load_spec
from pipeline.schema import FEATURE_VERSION

SPEC_FILE = "spec.toml"
SPLINK_FILE = "splink_model.json"
THRESHOLDS_FILE = "thresholds.toml"
CARD_FILE = "card.json"
CARD_MD = "MODEL_CARD.md"


class ThresholdChange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    who: str
    when: str
    why: str
    hit: float
    review: float


class Thresholds(BaseModel):
    """Match-probability thresholds: ``hit`` >= ``review``; below review is clear."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    hit: float = Field(ge=0.0, le=1.0)
    review: float = Field(ge=0.0, le=1.0)
    history: tuple[ThresholdChange, ...] = ()

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.review > self.hit:
            raise ValueError(f"review threshold {self.review} is above hit threshold {self.hit}")
        return self


@dataclass(frozen=True)
class Model:
    """A loaded, checked model ready to score."""

    path: Path
    spec: ModelSpec
    splink_settings: dict[str, Any]
    thresholds: Thresholds
    card: dict[str, Any]
    calibration: Calibration | None = None

    @property
    def version(self) -> str:
        return f"{self.path.name}@{self.spec.settings_hash()}"


_COLUMN = re.compile(r"\b([a-z_]+)_[lr]\b")


def referenced_columns(settings: dict[str, Any]) -> set[str]:
    """Feature columns that the comparison SQL of a Splink settings dict refers to."""
    found: set[str] = set()
    for comparison in settings.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            found.update(_COLUMN.findall(level.get("sql_condition", "")))
            if level.get("tf_adjustment_column"):
                found.add(level["tf_adjustment_column"])
    return found


def check_features(spec: ModelSpec, settings: dict[str, Any], where: Path) -> None:
    """Refuse a model trained on another feature set than this code produces."""
    if spec.feature_version != FEATURE_VERSION:
        raise ModelError(
            f"model {where} was built for feature version {spec.feature_version}, this code "
            f"produces version {FEATURE_VERSION}; retrain it with `chrilink train`"
        )
    unknown = sorted(referenced_columns(settings) - set(MATCH_INPUT_COLUMNS))
    if unknown:
        raise ModelError(
            f"model {where} uses feature column(s) {', '.join(unknown)} that this code does "
            "not produce; retrain it with `chrilink train`"
        )


def check_spec_matches(spec: ModelSpec, settings: dict[str, Any], where: Path) -> None:
    """Refuse trained settings whose comparison levels differ from the spec beside them."""
    trained = [
        [lvl.get("sql_condition", "") for lvl in c.get("comparison_levels", [])]
        for c in settings.get("comparisons", [])
    ]
    declared = [
        [lvl["sql_condition"] for lvl in comparison_dict(c)["comparison_levels"]]
        for c in spec.comparisons
    ]
    if trained != declared:
        raise ModelError(
            f"model {where}: {SPLINK_FILE} was trained from another {SPEC_FILE}; "
            "retrain it with `chrilink train`"
        )


def load_thresholds(path: Path) -> Thresholds:
    try:
        return Thresholds.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise ModelError(f"model thresholds not found: {path}") from None
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"cannot read thresholds {path}: {exc}") from None
    except ValidationError as exc:
        raise ModelError(f"thresholds {path}: {exc.errors()[0]['msg']}") from None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path.name} not found in model {path.parent}; train it first") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path} is not a JSON object")
    return data


def load_model(path: Path) -> Model:
    """Load a model directory and check that it fits this code."""
    if not path.is_dir():
        raise ModelError(f"model directory not found: {path}")
    spec = load_spec(path / SPEC_FILE)
    settings = _read_json(path / SPLINK_FILE)
    check_features(spec, settings, path)
    check_spec_matches(spec, settings, path)
    card_path = path / CARD_FILE
    card = _read_json(card_path) if card_path.exists() else {}
    # Blocking decides which pairs are scored, not how: it always comes from the spec.
    settings["blocking_rules_to_generate_predictions"] = blocking_rule_dicts(spec)
    thresholds = load_thresholds(path / THRESHOLDS_FILE)
    return Model(path, spec, settings, thresholds, card, load_calibration(path / CALIBRATION_FILE))


def thresholds_toml(thresholds: Thresholds) -> str:
    """Serialise thresholds (TOML has no writer in the standard library; the shape is flat)."""
    lines = [
        "# Match-probability thresholds: >= hit is a hit, >= review goes to the review band.",
        f"hit = {thresholds.hit!r}",
        f"review = {thresholds.review!r}",
    ]
    for change in thresholds.history:
        lines += [
            "",
            "[[history]]",
            f"who = {json.dumps(change.who)}",
            f"when = {json.dumps(change.when)}",
            f"why = {json.dumps(change.why)}",
            f"hit = {change.hit!r}",
            f"review = {change.review!r}",
        ]
    return "\n".join(lines) + "\n"
