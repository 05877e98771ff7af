"""Evaluate an input contract suite with polars instead of Great Expectations.

:func:`run_suite` returns the same :class:`~pipeline.contracts.engine.Finding`
list as :func:`pipeline.contracts.engine.run_suite` (same rules, same order,
same failing row positions) for the expectation types of the input suites,
read from the same suite JSON (kwargs, severity and message come from the
:class:`~pipeline.contracts.suite.Rule`). It exists for the low-latency
screening path: GX spends 0.2-0.7 s per validation building its metric graph,
whatever the row count. GX stays the reference; ``tests/contracts/
test_fast_equivalence.py`` runs both on the malformation cases and on
hypothesis-generated frames.

Nothing is skipped silently. An expectation type this module does not know,
an argument it does not implement (``mostly`` below 1, ``row_condition``,
...), a regular expression Python cannot compile or that pandas might hand to
RE2 where RE2 and ``re`` could disagree (see ``_re2_disagreement``), a missing
column, or a contract column whose dtype is not text (the readers produce only
``String`` and ``List(String)`` columns) raises :class:`FastEvaluatorUnsupported`
instead of returning findings that might differ from GX's.

Semantics copied from GX 1.24 on pandas (as run by ``engine.run_suite``):

* results come grouped by ``kwargs["column"]`` in order of first appearance,
  rules without a column in one group (``Validator.process_expectations_for_validation``);
* column map rules ignore nulls (except ``not_be_null``) and report failing
  row positions in ascending order; table rules report no rows;
* regular expressions follow Python :mod:`re` ``search`` semantics (what
  pandas 3 guarantees for ``str.contains``, falling back from pyarrow's RE2 to
  ``re`` wherever they could differ). For speed a pattern is translated from
  Python's own parse tree into a Rust regex that polars runs: patterns made only
  of literals, explicit ranges, ``.``, ``^``, ``\\A``, ``\\Z`` and repeats run in
  Rust on every value; patterns with ``\\d \\w \\s \\b`` or ``$`` run in Rust only
  on printable-ASCII values (where both engines agree) and in Python's ``re`` on
  the distinct remaining values; anything else (lookarounds, flags such as
  ``(?i)``, back-references) runs in Python's ``re`` once per distinct value;
* chrilink's custom rules call the same predicates as ``custom.py``
  (``codes.is_readable_date``, ``is_date_within``, ``is_known_country``), once
  per distinct value.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl

from pipeline.contracts.codes import is_date_within, is_known_country, is_readable_date
from pipeline.contracts.engine import Finding
from pipeline.contracts.suite import Rule, Suite
from pipeline.errors import InternalError

_sre: Any = importlib.import_module("re._parser")  # the parser pandas also inspects
NO_COLUMN: Final = "_nocolumn"  # GX's group key for rules without a column
_PRINTABLE_ASCII: Final = r"^[\x20-\x7e]*$"
_IGNORE_ROW_IF: Final = ("all_values_are_missing", "any_value_is_missing", "never")


class FastEvaluatorUnsupported(InternalError):
    """The fast evaluator cannot compute this rule or frame exactly as GX would."""


# --------------------------------------------------------------------------- regexes


class _NoRust(Exception):
    """The pattern uses a construct the translation does not cover."""


_CATEGORIES: Final = {
    _sre.CATEGORY_DIGIT: r"\d",
    _sre.CATEGORY_NOT_DIGIT: r"\D",
    _sre.CATEGORY_SPACE: r"\s",
    _sre.CATEGORY_NOT_SPACE: r"\S",
    _sre.CATEGORY_WORD: r"\w",
    _sre.CATEGORY_NOT_WORD: r"\W",
}
_ANCHORS: Final = {  # Python anchor -> (Rust anchor, same meaning on every string)
    _sre.AT_BEGINNING: ("^", True),
    _sre.AT_BEGINNING_STRING: (r"\A", True),
    _sre.AT_END_STRING: (r"\z", True),
    _sre.AT_END: ("$", False),  # Python: also before a final newline
    _sre.AT_BOUNDARY: (r"\b", False),
    # no \B: Python (< 3.14) never matches it on an empty string, Rust and RE2 do
}


def _char(code: int) -> str:
    return f"\\x{{{code:X}}}"


class _Translator:
    """Python ``re`` parse tree -> Rust regex; ``universal`` is False once a construct
    whose meaning differs between the engines on non-ASCII text or newlines is used."""

    def __init__(self) -> None:
        self.universal = True

    def sequence(self, nodes: Iterable[tuple[Any, Any]]) -> str:
        return "".join(self.node(op, arg) for op, arg in nodes)

    def node(self, op: Any, arg: Any) -> str:
        if op == _sre.LITERAL:
            return _char(arg)
        if op == _sre.NOT_LITERAL:
            return f"[^{_char(arg)}]"
        if op == _sre.ANY:
            return "."  # both engines: any character but \n
        if op == _sre.IN:
            return self.char_class(arg)
        if op == _sre.CATEGORY:
            return self.category(arg)
        if op == _sre.AT and arg in _ANCHORS:
            anchor, universal = _ANCHORS[arg]
            self.universal &= universal
            return anchor
        if op == _sre.SUBPATTERN and not arg[1] and not arg[2]:  # no local flags
            return f"(?:{self.sequence(arg[3])})"
        if op == _sre.BRANCH:
            return "(?:" + "|".join(self.sequence(b) for b in arg[1]) + ")"
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            low, high, body = arg
            count = f"{{{low},}}" if high == _sre.MAXREPEAT else f"{{{low},{high}}}"
            lazy = "?" if op == _sre.MIN_REPEAT else ""
            return f"(?:{self.sequence(body)}){count}{lazy}"
        raise _NoRust(str(op))

    def category(self, arg: Any) -> str:
        if arg not in _CATEGORIES:
            raise _NoRust(str(arg))
        self.universal = False
        return _CATEGORIES[arg]

    def char_class(self, items: Sequence[tuple[Any, Any]]) -> str:
        parts = []
        for op, arg in items:
            if op == _sre.NEGATE:
                parts.append("^")
            elif op == _sre.LITERAL:
                parts.append(_char(arg))
            elif op == _sre.RANGE:
                parts.append(f"{_char(arg[0])}-{_char(arg[1])}")
            elif op == _sre.CATEGORY:
                parts.append(self.category(arg))
            else:
                raise _NoRust(str(op))
        return "[" + "".join(parts) + "]"


def _rust_pattern(pattern: str) -> tuple[str, bool] | None:
    """``(rust_pattern, universal)``, or None when only Python's ``re`` can be trusted."""
    try:
        parsed = _sre.parse(pattern)
        if parsed.state.flags & ~(re.UNICODE | re.VERBOSE):  # (?i), (?m), (?s), (?a) ...
            return None
        translator = _Translator()
        rust = translator.sequence(parsed)
        pl.Series([""], dtype=pl.String).str.contains(rust)  # compiles in Rust?
    except (_NoRust, re.error, pl.exceptions.PolarsError):
        return None
    return rust, translator.universal


