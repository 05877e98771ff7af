"""Threshold tuning: where do hit and review begin? (marimo app; calls pipeline.analysis only)

Run:   marimo run notebooks/thresholds.py -- --run out/run --truth out/world/truth.parquet
Edit:  marimo edit notebooks/thresholds.py
Batch: python notebooks/thresholds.py   (no arguments: a small sample world under out/notebooks)
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="chrilink: thresholds")


@app.cell
def _():
    import getpass
    import os

    import marimo as mo

    from pipeline import analysis, charts

    return analysis, charts, getpass, mo, os


@app.cell
def _(analysis, mo, os):
    inputs = analysis.notebook_inputs(mo.cli_args().to_dict(), dict(os.environ))
    scored = analysis.scored_for_notebook(inputs)
    mo.md(
        f"""
        # Threshold tuning

        Run `{inputs.run_dir}` · truth `{inputs.truth_path}` · model `{inputs.model_dir}`
        (current thresholds: hit **{scored.thresholds.hit}**, review **{scored.thresholds.review}**).
        {scored.pairs.height} candidate pairs, {scored.positives} true pairs,
        {scored.n_travelers} travelers.
        """
    )
    return inputs, scored


@app.cell
def _(mo, scored):
    hit = mo.ui.slider(
        start=0.0, stop=1.0, step=0.005, value=round(scored.thresholds.hit / 0.005) * 0.005,
        label="hit threshold", show_value=True, full_width=True,
    )
    review = mo.ui.slider(
        start=0.0, stop=1.0, step=0.005, value=round(scored.thresholds.review / 0.005) * 0.005,
        label="review threshold", show_value=True, full_width=True,
    )
    parity_by = mo.ui.dropdown(options=["script", "origin"], value="script", label="parity by")
    mo.vstack([hit, review, parity_by])
    return hit, parity_by, review


@app.cell
def _(analysis, charts, hit, mo, review, scored):
    metrics = analysis.threshold_metrics(scored, hit.value, min(review.value, hit.value))
    mo.Html(charts.metrics_html(metrics))
    return (metrics,)


@app.cell
def _(analysis, charts, hit, metrics, mo, review, scored):
    curve = analysis.pr_curve_points(scored)
    histogram = analysis.weight_histogram(scored)
    marks = [
        (label, weight)
        for label, weight in (
            ("hit", analysis.threshold_weight(scored, hit.value)),
            ("review", analysis.threshold_weight(scored, review.value)),
        )
        if weight is not None
    ]
    mo.hstack(
        [
            mo.Html(
                charts.pr_curve_svg(
                    curve["recall"].to_list(),
                    curve["precision"].to_list(),
                    [("hit", metrics["recall"], metrics["precision"])],
                )
            ),
            mo.Html(
                charts.histogram_svg(
                    histogram["left"].to_list(),
                    histogram["width"].to_list(),
                    histogram["true"].to_list(),
                    histogram["other"].to_list(),
                    marks,
                )
            ),
        ]
    )
    return


@app.cell
def _(analysis, hit, mo, parity_by, scored):
    mo.vstack(
        [
            mo.md(f"## Error rates by {parity_by.value} at hit ≥ {hit.value:.3f}"),
            mo.ui.table(analysis.parity_table(scored, hit.value, parity_by.value), selection=None),
        ]
    )
    return


@app.cell
def _(mo):
    show_names = mo.ui.checkbox(label="show names (only when you need them)", value=False)
    show_names
    return (show_names,)


@app.cell
def _(analysis, hit, mo, scored, show_names):
    mo.vstack(
        [
            mo.md("## Example false positives"),
            mo.ui.table(
                analysis.examples(scored, hit.value, "fp", 10, with_names=show_names.value),
                selection=None,
            ),
            mo.md("## Example false negatives"),
            mo.ui.table(
                analysis.examples(scored, hit.value, "fn", 10, with_names=show_names.value),
                selection=None,
            ),
        ]
    )
    return


@app.cell
def _(getpass, mo):
    who = mo.ui.text(value=getpass.getuser(), label="who")
    why = mo.ui.text_area(placeholder="why these thresholds (required)", label="why")
    write = mo.ui.run_button(label="Write thresholds to the model")
    mo.vstack([mo.md("## Record the choice"), who, why, write])
    return who, why, write


@app.cell
def _(analysis, hit, inputs, mo, review, who, why, write):
    mo.stop(not write.value, mo.md("Nothing written yet."))
    try:
        written = analysis.write_thresholds(
            inputs.model_dir, hit.value, review.value, who.value, why.value
        )
        message = (
            f"Wrote hit **{written.hit}**, review **{written.review}** to "
            f"`{inputs.model_dir}` ({len(written.history)} changes recorded)."
        )
    except analysis.InputError as error:
        message = f"Not written: {error}"
    mo.md(message)
    return


if __name__ == "__main__":
    app.run()
