"""The fast evaluator's own guarantees: explicit choice, loud refusal, exact regexes.

Equivalence with GX on data is in ``test_fast_equivalence.py``; here: the evaluator
is chosen explicitly (GX by default), anything it cannot evaluate exactly raises,
and its regex translation agrees with Python's ``re.search`` on arbitrary patterns
and text.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from pipeline.contracts import engine, fast, inputs
from pipeline.contracts.fast import FastEvaluatorUnsupported
from pipeline.contracts.suite import INPUT_SUITES, Rule, Suite, load_suite
from pipeline.errors import InternalError
from pipeline.schema import ROW_NUMBER
from tests.contracts.cases import good_manifest


def _manifest(n: int = 3, **overrides: Any) -> pl.DataFrame:
    rows = [good_manifest(i) for i in range(n)]
    return pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String)).with_columns(**overrides)


def _suite(kind: str, /, **kwargs: Any) -> Suite:
    return Suite("one", (Rule(0, kind, kwargs, "warn", "message"),))


def test_input_suites_compile_completely() -> None:
    for name in INPUT_SUITES.values():
        suite = load_suite(name)
        assert {r.type for r in suite.rules} <= fast.SUPPORTED_TYPES
        assert len(fast.compile_suite(suite)) == len(suite.rules)


def test_gx_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[str] = []
    monkeypatch.setattr(inputs, "run_suite", lambda *a: called.append("gx") or [])
    monkeypatch.setattr(fast, "run_suite", lambda *a: called.append("fast") or [])
    inputs.check_input(_manifest(), "manifests", "src")
    inputs.check_input(_manifest(), "manifests", "src", evaluator="fast")
    inputs.check_input(_manifest(), "manifests", "src", evaluator="gx")
    assert called == ["gx", "fast", "gx"]


def test_unknown_evaluator_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown contract evaluator 'pandas'"):
        inputs.check_input(_manifest(), "manifests", "src", evaluator="pandas")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("suite", "problem"),
    [
        (_suite("expect_column_values_to_be_in_set", column="sex", value_set=["M"]), "type"),
        (_suite("expect_column_values_to_not_be_null", column="sex", mostly=0.9), "mostly"),
        (
            _suite("expect_column_values_to_not_be_null", column="sex", row_condition="x"),
            "row_condition",
        ),
        (_suite("expect_column_values_to_be_of_type", column="sex", type_="int"), "type_"),
        (_suite("expect_column_values_to_match_regex", column="sex", regex="("), "compile"),
        (_suite("expect_column_values_to_match_regex", column="nope", regex="x"), "nope"),
        (_suite("expect_column_value_lengths_to_be_between", column="sex"), "min_value"),
        (
            _suite("expect_compound_columns_to_be_unique", column_list=["sex"], ignore_row_if="x"),
            "ignore_row_if",
        ),
    ],
)
def test_unsupported_rules_raise(suite: Suite, problem: str) -> None:
    with pytest.raises(FastEvaluatorUnsupported, match=problem) as info:
        fast.run_suite(suite, _manifest())
    assert isinstance(info.value, InternalError) and "\n" not in str(info.value)


def test_output_suites_are_not_silently_accepted() -> None:
    """check_output stays on GX; the fast evaluator refuses its expectation types."""
    with pytest.raises(FastEvaluatorUnsupported, match="not implemented"):
        fast.compile_suite(load_suite("screening_out"))


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("traveler_id", [11, 12, 13]),
        pl.Series("sex", [1, 2, 1]),
        pl.Series("carrier", ["LH", "LH", "UA"], dtype=pl.Categorical),
        pl.Series("date_of_birth", [None, None, None], dtype=pl.Date),
        pl.Series("surname", [["A"], ["B"], ["C"]]),
    ],
    ids=lambda s: f"{s.name}:{s.dtype}",
)
def test_non_text_columns_raise_without_values(column: pl.Series) -> None:
    frame = _manifest().with_columns(column)
    with pytest.raises(FastEvaluatorUnsupported, match=f"column '{column.name}' has dtype") as e:
        inputs.check_input(frame, "manifests", "src", evaluator="fast")
    assert "LH" not in str(e.value) and "11" not in str(e.value)


def test_null_dtype_and_missing_columns_are_text() -> None:
    frame = _manifest(full_name=pl.lit(None)).drop("sex", "departure_date")
    outcome = inputs.check_input(frame, "manifests", "src", evaluator="fast")
    assert outcome.rows_passed == 3 and outcome.passed.columns[-1] == ROW_NUMBER


def test_where_the_manifest_regexes_run() -> None:
    """High-cardinality rules run in Rust; only the rest goes through Python's re."""
    seen = {r.kwargs["regex"]: fast._Regex.compile(r, r.kwargs["regex"]) for r in _regex_rules()}
    assert seen[r"[\x00-\x1f\x7f-\x9f]"].universal  # every value in Rust
    for pattern in (r"\S", r"[^\W\d_]", r"^[0-9A-Za-z<\- ]+$", r"^[A-Za-z0-9]{3,5}$"):
        assert seen[pattern].rust is not None and not seen[pattern].universal  # ASCII in Rust
    assert all(r.rust is None for p, r in seen.items() if p.startswith("(?i)"))