# pandas 3 runs str.contains with pyarrow's RE2 unless the pattern needs Python's re
# (pandas.core.arrays._arrow_string_mixins._needs_python_regex). Some patterns always go to
# Python: \u/\U/\N escapes, lookarounds, back-references, \s and \S. Others go to RE2
# unless the column holds non-ASCII text (\w \d \b \B) or a newline ($). The fast
# evaluator computes Python's semantics, so it refuses a pattern that pandas may hand to
# RE2 unless the pattern only uses constructs on which RE2 and Python agree for the data
# pandas gives RE2.
_ESCAPED_UNICODE: Final = re.compile(r"(?<!\\)(?:\\\\)*\\(?:[uU]|N{)")  # as in pandas
_ESCAPE: Final = re.compile(r"\\(x[0-9A-Fa-f]{2}|.)", re.DOTALL)
_AGREED_ESCAPES: Final = frozenset("dDwWbAZnrtfva")
_RE2_AGREED: Final = {
    _sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN, _sre.NEGATE, _sre.RANGE,
    _sre.SUBPATTERN, _sre.BRANCH, _sre.MAX_REPEAT, _sre.MIN_REPEAT,
}  # fmt: skip
_RE2_AGREED_AT: Final = {
    _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING, _sre.AT_END, _sre.AT_END_STRING,
    _sre.AT_BOUNDARY,
}  # fmt: skip
_RE2_AGREED_CATEGORIES: Final = {
    _sre.CATEGORY_DIGIT, _sre.CATEGORY_NOT_DIGIT, _sre.CATEGORY_WORD, _sre.CATEGORY_NOT_WORD,
}  # fmt: skip


