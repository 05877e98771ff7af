"""Typed generator settings: every rate of the synthetic world, with defaults.

``config/generator.toml`` documents the same keys with comments; a user file may
set any subset of them (unknown keys are an error). Rates are probabilities per row
unless the key says otherwise; weight tables need not sum to one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipeline.errors import InputError

NAME_STYLES = ("mrz_full", "mrz_split", "visual_split", "visual_full")
Rate = float
Weights = dict[str, float]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorldConfig(_Section):
    match_rate: Rate = Field(default=0.10, ge=0, le=1)
    chunk_rows: int = Field(default=200_000, ge=1_000)
    dob_min_year: int = 1940
    dob_max_year: int = 2006
    extra_records_mean: float = Field(default=0.4, ge=0)
    second_country_rate: Rate = Field(default=0.15, ge=0, le=1)
    us_person_rate: Rate = Field(default=0.05, ge=0, le=1)
    departure_date: str = "2026-03-02"


class NegativesConfig(_Section):
    namesake: Rate = Field(default=0.04, ge=0, le=1)
    twin: Rate = Field(default=0.01, ge=0, le=1)
    relative: Rate = Field(default=0.04, ge=0, le=1)


class RecordNamesConfig(_Section):
    form: Weights = {"native": 0.35, "passport": 0.30, "alternate": 0.35}
    layout: Weights = {"split": 0.6, "full": 0.25, "both": 0.15}
    typo: Rate = 0.05
    reversed_order: Rate = 0.05
    drop_middle: Rate = 0.30
    extra_middle: Rate = 0.03
    initials: Rate = 0.03
    masculine_surname: Rate = 0.25
    drop_second_surname: Rate = 0.30
    alias: Rate = 0.15
    max_aliases: int = Field(default=3, ge=1)


class RecordDatesConfig(_Section):
    formats: Weights = {
        "iso": 0.22,
        "dmy_slash": 0.14,
        "mdy_slash": 0.12,
        "dmy_dot": 0.10,
        "ymd_compact": 0.08,
        "mrz": 0.04,
        "d_mon_y": 0.08,
        "d_mon_yy": 0.05,
        "month_d_y": 0.06,
        "year_month": 0.02,
        "year_only": 0.03,
        "zero_dm": 0.02,
        "x_dm": 0.02,
        "mrz_year": 0.02,
    }
    wrong: Rate = 0.02
    placeholder: Rate = 0.03
    alternate: Rate = 0.06


class RecordFieldsConfig(_Section):
    sex_variant: Rate = 0.15
    sex_missing: Rate = 0.03
    nationality_missing: Rate = 0.08
    nationality_format: Weights = {"alpha2": 0.3, "alpha3": 0.4, "name": 0.3}
    document_present: Rate = 0.35
    ocr_confusion: Rate = 0.10
    place_of_birth_missing: Rate = 0.2
    offense_level_unknown: Rate = 0.05


class RecordsConfig(_Section):
    names: RecordNamesConfig = RecordNamesConfig()
    dates: RecordDatesConfig = RecordDatesConfig()
    fields: RecordFieldsConfig = RecordFieldsConfig()


class ManifestsConfig(_Section):
    name_style: Weights = {
        "mrz_full": 0.3,
        "mrz_split": 0.35,
        "visual_split": 0.25,
        "visual_full": 0.1,
    }
    typo: Rate = 0.01
    dob_formats: Weights = {"iso": 0.75, "mrz": 0.15, "dmy_slash": 0.05, "ymd_compact": 0.05}
    sex_variant: Rate = 0.02
    nationality_format: Weights = {"alpha3": 0.85, "alpha2": 0.1, "name": 0.05}
    ocr_confusion: Rate = 0.005
    flight_size: int = Field(default=200, ge=1)


class GeneratorConfig(_Section):
    world: WorldConfig = WorldConfig()
    origins: Weights = {
        "es": 9, "tr": 6, "pl": 5, "vi": 5, "ru": 8, "uk": 5, "el": 3, "ar": 10, "fa": 5,
        "he": 3, "hi": 9, "bn": 4, "zh": 9, "ko": 5, "ja": 4, "ka": 2, "hy": 2, "th": 4,
    }  # fmt: skip
    negatives: NegativesConfig = NegativesConfig()
    records: RecordsConfig = RecordsConfig()
    manifests: ManifestsConfig = ManifestsConfig()

    @model_validator(mode="after")
    def _known_keys(self) -> GeneratorConfig:
        from pipeline.generate.dates import FORMATS

        checks = {
            "records.names.form": (self.records.names.form, {"native", "passport", "alternate"}),
            "records.names.layout": (self.records.names.layout, {"split", "full", "both"}),
            "records.dates.formats": (self.records.dates.formats, set(FORMATS)),
            "manifests.dob_formats": (self.manifests.dob_formats, set(FORMATS)),
            "manifests.name_style": (self.manifests.name_style, set(NAME_STYLES)),
        }
        for key, (weights, allowed) in checks.items():
            unknown = sorted(set(weights) - allowed)
            if unknown or not weights or min(weights.values()) < 0 or sum(weights.values()) <= 0:
                raise ValueError(f"{key}: bad keys {unknown} or weights; allowed {sorted(allowed)}")
        return self


def load_config(path: Path | None) -> GeneratorConfig:
    """Read a generator config file; ``None`` gives the defaults."""
    if path is None:
        return GeneratorConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return GeneratorConfig.model_validate(data)
    except OSError as exc:
        raise InputError(f"cannot read generator config {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise InputError(f"bad generator config {path}: {first}; see docs/generator.md") from exc
