"""Partner agreements: one TOML file per partner, ``<partners_dir>/<CODE>.toml``.

The order allows an exchange only under a bilateral or multilateral agreement with
privacy safeguards, on the basis of reciprocity (sec. 3(b)). An agreement file states
the terms the code enforces; see docs/safeguards.md for the keys. Loading is strict:
unknown keys, unknown fields and impossible dates are refused with one line.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Final, Literal

import iso3166
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipeline.safeguards.errors import AgreementError, SafeguardError
from pipeline.schema import MATCH_COLUMNS, RECORD_FIELDS

#: Fields an agreement may name: the record contract plus the match table.
DISCLOSABLE_FIELDS: Final = tuple(dict.fromkeys((*MATCH_COLUMNS, *RECORD_FIELDS)))
PARTNER_CODE: Final = re.compile(r"^[A-Z0-9][A-Z0-9_-]{1,15}$")
DEFAULT_PARTNERS_DIR: Final = Path(__file__).resolve().parents[2] / "config" / "partners"


class PartnerAgreement(BaseModel):
    """The terms of one partner agreement, as validated from its TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    partner_country: str
    agreement_id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    valid_from: date
    valid_to: date
    reciprocal: bool
    disclosable_fields: tuple[str, ...] = Field(min_length=1)
    retention_days: int = Field(ge=1, le=36_500)
    felony_only: bool
    us_persons: Literal["exclude", "include"]
    description: str = ""

    @field_validator("partner_country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in iso3166.countries_by_alpha2 and code not in iso3166.countries_by_alpha3:
            raise ValueError(f"{value!r} is not an ISO 3166 alpha-2 or alpha-3 country code")
        return code

    @field_validator("disclosable_fields")
    @classmethod
    def _known_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - set(DISCLOSABLE_FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}")
        if len(set(value)) != len(value):
            raise ValueError("a field is listed twice")
        return value

    @field_validator("felony_only")
    @classmethod
    def _felony_only(cls, value: bool) -> bool:
        if not value:
            raise ValueError("must be true: the order covers felony conviction records only")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> PartnerAgreement:
        if self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


def check_partner_code(partner: str) -> str:
    """Return the partner code if it is well formed (it names a file, so no paths)."""
    if not PARTNER_CODE.match(partner):
        raise AgreementError(
            f"partner code {partner!r} is not valid; use 2-16 upper-case letters, digits, - or _"
        )
    return partner


def agreement_path(partners_dir: Path, partner: str) -> Path:
    return partners_dir / f"{check_partner_code(partner)}.toml"


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "agreement"
    if err["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if err["type"] == "missing":
        return f"missing required key {where!r}"
    return f"{where}: {err['msg'].removeprefix('Value error, ')}"


def parse_agreement(text: str, source: str) -> PartnerAgreement:
    """Validate the TOML text of an agreement; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise AgreementError(f"agreement {source} is not valid TOML: {exc}") from None
    try:
        return PartnerAgreement.model_validate(data)
    except ValidationError as exc:
        raise AgreementError(f"agreement {source}: {_first_error(exc)}") from None


def load_agreement(partners_dir: Path, partner: str) -> PartnerAgreement:
    """Read and validate the agreement of ``partner`` from ``partners_dir``."""
    path = agreement_path(partners_dir, partner)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AgreementError(
            f"no agreement for partner {partner}: {path} does not exist; "
            "exchange is allowed only under an agreement on file"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AgreementError(f"cannot read agreement {path}: {type(exc).__name__}") from None
    return parse_agreement(text, str(path))


def load_agreements(partners_dir: Path) -> dict[str, PartnerAgreement]:
    """Every agreement in ``partners_dir``, by partner code."""
    if not partners_dir.is_dir():
        raise AgreementError(f"partners directory not found: {partners_dir}")
    return {
        p.stem: load_agreement(partners_dir, p.stem) for p in sorted(partners_dir.glob("*.toml"))
    }


def require_in_force(agreement: PartnerAgreement, partner: str, on: date) -> None:
    """Refuse when ``on`` is outside the agreement's validity period."""
    if on < agreement.valid_from:
        raise SafeguardError(
            f"agreement {agreement.agreement_id} with partner {partner} is not yet valid "
            f"(valid from {agreement.valid_from.isoformat()}); nothing was exchanged"
        )
    if on > agreement.valid_to:
        raise SafeguardError(
            f"agreement {agreement.agreement_id} with partner {partner} expired on "
            f"{agreement.valid_to.isoformat()}; renew it before exchanging"
        )


def require_reciprocal(agreement: PartnerAgreement, partner: str) -> None:
    """Refuse a non-reciprocal agreement: the order allows exchange only on reciprocity."""
    if not agreement.reciprocal:
        raise SafeguardError(
            f"agreement {agreement.agreement_id} with partner {partner} is not reciprocal; "
            "the order allows exchange only on the basis of reciprocity"
        )


def require_fields(agreement: PartnerAgreement, partner: str, fields: tuple[str, ...]) -> None:
    """Refuse fields the agreement does not allow to be disclosed."""
    refused = [f for f in fields if f not in agreement.disclosable_fields]
    if refused:
        allowed = ", ".join(agreement.disclosable_fields)
        raise SafeguardError(
            f"field(s) {', '.join(refused)} may not be disclosed to partner {partner} under "
            f"agreement {agreement.agreement_id}; allowed: {allowed}"
        )
    if not fields:
        raise SafeguardError("no fields requested; name at least one allowed field")


def require_exchange(agreement: PartnerAgreement, partner: str, on: date) -> None:
    """All agreement-level checks of an exchange in either direction."""
    require_in_force(agreement, partner, on)
    require_reciprocal(agreement, partner)
