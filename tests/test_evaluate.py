"""Thresholds chosen on labelled pairs keep the pairs they were chosen for."""

from __future__ import annotations

import polars as pl

from pipeline.evaluate import Evaluation, choose_thresholds


def test_thresholds_round_down_to_keep_the_pair_they_sit_on() -> None:
    # 200 true pairs at p = 0.7308857774 (a real calibrated value) and higher; false
    # pairs only below. The lowest precise threshold is 0.7308857774: rounding it up to
    # 0.730886 would turn those 200 hits into reviews.
    true_p = [0.7308857774319109] * 200 + [0.95] * 300
    false_p = [0.2] * 50
    pairs = pl.DataFrame(
        {
            "traveler_id": [f"t{i}" for i in range(550)],
            "record_id": [f"r{i}" for i in range(550)],
            "match_probability": true_p + false_p,
        }
    )
    truth = pairs.head(500).select("traveler_id", "record_id")
    hit, review = choose_thresholds(Evaluation(pairs, truth))
    assert hit <= 0.7308857774319109
    assert hit > 0.7308
    assert (pairs["match_probability"] >= hit).sum() == 500
    assert review <= hit
