"""`chrilink index`, `screen`, `link --store` and `serve` as a user runs them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from pipeline.generate import generate_world
from tests.cli import run_chrilink


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-store")
    generate_world(root, n_records=1500, n_travelers=400, seed=8)
    return root


@pytest.fixture()
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHRILINK_AUDIT_LOG": str(tmp_path / "audit.jsonl")}


def test_index_screen_and_link(world: Path, tmp_path: Path, env: dict[str, str]) -> None:
    store = tmp_path / "store"
    built = run_chrilink(
        "index", "--records", str(world / "records.parquet"), "--out", str(store), env=env
    )
    assert built.returncode == 0, built.stderr
    assert "1,500" in built.stdout
    again = run_chrilink(
        "index", "--records", str(world / "records.parquet"), "--out", str(store), env=env
    )
    assert again.returncode == 2 and "already holds a store" in again.stderr
    assert again.stderr.count("\n") == 1
    screened = run_chrilink(
        "screen",
        "--store",
        str(store),
        "--manifest",
        str(world / "manifests.parquet"),
        "--json",
        env=env,
    )
    assert screened.returncode == 0, screened.stderr
    rows = [json.loads(line) for line in screened.stdout.splitlines() if line.strip()]
    assert len(rows) == 400 and {r["status"] for r in rows} >= {"hit", "clear"}
    linked = run_chrilink(
        "link",
        "--manifests",
        str(world / "manifests.parquet"),
        "--store",
        str(store),
        "--out",
        str(tmp_path / "run"),
        env=env,
    )
    assert linked.returncode == 0, linked.stderr
    batch = pl.read_parquet(tmp_path / "run" / "screening.parquet").sort("traveler_id")
    assert batch.select("traveler_id", "status").rows() == sorted(
        (r["traveler_id"], r["status"]) for r in rows
    )
    refused = run_chrilink(
        "screen",
        "--store",
        str(store),
        "--manifest",
        str(world / "manifests.parquet"),
        "--purpose",
        "marketing",
        env=env,
    )
    assert refused.returncode == 2 and "not allowed" in refused.stderr
    missing = run_chrilink(
        "screen",
        "--store",
        str(tmp_path / "none"),
        "--manifest",
        str(world / "manifests.parquet"),
        env=env,
    )
    assert missing.returncode == 2 and "no prepared store" in missing.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_over_http(world: Path, tmp_path: Path, env: dict[str, str]) -> None:
    store = tmp_path / "store"
    assert (
        run_chrilink(
            "index", "--records", str(world / "records.parquet"), "--out", str(store), env=env
        ).returncode
        == 0
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from pipeline.cli import main; main()",
            "serve",
            "--store",
            str(store),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=2) as r:
                    assert json.load(r)["store"]["records"] == 1500
                break
            except OSError:
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.time() < deadline, "service did not start"
                time.sleep(0.5)
        travelers = (
            pl.read_parquet(world / "manifests.parquet").head(100).cast(pl.String).to_dicts()
        )
        request = urllib.request.Request(
            f"{base}/screen",
            data=json.dumps({"purpose": "border_screening", "travelers": travelers}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as r:
            answer = json.load(r)
        assert len(answer["screening"]) == 100
        assert sum(answer["counts"][s] for s in ("hit", "review", "clear", "rejected")) == 100
    finally:
        server.terminate()
        server.wait(timeout=30)
