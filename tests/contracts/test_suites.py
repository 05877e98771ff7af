"""The JSON suites: strict loading, meta on every expectation, agreement with schema."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipeline.contracts import ContractDefinitionError, load_suite
from pipeline.contracts.suite import CONTRACTS_DIR, parse_suite
from pipeline.schema import MATCH_COLUMNS, SCREENING_COLUMNS

SUITES = ("manifests_in", "records_in", "matches_out", "screening_out")
GOOD_RULE = {
    "type": "expect_column_values_to_not_be_null",
    "kwargs": {"column": "traveler_id"},
    "meta": {"severity": "quarantine", "message": "traveler_id is empty"},
}


def _with(**changes: Any) -> dict[str, Any]:
    rule = json.loads(json.dumps(GOOD_RULE))
    for key, value in changes.items():
        part, _, sub = key.partition("__")
        if sub:
            rule[part][sub] = value
        else:
            rule[part] = value
    return {"name": "t", "expectations": [rule]}


@pytest.mark.parametrize("name", SUITES)
def test_every_suite_loads_with_severity_and_message(name: str) -> None:
    suite = load_suite(name)  # type: ignore[arg-type]
    assert suite.rules
    raw = json.loads((CONTRACTS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    for rule in raw["expectations"]:
        assert rule["meta"]["severity"] in ("quarantine", "warn", "batch")
        assert rule["meta"]["message"].strip()


def test_output_suites_name_the_schema_columns() -> None:
    for name, columns in (("matches_out", MATCH_COLUMNS), ("screening_out", SCREENING_COLUMNS)):
        first = load_suite(name).rules[0]  # type: ignore[arg-type]
        assert first.type == "expect_table_columns_to_match_ordered_list"
        assert tuple(first.kwargs["column_list"]) == columns


@pytest.mark.parametrize(
    ("description", "suite", "message"),
    [
        ("unknown expectation type", _with(type="expect_column_to_be_lovely"), "not found"),
        ("unknown argument", _with(kwargs__colour="red"), "colour"),
        (
            "missing severity",
            {"name": "t", "expectations": [{**GOOD_RULE, "meta": {"message": "m"}}]},
            "missing key",
        ),
        ("bad severity", _with(meta__severity="fatal"), "severity must be"),
        ("unknown meta key", _with(meta__owner="me"), "unknown key"),
        ("unknown rule key", _with(notes="x"), "unknown key"),
        (
            "warn without a column",
            {
                "name": "t",
                "expectations": [
                    {
                        "type": "expect_table_row_count_to_be_between",
                        "kwargs": {"min_value": 1},
                        "meta": {"severity": "warn", "message": "m"},
                    }
                ],
            },
            "must name one 'column'",
        ),
        ("not an object", [], "must be an object"),
        ("required argument missing", _with(kwargs={}), "column"),
    ],
)
def test_strict_loading_refuses(description: str, suite: Any, message: str) -> None:
    with pytest.raises(ContractDefinitionError, match=message):
        parse_suite(suite, "test.json")
