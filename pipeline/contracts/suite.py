"""Load the JSON contract suites in ``data_contracts/`` strictly.

A suite file is ``{"name": ..., "description": ..., "expectations": [...]}``;
each expectation is ``{"type": ..., "kwargs": {...}, "meta": {"severity":
..., "message": ...}}``. Every expectation is built with its Great
Expectations class, so an unknown type or argument raises instead of being
dropped. ``severity`` is ``quarantine`` (the row cannot be screened),
``warn`` (the value is set aside, the row is screened) or ``batch`` (the
whole input or output is refused).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, cast, get_args

import great_expectations as gx
from great_expectations.expectations.registry import get_expectation_impl

import pipeline.contracts.custom  # noqa: F401  (registers chrilink's expectations with GX)
from pipeline.errors import InternalError
from pipeline.schema import InputKind

Severity = Literal["quarantine", "warn", "batch"]
SuiteName = Literal["manifests_in", "records_in", "matches_out", "screening_out"]
CONTRACTS_DIR: Final = Path(__file__).resolve().parents[2] / "data_contracts"
INPUT_SUITES: Final[dict[InputKind, SuiteName]] = {
    "manifests": "manifests_in",
    "records": "records_in",
}
_SUITE_KEYS: Final = {"name", "description", "expectations"}
_RULE_KEYS: Final = {"type", "kwargs", "meta"}
_META_KEYS: Final = {"severity", "message", "notes"}
RULE_KEY: Final = "chrilink_rule"


class ContractDefinitionError(InternalError):
    """A contract suite file is malformed: the run cannot be trusted to check its data."""


@dataclass(frozen=True)
class Rule:
    """One declared expectation with its severity and the message a data engineer sees."""

    index: int
    type: str
    kwargs: dict[str, Any]
    severity: Severity
    message: str

    @property
    def column(self) -> str | None:
        value = self.kwargs.get("column")
        return value if isinstance(value, str) else None

    @property
    def label(self) -> str:
        target = self.column or ",".join(self.kwargs.get("column_list", ())) or "table"
        return f"{self.type}({target})"

    def to_gx(self) -> Any:
        """Build the GX expectation object; raises on unknown type or argument."""
        meta = {"severity": self.severity, "message": self.message, RULE_KEY: self.index}
        return get_expectation_impl(self.type)(**self.kwargs, meta=meta)


@dataclass(frozen=True)
class Suite:
    name: str
    rules: tuple[Rule, ...]

    def gx_suite(self) -> Any:
        """A fresh GX ExpectationSuite holding every rule."""
        suite = gx.ExpectationSuite(name=self.name)
        for rule in self.rules:
            suite.add_expectation(rule.to_gx())
        return suite


@dataclass(frozen=True)
class ColumnRules:
    """Table-level column rules, checked before readers fill absent columns with nulls."""

    required: tuple[str, ...]
    any_of: tuple[tuple[str, ...], ...]


def _fail(where: str, problem: str) -> ContractDefinitionError:
    return ContractDefinitionError(f"contract {where}: {problem}")


def _check_keys(where: str, found: dict[str, Any], allowed: set[str], required: set[str]) -> None:
    unknown = sorted(set(found) - allowed)
    missing = sorted(required - set(found))
    if unknown:
        raise _fail(where, f"unknown key(s) {unknown}")
    if missing:
        raise _fail(where, f"missing key(s) {missing}")


def _rule(index: int, raw: Any, where: str) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("meta"), dict):
        raise _fail(where, "an expectation must be an object with a 'meta' object")
    _check_keys(where, raw, _RULE_KEYS, {"type", "meta"})
    meta = raw["meta"]
    _check_keys(where, meta, _META_KEYS, {"severity", "message"})
    if meta["severity"] not in get_args(Severity):
        raise _fail(where, f"severity must be one of {get_args(Severity)}")
    kwargs = raw.get("kwargs", {})
    if not isinstance(kwargs, dict) or not isinstance(meta["message"], str):
        raise _fail(where, "'kwargs' must be an object and 'message' a string")
    rule = Rule(index, str(raw["type"]), kwargs, cast(Severity, meta["severity"]), meta["message"])
    _check_rule(rule, where)
    return rule


def _check_rule(rule: Rule, where: str) -> None:
    try:
        rule.to_gx()
    except Exception as exc:  # GX raises several unrelated types for a bad definition
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise _fail(where, f"{rule.type}: {detail}") from exc
    if rule.severity == "warn" and rule.column is None:
        raise _fail(where, "a 'warn' expectation must name one 'column' whose value is set aside")


def parse_suite(data: Any, source: str) -> Suite:
    """Build a Suite from decoded JSON; ``source`` names it in error messages."""
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise _fail(source, "must be an object with an 'expectations' list")
    _check_keys(source, data, _SUITE_KEYS, {"name", "expectations"})
    rules = tuple(
        _rule(i, raw, f"{source} expectation #{i + 1}")
        for i, raw in enumerate(data["expectations"])
    )
    return Suite(str(data["name"]), rules)


@cache
def load_suite(name: SuiteName) -> Suite:
    """Load ``data_contracts/<name>.json`` (cached for the process)."""
    path = CONTRACTS_DIR / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise _fail(str(path), f"cannot be read as JSON ({type(exc).__name__})") from exc
    return parse_suite(data, path.name)


def column_rules(kind: InputKind) -> ColumnRules:
    """The batch-level column rules of the input suite for ``kind``."""
    rules = [r for r in load_suite(INPUT_SUITES[kind]).rules if r.severity == "batch"]
    required = tuple(str(r.kwargs["column"]) for r in rules if r.type == "expect_column_to_exist")
    any_of = tuple(
        tuple(r.kwargs["column_set"])
        for r in rules
        if r.type == "expect_table_to_have_any_of_columns"
    )
    return ColumnRules(required, any_of)
