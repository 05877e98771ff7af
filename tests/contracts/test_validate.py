"""validate_inputs: chunked contract run over a job, CLI rows and offline HTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import job_from_dict
from pipeline.contracts import render_validation_html, validate_inputs, write_validation_html
from pipeline.contracts.report import CROSS_CHUNK_DUPLICATE, shown_id
from tests.contracts.cases import good_manifest, good_record, write_csv


def _job(tmp: Path, manifests: Path, records: Path) -> object:
    return job_from_dict(
        {
            "manifests": {"path": str(manifests)},
            "records": {"path": str(records)},
            "output": {"dir": str(tmp / "out")},
        },
        tmp,
    )


@pytest.fixture(scope="module")
def report_and_paths(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    tmp = tmp_path_factory.mktemp("validate")
    manifests = [good_manifest(i) for i in range(40)]
    manifests[3]["traveler_id"] = ""
    manifests[5]["date_of_birth"] = "soon"
    manifests[35]["traveler_id"] = manifests[1]["traveler_id"]  # repeats across chunks
    records = [good_record(i) for i in range(10)]
    job = _job(
        tmp,
        write_csv(tmp / "m.csv", manifests, "manifests"),
        write_csv(tmp / "r.csv", records, "records"),
    )
    return validate_inputs(job, chunk_rows=20), tmp  # type: ignore[arg-type]


def test_counts_and_reasons(report_and_paths: tuple[object, Path]) -> None:
    report, _ = report_and_paths
    manifests, records = report.inputs  # type: ignore[attr-defined]
    assert manifests.rows_in == 40 and records.rows_in == 10
    assert manifests.rows_quarantined == 2 and manifests.rows_passed == 38
    reasons = {r.reason: r for r in manifests.reasons}
    assert reasons[CROSS_CHUNK_DUPLICATE].sample_ids == ("T00001",)
    assert reasons["traveler_id is empty"].rows == 1
    warn = next(r for r in manifests.reasons if r.severity == "warn")
    assert warn.sample_ids == ("T00005",)
    assert not report.rejected  # type: ignore[attr-defined]


def test_summary_rows_hold_ids_not_names(report_and_paths: tuple[object, Path]) -> None:
    report, tmp = report_and_paths
    rows = report.summary_rows()  # type: ignore[attr-defined]
    assert all(len(row) == 5 for row in rows)
    text = repr(rows) + render_validation_html(report)  # type: ignore[arg-type]
    for secret in ("MÜLLER", "ANNA", "1980-02-03", "soon", "IVANOV", "C01X00T"):
        assert secret not in text
    write_validation_html(report, tmp / "report" / "v.html")  # type: ignore[arg-type]
    html = (tmp / "report" / "v.html").read_text(encoding="utf-8")
    assert "http" not in html and "<script" not in html


def test_rejected_input_is_reported(tmp_path: Path) -> None:
    (tmp_path / "m.csv").write_text("surname\nA\n", encoding="utf-8")
    records = write_csv(tmp_path / "r.csv", [good_record(0)], "records")
    report = validate_inputs(_job(tmp_path, tmp_path / "m.csv", records))  # type: ignore[arg-type]
    assert report.rejected
    assert any("required column" in row[2] for row in report.summary_rows())


def test_shown_id_is_safe() -> None:
    assert shown_id("A\x00B") == "A\\x00B"
    assert len(shown_id("X" * 500)) == 32
    assert shown_id(None) == ""
