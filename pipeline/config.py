"""Typed job files.

A job file is TOML; its keys are fixed so users' job files stay stable::

    purpose = "border_screening"
    [manifests]
    path = "data/manifests.parquet"
    [manifests.columns]          # optional: contract field = source column
    traveler_id = "manifest_id"
    [records]
    path = "data/convictions.parquet"
    # or, instead of [records], a prepared store (`chrilink index`):
    # [store]
    # path = "stores/convictions"
    [model]
    path = "models/default"
    [output]
    dir = "out/run-1"

Relative paths are resolved against the job file's directory. The job is
loaded once at the entry point and passed down as a frozen object.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pipeline.errors import JobFileError
from pipeline.schema import FIELDS, InputKind

Purpose = Literal["border_screening", "immigration_vetting"]
PURPOSES: tuple[str, ...] = ("border_screening", "immigration_vetting")
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "default"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InputSpec(_Strict):
    """One input file and the optional mapping of contract fields to source columns."""

    path: Path
    columns: dict[str, str] = Field(default_factory=dict)


class StoreRef(_Strict):
    """A prepared record store (``chrilink index``) used in place of a records file."""

    path: Path


class ModelSpec(_Strict):
    path: Path = DEFAULT_MODEL


class OutputSpec(_Strict):
    dir: Path


class ContractSpec(_Strict):
    """How strict the input contracts are."""

    max_bad_share: float = Field(default=0.2, ge=0.0, le=1.0)


class JobConfig(_Strict):
    """A validated job: what to link, with which model, for which purpose, where to write."""

    purpose: str = "border_screening"
    manifests: InputSpec
    records: InputSpec | None = None
    store: StoreRef | None = None
    model: ModelSpec = ModelSpec()
    output: OutputSpec
    contracts: ContractSpec = ContractSpec()

    @field_validator("purpose")
    @classmethod
    def _known_purpose(cls, value: str) -> str:
        if value not in PURPOSES:
            raise ValueError(
                f"purpose {value!r} is not allowed; the order permits only {', '.join(PURPOSES)}"
            )
        return value

    @model_validator(mode="after")
    def _records_or_store(self) -> JobConfig:
        if (self.records is None) == (self.store is None):
            raise ValueError("give exactly one of [records] (a file) or [store] (a prepared store)")
        return self

    def input(self, kind: InputKind) -> InputSpec:
        if kind == "manifests":
            return self.manifests
        if self.records is None:
            raise JobFileError("this job reads a prepared [store], not a [records] file")
        return self.records


def _check_columns(job: JobConfig) -> None:
    for kind in ("manifests", "records"):
        if kind == "records" and job.records is None:
            continue
        spec = job.input(kind)
        unknown = sorted(set(spec.columns) - set(FIELDS[kind]))
        if unknown:
            raise JobFileError(
                f"[{kind}.columns] maps unknown contract field(s) {', '.join(unknown)}; "
                f"known fields: {', '.join(FIELDS[kind])}"
            )


def _resolve(job: JobConfig, base: Path) -> JobConfig:
    def fix(path: Path) -> Path:
        return path if path.is_absolute() else (base / path).resolve()

    return job.model_copy(
        update={
            "manifests": job.manifests.model_copy(update={"path": fix(job.manifests.path)}),
            "records": job.records
            and job.records.model_copy(update={"path": fix(job.records.path)}),
            "store": job.store and job.store.model_copy(update={"path": fix(job.store.path)}),
            "model": job.model.model_copy(update={"path": fix(job.model.path)}),
            "output": job.output.model_copy(update={"dir": fix(job.output.dir)}),
        }
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "job"
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"missing required key {where!r}"
    return f"{where}: {err['msg'].removeprefix('Value error, ')}"


def job_from_dict(data: dict[str, object], base: Path) -> JobConfig:
    """Validate a job given as a dict; relative paths resolve against ``base``."""
    try:
        job = JobConfig.model_validate(data)
    except ValidationError as exc:
        raise JobFileError(f"job file: {_first_error(exc)}") from None
    _check_columns(job)
    return _resolve(job, base)


def load_job(path: Path) -> JobConfig:
    """Read and validate a TOML job file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JobFileError(f"job file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise JobFileError(f"cannot read job file {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise JobFileError(f"job file {path} is not valid TOML: {exc}") from None
    return job_from_dict(data, path.resolve().parent)
