"""Output contracts refuse bad matches/screening tables with OutputContractError."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from pipeline.contracts import check_output
from pipeline.errors import OutputContractError


def matches(**override: list[Any]) -> pl.DataFrame:
    data: dict[str, list[Any]] = {
        "run_id": ["r1", "r1"],
        "traveler_id": ["T1", "T1"],
        "record_id": ["R1", "R2"],
        "subject_id": ["S1", None],
        "match_probability": [0.99, 0.5],
        "match_weight": [9.1, 0.1],
        "decision": ["hit", "review"],
        "rank": [1, 2],
        "explanation": ["name+dob", "name"],
        "model_version": ["v1", "v1"],
    }
    return pl.DataFrame({**data, **override})


def screening(**override: list[Any]) -> pl.DataFrame:
    data: dict[str, list[Any]] = {
        "run_id": ["r1", "r1", "r1"],
        "traveler_id": ["T1", "T2", "T3"],
        "status": ["hit", "clear", "rejected"],
        "best_record_id": ["R1", None, None],
        "best_match_probability": [0.99, None, None],
        "n_candidates": [2, 0, 0],
        "reason": [None, None, "traveler_id is empty"],
    }
    return pl.DataFrame({**data, **override})


def test_good_outputs_pass() -> None:
    check_output("matches", matches())
    check_output("screening", screening())
    check_output("matches", matches().clear())


@pytest.mark.parametrize(
    ("name", "frame", "message"),
    [
        ("matches", matches(decision=["hit", "clear"]), "decision is not hit or review"),
        ("matches", matches(match_probability=[1.2, 0.5]), "outside"),
        ("matches", matches(match_probability=[-0.1, 0.5]), "outside"),
        ("matches", matches(rank=[0, 1]), "rank is below 1"),
        ("matches", matches(record_id=["R1", "R1"]), "pair appears twice"),
        ("matches", matches(traveler_id=[None, "T1"]), "traveler_id is null"),
        ("matches", matches().drop("explanation"), "columns differ"),
        ("matches", matches().select(reversed(matches().columns)), "columns differ"),
        ("screening", screening(traveler_id=["T1", "T1", "T3"]), "more than once"),
        ("screening", screening(status=["hit", "maybe", "clear"]), "status is not"),
        ("screening", screening(best_match_probability=[2.0, None, None]), "outside"),
        ("screening", screening(n_candidates=[-1, 0, 0]), "negative"),
    ],
)
def test_bad_outputs_raise(name: str, frame: pl.DataFrame, message: str) -> None:
    with pytest.raises(OutputContractError, match=message) as info:
        check_output(name, frame)  # type: ignore[arg-type]
    assert "\n" not in str(info.value)
    assert info.value.exit_code == 1
