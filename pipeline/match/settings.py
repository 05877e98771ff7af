"""Turn a model spec (plus trained parameters, if any) into Splink settings."""

from __future__ import annotations

from typing import Any

from pipeline.match.spec import ComparisonSpec, ModelSpec

UNIQUE_ID = "unique_id"


def _level_dict(level_index: int, spec: ComparisonSpec) -> dict[str, Any]:
    level = spec.levels[level_index]
    out: dict[str, Any] = {
        "sql_condition": "ELSE" if level.sql.strip().lower() == "else" else level.sql,
        "label_for_charts": level.label,
    }
    if level.null:
        out["is_null_level"] = True
    if level.tf_column:
        out["tf_adjustment_column"] = level.tf_column
        out["tf_adjustment_weight"] = 1.0
    return out


def comparison_dict(spec: ComparisonSpec) -> dict[str, Any]:
    return {
        "output_column_name": spec.name,
        "comparison_description": spec.description,
        "comparison_levels": [_level_dict(i, spec) for i in range(len(spec.levels))],
    }


def blocking_rule_dicts(spec: ModelSpec) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for rule in spec.blocking:
        entry: dict[str, Any] = {"blocking_rule": rule.sql, "sql_dialect": "duckdb"}
        if rule.explode:
            entry["arrays_to_explode"] = list(rule.explode)
        rules.append(entry)
    return rules


def settings_from_spec(spec: ModelSpec, prior: float = 1e-5) -> dict[str, Any]:
    """Untrained Splink settings for a spec (m and u are estimated by training)."""
    return {
        "link_type": spec.link_type,
        "unique_id_column_name": UNIQUE_ID,
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": blocking_rule_dicts(spec),
        "comparisons": [comparison_dict(c) for c in spec.comparisons],
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,
        "sql_dialect": "duckdb",
    }
