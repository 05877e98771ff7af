"""The screening service: a warm store and model behind a small JSON API (FastAPI).

``POST /screen`` takes one manifest (a list of travelers) and answers with one
screening row per traveler, the matches with their explanations, and the rows the
manifest contract set aside: the same decisions as `chrilink screen` and `chrilink link`
with the same store, because all three call :func:`pipeline.screening.screen_manifest`.
``GET /health`` describes the store and model; ``POST /reload`` reopens the store after
`chrilink index --update` changed it. The OpenAPI description is at ``/openapi.json``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from pipeline import __version__
from pipeline.errors import ChrilinkError
from pipeline.hashing import sha256_file
from pipeline.match.model import Model, load_model
from pipeline.runner import new_run_id
from pipeline.safeguards.audit import append_audit, default_audit_path
from pipeline.safeguards.errors import SafeguardError
from pipeline.safeguards.purpose import require_purpose
from pipeline.schema import MANIFEST_FIELDS, ROW_NUMBER
from pipeline.screening import (
    Evaluator,
    ScreenResult,
    StoreMatcher,
    screen_manifest,
    status_counts,
)
from pipeline.store.prepared import META_FILE, PreparedStore

MAX_TRAVELERS = 5_000


class Traveler(BaseModel):
    """One manifest row; every field is text as it appears on the manifest."""

    model_config = ConfigDict(extra="forbid")

    traveler_id: str | None = None
    surname: str | None = None
    given_names: str | None = None
    full_name: str | None = None
    date_of_birth: str | None = None
    sex: str | None = None
    nationality: str | None = None
    document_number: str | None = None
    document_country: str | None = None
    carrier: str | None = None
    flight_number: str | None = None
    departure_port: str | None = None
    arrival_port: str | None = None
    departure_date: str | None = None


class ScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: str = Field(description="border_screening | immigration_vetting")
    manifest_id: str | None = Field(default=None, description="Flight or batch id, for the audit")
    travelers: list[Traveler] = Field(min_length=1, max_length=MAX_TRAVELERS)


class ScreenResponse(BaseModel):
    run_id: str
    model_version: str
    counts: dict[str, int]
    screening: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]
    seconds: dict[str, float]


def manifest_frame(travelers: list[Traveler]) -> pl.DataFrame:
    """Request rows → the contract-shaped manifest frame the readers produce."""
    rows = [t.model_dump() for t in travelers]
    return pl.DataFrame(rows, schema={f: pl.String for f in MANIFEST_FIELDS}).with_columns(
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias(ROW_NUMBER)
    )


@dataclass
class Screener:
    """A warm store and model; safe to share between request threads."""

    store_path: Path
    model: Model
    matcher: StoreMatcher
    evaluator: Evaluator = "fast"
    store_digest: str = ""

    @classmethod
    def open(cls, store_path: Path, model_path: Path, evaluator: Evaluator = "fast") -> Screener:
        model = load_model(model_path)
        store = PreparedStore.open(store_path, model.spec)
        return cls(store_path, model, StoreMatcher(store, model), evaluator)

    def __post_init__(self) -> None:
        self.store_digest = sha256_file(self.store_path / META_FILE)

    def reload(self) -> None:
        self.matcher = StoreMatcher(
            PreparedStore.open(self.store_path, self.model.spec), self.model
        )

    def warm(self) -> None:
        """Compile the scoring SQL and load the contract suite with a made-up traveler."""
        probe = Traveler(
            traveler_id="warm-up",
            surname="PROBE",
            given_names="WARM",
            date_of_birth="1970-01-01",
            sex="X",
            nationality="XXX",
        )
        self.screen(manifest_frame([probe]), "warm-up", "warm-up")

    def screen(self, frame: pl.DataFrame, run_id: str, source: str) -> ScreenResult:
        return screen_manifest(self.matcher, frame, run_id, source=source, evaluator=self.evaluator)


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def create_app(screener: Screener, *, audit: bool = True) -> FastAPI:
    """The FastAPI application over one warm :class:`Screener`."""
    app = FastAPI(
        title="chrilink screening service",
        version=__version__,
        description="Screen a manifest of travelers against a prepared conviction store.",
    )
    lock = threading.Lock()

    @app.get("/health")
    def health() -> dict[str, Any]:
        store = screener.matcher.store
        return {
            "status": "ok",
            "model_version": screener.model.version,
            "store": {
                "records": store.records,
                "identities": store.identities,
                "segments": len(store.segments),
                "updated_at": store.meta.get("updated_at"),
            },
        }

    @app.post("/reload")
    def reload() -> dict[str, Any]:
        with lock:
            try:
                screener.reload()
            except ChrilinkError as exc:
                raise HTTPException(status_code=409, detail=str(exc)) from None
        return health()

    @app.post("/screen", response_model=ScreenResponse)
    def screen(request: ScreenRequest) -> ScreenResponse:
        try:
            require_purpose(request.purpose)
        except SafeguardError as exc:
            raise HTTPException(status_code=403, detail=str(exc)) from None
        run_id = new_run_id()
        source = f"request:{request.manifest_id or run_id}"
        try:
            result = screener.screen(manifest_frame(request.travelers), run_id, source)
        except ChrilinkError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        counts = {
            "travelers": len(request.travelers),
            "pairs_scored": result.scoring.pairs_scored,
            "pairs_pruned": result.scoring.pairs_pruned,
            "matches": result.matches.height,
            **status_counts(result.screening),
        }
        if audit:
            payload = json.dumps(request.model_dump(mode="json"), sort_keys=True)
            append_audit(
                default_audit_path(),
                command="serve-screen",
                purpose=request.purpose,
                inputs={
                    source: hashlib.sha256(payload.encode()).hexdigest(),
                    str(screener.store_path): screener.store_digest,
                },
                model_version=screener.model.version,
                counts=counts,
            )
        return ScreenResponse(
            run_id=run_id,
            model_version=screener.model.version,
            counts=counts,
            screening=_rows(result.screening),
            matches=_rows(result.matches),
            quarantine=_rows(result.outcome.quarantine.select("row_number", "row_id", "reasons")),
            seconds={k: round(v, 4) for k, v in result.seconds.items()},
        )

    return app