def _walk(tokens: Iterable[tuple[Any, Any]]) -> Iterable[tuple[Any, Any]]:
    for op, arg in tokens:
        yield op, arg
        if op == _sre.SUBPATTERN:
            yield from _walk(arg[3])
        elif op == _sre.BRANCH:
            for branch in arg[1]:
                yield from _walk(branch)
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            yield from _walk(arg[2])
        elif op in (_sre.ATOMIC_GROUP, _sre.IN):
            yield from _walk(arg)
        elif op in (_sre.ASSERT, _sre.ASSERT_NOT):
            yield from _walk(arg[1])


def _re2_disagreement(pattern: str) -> str | None:
    """Why pandas' RE2 path could judge some value unlike Python's re, or None."""
    parsed = _sre.parse(pattern)
    nodes = list(_walk(parsed))
    if _ESCAPED_UNICODE.search(pattern) or any(
        op in (_sre.ASSERT, _sre.ASSERT_NOT, _sre.GROUPREF)
        or (op == _sre.CATEGORY and arg in (_sre.CATEGORY_SPACE, _sre.CATEGORY_NOT_SPACE))
        for op, arg in nodes
    ):
        return None  # pandas always uses Python's re for this pattern
    if parsed.state.flags & ~re.UNICODE:
        return "inline flags such as (?i) (RE2 folds case and reads flags differently)"
    for op, arg in nodes:
        if op == _sre.SUBPATTERN and (arg[1] or arg[2]):
            return "inline flags such as (?i:...)"
        if op == _sre.AT and arg not in _RE2_AGREED_AT:
            return r"\B or a multi-line anchor"
        if op == _sre.CATEGORY and arg not in _RE2_AGREED_CATEGORIES:
            return f"category {arg}"
        if (
            op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT)
            and max(arg[0], 0 if arg[1] == _sre.MAXREPEAT else arg[1]) > 1000
        ):
            return "a repeat count above 1000"
        if op not in _RE2_AGREED and op not in (_sre.AT, _sre.CATEGORY):
            return f"{op} (not RE2 syntax)"
    escapes = [m.group(1) for m in _ESCAPE.finditer(pattern)]
    if any(e[0].isalnum() and e[0] not in _AGREED_ESCAPES and e[0] != "x" for e in escapes):
        return "an escape RE2 reads differently"
    if "[:" in pattern or re.search(r"\{,", pattern):
        return "'[:' or '{,' (RE2 reads POSIX classes and '{,n}' differently)"
    return None


@dataclass(frozen=True)
class _Need:
    """Distinct non-null values of a column (``items``: of its list items) that Python must
    judge; ``odd_only``: only those that are not printable ASCII."""

    column: str
    items: bool = False
    odd_only: bool = False

    def expr(self) -> pl.Expr:
        values = pl.col(self.column).explode() if self.items else pl.col(self.column)
        values = values.drop_nulls()
        if self.odd_only:
            values = values.filter(values.str.contains(_PRINTABLE_ASCII).not_())
        return values.unique().implode().alias(repr(self))


