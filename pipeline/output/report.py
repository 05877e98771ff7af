"""An offline HTML report of a run: the summary and the waterfall of each hit."""

from __future__ import annotations

import math
from typing import Any

import jinja2
import polars as pl

MAX_HITS_IN_REPORT = 1000

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("pipeline.output", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


def _prior_weight(run_info: dict[str, Any]) -> float:
    prior = float(run_info["model"].get("prior", 1e-5))
    return math.log2(prior / (1.0 - prior))


def render_report(matches: pl.DataFrame, run_info: dict[str, Any]) -> str:
    """HTML with no external resources; ids only, never names or dates of birth."""
    hits = matches.filter(pl.col("decision") == "hit").sort("match_probability", descending=True)
    return _ENV.get_template("report.html.j2").render(
        run=run_info,
        hits=hits.head(MAX_HITS_IN_REPORT).to_dicts(),
        shown=min(hits.height, MAX_HITS_IN_REPORT),
        total=hits.height,
        prior_weight=_prior_weight(run_info),
    )


def render_evaluation(report: Any, model_version: str, truth: str, thresholds: Any) -> str:
    """Offline HTML of an evaluation: headline, PR curve (inline SVG), breakdowns."""
    curve = report.metrics.curve
    step = max(curve.height // 400, 1)
    return _ENV.get_template("evaluation.html.j2").render(
        model_version=model_version,
        truth=truth,
        hit=thresholds.hit,
        review=thresholds.review,
        headline=report.summary(),
        curve=curve.gather_every(step).to_dicts(),
        breakdowns={k: v for k, v in report.breakdowns.items() if v},
        namesakes=report.namesakes,
        blocking=report.blocking,
    )
