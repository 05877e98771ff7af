"""Vanilla Splink versus chrilink on the same synthetic world, in one table.

Usage: ``python bench/compare_vanilla.py [--train-world DIR --eval-world DIR]`` (defaults:
``out/w100k-g1`` and ``out/w100k-g2``, generated if absent with 100k records, 20k
travelers, seeds 1 and 2). The vanilla configuration is what a Splink user starts with:
names ASCII-folded with ICU (surname and forename split as given, MRZ and "SURNAME,
Given" understood), the standard ``ForenameSurnameComparison`` and
``DateOfBirthComparison`` on dates parsed from the common formats, exact sex and
nationality, blocking on surname or on forename and date of birth, m from the same
labels as ours. Both are scored on the evaluation world with the threshold that keeps
precision >= 0.99 on the training world. Writes ``bench/results/vanilla.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import polars as pl
import splink.comparison_library as cl
from normality import ascii_text
from splink import DuckDBAPI, Linker, block_on

from pipeline.config import job_from_dict
from pipeline.evaluate import Evaluation, choose_thresholds, label_pairs, metrics_at, read_truth
from pipeline.generate import generate_world

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "vanilla.json"
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y%m%d", "%d %b %Y", "%B %d, %Y", "%d-%b-%y")


def _fold(text: str | None) -> str | None:
    return ascii_text(text).upper().strip() or None if text else None


def _split(full: str | None) -> tuple[str | None, str | None]:
    if not full:
        return None, None
    if "<<" in full:
        surname, _, given = full.partition("<<")
        return surname.replace("<", " "), given.replace("<", " ")
    if "," in full:
        surname, _, given = full.partition(",")
        return surname, given
    parts = full.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (parts[0], None)


def vanilla_frame(raw: pl.DataFrame, id_col: str) -> pl.DataFrame:
    rows = []
    for r in raw.iter_rows(named=True):
        surname, given = r.get("surname"), r.get("given_names")
        if not surname and not given:
            surname, given = _split(r.get("full_name"))
        given = _fold(given)
        rows.append(
            {
                "unique_id": r[id_col],
                "surname": _fold(surname),
                "first_name": given.split()[0] if given else None,
                "dob_text": r.get("date_of_birth"),
                "sex": (r.get("sex") or "").upper()[:1] or None,
                "nationality": (r.get("nationality") or "").upper() or None,
            }
        )
    frame = pl.DataFrame(rows)
    dob = pl.coalesce([pl.col("dob_text").str.to_date(fmt, strict=False) for fmt in DATE_FORMATS])
    return frame.with_columns(dob=dob.cast(pl.String)).drop("dob_text")


SETTINGS = {
    "link_type": "link_only",
    "comparisons": [
        cl.ForenameSurnameComparison("first_name", "surname"),
        cl.DateOfBirthComparison("dob", input_is_string=True),
        cl.ExactMatch("sex"),
        cl.ExactMatch("nationality"),
    ],
    "blocking_rules_to_generate_predictions": [
        block_on("surname"),
        block_on("first_name", "dob"),
    ],
}


def _linker(world: Path) -> tuple[Linker, pl.DataFrame]:
    manifests = vanilla_frame(pl.read_parquet(world / "manifests.parquet"), "traveler_id")
    records = vanilla_frame(pl.read_parquet(world / "records.parquet"), "record_id")
    api = DuckDBAPI()
    left = api.register(manifests.to_pandas(), dataset_display_name="manifests")
    right = api.register(records.to_pandas(), dataset_display_name="records")
    from splink import SettingsCreator

    settings = SettingsCreator(**SETTINGS)  # type: ignore[arg-type]
    return Linker([left, right], settings), manifests


def _pairs(linker: Linker) -> pl.DataFrame:
    df = linker.inference.predict(threshold_match_probability=0.001)
    frame = pl.from_arrow(df.as_pyarrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame.select(
        pl.col("unique_id_l").alias("traveler_id"),
        pl.col("unique_id_r").alias("record_id"),
        "match_probability",
        "match_weight",
    )


def train_vanilla(world: Path) -> tuple[dict[str, object], float]:
    linker, manifests = _linker(world)
    truth = read_truth(world / "truth.parquet")
    labels = truth.select(
        pl.lit("manifests").alias("source_dataset_l"),
        pl.col("traveler_id").alias("unique_id_l"),
        pl.lit("records").alias("source_dataset_r"),
        pl.col("record_id").alias("unique_id_r"),
    )
    n_records = pl.scan_parquet(world / "records.parquet").select(pl.len()).collect().item()
    linker._settings_obj._probability_two_random_records_match = truth.height / (
        manifests.height * n_records
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=42)
    linker.table_management.register_table(labels.to_pandas(), "labels", overwrite=True)
    linker.training.estimate_m_from_pairwise_labels("labels")
    model = linker.misc.save_model_to_json()
    hit, _ = choose_thresholds(Evaluation(_pairs(linker), truth))
    return model, hit


def evaluate_vanilla(world: Path, model: dict[str, object], hit: float) -> dict[str, float]:
    manifests = vanilla_frame(pl.read_parquet(world / "manifests.parquet"), "traveler_id")
    records = vanilla_frame(pl.read_parquet(world / "records.parquet"), "record_id")
    api = DuckDBAPI()
    left = api.register(manifests.to_pandas(), dataset_display_name="manifests")
    right = api.register(records.to_pandas(), dataset_display_name="records")
    linker = Linker([left, right], model)
    truth = read_truth(world / "truth.parquet")
    labelled = label_pairs(_pairs(linker), truth)
    positives = truth.select("traveler_id", "record_id").unique().height
    m = metrics_at(labelled, positives, hit)
    best = max(
        (metrics_at(labelled, positives, t) for t in (0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99)),
        key=lambda x: x.f1,
    )
    return {
        "precision": round(m.precision, 4),
        "recall": round(m.recall, 4),
        "f1": round(m.f1, 4),
        "best_f1": round(best.f1, 4),
        "blocking_recall": round(int(labelled["is_true"].sum()) / positives, 4),
    }


def evaluate_ours(world: Path) -> dict[str, float]:
    from pipeline.evaluate import evaluate_job

    job = job_from_dict(
        {
            "manifests": {"path": str(world / "manifests.parquet")},
            "records": {"path": str(world / "records.parquet")},
            "output": {"dir": str(ROOT / "out" / "vanilla-bench-ours")},
        },
        ROOT,
    )
    report, _ = evaluate_job(job, world / "truth.parquet")
    at = report.metrics.at_model
    return {
        "precision": round(at.precision, 4),
        "recall": round(at.recall, 4),
        "f1": round(at.f1, 4),
        "best_f1": round(report.metrics.best.f1, 4),
        "blocking_recall": report.blocking["blocking_recall"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--train-world", type=Path, default=ROOT / "out" / "w100k-g1")
    parser.add_argument("--eval-world", type=Path, default=ROOT / "out" / "w100k-g2")
    args = parser.parse_args()
    for world, seed in ((args.train_world, 1), (args.eval_world, 2)):
        if not (world / "truth.parquet").exists():
            generate_world(world, n_records=100_000, n_travelers=20_000, seed=seed)
    start = time.perf_counter()
    model, hit = train_vanilla(args.train_world)
    vanilla = evaluate_vanilla(args.eval_world, model, hit)
    vanilla_seconds = round(time.perf_counter() - start, 1)
    start = time.perf_counter()
    ours = evaluate_ours(args.eval_world)
    result = {
        "world": str(args.eval_world),
        "vanilla_splink": {**vanilla, "hit_threshold": hit, "seconds": vanilla_seconds},
        "chrilink": {**ours, "seconds": round(time.perf_counter() - start, 1)},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
