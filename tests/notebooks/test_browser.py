"""Serve the threshold notebook, move the hit slider in headless Chromium, and check the
displayed precision and recall against pipeline.analysis.threshold_metrics."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.analysis import job_from_run, score_for_analysis, threshold_metrics

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "thresholds.py"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or DRIVER is None,
    reason="chromium/chromedriver not installed: run notebooks/install_browser.sh",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(sample_root: Path) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "marimo",
            "run",
            str(NOTEBOOK),
            "--headless",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-token",
            "--",
            "--root",
            str(sample_root),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_text(driver: object, element_id: str, differs_from: str | None = None) -> str:
    from selenium.webdriver.common.by import By

    for _ in range(240):
        found = driver.find_elements(By.ID, element_id)  # type: ignore[attr-defined]
        if found and found[0].text and found[0].text != differs_from:
            return str(found[0].text)
        time.sleep(0.25)
    raise AssertionError(f"#{element_id} did not show (or change) in time")


def test_moving_the_hit_slider_shows_the_api_metrics(
    served: str, sample_root: Path, tmp_path: Path
) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={tmp_path / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))
    try:
        driver.get(served)
        before_hit = _wait_text(driver, "metric-hit")
        before = (_wait_text(driver, "metric-precision"), _wait_text(driver, "metric-recall"))
        host = driver.find_elements(By.CSS_SELECTOR, "marimo-slider")[0]
        slider = host.shadow_root.find_element(By.CSS_SELECTOR, "[role=slider]")
        slider.click()
        shown_hit, shown = before_hit, before
        for _ in range(20):  # step down until the metrics on the page change
            for _ in range(5):
                slider.send_keys(Keys.ARROW_LEFT)
            shown_hit = _wait_text(driver, "metric-hit", differs_from=shown_hit)
            time.sleep(1.0)  # let the dependent cells settle
            shown = (_wait_text(driver, "metric-precision"), _wait_text(driver, "metric-recall"))
            if shown != before:
                break
        shown_hit = _wait_text(driver, "metric-hit")
        review = float(_wait_text(driver, "metric-review"))
    finally:
        driver.quit()

    run_dir = sample_root / "run"
    scored = score_for_analysis(job_from_run(run_dir), sample_root / "world" / "truth.parquet")
    hit = float(shown_hit)
    # The page is read back: the threshold it shows and the metrics it shows at it.
    assert hit < float(before_hit)
    expected = threshold_metrics(scored, hit, review)
    assert shown == (f"{expected['precision']:.4f}", f"{expected['recall']:.4f}")
    assert shown != before
