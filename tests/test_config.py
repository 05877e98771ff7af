"""Job files: the fixed keys load; unknown keys, bad purposes and unknown fields fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_job
from pipeline.errors import JobFileError

GOOD = """
purpose = "border_screening"
[manifests]
path = "data/manifests.parquet"
[manifests.columns]
traveler_id = "manifest_id"
[records]
path = "data/convictions.parquet"
[records.columns]
record_id = "conviction_id"
[model]
path = "models/default"
[output]
dir = "out/run-1"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.toml"
    path.write_text(text)
    return path


def test_the_documented_job_file_loads_with_paths_relative_to_it(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, GOOD))
    assert job.purpose == "border_screening"
    assert job.manifests.path == tmp_path / "data" / "manifests.parquet"
    assert job.manifests.columns == {"traveler_id": "manifest_id"}
    assert job.records.columns == {"record_id": "conviction_id"}
    assert job.output.dir == tmp_path / "out" / "run-1"


def test_purpose_defaults_to_border_screening(tmp_path: Path) -> None:
    job = load_job(write(tmp_path, GOOD.replace('purpose = "border_screening"', "")))
    assert job.purpose == "border_screening"


@pytest.mark.parametrize(
    ("description", "edit", "message"),
    [
        ("unknown top-level key", "speed = 3\n" + GOOD, "unknown key 'speed'"),
        (
            "unknown nested key",
            GOOD.replace("[output]", "[output]\nformat = 'csv'"),
            "unknown key 'output.format'",
        ),
        (
            "missing records",
            GOOD.replace("[records]\npath", "[recordz]\npath"),
            "missing required key 'records.path'",
        ),
        (
            "purpose not allowed",
            GOOD.replace("border_screening", "marketing"),
            "purpose 'marketing' is not allowed",
        ),
        (
            "unknown contract field",
            GOOD.replace('traveler_id = "manifest_id"', 'name = "x"'),
            "unknown contract field(s) name",
        ),
        ("not TOML", "purpose = ", "not valid TOML"),
    ],
)
def test_bad_job_files_give_one_clear_line(
    tmp_path: Path, description: str, edit: str, message: str
) -> None:
    with pytest.raises(JobFileError) as info:
        load_job(write(tmp_path, edit))
    assert message in str(info.value), description
    assert "\n" not in str(info.value)


def test_missing_job_file(tmp_path: Path) -> None:
    with pytest.raises(JobFileError, match="job file not found"):
        load_job(tmp_path / "nope.toml")