@dataclass(frozen=True)
class _Regex:
    python: re.Pattern[str]
    rust: str | None
    universal: bool

    @classmethod
    def compile(cls, rule: Rule, pattern: Any, *, via_pandas: bool = True) -> _Regex:
        """``via_pandas``: GX runs the pattern with pandas ``str.contains`` (not ``re``)."""
        if not isinstance(pattern, str):
            raise _unsupported(rule, "'regex' must be a string")
        try:
            python = re.compile(pattern)
            disagreement = _re2_disagreement(pattern) if via_pandas else None
        except re.error as exc:
            raise _unsupported(rule, f"Python cannot compile its regex ({exc})") from exc
        if disagreement is not None:
            raise _unsupported(rule, f"its regex uses {disagreement}")
        translated = _rust_pattern(pattern)
        if translated is None:
            return cls(python, None, False)
        return cls(python, translated[0], translated[1])

    def need(self, column: str, items: bool = False) -> tuple[_Need, ...]:
        if self.rust is not None and self.universal:
            return ()
        return (_Need(column, items, odd_only=self.rust is not None),)

    def hits(self, value: pl.Expr, column: str, ctx: _Context, items: bool = False) -> pl.Expr:
        """``re.search`` finds the pattern in ``value`` (false for null)."""
        if self.rust is not None and self.universal:
            return value.str.contains(self.rust).fill_null(False)
        need = _Need(column, items, odd_only=self.rust is not None)
        found = [v for v in ctx.distinct[need] if self.python.search(v) is not None]
        python = value.is_in(_literal(found))
        if self.rust is not None:
            plain = value.str.contains(_PRINTABLE_ASCII)
            python = pl.when(plain).then(value.str.contains(self.rust)).otherwise(python)
        return python.fill_null(False)


def _literal(values: list[str]) -> pl.Series:
    return pl.Series(values, dtype=pl.String).implode()


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class _Context:
    """One call: the frame (text columns) and the distinct values Python had to judge."""

    frame: pl.DataFrame
    distinct: dict[_Need, list[str]]


@dataclass(frozen=True)
class _Check:
    """A compiled rule: either ``table`` (success from the frame) or ``bad`` (an expression
    flagging the failing rows of a row-level rule)."""

    rule: Rule
    table: Callable[[pl.DataFrame], bool] | None = None
    bad: Callable[[_Context], pl.Expr] | None = None
    text_columns: tuple[str, ...] = ()
    list_columns: tuple[str, ...] = ()
    needs: tuple[_Need, ...] = ()


def _unsupported(rule: Rule, problem: str) -> FastEvaluatorUnsupported:
    return FastEvaluatorUnsupported(
        f"fast contract evaluator: {rule.label} (rule #{rule.index + 1}): {problem}; "
        "run it with evaluator='gx'"
    )


_COMMON: Final = frozenset({"mostly"})


def _kwargs(rule: Rule, allowed: Iterable[str], required: Iterable[str] = ()) -> dict[str, Any]:
    kwargs = dict(rule.kwargs)
    unknown = sorted(set(kwargs) - set(allowed) - _COMMON)
    if unknown:
        raise _unsupported(rule, f"argument(s) {unknown} are not implemented")
    missing = sorted(set(required) - set(kwargs))
    if missing:
        raise _unsupported(rule, f"argument(s) {missing} are missing")
    mostly = kwargs.pop("mostly", 1)
    if mostly is not None and mostly != 1:
        raise _unsupported(rule, "'mostly' below 1 is not implemented")
    return kwargs


def _column(rule: Rule, kwargs: dict[str, Any]) -> str:
    column = kwargs.get("column")
    if not isinstance(column, str):
        raise _unsupported(rule, "'column' must name one column")
    return column


def _column_list(rule: Rule, kwargs: dict[str, Any]) -> tuple[str, ...]:
    columns = kwargs.get("column_list")
    if (
        not isinstance(columns, list | tuple)
        or not columns
        or not all(isinstance(c, str) for c in columns)
        or len(set(columns)) != len(columns)
    ):
        raise _unsupported(rule, "'column_list' must list distinct column names")
    return tuple(columns)


def _number(rule: Rule, kwargs: dict[str, Any], name: str) -> float | None:
    value = kwargs.get(name)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    raise _unsupported(rule, f"{name!r} must be a number")


def _integer(rule: Rule, kwargs: dict[str, Any], name: str, default: int | None) -> int | None:
    value = kwargs.get(name, default)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise _unsupported(rule, f"{name!r} must be an integer")


def _bounds(rule: Rule, kwargs: dict[str, Any]) -> Callable[[Any], Any]:
    """``min_value``/``max_value``/``strict_*`` as a test (on an int or an expression)."""
    low, high = _number(rule, kwargs, "min_value"), _number(rule, kwargs, "max_value")
    strict_low, strict_high = bool(kwargs.get("strict_min")), bool(kwargs.get("strict_max"))

    def within(value: Any) -> Any:
        ok = True
        if low is not None:
            ok = ok & ((value > low) if strict_low else (value >= low))
        if high is not None:
            ok = ok & ((value < high) if strict_high else (value <= high))
        return ok

    return within


