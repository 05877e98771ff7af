"""pipeline.analysis on tiny in-memory scored runs (pure) and a copied model directory."""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import analysis, charts
from pipeline.config import DEFAULT_MODEL
from pipeline.errors import InputError
from pipeline.evaluate import label_pairs
from pipeline.match.model import Thresholds, load_model

EXPL = [
    {"comparison": "name", "level": "same token set", "match_weight": 5.0},
    {"comparison": "dob", "level": "same full date", "match_weight": 4.0},
]
# traveler, record, probability, weight, true?
PAIRS = [
    ("T1", "R1", 0.99, 9.0, True),
    ("T2", "R2", 0.90, 6.0, False),  # false hit at 0.9
    ("T3", "R3", 0.60, 2.0, True),  # review band at 0.9/0.5
    ("T4", "R4", 0.20, -1.0, False),
]
TRUTH = [("T1", "R1"), ("T3", "R3"), ("T5", "R5")]  # T5/R5 never a candidate
GROUPS = {"T1": "Latin", "T2": "Latin", "T3": "Han", "T4": "Han", "T5": "Thai", "T6": "Latin"}


def scored_run(floor: float = 0.0) -> analysis.ScoredRun:
    pairs = pl.DataFrame(
        {
            "traveler_id": [p[0] for p in PAIRS],
            "record_id": [p[1] for p in PAIRS],
            "match_probability": [p[2] for p in PAIRS],
            "match_weight": [p[3] for p in PAIRS],
            "explanation": [EXPL] * len(PAIRS),
        }
    )
    truth = pl.DataFrame({"traveler_id": [t for t, _ in TRUTH], "record_id": [r for _, r in TRUTH]})
    travelers = pl.DataFrame(
        {
            "traveler_id": list(GROUPS),
            "script": list(GROUPS.values()),
            "origin": ["xx"] * len(GROUPS),
        }
    )
    return analysis.ScoredRun(
        pairs=label_pairs(pairs, truth),
        truth=truth,
        travelers=travelers,
        floor=floor,
        thresholds=Thresholds(hit=0.9, review=0.5),
        prior=0.001,
    )


@pytest.mark.parametrize(
    ("description", "hit", "review", "expected"),
    [
        (
            "model thresholds",
            0.9,
            0.5,
            {
                "precision": 0.5,
                "recall": 1 / 3,
                "recall_with_review": 2 / 3,
                "hit_travelers": 2,
                "review_queue": 1,
                "hits_per_10k": 2 * 10_000 / 6,
                "false_positives": 1,
                "false_negatives": 2,
            },
        ),
        (
            "strict",
            0.95,
            0.95,
            {"precision": 1.0, "recall": 1 / 3, "review_queue": 0, "hit_travelers": 1},
        ),
        (
            "everything",
            0.1,
            0.1,
            {"precision": 0.5, "recall": 2 / 3, "review_queue": 0, "hit_travelers": 4},
        ),
    ],
)
def test_threshold_metrics(description: str, hit: float, review: float, expected: dict) -> None:
    metrics = analysis.threshold_metrics(scored_run(), hit, review)
    for key, value in expected.items():
        assert metrics[key] == pytest.approx(value), (description, key)


def test_threshold_metrics_refuses_review_above_hit_and_flags_incomplete() -> None:
    with pytest.raises(InputError):
        analysis.threshold_metrics(scored_run(), 0.5, 0.9)
    assert analysis.threshold_metrics(scored_run(floor=0.5), 0.9, 0.3)["complete"] is False


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1))
def test_metrics_are_rates_and_counts_add_up(a: float, b: float) -> None:
    hit, review = max(a, b), min(a, b)
    metrics = analysis.threshold_metrics(scored_run(), hit, review)
    assert 0 <= metrics["precision"] <= 1 and 0 <= metrics["recall"] <= 1
    assert metrics["recall"] <= metrics["recall_with_review"]
    assert metrics["hit_travelers"] + metrics["review_queue"] <= metrics["travelers"]


def test_parity_table_per_script() -> None:
    table = analysis.parity_table(scored_run(), 0.9, "script")
    rows = {row["script"]: row for row in table.to_dicts()}
    assert rows["Latin"]["falsely_hit"] == 1 and rows["Latin"]["fp_rate"] == pytest.approx(1 / 3)
    assert rows["Han"]["missed"] == 1 and rows["Han"]["fn_rate"] == 1.0
    assert rows["Thai"]["fn_rate"] == 1.0  # the never-blocked true pair
    assert rows["Latin"]["fn_rate"] == 0.0
    with pytest.raises(InputError):
        analysis.parity_table(scored_run(), 0.9, "name")  # type: ignore[arg-type]


