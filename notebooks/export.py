"""Run the analyst notebooks headless and export them as offline HTML.

    python notebooks/export.py [--out out/notebooks] [-- NOTEBOOK ARGS...]

``marimo export html`` points the page at marimo's frontend on a CDN; this rewrites
those links to a copy of the frontend that marimo ships in its wheel
(``<out>/_marimo/``), so the exported pages need no network. Browsers load the page's
JavaScript modules only over HTTP, so view them with
``python -m http.server -d out/notebooks`` and open http://127.0.0.1:8000/.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import marimo

NOTEBOOKS = ("thresholds", "inspect_model")
HERE = Path(__file__).resolve().parent
CDN = re.compile(r"https://cdn\.jsdelivr\.net/npm/@marimo-team/frontend@[^/\"']+/dist")
LOCAL_ASSETS = "_marimo"


def localize(html: str) -> str:
    """Point every marimo frontend URL at the local copy beside the page."""
    return CDN.sub(f"./{LOCAL_ASSETS}", html)


def copy_frontend(out: Path) -> None:
    target = out / LOCAL_ASSETS
    if not target.exists():
        shutil.copytree(Path(marimo.__file__).parent / "_static", target)


def export(name: str, out: Path, args: list[str]) -> Path:
    page = out / f"{name}.html"
    command = [sys.executable, "-m", "marimo", "export", "html", str(HERE / f"{name}.py")]
    subprocess.run([*command, "-o", str(page), "-f", "--", *args], check=True)
    page.write_text(localize(page.read_text(encoding="utf-8")), encoding="utf-8")
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/notebooks"))
    parser.add_argument("--only", choices=NOTEBOOKS, action="append", help="export just these")
    parser.add_argument("notebook_args", nargs="*")
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    copy_frontend(options.out)
    for name in options.only or NOTEBOOKS:
        print(f"exported {export(name, options.out, options.notebook_args)}")


if __name__ == "__main__":
    main()
