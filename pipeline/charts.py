"""Small inline-SVG charts for the notebooks and offline reports (no JavaScript, no CDN).

Each function takes plain numbers and returns an ``<svg>`` string; callers escape nothing
because every label is produced here or is a number.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 420, 260, 40
TRUE_COLOUR, OTHER_COLOUR, LINE_COLOUR = "#1b7837", "#b2abd2", "#2166ac"
MARK_COLOURS = ("#d6604d", "#f4a582")


def _x(value: float, low: float, high: float) -> float:
    span = high - low or 1.0
    return PAD + (value - low) / span * (WIDTH - 2 * PAD)


def _y(value: float, low: float, high: float) -> float:
    span = high - low or 1.0
    return HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD)


def _frame(
    title: str,
    x_label: str,
    y_label: str,
    body: str,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
) -> str:
    ticks = "".join(
        f'<text x="{_x(v, *x_range):.1f}" y="{HEIGHT - PAD + 14}" font-size="10" '
        f'text-anchor="middle">{v:.3g}</text>'
        for v in _ticks(*x_range)
    ) + "".join(
        f'<text x="{PAD - 4}" y="{_y(v, *y_range) + 3:.1f}" font-size="10" '
        f'text-anchor="end">{v:.3g}</text>'
        for v in _ticks(*y_range)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">'
        f'<text x="{WIDTH / 2}" y="14" font-size="12" text-anchor="middle">{escape(title)}</text>'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" '
        f'y2="{HEIGHT - PAD}" stroke="#444"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#444"/>'
        f"{ticks}{body}"
        f'<text x="{WIDTH / 2}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text x="12" y="{HEIGHT / 2}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {HEIGHT / 2})">{escape(y_label)}</text></svg>'
    )


def _ticks(low: float, high: float, n: int = 5) -> list[float]:
    step = (high - low) / (n - 1) if high > low else 1.0
    return [low + i * step for i in range(n)]


def pr_curve_svg(
    recall: Sequence[float],
    precision: Sequence[float],
    marks: Sequence[tuple[str, float, float]] = (),
) -> str:
    """Precision against recall; ``marks`` are (label, recall, precision) points."""
    rng = (0.0, 1.0)
    points = " ".join(
        f"{_x(r, *rng):.1f},{_y(p, *rng):.1f}" for r, p in zip(recall, precision, strict=True)
    )
    body = f'<polyline fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5" points="{points}"/>'
    for (label, r, p), colour in zip(marks, MARK_COLOURS, strict=False):
        body += (
            f'<circle cx="{_x(r, *rng):.1f}" cy="{_y(p, *rng):.1f}" r="4" fill="{colour}"/>'
            f'<text x="{_x(r, *rng) - 6:.1f}" y="{_y(p, *rng) + 14:.1f}" font-size="10" '
            f'text-anchor="end" fill="{colour}">{escape(label)}</text>'
        )
    return _frame("Precision-recall curve", "recall", "precision", body, rng, rng)


def histogram_svg(
    left: Sequence[float],
    width: Sequence[float],
    true: Sequence[int],
    other: Sequence[int],
    marks: Sequence[tuple[str, float]] = (),
) -> str:
    """Stacked bars of true and other pairs per match-weight bin; ``marks`` are vertical
    lines (label, weight)."""
    if not left:
        return _frame("Match weights (no pairs)", "match weight", "pairs", "", (0, 1), (0, 1))
    x_range = (left[0], left[-1] + width[-1])
    y_range = (0.0, float(max(t + o for t, o in zip(true, other, strict=True)) or 1))
    body = ""
    for lo, w, t, o in zip(left, width, true, other, strict=True):
        x0, x1 = _x(lo, *x_range), _x(lo + w, *x_range)
        for base, count, colour in ((0, t, TRUE_COLOUR), (t, o, OTHER_COLOUR)):
            if count:
                top, bottom = _y(base + count, *y_range), _y(base, *y_range)
                body += (
                    f'<rect x="{x0:.1f}" y="{top:.1f}" width="{max(x1 - x0 - 1, 1):.1f}" '
                    f'height="{bottom - top:.1f}" fill="{colour}"/>'
                )
    for (label, weight), colour in zip(marks, MARK_COLOURS, strict=False):
        x = _x(min(max(weight, x_range[0]), x_range[1]), *x_range)
        body += (
            f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{HEIGHT - PAD}" stroke="{colour}" '
            f'stroke-dasharray="4 2"/><text x="{x + 3:.1f}" y="{PAD + 10}" font-size="10" '
            f'fill="{colour}">{escape(label)}</text>'
        )
    legend = (
        f'<rect x="{WIDTH - 150}" y="22" width="10" height="10" fill="{TRUE_COLOUR}"/>'
        f'<text x="{WIDTH - 136}" y="31" font-size="10">true pairs</text>'
        f'<rect x="{WIDTH - 80}" y="22" width="10" height="10" fill="{OTHER_COLOUR}"/>'
        f'<text x="{WIDTH - 66}" y="31" font-size="10">other</text>'
    )
    return _frame(
        "Match-weight histogram", "match weight", "pairs", body + legend, x_range, y_range
    )


def waterfall_svg(steps: Sequence[tuple[str, float]]) -> str:
    """Bars from the prior through each comparison's weight; (label, weight) per step."""
    cumulative, spans = 0.0, []
    for label, weight in steps:
        spans.append((label, cumulative, cumulative + weight))
        cumulative += weight
    values = [0.0] + [v for _, a, b in spans for v in (a, b)]
    y_range = (min(values), max(values) if max(values) > min(values) else min(values) + 1)
    x_range = (0.0, float(len(spans)))
    body = ""
    for i, (label, start, end) in enumerate(spans):
        x0, x1 = _x(i + 0.1, *x_range), _x(i + 0.9, *x_range)
        top, bottom = _y(max(start, end), *y_range), _y(min(start, end), *y_range)
        colour = TRUE_COLOUR if end >= start else MARK_COLOURS[0]
        body += (
            f'<rect x="{x0:.1f}" y="{top:.1f}" width="{x1 - x0:.1f}" '
            f'height="{max(bottom - top, 1):.1f}" fill="{colour}"/>'
            f'<text x="{(x0 + x1) / 2:.1f}" y="{PAD - 4}" font-size="9" '
            f'text-anchor="middle">{escape(label[:12])}</text>'
        )
    zero = _y(0.0, *y_range)
    body += f'<line x1="{PAD}" y1="{zero:.1f}" x2="{WIDTH - PAD}" y2="{zero:.1f}" stroke="#999"/>'
    return _frame("Match-weight waterfall", "step", "cumulative weight", body, x_range, y_range)


def metrics_html(metrics: dict[str, object]) -> str:
    """A small table of threshold metrics; each value cell has ``id="metric-<name>"``."""
    shown = (
        ("hit", "hit threshold", "{:.4f}"),
        ("review", "review threshold", "{:.4f}"),
        ("precision", "precision (pairs at hit)", "{:.4f}"),
        ("recall", "recall (pairs at hit)", "{:.4f}"),
        ("recall_with_review", "recall with review", "{:.4f}"),
        ("review_queue", "review queue (travelers)", "{}"),
        ("hits_per_10k", "hits per 10,000 travelers", "{:.1f}"),
        ("false_positives", "false hits (pairs)", "{}"),
        ("false_negatives", "missed true pairs", "{}"),
    )
    rows = "".join(
        f'<tr><th style="text-align:left">{escape(label)}</th>'
        f'<td id="metric-{key}">{fmt.format(metrics[key])}</td></tr>'
        for key, label, fmt in shown
    )
    note = (
        ""
        if metrics.get("complete", True)
        else "<p>Review threshold is below the scored floor: "
        "recall with review is a lower bound.</p>"
    )
    return f'<table id="threshold-metrics">{rows}</table>{note}'
