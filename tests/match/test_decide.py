"""Folding identities, decisions, ranks and one screening row per traveler."""

from __future__ import annotations

import polars as pl

from pipeline.match.decide import decide, fold_identities, screen
from pipeline.match.model import Thresholds
from pipeline.match.score import EXPLANATION_TYPE

TH = Thresholds(hit=0.9, review=0.5)


def pairs(rows: list[tuple[str, str, float, float]]) -> pl.DataFrame:
    expl = [
        [{"comparison": "name", "level": "same token set", "match_weight": w}] for *_, w in rows
    ]
    return pl.DataFrame(
        {
            "traveler_id": [r[0] for r in rows],
            "identity_id": [r[1] for r in rows],
            "match_probability": [r[2] for r in rows],
            "match_weight": [r[3] for r in rows],
            "explanation": expl,
        },
        schema_overrides={"explanation": EXPLANATION_TYPE},
    )


IDENTITIES = pl.DataFrame(
    {
        "unique_id": ["r1~0", "r1~1", "r2~0", "r3~0"],
        "source_id": ["r1", "r1", "r2", "r3"],
        "subject_id": ["s1", "s1", "s2", None],
    }
)


def test_an_alias_with_stronger_evidence_wins_for_its_record() -> None:
    folded = fold_identities(
        pairs([("t1", "r1~0", 0.6, 1.0), ("t1", "r1~1", 0.95, 5.0), ("t1", "r2~0", 0.7, 2.0)]),
        IDENTITIES,
    )
    assert folded.height == 2
    r1 = folded.filter(pl.col("record_id") == "r1").row(0, named=True)
    assert r1["match_probability"] == 0.95
    assert r1["subject_id"] == "s1"


def test_decisions_and_ranks_follow_thresholds() -> None:
    folded = fold_identities(
        pairs([("t1", "r1~0", 0.95, 5.0), ("t1", "r2~0", 0.6, 1.0), ("t2", "r3~0", 0.4, -1.0)]),
        IDENTITIES,
    )
    matches = decide(folded, TH)
    assert matches.select("traveler_id", "record_id", "decision", "rank").rows() == [
        ("t1", "r1", "hit", 1),
        ("t1", "r2", "review", 2),
    ]


def test_screening_has_one_row_per_traveler_including_rejected() -> None:
    matches = decide(fold_identities(pairs([("t1", "r1~0", 0.95, 5.0)]), IDENTITIES), TH)
    rejected = pl.DataFrame(
        {"traveler_id": [None, "t9"], "row_number": [7, 8], "reason": ["no id", "no usable name"]},
        schema={"traveler_id": pl.String, "row_number": pl.Int64, "reason": pl.String},
    )
    out = screen(pl.Series(["t1", "t2"]), rejected, matches)
    status = dict(zip(out["traveler_id"], out["status"], strict=True))
    assert status == {"t1": "hit", "t2": "clear", "row:7": "rejected", "t9": "rejected"}
    assert out.filter(pl.col("traveler_id") == "t1")["best_record_id"].item() == "r1"
    assert out.filter(pl.col("traveler_id") == "t2")["n_candidates"].item() == 0


def test_rejected_rows_with_missing_or_duplicated_ids_get_unique_ids() -> None:
    matches = decide(fold_identities(pairs([("t1", "r1~0", 0.95, 5.0)]), IDENTITIES), TH)
    rejected = pl.DataFrame(
        {
            "traveler_id": [None, "d", "d", "t1"],
            "row_number": [3, 4, 5, 6],
            "reason": ["no id", "duplicate id", "duplicate id", "duplicate id"],
        },
        schema={"traveler_id": pl.String, "row_number": pl.Int64, "reason": pl.String},
    )
    out = screen(pl.Series(["t1"]), rejected, matches)
    assert out["traveler_id"].to_list() == ["t1", "row:3", "d#row:4", "d#row:5", "t1#row:6"]
    assert out["traveler_id"].n_unique() == out.height
