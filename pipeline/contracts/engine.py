"""Run a contract suite with Great Expectations on a pandas frame.

One ephemeral GX context per process, progress bars off. Results use
``result_format="COMPLETE"`` so every failing row position is returned. An
expectation that raises inside GX is reported as a failure of its rule (never
counted as passed).
"""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from pipeline.contracts.suite import RULE_KEY, Rule, Suite

_names = itertools.count(1)


@dataclass(frozen=True)
class Finding:
    """The outcome of one rule: failing row positions, or a table-level failure."""

    rule: Rule
    success: bool
    rows: tuple[int, ...]
    error: str | None = None


@cache
def _context() -> Any:
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    return context


_DEFINITIONS: dict[str, Any] = {}


def _definition(suite: Suite) -> Any:
    if suite.name not in _DEFINITIONS:
        _DEFINITIONS[suite.name] = _new_definition(suite)
    return _DEFINITIONS[suite.name]


def _new_definition(suite: Suite) -> Any:
    context = _context()
    name = f"{suite.name}-{next(_names)}"
    asset = context.data_sources.add_pandas(name).add_dataframe_asset(name)
    batch = asset.add_batch_definition_whole_dataframe(name)
    return batch, context.suites.add(suite.gx_suite())


def _finding(result: Any, rules: tuple[Rule, ...]) -> Finding:
    rule = rules[int(result.expectation_config.meta[RULE_KEY])]
    info = result.exception_info or {}
    if info.get("raised_exception"):
        message = str(info.get("exception_message") or "raised an exception")
        return Finding(rule, False, (), message.splitlines()[0] if message else None)
    raw_rows = (result.result or {}).get("unexpected_index_list") or []
    rows = tuple(int(r) for r in raw_rows if isinstance(r, int))
    return Finding(rule, bool(result.success), rows)


def run_suite(suite: Suite, frame: pd.DataFrame) -> list[Finding]:
    """Validate ``frame`` (RangeIndex) against ``suite``; one Finding per rule."""
    # Batch.validate, not ValidationDefinition.run: the latter also serializes and
    # stores every result (deep copies of all failing values), which doubled the time.
    batch_definition, gx_suite = _definition(suite)
    batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
    results = batch.validate(gx_suite, result_format={"result_format": "COMPLETE"})
    return [_finding(result, suite.rules) for result in results.results]
