"""Model directories: specs validate, thresholds are ordered, mismatched features are refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.errors import ModelError
from pipeline.match.model import (
    ThresholdChange,
    Thresholds,
    load_model,
    load_thresholds,
    referenced_columns,
    thresholds_toml,
)
from pipeline.match.settings import settings_from_spec
from pipeline.match.spec import load_spec

DEFAULT = Path(__file__).resolve().parents[2] / "models" / "default"


def copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "m"
    shutil.copytree(DEFAULT, target)
    return target


def test_default_model_loads_and_names_its_version() -> None:
    model = load_model(DEFAULT)
    assert model.version.startswith("default@")
    assert 0 < model.thresholds.review <= model.thresholds.hit < 1


def test_spec_comparisons_only_use_known_features() -> None:
    settings = settings_from_spec(load_spec(DEFAULT / "spec.toml"))
    assert {"name_keys", "dob_full", "sex", "doc_ocr_key"} <= referenced_columns(settings)


def test_model_with_unknown_feature_is_refused(tmp_path: Path) -> None:
    path = copy_model(tmp_path)
    settings = json.loads((path / "splink_model.json").read_text())
    level = settings["comparisons"][0]["comparison_levels"][1]
    level["sql_condition"] = "name_soundex_l = name_soundex_r"
    (path / "splink_model.json").write_text(json.dumps(settings))
    with pytest.raises(ModelError, match="name_soundex"):
        load_model(path)


def test_model_for_another_feature_version_is_refused(tmp_path: Path) -> None:
    path = copy_model(tmp_path)
    spec = (path / "spec.toml").read_text().replace("feature_version = 1", "feature_version = 99")
    (path / "spec.toml").write_text(spec)
    with pytest.raises(ModelError, match="feature version 99"):
        load_model(path)


def test_spec_without_else_level_is_refused(tmp_path: Path) -> None:
    path = copy_model(tmp_path)
    spec = (path / "spec.toml").read_text().replace('sql = "else"', 'sql = "true"', 1)
    (path / "spec.toml").write_text(spec)
    with pytest.raises(ModelError, match="last level must be 'else'"):
        load_spec(path / "spec.toml")


def test_thresholds_round_trip_with_history(tmp_path: Path) -> None:
    change = ThresholdChange(
        who="analyst", when="2026-11-27T10:00:00", why="tuned", hit=0.95, review=0.4
    )
    path = tmp_path / "thresholds.toml"
    path.write_text(thresholds_toml(Thresholds(hit=0.95, review=0.4, history=(change,))))
    loaded = load_thresholds(path)
    assert (loaded.hit, loaded.review) == (0.95, 0.4)
    assert loaded.history == (change,)


def test_review_above_hit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "thresholds.toml"
    path.write_text("hit = 0.5\nreview = 0.9\n")
    with pytest.raises(ModelError, match="above hit threshold"):
        load_thresholds(path)
