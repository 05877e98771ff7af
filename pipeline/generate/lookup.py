"""Precomputed name renderings of every identity, as flat Arrow arrays for vectorized takes.

Identities of all origins get a global id ``gid = offsets[origin] + ident``. For each of
:data:`SLOTS` scheme slots (0 native, 1 passport, 2.. alternates; unused slots repeat the
passport scheme) the surname, given name(s) and middle name spellings sit at
``slot * n + gid``. Spellings are computed once per distinct native part, so building
the table costs a dictionary lookup per identity and slot. Manifest forms (MRZ and
visual zone) are stored per ``gid``. Chunk builders only ``take`` from these arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.generate.origins import Origin
from pipeline.generate.pool import Pool, spell_given
from pipeline.generate.translit import mrz_name, romanize

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
SLOTS = 5


@dataclass(frozen=True)
class NameTable:
    """Flat spelling arrays of every identity (see the module docstring for the layout)."""

    offsets: IntArray
    n: int
    surname: pa.Array
    given: pa.Array
    middle: pa.Array
    has_middle: BoolArray
    schemes: tuple[str, ...]  # origin * SLOTS + slot -> scheme id
    scheme_names: pa.Array
    native_scheme: BoolArray  # origin * SLOTS + slot
    n_schemes: IntArray  # per origin: native + passport + alternates
    family_first: BoolArray
    latin: BoolArray
    slavic: BoolArray
    two_surnames: BoolArray
    joiner: pa.Array  # per origin
    mrz_full: pa.Array  # per gid
    mrz_surname: pa.Array
    mrz_given: pa.Array
    visual_surname: pa.Array
    visual_given: pa.Array
    visual_full: pa.Array

    def gid(self, origin: IntArray, ident: IntArray) -> IntArray:
        out: IntArray = self.offsets[origin] + ident
        return out


def _schemes(origin: Origin) -> list[str]:
    listed = ["native", origin.passport, *origin.alternates]
    if len(listed) > SLOTS:
        raise ValueError(f"origin {origin.code}: more than {SLOTS - 2} alternate schemes")
    return listed + [origin.passport] * (SLOTS - len(listed))


def _mapped(values: Sequence[str], spell: Callable[[str], str]) -> list[str]:
    known = {v: spell(v) for v in dict.fromkeys(values)}
    return [known[v] for v in values]


def _spelled(pool: Pool, scheme: str) -> tuple[list[str], list[str], list[str]]:
    if scheme == "native":  # as ``pool.spelling``: the native parts untouched
        return pool.surname, pool.given, pool.middle

    def surname(text: str) -> str:
        return romanize(text, scheme, surname=True)

    def given(text: str) -> str:
        return spell_given(text, scheme)

    def middle(text: str) -> str:
        return romanize(text, scheme)

    return (
        _mapped(pool.surname, surname),
        _mapped(pool.given, given),
        _mapped(pool.middle, middle),
    )


def visual_given(origin: Origin, given: str, middle: str) -> str:
    """Given names as the passport shows them (middle names kept except patronymics)."""
    if middle and origin.middle not in ("patronymic", "father"):
        return f"{given} {middle}"
    return given


@cache
def _mrz_part(text: str) -> str:
    return mrz_name(text)


def _manifest_forms(origin: Origin, surname: list[str], given: list[str]) -> list[pa.Array]:
    out: list[list[str]] = [[], [], [], [], [], []]
    for s, g in zip(surname, given, strict=True):
        mrz = f"{_mrz_part(s)}<<{_mrz_part(g)}"[:39]
        mrz_s, _, mrz_g = mrz.partition("<<")
        out[0].append(mrz)
        out[1].append(mrz_s.replace("<", " "))
        out[2].append(mrz_g.replace("<", " ").strip())
        out[3].append(s.upper())
        out[4].append(g.upper())
        out[5].append(f"{g} {s}".upper())
    return [pa.array(values, pa.string()) for values in out]


def build_name_table(origins: list[Origin], pools: list[Pool]) -> NameTable:
    """Spell every identity of every pool in every scheme slot."""
    sizes = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    # Arrow arrays per origin (part -> slot -> origin), so no per-identity Python strings
    # of all origins are alive at once.
    slot_parts: list[list[list[pa.Array]]] = [[[] for _ in range(SLOTS)] for _ in range(3)]
    schemes: list[str] = []
    forms: list[list[pa.Array]] = [[], [], [], [], [], []]
    for origin, pool in zip(origins, pools, strict=True):
        done: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for slot, scheme in enumerate(_schemes(origin)):
            schemes.append(scheme)
            if scheme not in done:
                done[scheme] = _spelled(pool, scheme)
            for part in range(3):
                slot_parts[part][slot].append(pa.array(done[scheme][part], pa.string()))
        passport = done[origin.passport]
        shown = [visual_given(origin, g, m) for g, m in zip(passport[1], passport[2], strict=True)]
        for k, values in enumerate(_manifest_forms(origin, passport[0], shown)):
            forms[k].append(values)

    def flat(part: int) -> pa.Array:
        return pa.concat_arrays([a for slot in slot_parts[part] for a in slot])

    middle = flat(2)
    return NameTable(
        offsets=offsets,
        n=int(sizes.sum()),
        surname=flat(0),
        given=flat(1),
        middle=middle,
        has_middle=pc.not_equal(middle, "").to_numpy(zero_copy_only=False),
        schemes=tuple(schemes),
        scheme_names=pa.array(schemes, pa.string()),
        native_scheme=np.array([s == "native" for s in schemes], dtype=np.bool_),
        n_schemes=np.array([2 + len(o.alternates) for o in origins], dtype=np.int64),
        family_first=np.array([o.family_first for o in origins], dtype=np.bool_),
        latin=np.array([o.script == "Latin" for o in origins], dtype=np.bool_),
        slavic=np.array([o.slavic for o in origins], dtype=np.bool_),
        two_surnames=np.array([o.surnames == 2 for o in origins], dtype=np.bool_),
        joiner=pa.array([o.joiner for o in origins], pa.string()),
        mrz_full=pa.concat_arrays(forms[0]),
        mrz_surname=pa.concat_arrays(forms[1]),
        mrz_given=pa.concat_arrays(forms[2]),
        visual_surname=pa.concat_arrays(forms[3]),
        visual_given=pa.concat_arrays(forms[4]),
        visual_full=pa.concat_arrays(forms[5]),
    )