def _map(
    rule: Rule, column: str, bad_value: Callable[[pl.Expr, _Context], pl.Expr], *needs: _Need
) -> _Check:
    """A column map rule: null values are ignored, ``bad_value`` flags failing values."""

    def bad(ctx: _Context) -> pl.Expr:
        value = pl.col(column)
        return value.is_not_null() & bad_value(value, ctx).fill_null(False)

    return _Check(rule, bad=bad, text_columns=(column,), needs=needs)


def _python_predicate(rule: Rule, column: str, predicate: Callable[[str], bool]) -> _Check:
    """A map rule judged by ``predicate``, called once per distinct non-null value."""
    need = _Need(column)

    def bad(value: pl.Expr, ctx: _Context) -> pl.Expr:
        return value.is_in(_literal([v for v in ctx.distinct[need] if not predicate(v)]))

    return _map(rule, column, bad, need)


def _kept(columns: Sequence[str], ignore_row_if: str) -> pl.Expr:
    """Rows a multicolumn rule looks at (GX drops the others before evaluating)."""
    missing = [pl.col(c).is_null() for c in columns]
    if ignore_row_if == "all_values_are_missing":
        return pl.all_horizontal(missing).not_()
    if ignore_row_if == "any_value_is_missing":
        return pl.any_horizontal(missing).not_()
    return pl.lit(True)


def _ignore_row_if(rule: Rule, kwargs: dict[str, Any], default: str) -> str:
    value = kwargs.get("ignore_row_if", default)
    if value not in _IGNORE_ROW_IF:
        raise _unsupported(rule, f"ignore_row_if must be one of {_IGNORE_ROW_IF}")
    return str(value)


# --- one builder per expectation type ------------------------------------------------


def _column_to_exist(rule: Rule) -> _Check:
    column = _column(rule, _kwargs(rule, {"column"}, {"column"}))
    return _Check(rule, table=lambda frame: column in frame.columns)


def _table_any_of_columns(rule: Rule) -> _Check:
    columns = _kwargs(rule, {"column_set"}, {"column_set"})["column_set"]
    if not isinstance(columns, list | tuple) or not all(isinstance(c, str) for c in columns):
        raise _unsupported(rule, "'column_set' must list column names")
    return _Check(rule, table=lambda frame: any(c in frame.columns for c in columns))


def _row_count_between(rule: Rule) -> _Check:
    within = _bounds(rule, _kwargs(rule, {"min_value", "max_value", "strict_min", "strict_max"}))
    return _Check(rule, table=lambda frame: bool(within(frame.height)))


