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
from pipeline.match.train import cap_levels, smooth_parameters
from pipeline.schema import FEATURE_VERSION

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
    spec = (path / "spec.toml").read_text()
    spec = spec.replace(f"feature_version = {FEATURE_VERSION}", "feature_version = 99")
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


def test_a_capped_level_never_outweighs_its_ceiling() -> None:
    spec = load_spec(DEFAULT / "spec.toml")
    settings = json.loads((DEFAULT / "splink_model.json").read_text())
    dob = next(c for c in settings["comparisons"] if c["output_column_name"] == "dob")
    levels = {lvl["label_for_charts"]: lvl for lvl in dob["comparison_levels"]}
    full, placeholder = (
        levels["same full date"],
        levels["same full date, but a placeholder such as 01/01 (weak)"],
    )
    placeholder["u_probability"] = 1e-12  # as if random pairs never reached it
    capped = cap_levels(settings, spec)
    dob = next(c for c in capped["comparisons"] if c["output_column_name"] == "dob")
    levels = {lvl["label_for_charts"]: lvl for lvl in dob["comparison_levels"]}
    ratio = lambda lvl: lvl["m_probability"] / lvl["u_probability"]  # noqa: E731
    assert ratio(levels["same full date, but a placeholder such as 01/01 (weak)"]) <= ratio(
        full
    ) * (1 + 1e-9)


def test_cap_on_an_unknown_level_is_refused(tmp_path: Path) -> None:
    path = copy_model(tmp_path)
    spec = (
        (path / "spec.toml")
        .read_text()
        .replace('at_most = "same full date"', 'at_most = "no such level"')
    )
    (path / "spec.toml").write_text(spec)
    with pytest.raises(ModelError, match="unknown level"):
        load_spec(path / "spec.toml")


def test_unseen_levels_get_half_a_pair_of_the_u_sample() -> None:
    settings = {
        "comparisons": [
            {
                "comparison_levels": [
                    {"is_null_level": True},
                    {"m_probability": 0.9, "u_probability": 0.0},
                    {"m_probability": 0.1, "u_probability": 1.0},
                ]
            }
        ]
    }
    levels = smooth_parameters(settings, 1e6)["comparisons"][0]["comparison_levels"]
    assert levels[1]["u_probability"] == pytest.approx(0.5e-6, rel=1e-3)
