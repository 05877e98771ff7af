"""Model inspection: m and u, match weights, term-frequency adjustments, waterfalls,
blocking recall. (marimo app; calls pipeline.analysis only)

Run:   marimo run notebooks/inspect_model.py -- --run out/run --truth out/world/truth.parquet
Batch: python notebooks/inspect_model.py   (no arguments: a small sample world under out/notebooks)
"""

import marimo

__generated_with = "0.25.2"
app = marimo.App(width="medium", app_title="chrilink: inspect the model")


@app.cell
def _():
    import os

    import marimo as mo

    from pipeline import analysis, charts
    from pipeline.match.model import load_model

    return analysis, charts, load_model, mo, os


@app.cell
def _(analysis, load_model, mo, os):
    inputs = analysis.notebook_inputs(mo.cli_args().to_dict(), dict(os.environ))
    scored = analysis.scored_for_notebook(inputs)
    model = load_model(inputs.model_dir)
    mo.md(
        f"""
        # Model `{model.version}`

        Prior weight {analysis.prior_weight(model):.2f} (log2 odds that two random records
        match) · thresholds hit {model.thresholds.hit}, review {model.thresholds.review}.
        """
    )
    return model, scored


@app.cell
def _(analysis, mo, model):
    mo.vstack(
        [
            mo.md("## m, u and match weight per comparison level"),
            mo.ui.table(analysis.comparison_weights(model), selection=None, page_size=40),
        ]
    )
    return


@app.cell
def _(mo):
    show_values = mo.ui.checkbox(label="show the values (names)", value=False)
    show_values
    return (show_values,)


@app.cell
def _(analysis, mo, model, scored, show_values):
    mo.vstack(
        [
            mo.md("## Term-frequency adjustments of the most frequent values"),
            mo.ui.table(
                analysis.tf_adjustments(model, scored.tf_tables, 20, show_values=show_values.value),
                selection=None,
            ),
        ]
    )
    return


@app.cell
def _(mo, scored):
    ranked = scored.pairs.sort("match_weight", descending=True)
    options = {
        f"{row['traveler_id']} / {row['record_id']} ({'true' if row['is_true'] else 'other'})": (
            row["traveler_id"],
            row["record_id"],
        )
        for row in ranked.head(50).iter_rows(named=True)
    }
    pair = mo.ui.dropdown(options=options, value=next(iter(options), None), label="pair")
    pair
    return (pair,)


@app.cell
def _(analysis, charts, mo, pair, scored):
    mo.stop(pair.value is None, mo.md("No scored pairs."))
    steps = analysis.waterfall(scored, *pair.value)
    mo.hstack(
        [
            mo.Html(
                charts.waterfall_svg(
                    list(zip(steps["comparison"], steps["match_weight"], strict=True))
                )
            ),
            mo.ui.table(steps, selection=None),
        ]
    )
    return


@app.cell
def _(analysis, mo, scored):
    mo.vstack(
        [
            mo.md("## Blocking recall"),
            mo.ui.table(analysis.blocking_recall(scored), selection=None),
            mo.ui.table(analysis.blocking_recall(scored, "script"), selection=None),
        ]
    )
    return


if __name__ == "__main__":
    app.run()
