"""An exact prune for scoring: drop pairs that cannot reach the threshold, cheaply.

Nearly all the time of scoring a pair goes to a few costly comparisons (the ``name``
comparison's token-set macros). A pair's match weight is the prior plus one term per
comparison, so a pair whose prior, exact cheap terms and the *largest* term a costly
comparison could give stay below the threshold can be dropped before the costly
comparison runs. The result is exactly the unpruned one: the survivors are scored by
the full Splink SQL, and every dropped pair would have fallen under the threshold.

The bound is Splink's own computation of a changed model (:func:`bounded_settings`):
each costly comparison keeps its leading cheap levels (null levels and exact matches,
found by Splink's ``_is_exact_match``; their term-frequency adjustments stay exact) and
its other levels become one ``ELSE`` level whose weight is the largest weight among
them, term-frequency adjustment included (:func:`tf_adjustment_bound`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

import polars as pl
from splink.internals.comparison import Comparison
from splink.internals.comparison_level import ComparisonLevel

# The comparisons whose levels are costly to evaluate (nested list lambdas over name
# tokens: about 95% of scoring time). Others are computed exactly in the first phase.
BOUNDED_COMPARISONS: Final = ("name",)
# Slack (in bits of match weight) so that float rounding never drops a pair that the
# full SQL would keep: the bound is raised and the first phase's threshold lowered by it.
MARGIN: Final = 1e-6
BOUND_LABEL: Final = "upper bound of the costly levels (pruning)"


def is_cheap(level: ComparisonLevel) -> bool:
    """Null levels and exact matches (``x_l = x_r``) cost a comparison, not a macro."""
    return bool(level.is_null_level or level._is_exact_match)


def tf_adjustment_bound(
    level: ComparisonLevel,
    levels: list[ComparisonLevel],
    frequencies: dict[str, pl.DataFrame],
) -> float:
    """The largest term-frequency adjustment Splink can add to ``level``'s weight.

    Splink adds ``w * (log2(u_exact) - log2(greatest(tf_l, tf_r, tf_minimum_u_value)))``
    when a term frequency is known and 0 otherwise; the frequencies of both sides come
    from ``frequencies``, so the adjustment lies between its values at the smallest and
    the largest frequency in the table.
    """
    weight = level._tf_adjustment_weight
    if level.is_null_level or level._is_else_level or not level._has_tf_adjustments:
        return 0.0
    if not weight:
        return 0.0
    column = level._tf_adjustment_input_column_name
    table = frequencies.get(column)
    if table is None or table.height == 0:
        return 0.0  # no frequency is ever known: Splink adds 0
    values = table.get_column(f"tf_{column}").drop_nulls()
    if values.len() == 0:
        return 0.0
    floor = float(level._tf_minimum_u_value)
    smallest = max(float(values.min()), floor)  # type: ignore[arg-type]
    largest = max(float(values.max()), floor)  # type: ignore[arg-type]
    if smallest <= 0:
        return math.inf
    log2_u = math.log2(level._u_probability_corresponding_to_exact_match(levels))
    return max(0.0, *(weight * (log2_u - math.log2(t)) for t in (smallest, largest)))


def costly_levels_bound(
    comparison: Comparison, first_costly: int, frequencies: dict[str, pl.DataFrame]
) -> float:
    """The largest weight (term-frequency adjustment included) of the levels from
    ``first_costly`` on; infinite if one of them has no trained m or u."""
    levels = comparison.comparison_levels
    bounds: list[float] = []
    for level in levels[first_costly:]:
        weight = level._match_weight
        if weight is None:
            return math.inf
        bounds.append(float(weight) + tf_adjustment_bound(level, levels, frequencies))
    return max(bounds)


def bound_level(bound: float) -> dict[str, Any]:
    """An ``ELSE`` level whose Splink weight, log2(m / u), is at least ``bound``."""
    raised = bound + MARGIN
    m, u = (1.0, 2.0**-raised) if raised >= 0 else (2.0**raised, 1.0)
    return {
        "sql_condition": "ELSE",
        "label_for_charts": BOUND_LABEL,
        "m_probability": m,
        "u_probability": u,
    }


def bounded_settings(
    settings: dict[str, Any],
    comparisons: Sequence[Comparison],
    frequencies: dict[str, pl.DataFrame],
    bounded: Sequence[str] = BOUNDED_COMPARISONS,
) -> dict[str, Any] | None:
    """The model with each comparison named in ``bounded`` cut to its leading cheap
    levels plus one bounding ``ELSE`` level; ``None`` when nothing can be bounded.

    ``settings`` is the Splink settings dict, ``comparisons`` Splink's parsed
    comparisons of it (same order).
    """
    out: list[dict[str, Any]] = []
    changed = False
    for raw, comparison in zip(settings["comparisons"], comparisons, strict=True):
        levels = comparison.comparison_levels
        cheap = next((i for i, lvl in enumerate(levels) if not is_cheap(lvl)), len(levels))
        if comparison.output_column_name not in bounded or cheap == len(levels):
            out.append(raw)
            continue
        bound = costly_levels_bound(comparison, cheap, frequencies)
        if math.isinf(bound):
            return None
        kept = raw["comparison_levels"][:cheap]
        out.append({**raw, "comparison_levels": [*kept, bound_level(bound)]})
        changed = True
    if not changed:
        return None
    return {**settings, "comparisons": out}
