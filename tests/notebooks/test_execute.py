"""Every notebook runs headless (marimo export html) and its page needs no CDN."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def test_every_notebook_runs_headless_and_exports_offline_html(
    sample_root: Path, tmp_path: Path
) -> None:
    names = sorted(p.stem for p in NOTEBOOKS.glob("*.py") if p.stem != "export")
    assert names == ["inspect_model", "thresholds"]
    exports = {
        name: subprocess.Popen(
            [
                sys.executable,
                str(NOTEBOOKS / "export.py"),
                "--out",
                str(tmp_path / name),
                "--only",
                name,
                "--",
                "--root",
                str(sample_root),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    }
    for name, process in exports.items():
        _, err = process.communicate(timeout=240)
        assert process.returncode == 0, f"{name}: {err[-2000:]}"
        page = (tmp_path / name / f"{name}.html").read_text()
        assert "cdn.jsdelivr" not in page
        assert "./_marimo/assets/" in page
        assert (tmp_path / name / "_marimo" / "index.html").exists()
        assert "Traceback" not in page
