"""Rule-based phonetic spelling of unvocalized Arabic, Persian and Hebrew names.

Order of steps: split on spaces; map the article (ال) to "al-"/"el-"; map each letter by
its position (word-initial, between consonants, elsewhere) from ``data/letters.toml``;
insert the scheme vowel between two consonants and after a final consonant cluster's
first letter. A deterministic stand-in for a clerk writing a name by ear.
"""

from __future__ import annotations

from functools import cache

from pipeline.generate.tables import load_table

_VOWELS = frozenset("aeiou")
_ARTICLE = "ال"


@cache
def _letters(table: str) -> dict[str, list[str]]:
    letters: dict[str, list[str]] = load_table("letters")[table]
    return letters


def _spell_word(word: str, table: str, vowel: str) -> str:
    letters = _letters(table)
    out = ""
    for index, char in enumerate(word):
        forms = letters.get(char)
        if forms is None:
            continue
        piece = forms[0] if index == 0 else forms[2] if index == len(word) - 1 else forms[1]
        starts_consonant = bool(piece) and piece[0] not in _VOWELS
        if out and starts_consonant and out[-1] not in _VOWELS and index < len(word):
            out += vowel
        out += piece
    return out


def spell_abjad(text: str, table: str, vowel: str) -> str:
    """Spell ``text`` in Latin letters with the letter table and inserted vowel."""
    words: list[str] = []
    for word in text.split():
        if table == "abjad_arabic" and word.startswith(_ARTICLE) and len(word) > 3:
            article = "al-" if vowel == "a" else "el-"
            words.append(article + _spell_word(word[2:], table, vowel))
        else:
            words.append(_spell_word(word, table, vowel))
    return " ".join(w for w in words if w)
