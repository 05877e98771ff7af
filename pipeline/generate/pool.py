"""Name identities per origin: every person has its own, drawn part by part.

Each identity is a sex and, per name part (surname, given name(s), middle name), a code
into its origin's vocabulary of distinct native parts. Parts are drawn independently from
the weighted name lists, so two persons share a full name as often as the product of the
part frequencies implies, whatever the size of the world. Spellings are computed once
per distinct native *part* (``lookup.py``) and composed per person; the record and
manifest builders only look them up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from pipeline.generate.origins import NameLists, Origin, WeightedNames, name_lists
from pipeline.generate.translit import mrz_name, romanize

IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.int32]
SexArray = npt.NDArray[np.int8]

SECOND_GIVEN_RATE = 0.25  # share of persons with a second given name where customary
TWO_CHAR_GIVEN_RATE = 0.7  # share of Chinese given names with two characters
PARTS = ("surname", "given", "middle")


@dataclass(frozen=True)
class Parts:
    """A name split as a record would: family name, given name(s), middle name."""

    surname: str
    given: str
    middle: str


@dataclass(frozen=True)
class Identity:
    """One native name and its spellings (scheme id -> parts)."""

    sex: int  # 0 male, 1 female
    native: Parts
    spellings: dict[str, Parts] = field(default_factory=dict)


@dataclass
class Pool:
    """The identities of one origin as columns: sex and one vocabulary code per name part.

    ``vocab[p]`` lists the distinct native values of part ``p`` (``PARTS``) in order of
    first use; ``codes[p, i]`` is identity ``i``'s index into it.
    """

    origin: Origin
    sex: SexArray
    codes: CodeArray  # (3, n)
    vocab: tuple[list[str], list[str], list[str]]
    known: tuple[dict[str, int], dict[str, int], dict[str, int]]

    @classmethod
    def empty(cls, origin: Origin) -> Pool:
        return cls(origin, np.zeros(0, np.int8), np.zeros((3, 0), np.int32), ([], [], []),
                   ({}, {}, {}))  # fmt: skip

    def __len__(self) -> int:
        return len(self.sex)

    def identity(self, index: int) -> Identity:
        """Identity ``index`` (a fresh object: spellings are cached per call site)."""
        surname, given, middle = self.codes[:, index].tolist()
        parts = Parts(self.vocab[0][surname], self.vocab[1][given], self.vocab[2][middle])
        return Identity(int(self.sex[index]), parts)

    def column(self, part: str) -> list[str]:
        """The native ``part`` (one of ``PARTS``) of every identity."""
        p = PARTS.index(part)
        values = self.vocab[p]
        return [values[c] for c in self.codes[p].tolist()]

    def code(self, part: int, text: str) -> int:
        """Vocabulary code of a native part value (added when new)."""
        found = self.known[part].get(text)
        if found is None:
            found = len(self.vocab[part])
            self.known[part][text] = found
            self.vocab[part].append(text)
        return found

    def extend(self, sex: IntArray, codes: npt.NDArray[np.int32]) -> IntArray:
        """Append identities (sex and part codes, shape (3, n)); return their indices."""
        start = len(self)
        self.sex = np.concatenate([self.sex, sex.astype(np.int8)])
        self.codes = np.concatenate([self.codes, codes.astype(np.int32)], axis=1)
        return np.arange(start, len(self), dtype=np.int64)

    def add_many(self, identities: Sequence[Identity]) -> IntArray:
        """Append identities given by their native parts; return their indices."""
        sex = np.array([i.sex for i in identities], dtype=np.int64)
        codes = np.array(
            [[self.code(p, getattr(i.native, PARTS[p])) for i in identities] for p in range(3)],
            dtype=np.int32,
        ).reshape(3, len(identities))
        return self.extend(sex, codes)

    def add(self, identity: Identity) -> int:
        return int(self.add_many([identity])[0])

    def draw(self, n: int, rng: np.random.Generator) -> IntArray:
        """``n`` new identities drawn from the weighted name lists; return their indices."""
        sex = rng.integers(0, 2, size=n)
        codes = np.zeros((3, n), dtype=np.int32)
        for value in (0, 1):
            rows = np.flatnonzero(sex == value)
            codes[:, rows] = _draw_codes(self, value, len(rows), rng)
        return self.extend(sex, codes)


def _draw(names: WeightedNames, rng: np.random.Generator) -> str:
    return names.names[int(np.searchsorted(names.cdf, rng.random(), side="right"))]


def draw_given(origin: Origin, sex: int, rng: np.random.Generator) -> str:
    """A given name (with an optional second one) for a person of ``origin``."""
    lists = name_lists(origin.code)
    first = _draw(lists.given[sex], rng)
    if origin.han_given and len(first) == 1 and rng.random() < TWO_CHAR_GIVEN_RATE:
        return first + _draw(lists.given[sex], rng)
    return first


def _middle(origin: Origin, lists: NameLists, sex: int, rng: np.random.Generator) -> str:
    if lists.middle is not None:
        return _draw(lists.middle[sex], rng)
    if origin.middle == "father":
        return _draw(lists.given[0], rng)
    if origin.middle == "second_given" and rng.random() < SECOND_GIVEN_RATE:
        return _draw(lists.given[sex], rng)
    return ""


def _surname(origin: Origin, lists: NameLists, sex: int, rng: np.random.Generator) -> str:
    first = _draw(lists.surnames[sex], rng)
    if origin.surnames == 2:
        return first + " " + _draw(lists.surnames[sex], rng)
    return first


def draw_identity(origin: Origin, rng: np.random.Generator, sex: int | None = None) -> Identity:
    """A new identity of ``origin`` drawn from the weighted name lists."""
    lists = name_lists(origin.code)
    chosen = int(rng.integers(0, 2)) if sex is None else sex
    parts = Parts(
        _surname(origin, lists, chosen, rng),
        draw_given(origin, chosen, rng),
        _middle(origin, lists, chosen, rng),
    )
    return Identity(chosen, parts)


def _draw_many(names: WeightedNames, rng: np.random.Generator, n: int) -> IntArray:
    """Indices into ``names.names`` of ``n`` weighted draws."""
    index = np.searchsorted(names.cdf, rng.random(n), side="right")
    out: IntArray = np.minimum(index, len(names.names) - 1).astype(np.int64)
    return out


def _pair_keys(
    first: IntArray, second: IntArray, use: npt.NDArray[np.bool_], size: int
) -> IntArray:
    """One integer per (first, optional second) draw: ``second == size`` means none."""
    out: IntArray = first * (size + 1) + np.where(use, second, size)
    return out


def _encode(
    pool: Pool, part: int, keys: IntArray, text: Callable[[int, int], str], size: int
) -> CodeArray:
    """Vocabulary codes of drawn parts, building each distinct value's string once."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    table = np.array(
        [pool.code(part, text(k // (size + 1), k % (size + 1))) for k in distinct.tolist()],
        dtype=np.int32,
    )
    out: CodeArray = table[inverse.reshape(-1)]
    return out


def _joined(names: Sequence[str], sep: str) -> Callable[[int, int], str]:
    size = len(names)

    def text(first: int, second: int) -> str:
        return names[first] if second == size else names[first] + sep + names[second]

    return text


def _draw_codes(pool: Pool, sex: int, n: int, rng: np.random.Generator) -> CodeArray:
    """Vectorized ``draw_identity`` for ``n`` persons of one sex (same distributions)."""
    origin = pool.origin
    lists = name_lists(origin.code)
    codes = np.zeros((3, n), dtype=np.int32)
    surnames = lists.surnames[sex]
    first = _draw_many(surnames, rng, n)
    second = _draw_many(surnames, rng, n) if origin.surnames == 2 else first
    size = len(surnames.names)
    keys = _pair_keys(first, second, np.full(n, origin.surnames == 2), size)
    codes[0] = _encode(pool, 0, keys, _joined(surnames.names, " "), size)
    given = lists.given[sex]
    first = second = _draw_many(given, rng, n)
    two = np.zeros(n, dtype=np.bool_)
    if origin.han_given:
        single = np.array([len(g) == 1 for g in given.names], dtype=np.bool_)[first]
        two = single & (rng.random(n) < TWO_CHAR_GIVEN_RATE)
        second = _draw_many(given, rng, n)
    size = len(given.names)
    codes[1] = _encode(
        pool, 1, _pair_keys(first, second, two, size), _joined(given.names, ""), size
    )
    codes[2] = _middle_codes(pool, lists, sex, n, rng)
    return codes


def _middle_codes(
    pool: Pool, lists: NameLists, sex: int, n: int, rng: np.random.Generator
) -> CodeArray:
    origin = pool.origin
    use = np.ones(n, dtype=np.bool_)
    if lists.middle is not None:
        names = lists.middle[sex]
    elif origin.middle == "father":
        names = lists.given[0]
    elif origin.middle == "second_given":
        use = rng.random(n) < SECOND_GIVEN_RATE
        names = lists.given[sex]
    else:
        return np.full(n, pool.code(2, ""), dtype=np.int32)
    size = len(names.names)
    drawn = _draw_many(names, rng, n)
    # A middle name is one list entry or none: key = drawn, or ``size`` for none.
    keys = _pair_keys(np.where(use, drawn, size), drawn, np.zeros(n, np.bool_), size)

    def text(first: int, _: int) -> str:
        return names.names[first] if first < size else ""

    return _encode(pool, 2, keys, text, size)


def build_pool(origin: Origin, size: int, rng: np.random.Generator) -> Pool:
    """A pool of ``size`` identities of ``origin`` drawn from the weighted lists."""
    pool = Pool.empty(origin)
    pool.draw(size, rng)
    return pool


def spell(parts: Parts, scheme: str) -> Parts:
    """Romanize each part of a native name with ``scheme``."""
    return Parts(
        romanize(parts.surname, scheme, surname=True),
        spell_given(parts.given, scheme),
        romanize(parts.middle, scheme),
    )


def spell_given(given: str, scheme: str) -> str:
    """Romanize given name(s) token by token (Chinese given names as one unit)."""
    return " ".join(romanize(t, scheme) for t in _given_tokens(given, scheme))


def _given_tokens(given: str, scheme: str) -> list[str]:
    if scheme in ("pinyin", "pinyin_split", "wade_giles"):
        return [given]
    return given.split(" ")


def spelling(identity: Identity, scheme: str) -> Parts:
    """The identity's parts in ``scheme``, computed once."""
    found = identity.spellings.get(scheme)
    if found is None:
        found = identity.native if scheme == "native" else spell(identity.native, scheme)
        identity.spellings[scheme] = found
    return found


def mrz_form(origin: Origin, identity: Identity) -> str:
    """``SURNAME<<GIVEN<NAMES`` from the passport spelling, truncated to the 39-char field."""
    parts = spelling(identity, origin.passport)
    given = parts.given
    if parts.middle and origin.middle not in ("patronymic", "father"):
        given = f"{given} {parts.middle}"
    text = f"{mrz_name(parts.surname)}<<{mrz_name(given)}"
    return text[:39]
