"""Precomputed name spellings per distinct name part, as flat Arrow arrays for vectorized takes.

Identities of all origins get a global id ``gid = offsets[origin] + ident``; ``codes[p, gid]``
is the identity's native value of part ``p`` (surname, given, middle) as an index into its
origin's vocabulary of that part (the pools' code arrays are views of it). The origins'
vocabularies are laid end to end (``vocab_offsets[p, origin]``). For each of :data:`SLOTS`
scheme slots (0 native, 1 passport, 2.. alternates; unused slots repeat the passport scheme)
the spelling of entry ``v`` of part ``p`` sits at ``slot * vocab_size[p] + v``
(:meth:`NameTable.index`). So romanization runs once per
distinct part and scheme, and memory grows with the number of persons only by three codes
each. Manifest forms (MRZ and visual zone) are composed per chunk from the passport
spellings (:func:`manifest_forms`). Chunk builders only ``take`` from these arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
PASSPORT_SLOT = 1
FORMS_BLOCK = 16_384  # manifest forms are composed in Python lists this long at most
_romanize = romanize.__wrapped__  # vocabulary entries are distinct: no cache to fill


@dataclass(frozen=True)
class NameTable:
    """Part spellings and per-identity part codes (see the module docstring for the layout)."""

    offsets: IntArray
    codes: npt.NDArray[np.int32]  # (3, n identities): index into the origin's vocabulary
    vocab_offsets: IntArray  # (3, n origins)
    vocab_size: tuple[int, int, int]
    surname: pa.Array
    given: pa.Array
    middle: pa.Array
    has_middle: BoolArray  # per middle spelling
    schemes: tuple[str, ...]  # origin * SLOTS + slot -> scheme id
    scheme_names: pa.Array
    native_scheme: BoolArray  # origin * SLOTS + slot
    n_schemes: IntArray  # per origin: native + passport + alternates
    family_first: BoolArray
    latin: BoolArray
    slavic: BoolArray
    two_surnames: BoolArray
    visual_middle: BoolArray  # per origin: the passport shows the middle name
    joiner: pa.Array  # per origin

    @property
    def parts(self) -> tuple[pa.Array, pa.Array, pa.Array]:
        """Surname, given and middle spellings (index with :meth:`index`)."""
        return self.surname, self.given, self.middle

    def gid(self, origin: IntArray, ident: IntArray) -> IntArray:
        out: IntArray = self.offsets[origin] + ident
        return out

    def index(self, part: int, slot: IntArray, origin: IntArray, gid: IntArray) -> IntArray:
        """Where the spelling of ``part`` of identities ``gid`` in scheme ``slot`` sits."""
        start = slot * self.vocab_size[part] + self.vocab_offsets[part, origin]
        out: IntArray = start + self.codes[part, gid]
        return out


def _schemes(origin: Origin) -> list[str]:
    listed = ["native", origin.passport, *origin.alternates]
    if len(listed) > SLOTS:
        raise ValueError(f"origin {origin.code}: more than {SLOTS - 2} alternate schemes")
    return listed + [origin.passport] * (SLOTS - len(listed))


def _spelled(pool: Pool, scheme: str) -> tuple[list[str], list[str], list[str]]:
    """The pool's part vocabularies spelled in ``scheme`` (native: untouched)."""
    if scheme == "native":
        return pool.vocab

    def spell(values: Sequence[str], how: Callable[[str], str]) -> list[str]:
        return [how(v) for v in values]

    return (
        spell(pool.vocab[0], lambda t: _romanize(t, scheme, True)),
        spell(pool.vocab[1], lambda t: spell_given(t, scheme)),
        spell(pool.vocab[2], lambda t: _romanize(t, scheme)),
    )


@lru_cache(maxsize=1 << 16)  # bounded: most part spellings are rare
def _mrz_part(text: str) -> str:
    return mrz_name(text)


def _forms(surname: list[str], given: list[str]) -> list[pa.Array]:
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


MANIFEST_FORMS = ("mrz_full", "mrz_surname", "mrz_given", "visual_surname", "visual_given",
                  "visual_full")  # fmt: skip


def manifest_forms(table: NameTable, origin: IntArray, gid: IntArray) -> dict[str, pa.Array]:
    """Passport forms of identities ``gid`` (:data:`MANIFEST_FORMS`): MRZ (ICAO folding,
    39 chars) and visual zone, from the passport spellings; composed once per distinct
    (surname, given, shown middle) spelling of the chunk."""
    slot = np.full(len(gid), PASSPORT_SLOT, dtype=np.int64)
    index = [table.index(p, slot, origin, gid) for p in range(3)]
    shown = table.visual_middle[origin] & table.has_middle[index[2]]
    middle = np.where(shown, index[2], -1) + 1  # 0: no middle name shown
    key = (index[0] * (len(table.given) + 1) + index[1]) * (len(table.middle) + 1) + middle
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    blocks = [_distinct_forms(table, index, shown, first[i : i + FORMS_BLOCK])
              for i in range(0, len(first), FORMS_BLOCK)] or [_forms([], [])]  # fmt: skip
    rows = pa.array(inverse.reshape(-1))
    return {
        name: pa.concat_arrays([b[k] for b in blocks]).take(rows)
        for k, name in enumerate(MANIFEST_FORMS)
    }


def _distinct_forms(
    table: NameTable, index: list[IntArray], shown: BoolArray, rows: IntArray
) -> list[pa.Array]:
    surname, given, middle = (
        values.take(pa.array(index[p][rows])).to_pylist() for p, values in enumerate(table.parts)
    )
    visual = [f"{g} {m}" if k else g for g, m, k in zip(given, middle, shown[rows], strict=True)]
    return _forms(surname, visual)


def build_name_table(origins: list[Origin], pools: list[Pool]) -> NameTable:
    """Spell every distinct name part of every pool in every scheme slot."""
    sizes = np.array([len(p) for p in pools], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    # Arrow arrays per origin (part -> slot -> origin).
    slot_parts: list[list[list[pa.Array]]] = [[[] for _ in range(SLOTS)] for _ in range(3)]
    schemes: list[str] = []
    vocab_sizes = np.array([[len(v) for v in pool.vocab] for pool in pools], np.int64)
    vocab_offsets = (np.cumsum(vocab_sizes, axis=0) - vocab_sizes).T.reshape(3, len(pools))
    for origin, pool in zip(origins, pools, strict=True):
        done: dict[str, tuple[list[str], list[str], list[str]]] = {}
        for slot, scheme in enumerate(_schemes(origin)):
            schemes.append(scheme)
            if scheme not in done:
                done[scheme] = _spelled(pool, scheme)
            for part in range(3):
                slot_parts[part][slot].append(pa.array(done[scheme][part], pa.string()))

    def flat(part: int) -> pa.Array:
        return pa.concat_arrays([a for slot in slot_parts[part] for a in slot])

    codes = np.concatenate([p.codes for p in pools], axis=1)
    for pool, start in zip(pools, offsets.tolist(), strict=True):
        pool.codes = codes[:, start : start + len(pool)]  # one copy of the codes
    middle = flat(2)
    total = vocab_sizes.sum(axis=0).tolist()
    return NameTable(
        offsets=offsets,
        codes=codes,
        vocab_offsets=vocab_offsets,
        vocab_size=(int(total[0]), int(total[1]), int(total[2])),
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
        visual_middle=np.array(
            [o.middle not in ("patronymic", "father") for o in origins], dtype=np.bool_
        ),
        joiner=pa.array([o.joiner for o in origins], pa.string()),
    )
