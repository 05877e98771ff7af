"""Great Expectations expectations that chrilink's contracts add to the GX catalogue.

Each one is a thin GX map expectation over a predicate in
:mod:`pipeline.contracts.codes`, evaluated once per distinct value so a
column of a million dates costs one parse per distinct date. Importing this
module registers them with GX under their snake_case type names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Literal

import pandas as pd
from great_expectations.execution_engine.pandas_execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import (
    BatchExpectation,
    ColumnMapExpectation,
    MulticolumnMapExpectation,
)
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_map_metric_provider import (
    ColumnMapMetricProvider,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_condition_partial import (  # noqa: E501
    multicolumn_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.multicolumn_map_metric_provider import (  # noqa: E501
    MulticolumnMapMetricProvider,
)

from pipeline.contracts.codes import is_date_within, is_known_country, is_readable_date


def map_distinct(column: pd.Series[Any], predicate: Callable[[Any], bool]) -> pd.Series[bool]:
    """Apply ``predicate`` once per distinct value of ``column``."""
    verdicts = {value: predicate(value) for value in column.drop_duplicates()}
    return column.map(verdicts).astype(bool)


def _items_match(items: Any, pattern: re.Pattern[str]) -> bool:
    return all(isinstance(item, str) and pattern.search(item) for item in items)


class ColumnValuesReadableDates(ColumnMapMetricProvider):
    condition_metric_name = "column_values.chrilink_readable_dates"
    condition_value_keys = ("years_ahead",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series[Any], years_ahead: int = 0, **kw: Any) -> pd.Series[bool]:
        return map_distinct(column, lambda v: is_readable_date(str(v), years_ahead))


class ExpectColumnValuesToBeReadableDates(ColumnMapExpectation):
    """Non-null values are read by ``pipeline.standardize.dates.parse_date``."""

    years_ahead: int = 0
    map_metric = "column_values.chrilink_readable_dates"
    success_keys: ClassVar[tuple[str, ...]] = ("years_ahead", "mostly")


class ColumnValuesDatesWithin(ColumnMapMetricProvider):
    condition_metric_name = "column_values.chrilink_dates_within"
    condition_value_keys = ("days_before_today", "days_after_today")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series[Any],
        days_before_today: int | None = None,
        days_after_today: int = 0,
        **kw: Any,
    ) -> pd.Series[bool]:
        return map_distinct(
            column, lambda v: is_date_within(str(v), days_before_today, days_after_today)
        )


class ExpectColumnValuesToBeDatesWithin(ColumnMapExpectation):
    """Readable dates fall between today - days_before_today and today + days_after_today."""

    days_before_today: int | None = None
    days_after_today: int = 0
    map_metric = "column_values.chrilink_dates_within"
    success_keys: ClassVar[tuple[str, ...]] = ("days_before_today", "days_after_today", "mostly")


class ColumnValuesKnownCountries(ColumnMapMetricProvider):
    condition_metric_name = "column_values.chrilink_known_countries"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series[Any], **kw: Any) -> pd.Series[bool]:
        return map_distinct(column, lambda v: is_known_country(str(v)))


class ExpectColumnValuesToBeKnownCountries(ColumnMapExpectation):
    """Non-null values are country codes the pipeline understands."""

    map_metric = "column_values.chrilink_known_countries"


class ColumnListItemsMatchRegex(ColumnMapMetricProvider):
    condition_metric_name = "column_values.chrilink_list_items_match_regex"
    condition_value_keys = ("regex",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series[Any], regex: str = "", **kw: Any) -> pd.Series[bool]:
        pattern = re.compile(regex)
        return column.map(lambda items: _items_match(items, pattern)).astype(bool)


class ExpectColumnListItemsToMatchRegex(ColumnMapExpectation):
    """Every item of each non-null list value matches ``regex``."""

    regex: str
    map_metric = "column_values.chrilink_list_items_match_regex"
    success_keys: ClassVar[tuple[str, ...]] = ("regex", "mostly")


class AnyColumnMatchesRegex(MulticolumnMapMetricProvider):
    condition_metric_name = "multicolumn_values.chrilink_any_match_regex"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_list",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ("regex",)

    @multicolumn_condition_partial(engine=PandasExecutionEngine)  # type: ignore[untyped-decorator]
    def _pandas(cls, column_list: pd.DataFrame, regex: str = "", **kw: Any) -> pd.Series[bool]:
        hits = [
            column.str.contains(regex, regex=True, na=False) for _, column in column_list.items()
        ]
        result = hits[0]
        for hit in hits[1:]:
            result = result | hit
        return result.astype(bool)


class ExpectAnyOfSelectColumnsToMatchRegex(MulticolumnMapExpectation):
    """In every row at least one of ``column_list`` matches ``regex`` (either/or fields)."""

    column_list: list[str]
    regex: str
    ignore_row_if: Literal["all_values_are_missing", "any_value_is_missing", "never"] = "never"
    map_metric = "multicolumn_values.chrilink_any_match_regex"
    success_keys: ClassVar[tuple[str, ...]] = ("regex", "mostly")


class ExpectTableToHaveAnyOfColumns(BatchExpectation):
    """At least one of ``column_set`` is a column of the table."""

    column_set: Sequence[str]
    metric_dependencies = ("table.columns",)
    success_keys: ClassVar[tuple[str, ...]] = ("column_set",)
    domain_keys: ClassVar[tuple[str, ...]] = (
        "batch_id",
        "table",
        "row_condition",
        "condition_parser",
    )

    def _validate(
        self,
        metrics: dict[str, Any],
        runtime_configuration: Any = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        columns = list(metrics["table.columns"])
        found = [column for column in self.column_set if column in columns]
        return {"success": bool(found), "result": {"observed_value": found}}
