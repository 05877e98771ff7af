"""Find the text encoding of an input file, or refuse it with one clear line.

Order of steps in :func:`detect_encoding`:

1. A UTF-16 byte-order mark selects UTF-16; a UTF-8 BOM selects UTF-8 (the
   CSV reader drops the BOM itself).
2. The whole file is streamed through a strict UTF-8 decoder; if it decodes,
   it is UTF-8 (the common case, checked in bounded memory).
3. Otherwise ``charset-normalizer`` guesses from the first megabyte. A guess
   of a non-Latin legacy encoding (Cyrillic, Greek, CJK, ...) is refused, since
   decoding it as Western would silently corrupt names. Otherwise the file is
   read as Windows-1252 if it decodes strictly, else as Latin-1.
"""

from __future__ import annotations

import codecs
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from charset_normalizer import from_bytes

from pipeline.errors import BatchRejectedError

BLOCK: Final = 4 * 1024 * 1024
SAMPLE: Final = 1024 * 1024
ACCEPTED_LEGACY: Final = ("cp1252", "latin_1")
#: Guesses that mean "not Western European text": refused rather than misread.
REFUSED_GUESSES: Final = frozenset(
    {
        # Cyrillic, Greek, Hebrew, Arabic
        *("cp1251", "koi8_r", "koi8_u", "iso8859_5", "cp866", "mac_cyrillic"),
        *("cp1253", "iso8859_7", "cp1255", "iso8859_8", "cp1256", "iso8859_6"),
        # CJK and Thai
        *("shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030"),
        *("big5", "big5hkscs", "euc_kr", "cp949", "johab", "tis_620", "cp874"),
        # Wide Unicode encodings without a byte-order mark
        *("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"),
    }
)
_UTF16_BOMS: Final = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _blocks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while block := handle.read(BLOCK):
            yield block


def decodes_as(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly with ``encoding``."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for block in _blocks(path):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def _guess(path: Path) -> str | None:
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE)
    best = from_bytes(sample).best()
    return codecs.lookup(best.encoding).name.replace("-", "_") if best else None


def _legacy(path: Path) -> str | None:
    if _guess(path) in REFUSED_GUESSES:
        return None
    return next((enc for enc in ACCEPTED_LEGACY if decodes_as(path, enc)), None)


def detect_encoding(path: Path) -> str:
    """Return a Python codec name for ``path``; raise BatchRejectedError if unsure."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(_UTF16_BOMS):
        return "utf_16"
    if decodes_as(path, "utf_8"):
        return "utf_8"
    legacy = _legacy(path)
    if legacy is None:
        raise BatchRejectedError(
            f"{path}: text encoding is neither UTF-8 nor Windows-1252/Latin-1; "
            "re-save the file as UTF-8"
        )
    return legacy


def transcode_to_utf8(path: Path, encoding: str, target: Path) -> None:
    """Copy ``path`` to ``target`` as UTF-8 in bounded memory."""
    with (
        codecs.open(str(path), "r", encoding=encoding, errors="strict") as src,
        target.open("w", encoding="utf-8", newline="") as dst,
    ):
        shutil.copyfileobj(src, dst, BLOCK)
