"""Compose the name fields of one record or manifest row from an identity."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pipeline.generate.noise import initials, masculine_surname, typo
from pipeline.generate.origins import Origin
from pipeline.generate.pool import Identity, Parts, draw_given, mrz_form, spell, spelling
from pipeline.generate.translit import romanize


@dataclass(frozen=True)
class NameFlags:
    """Noise drawn for one record's name (each applied only where it makes sense)."""

    typo: bool
    reversed_order: bool
    drop_middle: bool
    extra_middle: bool
    initials: bool
    masculine_surname: bool
    drop_second_surname: bool


@dataclass(frozen=True)
class NameFields:
    """surname, given_names, full_name (``None`` when the layout leaves it out) and labels."""

    surname: str | None
    given: str | None
    full: str | None
    labels: tuple[str, ...]


def _native_variant(
    origin: Origin, identity: Identity, flags: NameFlags
) -> tuple[Parts, list[str]]:
    parts, labels = identity.native, []
    if flags.masculine_surname and origin.slavic and identity.sex == 1:
        male = masculine_surname(parts.surname)
        if male is not None:
            parts, labels = replace(parts, surname=male), ["masculine_surname"]
    if flags.drop_second_surname and origin.surnames == 2 and " " in parts.surname:
        parts = replace(parts, surname=parts.surname.split(" ")[0])
        labels.append("drop_second_surname")
    return parts, labels


def _initials_ok(origin: Origin, scheme: str) -> bool:
    return scheme != "native" or origin.script == "Latin"


def _given_text(
    origin: Origin, identity: Identity, parts: Parts, scheme: str, flags: NameFlags,
    rng: np.random.Generator, labels: list[str],
) -> str:  # fmt: skip
    middle = parts.middle
    if middle and flags.drop_middle:
        middle = ""
        labels.append("drop_middle")
    elif not middle and flags.extra_middle:
        middle = romanize(draw_given(origin, identity.sex, rng), scheme)
        labels.append("extra_middle")
    given = f"{parts.given} {middle}" if middle else parts.given
    if flags.initials and _initials_ok(origin, scheme):
        labels.append("initials")
        return initials(given)
    return given


def _full(origin: Origin, scheme: str, surname: str, given: str) -> str:
    if scheme == "native":
        first, second = (surname, given) if origin.family_first else (given, surname)
        return f"{first}{origin.joiner}{second}"
    if origin.family_first:
        return f"{surname.upper()} {given}"
    return f"{given} {surname}"


def record_name(
    origin: Origin, identity: Identity, scheme: str, layout: str, flags: NameFlags,
    rng: np.random.Generator,
) -> NameFields:  # fmt: skip
    """Name fields of one conviction record written with ``scheme`` and ``layout``."""
    native, labels = _native_variant(origin, identity, flags)
    parts = spell(native, scheme) if labels else spelling(identity, scheme)
    given = _given_text(origin, identity, parts, scheme, flags, rng, labels)
    surname = parts.surname
    if flags.typo:
        labels.append("typo")
        if rng.random() < 0.5 and len(surname) >= 3:
            surname = typo(surname, rng)
        else:
            given = typo(given, rng)
    if flags.reversed_order:
        labels.append("reversed_order")
        surname, given = given, surname
    full = _full(origin, scheme, surname, given) if layout != "split" else None
    if layout == "full":
        return NameFields(None, None, full, tuple(labels))
    return NameFields(surname, given, full, tuple(labels))


def manifest_name(
    origin: Origin, identity: Identity, style: str
) -> tuple[str | None, str | None, str | None]:
    """surname, given_names, full_name as a passport reader or a check-in agent gives them."""
    if style.startswith("mrz"):
        mrz = mrz_form(origin, identity)
        if style == "mrz_full":
            return None, None, mrz
        surname, _, given = mrz.partition("<<")
        return surname.replace("<", " "), given.replace("<", " ").strip(), None
    parts = spelling(identity, origin.passport)
    given = parts.given
    if parts.middle and origin.middle not in ("patronymic", "father"):
        given = f"{given} {parts.middle}"
    if style == "visual_split":
        return parts.surname.upper(), given.upper(), None
    return None, None, f"{given} {parts.surname}".upper()
