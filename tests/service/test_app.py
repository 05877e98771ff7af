"""The HTTP service gives the batch run's decisions, binds the purpose and audits."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from pipeline.config import job_from_dict
from pipeline.generate import generate_world
from pipeline.match.model import load_model
from pipeline.runner import run_link
from pipeline.safeguards.audit import verify_audit
from pipeline.service.app import Screener, create_app
from pipeline.store.index import build_store

MODEL = Path(__file__).resolve().parents[2] / "models" / "default"


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("svc")
    generate_world(root, n_records=2000, n_travelers=500, seed=5)
    store = root / "store"
    build_store(store, root / "records.parquet", load_model(MODEL))
    mp = pytest.MonkeyPatch()
    mp.setenv("CHRILINK_AUDIT_LOG", str(root / "batch-audit.jsonl"))
    out = root / "batch"
    run_link(
        job_from_dict(
            {
                "manifests": {"path": str(root / "manifests.parquet")},
                "records": {"path": str(root / "records.parquet")},
                "model": {"path": str(MODEL)},
                "output": {"dir": str(out)},
            },
            root,
        )
    )
    mp.undo()
    return root, store, out


@pytest.fixture()
def client(
    setup: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> TestClient:
    monkeypatch.setenv("CHRILINK_AUDIT_LOG", str(tmp_path / "audit.jsonl"))
    screener = Screener.open(setup[1], MODEL)
    screener.warm()
    return TestClient(create_app(screener))


def _travelers(root: Path) -> list[dict[str, object]]:
    frame = pl.read_parquet(root / "manifests.parquet").cast(pl.String)
    return frame.to_dicts()


def test_service_decides_like_the_batch_run(
    setup: tuple[Path, Path, Path], client: TestClient, tmp_path: Path
) -> None:
    root, _, batch = setup
    travelers = _travelers(root)
    expected = pl.read_parquet(batch / "screening.parquet").sort("traveler_id")
    got: list[dict[str, object]] = []
    for start in range(0, len(travelers), 200):  # manifests of 200 travelers each
        response = client.post(
            "/screen",
            json={"purpose": "border_screening", "travelers": travelers[start : start + 200]},
        )
        assert response.status_code == 200, response.text
        got += response.json()["screening"]
    frame = pl.DataFrame(got).sort("traveler_id")
    assert (expected["status"] == "hit").sum() > 5
    columns = ["traveler_id", "status", "best_record_id"]
    assert frame.select(columns).equals(expected.select(columns))
    diff = (frame["best_match_probability"] - expected["best_match_probability"]).abs().max()
    assert diff is None or float(diff) < 1e-9  # type: ignore[arg-type]
    report = verify_audit(tmp_path / "audit.jsonl")
    assert report.ok and report.n_entries == 3


def test_explanations_and_quarantine_in_the_answer(
    setup: tuple[Path, Path, Path], client: TestClient
) -> None:
    travelers = [*_travelers(setup[0])[:50], {"traveler_id": "no-name", "date_of_birth": "x"}]
    body = client.post("/screen", json={"purpose": "immigration_vetting", "travelers": travelers})
    assert body.status_code == 200
    data = body.json()
    assert data["counts"]["rejected"] == 1
    assert data["quarantine"][0]["row_id"] == "no-name"
    for match in data["matches"]:
        assert {e["comparison"] for e in match["explanation"]} >= {"name", "dob"}


def test_purpose_binding_and_bad_requests(client: TestClient) -> None:
    ok = {"traveler_id": "t1", "surname": "X", "date_of_birth": "1980-01-01"}
    refused = client.post("/screen", json={"purpose": "marketing", "travelers": [ok]})
    assert refused.status_code == 403
    assert "not allowed" in refused.json()["detail"]
    extra = client.post(
        "/screen", json={"purpose": "border_screening", "travelers": [{**ok, "ssn": "1"}]}
    )
    assert extra.status_code == 422
    empty = client.post("/screen", json={"purpose": "border_screening", "travelers": []})
    assert empty.status_code == 422


def test_health_reload_and_openapi(client: TestClient) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["store"]["records"] == 2000
    assert client.post("/reload").json()["store"]["records"] == 2000
    spec = client.get("/openapi.json").json()
    assert "/screen" in spec["paths"] and "ScreenRequest" in json.dumps(spec)