def _regex_rules() -> list[Rule]:
    return [r for r in load_suite("manifests_in").rules if "regex" in r.kwargs]


# --------------------------------------------------------------------------- regexes

ALPHABET = st.sampled_from(
    [*"aAzZ09_ -<.$^\n\t\x0b\x1c\x1f\x00\x7f\x85\xa0", *"éЖжıİſKµß٣½²\u0301\u3000\u203f李"]
)
ATOMS = st.sampled_from(
    [
        "a", "Z", "0", r"\.", r"\$", " ", "-", "<", "\\n", "é", "Ж", "ı", "ſ", ".",
        r"\d", r"\D", r"\w", r"\W", r"\s", r"\S", r"\b", r"\B", "^", "$", r"\A", r"\Z",
        "[a-z]", "[^a-z]", r"[^\W\d_]", r"[\x00-\x1f\x7f-\x9f]", r"[<\- ]", "[Ж-я]",
        r"[\s\d]", r"[^\s]", "[.$^]", r"[\n]", "(?=a)", "(?!a)",
    ]
)  # fmt: skip


def _patterns() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.lists(inner, min_size=2, max_size=3).map("".join),
            st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
            inner.map(lambda x: f"({x})"),
            st.tuples(inner, st.sampled_from(["*", "+", "?", "{1,3}", "{2}", "*?", "+?"])).map(
                lambda t: f"(?:{t[0]}){t[1]}"
            ),
        )

    body = st.recursive(ATOMS, extend, max_leaves=6)
    return st.tuples(st.sampled_from(["", "", "", "(?i)", "(?m)", "(?s)"]), body).map("".join)


VALUES = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=6)), min_size=1, max_size=8)


def _compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        assume(False)
        raise


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=_patterns(), values=VALUES)
def test_regex_translation_agrees_with_python_re(pattern: str, values: list[str | None]) -> None:
    """Python's re semantics, whichever engine runs: column rules (when the pattern is
    accepted) and list-item rules (custom.py calls re.search, so every pattern is)."""
    compiled = _compiled(pattern)
    frame = pl.DataFrame(
        {"x": values, "xs": [None if v is None else [v] for v in values]},
        schema={"x": pl.String, "xs": pl.List(pl.String)},
    )
    misses = tuple(i for i, v in enumerate(values) if v is not None and not compiled.search(v))
    hits = tuple(i for i, v in enumerate(values) if v is not None and compiled.search(v))
    cases = [
        ("expect_column_list_items_to_match_regex", "xs", misses),
        ("expect_column_values_to_match_regex", "x", misses),
        ("expect_column_values_to_not_match_regex", "x", hits),
    ]
    for kind, column, expected in cases:
        try:
            [finding] = fast.run_suite(_suite(kind, column=column, regex=pattern), frame)
        except FastEvaluatorUnsupported as exc:
            assert column == "x" and "its regex uses" in str(exc)
            continue
        assert finding.rows == expected, (kind, pattern, values)
        assert finding.success == (not expected)


_gx_suites = itertools.count()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pattern=_patterns(), values=VALUES)
def test_regex_rules_agree_with_gx(pattern: str, values: list[str | None]) -> None:
    """The reference itself (GX on pandas: RE2 or re); refusing a pattern is allowed."""
    _compiled(pattern)
    column = {"column": "x", "regex": pattern}
    either = {"column_list": ["x", "y"], "regex": pattern}
    rules = (
        Rule(0, "expect_column_values_to_match_regex", column, "warn", "m"),
        Rule(1, "expect_column_values_to_not_match_regex", column, "warn", "m"),
        Rule(2, "expect_any_of_select_columns_to_match_regex", either, "quarantine", "m"),
    )
    suite = Suite(f"regex-{next(_gx_suites)}", rules)
    frame = pl.DataFrame({"x": values, "y": values[::-1]}, schema={"x": pl.String, "y": pl.String})
    try:
        quick = fast.run_suite(suite, frame)
    except FastEvaluatorUnsupported as exc:
        assert "its regex uses" in str(exc)
        event("refused by the fast evaluator")
        return
    event("compared with GX")
    reference = engine.run_suite(suite, inputs.to_pandas(frame))
    assert all(f.error is None for f in reference), [f.error for f in reference]
    key = [(f.rule.index, f.success, f.rows) for f in reference]
    assert [(f.rule.index, f.success, f.rows) for f in quick] == key, (pattern, values)


def test_patterns_pandas_may_give_to_re2_are_refused() -> None:
    for pattern in [r"(?i)yes", r"a\B", r"(?i:a)b", r"[[:alpha:]]", r"a{,3}", r"(?>a)", r"a*+"]:
        with pytest.raises(FastEvaluatorUnsupported, match="its regex uses"):
            fast.run_suite(
                _suite("expect_column_values_to_match_regex", column="sex", regex=pattern),
                _manifest(),
            )
    # always run with Python's re by pandas, so accepted:
    for pattern in [r"(?i)^\s*yes\s*$", r"(?=a)b", r"\u0041"]:
        fast.run_suite(
            _suite("expect_column_values_to_match_regex", column="sex", regex=pattern), _manifest()
        )
