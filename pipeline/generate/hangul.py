"""Letter-by-letter Revised Romanization and McCune-Reischauer of Hangul names.

Syllables are decomposed arithmetically (Unicode: 19 initials x 21 medials x 28
finals from U+AC00). Sound-change rules across syllables are not applied except the
McCune-Reischauer voicing of plain stops after a voiced sound.
"""

from __future__ import annotations

from functools import cache

from pipeline.generate.tables import load_table

_BASE = 0xAC00
_LAST = 0xD7A3
_VOICED_FINALS = ("", "n", "m", "ng", "l")


def _jamo(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable)
    if not _BASE <= code <= _LAST:
        return None
    offset = code - _BASE
    return offset // 588, (offset % 588) // 28, offset % 28


@cache
def _scheme(name: str) -> tuple[list[str], list[str], list[str], dict[str, str]]:
    table = load_table("letters")[name]
    return table["initials"], table["medials"], table["finals"], table.get("voiced", {})


def romanize_hangul(text: str, scheme: str) -> str:
    """Romanize Hangul with ``scheme`` "hangul_rr" or "hangul_mr"; other characters pass through."""
    initials, medials, finals, voiced = _scheme(scheme)
    out: list[str] = []
    previous_final: str | None = None
    for char in text:
        parts = _jamo(char)
        if parts is None:
            out.append(char)
            previous_final = None
            continue
        initial = initials[parts[0]]
        if previous_final in _VOICED_FINALS and initial in voiced:
            initial = voiced[initial]
        out.append(initial + medials[parts[1]] + finals[parts[2]])
        previous_final = finals[parts[2]]
    return "".join(out)