def test_examples_carry_ids_and_explanations_only() -> None:
    fp = analysis.examples(scored_run(), 0.9, "fp", 5)
    assert fp.columns == [
        "traveler_id",
        "record_id",
        "match_probability",
        "match_weight",
        "explanation",
    ]
    assert fp["traveler_id"].to_list() == ["T2"]
    assert fp["explanation"][0] == "name: same token set (5.0); dob: same full date (4.0)"
    fn = analysis.examples(scored_run(), 0.9, "fn", 5)
    assert fn["traveler_id"].to_list() == ["T3", "T5"]
    assert fn["explanation"][1].startswith("not a candidate")
    with pytest.raises(InputError, match="names"):
        analysis.examples(scored_run(), 0.9, "fp", with_names=True)


def test_waterfall_starts_at_the_prior_and_sums_to_the_weight() -> None:
    steps = analysis.waterfall(scored_run(), "T1", "R1")
    assert steps["comparison"].to_list() == ["prior", "name", "dob"]
    assert steps["match_weight"][0] == pytest.approx(math.log2(0.001 / 0.999))
    assert steps["cumulative"][-1] == pytest.approx(steps["match_weight"].sum())
    with pytest.raises(InputError):
        analysis.waterfall(scored_run(), "T9", "R9")


def test_blocking_recall_overall_and_by_group() -> None:
    overall = analysis.blocking_recall(scored_run()).row(0, named=True)
    assert overall["blocking_recall"] == pytest.approx(2 / 3, abs=1e-4) and overall["exact"]
    by = {
        r["script"]: r["blocking_recall"]
        for r in analysis.blocking_recall(scored_run(), "script").to_dicts()
    }
    assert by == {"Han": 1.0, "Latin": 1.0, "Thai": 0.0}


def test_histogram_and_curve_cover_every_pair() -> None:
    histogram = analysis.weight_histogram(scored_run(), bins=4)
    assert histogram["true"].sum() == 2 and histogram["other"].sum() == 2
    curve = analysis.pr_curve_points(scored_run())
    assert curve["threshold"].to_list() == [0.99, 0.9, 0.6, 0.2]
    svg = charts.histogram_svg(*[histogram[c].to_list() for c in histogram.columns], [("hit", 6)])
    assert svg.startswith("<svg") and "http" not in svg.replace("http://www.w3.org", "")
    assert "<svg" in charts.pr_curve_svg(curve["recall"].to_list(), curve["precision"].to_list())
    assert 'id="metric-precision"' in charts.metrics_html(
        analysis.threshold_metrics(scored_run(), 0.9, 0.5)
    )


def test_model_inspection_reads_m_u_and_tf() -> None:
    model = load_model(DEFAULT_MODEL)
    weights = analysis.comparison_weights(model)
    same = weights.filter(pl.col("level") == "same token set").row(0, named=True)
    assert same["match_weight"] == pytest.approx(
        math.log2(same["m_probability"] / same["u_probability"])
    )
    assert weights.filter("null_level")["match_weight"].to_list() == [0.0] * 5
    tf = pl.DataFrame({"value": ["A B", "C D"], "tf": [0.01, 0.001]})
    adjustments = analysis.tf_adjustments(model, {"name_sorted": tf})
    assert adjustments["value"].to_list() == ["value #1", "value #2"]  # no names by default
    assert adjustments["tf_adjustment"][0] < adjustments["tf_adjustment"][1]
    shown = analysis.tf_adjustments(model, {"name_sorted": tf}, show_values=True)
    assert shown["value"].to_list() == ["A B", "C D"]


def test_write_thresholds_appends_history_and_updates_the_card(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL, model)
    before = load_model(model).thresholds
    written = analysis.write_thresholds(model, 0.95, 0.2, "analyst-b", "tighter", "2026-01-01")
    assert written.history[:-1] == before.history
    assert written.history[-1].model_dump() == {
        "who": "analyst-b",
        "when": "2026-01-01",
        "why": "tighter",
        "hit": 0.95,
        "review": 0.2,
    }
    assert load_model(model).thresholds == written
    card = json.loads((model / "card.json").read_text())
    assert card["thresholds"] == {"hit": 0.95, "review": 0.2}
    assert card["threshold_history"][-1]["who"] == "analyst-b"
    text = (model / "MODEL_CARD.md").read_text()
    assert "- hit: 0.95" in text and "| 2026-01-01 | analyst-b | 0.95 | 0.2 | tighter |" in text
    assert text.count("## Threshold history") == 1
    with pytest.raises(InputError):
        analysis.write_thresholds(model, 0.3, 0.6, "analyst-b", "inverted")
    with pytest.raises(InputError):
        analysis.write_thresholds(model, 0.9, 0.5, "analyst-b", "  ")
    assert tomllib.loads((model / "thresholds.toml").read_text())["hit"] == 0.95


def test_notebook_inputs_need_truth_with_a_run(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="truth"):
        analysis.notebook_inputs({"run": str(tmp_path)}, {})
