"""The SQL macros of the name comparison levels, on prepared features of real names."""

from __future__ import annotations

from typing import Any

import duckdb
import polars as pl
import pytest

from pipeline.match.engine import connect
from pipeline.match.prepare import prepare_for_matching
from pipeline.standardize import standardize


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    return connect()


def _prepared(*names: tuple[str | None, str | None]) -> list[dict[str, Any]]:
    frame = pl.DataFrame(
        {
            "traveler_id": [str(i) for i in range(len(names))],
            "surname": [n[0] for n in names],
            "given_names": [n[1] for n in names],
        }
    )
    return prepare_for_matching(standardize(frame, "manifests")).to_dicts()


def _macro(
    con: duckdb.DuckDBPyConnection, call: str, left: dict[str, Any], right: dict[str, Any]
) -> Any:
    """Evaluate ``call`` with ``$name_token_codes_l``-style parameters for both sides."""
    params = {f"{k}_{side}": row[k] for side, row in (("l", left), ("r", right)) for k in row}
    used = {k: v for k, v in params.items() if f"${k}" in call}
    return con.execute(f"SELECT {call}", used).fetchone()[0]  # type: ignore[index]


AGREE = "agreeing($name_token_codes_l, $name_codes_l, $name_token_codes_r, $name_codes_r)"
ALL_AGREE = "all_agree($name_token_codes_l, $name_codes_l, $name_token_codes_r, $name_codes_r)"
STRICT = (
    "all_agree($name_token_strict_l, $name_codes_strict_l, "
    "$name_token_strict_r, $name_codes_strict_r)"
)


def test_two_tokens_cannot_share_one_partner(con: duckdb.DuckDBPyConnection) -> None:
    jahan_ahana, jahan_aloka = _prepared(("JAHAN", "AHANA"), ("JAHAN", "ALOKA"))
    # AHANA and JAHAN share a skeleton, but only one token of the other name is matched.
    assert _macro(con, AGREE, jahan_ahana, jahan_aloka) == 1
    assert not _macro(con, ALL_AGREE, jahan_ahana, jahan_aloka)


def test_every_token_similar_is_one_to_one(con: duckdb.DuckDBPyConnection) -> None:
    call = "every_token_similar($name_keys_l, $name_keys_r, 0.94)"
    hong_hoang, vu_yen_hoang, same = _prepared(
        ("HONG", "HOANG"), ("VU", "YEN HOANG"), ("HONG", "HOANG")
    )
    assert _macro(con, call, hong_hoang, same)
    assert not _macro(con, call, hong_hoang, vu_yen_hoang)
    (single,) = _prepared(("HOANG", None))
    assert not _macro(con, call, single, vu_yen_hoang)


def test_initials_agree_with_their_letter_only(con: duckdb.DuckDBPyConnection) -> None:
    kang_c, kang_chaewon, kang_chulsoo, kang_minho = _prepared(
        ("KANG", "C"), ("KANG", "CHAEWON"), ("KANG", "CHULSOO"), ("KANG", "MINHO")
    )
    assert kang_c["name_has_initial"] and not kang_chaewon["name_has_initial"]
    assert _macro(con, ALL_AGREE, kang_c, kang_chaewon)
    assert _macro(con, ALL_AGREE, kang_chaewon, kang_c)
    assert not _macro(con, ALL_AGREE, kang_c, kang_minho)
    # Two full tokens never agree by their first letters alone.
    assert _macro(con, AGREE, kang_chaewon, kang_chulsoo) == 1


def test_loose_skeletons_only_count_outside_the_strict_codes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    (latin,) = _prepared(("KAHN", "YEHONATAN"))
    frame = pl.DataFrame({"traveler_id": ["h"], "full_name": ["כהן יהונתן"]})
    (hebrew,) = prepare_for_matching(standardize(frame, "manifests")).to_dicts()
    assert _macro(con, ALL_AGREE, latin, hebrew)
    assert not _macro(con, STRICT, latin, hebrew)
