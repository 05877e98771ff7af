"""Small pure noise functions applied to one string with a seeded generator."""

from __future__ import annotations

import numpy as np

#: OCR confusions of document numbers (both directions).
_OCR = (("O", "0"), ("I", "1"), ("S", "5"), ("B", "8"), ("Z", "2"))
OCR_PAIRS = {**{a: b for a, b in _OCR}, **{b: a for a, b in _OCR}}
#: Neighbouring keys a clerk hits instead (QWERTY rows), for substitution typos.
_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"
#: Masculine endings of Slavic female surnames (female ending -> male ending).
_SLAVIC_FEMALE = (
    ("ская", "ский"), ("цкая", "цкий"), ("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"),
    ("ина", "ин"), ("ына", "ын"), ("ська", "ський"), ("цька", "цький"),
    ("ska", "ski"), ("cka", "cki"), ("dzka", "dzki"),
)  # fmt: skip


def typo(text: str, rng: np.random.Generator) -> str:
    """One clerk error: drop, double, swap two neighbours, or hit a neighbouring key."""
    if len(text) < 3:
        return text
    i = int(rng.integers(1, len(text) - 1))
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    return text[:i] + _neighbour(text[i]) + text[i + 1 :]


def _neighbour(char: str) -> str:
    pos = _KEYBOARD.find(char.lower())
    if pos < 0:
        return char
    near = (
        _KEYBOARD[pos + 1]
        if pos + 1 < len(_KEYBOARD) and _KEYBOARD[pos + 1] != " "
        else _KEYBOARD[pos - 1]
    )
    return near.upper() if char.isupper() else near


def ocr_confuse(text: str, rng: np.random.Generator) -> str:
    """Replace one confusable character (O/0, I/1, S/5, B/8, Z/2) if there is one."""
    positions = [i for i, c in enumerate(text) if c in OCR_PAIRS]
    if not positions:
        return text
    i = positions[int(rng.integers(0, len(positions)))]
    return text[:i] + OCR_PAIRS[text[i]] + text[i + 1 :]


def initials(given: str) -> str:
    """``Juan Carlos`` -> ``J. C.``"""
    return " ".join(w[0] + "." for w in given.split() if w)


def masculine_surname(surname: str) -> str | None:
    """Masculine form of a Slavic female surname, or ``None`` when it has no female ending."""
    for female, male in _SLAVIC_FEMALE:
        if surname.endswith(female) and len(surname) > len(female) + 1:
            return surname[: -len(female)] + male
    return None