def _of_type(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column", "type_"}, {"column", "type_"})
    if kwargs["type_"] != "str":
        raise _unsupported(rule, "only type_='str' is implemented")
    # The dtype gate admits String and Null columns only, and both pass in GX: pandas 'str'
    # dtype, or an all-None object column with no value to fail.
    return _Check(rule, table=lambda frame: True, text_columns=(_column(rule, kwargs),))


def _not_null(rule: Rule) -> _Check:
    column = _column(rule, _kwargs(rule, {"column"}, {"column"}))
    return _Check(rule, bad=lambda ctx: pl.col(column).is_null(), text_columns=(column,))


def _match_regex(rule: Rule, *, negate: bool) -> _Check:
    kwargs = _kwargs(rule, {"column", "regex"}, {"column", "regex"})
    column = _column(rule, kwargs)
    regex = _Regex.compile(rule, kwargs["regex"])

    def bad(value: pl.Expr, ctx: _Context) -> pl.Expr:
        hits = regex.hits(value, column, ctx)
        return hits if negate else hits.not_()

    return _map(rule, column, bad, *regex.need(column))


def _unique(rule: Rule) -> _Check:
    column = _column(rule, _kwargs(rule, {"column"}, {"column"}))
    return _map(rule, column, lambda value, ctx: value.is_duplicated())


def _lengths_between(rule: Rule) -> _Check:
    allowed = {"column", "min_value", "max_value", "strict_min", "strict_max"}
    kwargs = _kwargs(rule, allowed, {"column"})
    if kwargs.get("min_value") is None and kwargs.get("max_value") is None:
        raise _unsupported(rule, "needs 'min_value' or 'max_value'")
    within = _bounds(rule, kwargs)
    return _map(rule, _column(rule, kwargs), lambda v, ctx: within(v.str.len_chars()).not_())


def _compound_unique(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column_list", "ignore_row_if"}, {"column_list"})
    columns = _column_list(rule, kwargs)
    kept = _kept(columns, _ignore_row_if(rule, kwargs, "all_values_are_missing"))
    # GX drops the ignored rows before comparing; no kept row can equal a dropped one
    # (equal rows have the same nulls), so comparing all rows and masking is the same.
    return _Check(
        rule,
        bad=lambda ctx: pl.struct(columns).is_duplicated() & kept,
        text_columns=columns,
    )


def _readable_dates(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column", "years_ahead"}, {"column"})
    years_ahead = _integer(rule, kwargs, "years_ahead", 0)
    if years_ahead is None:
        raise _unsupported(rule, "'years_ahead' must be an integer")
    return _python_predicate(
        rule, _column(rule, kwargs), lambda v: is_readable_date(v, years_ahead)
    )


def _dates_within(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column", "days_before_today", "days_after_today"}, {"column"})
    before = _integer(rule, kwargs, "days_before_today", None)
    after = _integer(rule, kwargs, "days_after_today", 0)
    if after is None:
        raise _unsupported(rule, "'days_after_today' must be an integer")
    return _python_predicate(
        rule, _column(rule, kwargs), lambda v: is_date_within(v, before, after)
    )


def _known_countries(rule: Rule) -> _Check:
    column = _column(rule, _kwargs(rule, {"column"}, {"column"}))
    return _python_predicate(rule, column, is_known_country)


def _list_items_match(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column", "regex"}, {"column", "regex"})
    column = _column(rule, kwargs)
    regex = _Regex.compile(rule, kwargs["regex"], via_pandas=False)  # custom.py: re.search

    def bad(ctx: _Context) -> pl.Expr:
        # A null item fails (not a str, as in custom.py); an empty list passes.
        item_ok = regex.hits(pl.element(), column, ctx, items=True)
        lists = pl.col(column)
        return lists.is_not_null() & lists.list.eval(item_ok).list.all().not_()

    return _Check(rule, bad=bad, list_columns=(column,), needs=regex.need(column, items=True))


def _any_column_matches(rule: Rule) -> _Check:
    kwargs = _kwargs(rule, {"column_list", "regex", "ignore_row_if"}, {"column_list", "regex"})
    columns = _column_list(rule, kwargs)
    regex = _Regex.compile(rule, kwargs["regex"])
    kept = _kept(columns, _ignore_row_if(rule, kwargs, "never"))  # custom.py's default

    def bad(ctx: _Context) -> pl.Expr:
        matched = pl.any_horizontal(regex.hits(pl.col(c), c, ctx) for c in columns)
        return kept & matched.not_()

    needs = tuple(need for c in columns for need in regex.need(c))
    return _Check(rule, bad=bad, text_columns=columns, needs=needs)


_BUILDERS: Final[dict[str, Callable[[Rule], _Check]]] = {
    "expect_column_to_exist": _column_to_exist,
    "expect_table_to_have_any_of_columns": _table_any_of_columns,
    "expect_table_row_count_to_be_between": _row_count_between,
    "expect_column_values_to_be_of_type": _of_type,
    "expect_column_values_to_not_be_null": _not_null,
    "expect_column_values_to_match_regex": lambda r: _match_regex(r, negate=False),
    "expect_column_values_to_not_match_regex": lambda r: _match_regex(r, negate=True),
    "expect_column_values_to_be_unique": _unique,
    "expect_column_value_lengths_to_be_between": _lengths_between,
    "expect_compound_columns_to_be_unique": _compound_unique,
    "expect_column_values_to_be_readable_dates": _readable_dates,
    "expect_column_values_to_be_dates_within": _dates_within,
    "expect_column_values_to_be_known_countries": _known_countries,
    "expect_column_list_items_to_match_regex": _list_items_match,
    "expect_any_of_select_columns_to_match_regex": _any_column_matches,
}
SUPPORTED_TYPES: Final = frozenset(_BUILDERS)


# --------------------------------------------------------------------------- running


def _gx_order(rules: Sequence[Rule]) -> list[Rule]:
    """The order GX reports results in: grouped by ``column``, groups by first appearance."""
    groups: dict[str, list[Rule]] = {}
    for rule in rules:
        column = rule.kwargs.get("column")
        groups.setdefault(column if isinstance(column, str) else NO_COLUMN, []).append(rule)
    return [rule for group in groups.values() for rule in group]


def compile_suite(suite: Suite) -> tuple[_Check, ...]:
    """The checks of ``suite`` in GX's result order; raises on anything unsupported."""
    checks = []
    for rule in _gx_order(suite.rules):
        builder = _BUILDERS.get(rule.type)
        if builder is None:
            raise _unsupported(rule, "this expectation type is not implemented")
        checks.append(builder(rule))
    return tuple(checks)


_COMPILED: dict[int, tuple[Suite, tuple[_Check, ...]]] = {}


def _checks(suite: Suite) -> tuple[_Check, ...]:
    cached = _COMPILED.get(id(suite))
    if cached is None or cached[0] is not suite:
        cached = (suite, compile_suite(suite))
        _COMPILED[id(suite)] = cached
    return cached[1]


def _is_text(dtype: Any) -> bool:
    return bool(dtype == pl.String or dtype == pl.Null)


def _is_text_list(dtype: Any) -> bool:
    return dtype == pl.Null or (isinstance(dtype, pl.List) and _is_text(dtype.inner))


_TEXT: Final[tuple[pl.DataType, Callable[[Any], bool]]] = (pl.String(), _is_text)
_TEXT_LIST: Final[tuple[pl.DataType, Callable[[Any], bool]]] = (pl.List(pl.String()), _is_text_list)


def _text_frame(frame: pl.DataFrame, checks: Sequence[_Check]) -> pl.DataFrame:
    """Check the dtypes the rules read; cast all-null (``Null``) columns to text."""
    casts: dict[str, pl.DataType] = {}
    for check in checks:
        wanted = [(c, *_TEXT) for c in check.text_columns]
        wanted += [(c, *_TEXT_LIST) for c in check.list_columns]
        for column, target, accepts in wanted:
            if column not in frame.columns:
                raise _unsupported(check.rule, f"column {column!r} is not in the frame")
            dtype = frame.schema[column]
            if not accepts(dtype) or casts.get(column, target) != target:
                raise _unsupported(
                    check.rule, f"column {column!r} has dtype {dtype}; only text is read"
                )
            if dtype != target:
                casts[column] = target
    return frame.with_columns(pl.col(c).cast(t) for c, t in casts.items()) if casts else frame


def run_suite(suite: Suite, frame: pl.DataFrame) -> list[Finding]:
    """Validate ``frame`` against ``suite`` like ``engine.run_suite``; one Finding per rule.

    Row positions are 0-based positions in ``frame`` (GX gets a RangeIndex copy). Two
    polars queries: the distinct values Python must judge, then every row rule at once.
    """
    checks = _checks(suite)
    frame = _text_frame(frame, checks)
    needs = list(dict.fromkeys(need for check in checks for need in check.needs))
    distinct: dict[_Need, list[str]] = {}
    if needs:
        row = frame.select(need.expr() for need in needs).row(0)
        distinct = dict(zip(needs, row, strict=True))
    ctx = _Context(frame, distinct)
    row_checks = [(f"r{i}", c.bad(ctx)) for i, c in enumerate(checks) if c.bad is not None]
    failing = (
        frame.select(bad.arg_true().implode().alias(name) for name, bad in row_checks).row(
            0, named=True
        )
        if row_checks
        else {}
    )
    findings = []
    for i, check in enumerate(checks):
        if check.table is not None:
            findings.append(Finding(check.rule, check.table(frame), ()))
        else:
            rows = tuple(failing[f"r{i}"])
            findings.append(Finding(check.rule, not rows, rows))
    return findings
