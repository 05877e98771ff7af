"""Script detection for name tokens.

Steps: every letter's Unicode script comes from rigour's ICU4X-backed
``codepoint_script``; a token's script is the most frequent letter script;
Cyrillic tokens with Ukrainian-only letters (і ї є ґ) are tagged
"Ukrainian" and Arabic-script tokens with Persian-only letters (پ چ ژ گ ک ی)
"Persian", so that the right transliteration table is chosen. A name's
script is the script covering most letters across its tokens.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from rigour.text.scripts import codepoint_script

UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
PERSIAN_LETTERS = frozenset("پچژگکی")
_SUBTYPES = {"Cyrillic": ("Ukrainian", UKRAINIAN_LETTERS), "Arabic": ("Persian", PERSIAN_LETTERS)}


def _letter_scripts(token: str) -> Counter[str]:
    counts: Counter[str] = Counter()
    for ch in token:
        if ch.isalpha():
            script = codepoint_script(ord(ch))
            if script and script not in ("Common", "Inherited"):
                counts[script] += 1
    return counts


@lru_cache(maxsize=65536)
def token_script(token: str) -> str | None:
    """Dominant script of a token, with Ukrainian/Persian subtypes; None without letters."""
    counts = _letter_scripts(token)
    if not counts:
        return None
    script = counts.most_common(1)[0][0]
    subtype = _SUBTYPES.get(script)
    if subtype and any(ch in subtype[1] for ch in token):
        return subtype[0]
    return script


def base_script(script: str) -> str:
    """Map a transliteration subtype back to its Unicode script name."""
    return {"Ukrainian": "Cyrillic", "Persian": "Arabic"}.get(script, script)


def dominant_script(tokens: list[str]) -> str | None:
    """Unicode script covering most letters across ``tokens``."""
    counts: Counter[str] = Counter()
    for token in tokens:
        counts.update(_letter_scripts(token))
    return counts.most_common(1)[0][0] if counts else None
