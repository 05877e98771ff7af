"""Name features for many names at once, as Arrow columns.

Gives exactly the values of :func:`.names.name_features` for every name, but:

1. Every distinct raw token is transliterated and coded once per batch
   (:class:`_TokenInfo`: Latin form, key, per-token codes, skeleton,
   phonetic codes, KB ids, letter scripts).
2. Every distinct joined pair of adjacent tokens is keyed once per batch.
3. Per name only the cheap assembly runs (parse, title/particle filtering,
   de-duplication), appending to flat value lists and offsets.
4. The columns are built as Arrow arrays from those flat lists (no nested
   Python lists through polars' slow constructor).

``tests/standardize/test_batch.py`` checks equality with ``name_features``.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl
import pyarrow as pa

from pipeline.standardize.kb import kb_ids
from pipeline.standardize.keys import fold_key, phonetic_codes, skeleton
from pipeline.standardize.names import (
    _MIN_SKELETON,
    _latin,
    _particles,
    _titles,
    _Token,
    _token_codes,
    joined_loose,
    pinyin_joins,
)
from pipeline.standardize.parse import parse_name
from pipeline.standardize.scripts import _letter_scripts, base_script

NAME_COLUMNS = (
    "name_script",
    "name_tokens",
    "name_keys",
    "name_joined",
    "name_token_codes",
    "name_skeletons",
    "name_phonetic",
    "name_kb",
    "name_sorted",
    "surname_key",
    "given_key",
)


_FLAT_LISTS = (
    "name_tokens",
    "name_keys",
    "name_joined",
    "name_skeletons",
    "name_phonetic",
    "name_kb",
)


@dataclass(frozen=True, slots=True)
class _TokenInfo:
    latin: str
    kept: bool  # non-empty Latin form and not a title
    particle: bool
    key: str
    skeleton: str  # skeleton of the W→U key, '' when shorter than _MIN_SKELETON
    codes: tuple[str, ...]
    phonetic: tuple[str, ...]
    kb: tuple[str, ...]
    scripts: Counter[str]


@dataclass(frozen=True, slots=True)
class _PairInfo:
    key: str
    skeleton: str
    kb: tuple[str, ...]


def _token_info(raw: str) -> _TokenInfo:
    latin = _latin(raw)
    kept = bool(latin) and latin not in _titles()
    particle = latin in _particles() or raw in _particles()
    if not kept:
        return _TokenInfo(latin, False, particle, "", "", (), (), (), _letter_scripts(raw))
    bones = skeleton(fold_key(latin.replace("W", "U")))
    return _TokenInfo(
        latin=latin,
        kept=True,
        particle=particle,
        key=fold_key(latin),
        skeleton=bones if len(bones) >= _MIN_SKELETON else "",
        codes=_token_codes(_Token(raw, latin, True)),
        phonetic=phonetic_codes(latin),
        kb=kb_ids(raw, latin),
        scripts=_letter_scripts(raw),
    )


def _pair_info(joined: str) -> _PairInfo:
    bones = skeleton(fold_key(joined.replace("W", "U")))
    return _PairInfo(
        key=fold_key(joined),
        skeleton=bones if len(bones) >= _MIN_SKELETON else "",
        kb=kb_ids("", joined),
    )


class _Columns:
    """Flat values and offsets of the name feature columns."""

    def __init__(self) -> None:
        self.script: list[str | None] = []
        self.sorted: list[str | None] = []
        self.surname: list[str | None] = []
        self.given: list[str | None] = []
        self.lists: dict[str, tuple[list[str], list[int]]] = {c: ([], [0]) for c in _FLAT_LISTS}
        self.code_values: list[str] = []
        self.code_inner: list[int] = [0]
        self.code_outer: list[int] = [0]

    def add(self, column: str, values: Iterable[str]) -> None:
        flat, offsets = self.lists[column]
        flat.extend(values)
        offsets.append(len(flat))

    def table(self) -> pa.Table:
        def strings(values: Sequence[str | None]) -> pa.Array:
            return pa.array(values, type=pa.large_string())

        def lists(flat: list[str], offsets: list[int]) -> pa.Array:
            return pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), strings(flat))

        inner = lists(self.code_values, self.code_inner)
        codes = pa.LargeListArray.from_arrays(pa.array(self.code_outer, type=pa.int64()), inner)
        columns: dict[str, pa.Array] = {
            "name_script": strings(self.script),
            **{c: lists(*self.lists[c]) for c in ("name_tokens", "name_keys", "name_joined")},
            "name_token_codes": codes,
            **{c: lists(*self.lists[c]) for c in ("name_skeletons", "name_phonetic", "name_kb")},
            "name_sorted": strings(self.sorted),
            "surname_key": strings(self.surname),
            "given_key": strings(self.given),
        }
        return pa.table({c: columns[c] for c in NAME_COLUMNS})


def _dedup(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


class NameBatch:
    """Accumulates name features of many names; token and pair work is shared."""

    def __init__(self) -> None:
        self._tokens: dict[str, _TokenInfo] = {}
        self._pairs: dict[str, _PairInfo] = {}
        self._out = _Columns()

    def _token(self, raw: str) -> _TokenInfo:
        info = self._tokens.get(raw)
        if info is None:
            info = self._tokens[raw] = _token_info(raw)
        return info

    def _pair(self, joined: str) -> _PairInfo:
        info = self._pairs.get(joined)
        if info is None:
            info = self._pairs[joined] = _pair_info(joined)
        return info

    def add(self, surname: str | None, given_names: str | None, full_name: str | None) -> None:
        """Append the features of one name (same values as ``name_features``)."""
        parsed = parse_name(surname, given_names, full_name)
        out = self._out
        counts: Counter[str] = Counter()
        infos: list[tuple[_TokenInfo, bool]] = []
        for raw in parsed.family:
            info = self._token(raw)
            counts.update(info.scripts)
            if info.kept:
                infos.append((info, True))
        for raw in parsed.given:
            info = self._token(raw)
            counts.update(info.scripts)
            if info.kept:
                infos.append((info, False))
        out.script.append(base_script(counts.most_common(1)[0][0]) if counts else None)
        kept = [x for x in infos if not x[0].particle]
        tokens = kept if len(kept) >= 2 else infos
        pairs = [self._pair(a.latin + b.latin) for (a, _), (b, _) in itertools.pairwise(infos)]
        token_keys = [t.key for t, _ in tokens]
        keys = _dedup(token_keys)
        key_set = set(keys)
        out.add("name_tokens", _dedup(t.latin for t, _ in tokens))
        out.add("name_keys", keys)
        pinyin = [
            k
            for (a, _), (b, _) in itertools.pairwise(infos)
            for k in pinyin_joins(a.latin, b.latin)
            if k not in key_set
        ]
        out.add(
            "name_joined",
            _dedup(
                itertools.chain(
                    (p.key for p in pairs if p.key not in key_set),
                    pinyin,
                    (
                        c
                        for (a, _), (b, _) in itertools.pairwise(infos)
                        for c in joined_loose(a.latin, b.latin)
                    ),
                )
            ),
        )
        for t, _ in tokens:
            out.code_values.extend(t.codes)
            out.code_inner.append(len(out.code_values))
        out.code_outer.append(len(out.code_inner) - 1)
        out.add(
            "name_skeletons",
            _dedup(itertools.chain((t.skeleton for t, _ in tokens), (p.skeleton for p in pairs))),
        )
        out.add("name_phonetic", _dedup(c for t, _ in tokens for c in t.phonetic))
        kb = {i for t, _ in tokens for i in t.kb}
        kb.update(i for p in pairs for i in p.kb)
        out.add("name_kb", sorted(kb))
        out.sorted.append(" ".join(sorted(set(token_keys))) or None)
        out.surname.append(next((t.key for t, fam in tokens if fam), None))
        out.given.append(next((t.key for t, fam in tokens if not fam), None))

    def frame(self) -> pl.DataFrame:
        """Columns (``NAME_COLUMNS``) of the names added since the last call; then resets.

        Token work stays cached across calls; pair work (mostly unique per name) does not.
        """
        frame = pl.from_arrow(self._out.table())
        assert isinstance(frame, pl.DataFrame)
        self._out = _Columns()
        self._pairs = {}
        return frame


def name_feature_frame(
    names: Iterable[tuple[str | None, str | None, str | None]],
    *,
    chunk: int = 200_000,
) -> pl.DataFrame:
    """Name feature columns (``NAME_COLUMNS``) of (surname, given_names, full_name) rows.

    Arrow columns are built every ``chunk`` names, which bounds the Python lists held.
    """
    batch = NameBatch()
    parts: list[pl.DataFrame] = []
    for n, (surname, given, full) in enumerate(names, start=1):
        batch.add(surname, given, full)
        if n % chunk == 0:
            parts.append(batch.frame())
    parts.append(batch.frame())
    return pl.concat(parts, how="vertical")
