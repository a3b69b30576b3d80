"""OData v3 query options as the CBS feed understands them: ``$filter`` and ``$select``.

:func:`parse_filter` turns a ``$filter`` text (``eq ne gt ge lt le``, ``startswith``,
``endswith``, ``substringof``, ``and or not``, parentheses) into a predicate on a row; it
parses, never evaluates code, and refuses overlong or deeply nested input. Used by the replay
server (:mod:`replay`) to answer like the live service.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

MAX_FILTER_LENGTH: Final = 20_000
"""Longer ``$filter`` texts are refused."""

MAX_FILTER_DEPTH: Final = 32
"""Deeper nesting of parentheses or ``not`` is refused."""

_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")


class QueryError(ValueError):
    """A query option the replay cannot serve; answered with HTTP 400 and this message."""


Row = Mapping[str, Any]
Predicate = Callable[[Row], bool]

_COMPARISONS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_FUNCTIONS: Final[Mapping[str, Callable[[str, str], bool]]] = {
    "startswith": str.startswith,  # startswith(Field, 'x')
    "endswith": str.endswith,  # endswith(Field, 'x')
    "substringof": lambda value, text: text in value,  # substringof('x', Field)
}
_LITERALS: Final[Mapping[str, Any]] = {"null": None, "true": True, "false": False}
_KEYWORDS: Final = frozenset({"and", "or", "not", *_COMPARISONS, *_FUNCTIONS, *_LITERALS})
_TOKEN: Final = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')"
    r"|(?P<number>-?\d+(?:\.\d+)?(?![A-Za-z0-9_]))"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<punct>[(),]))"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # string, number, name, punct, end
    text: str
    pos: int


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            if not text[pos:].strip():
                break
            bad = len(text[pos:]) - len(text[pos:].lstrip()) + pos
            raise QueryError(f"$filter: unexpected character {text[bad]!r} at position {bad}")
        tokens.append(
            _Token(match.lastgroup, match.group(match.lastgroup), match.start(match.lastgroup))
        )
        pos = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _FilterParser:
    """Recursive descent over ``or`` < ``and`` < ``not`` < comparison / function / group."""

    def __init__(self, text: str, columns: Collection[str] | None) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.depth = 0
        self.columns = columns

    def parse(self) -> Predicate:
        predicate = self.disjunction()
        token = self.peek()
        if token.kind != "end":
            raise QueryError(f"$filter: unexpected {token.text!r} at position {token.pos}")
        return predicate

    def peek(self) -> _Token:
        return self.tokens[self.i]

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = repr(text) if text is not None else f"a {kind}"
            found = repr(token.text) if token.kind != "end" else "the end"
            raise QueryError(f"$filter: expected {wanted} at position {token.pos}, found {found}")
        self.i += 1
        return token

    def keyword(self, *words: str) -> str | None:
        token = self.peek()
        if token.kind == "name" and token.text in words:
            self.i += 1
            return token.text
        return None

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_FILTER_DEPTH:
            raise QueryError(f"$filter: nested deeper than {MAX_FILTER_DEPTH} levels")

    def disjunction(self) -> Predicate:
        parts = [self.conjunction()]
        while self.keyword("or"):
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else _any_of(tuple(parts))

    def conjunction(self) -> Predicate:
        parts = [self.negation()]
        while self.keyword("and"):
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else _all_of(tuple(parts))

    def negation(self) -> Predicate:
        if self.keyword("not"):
            self.nest()
            inner = self.negation()
            self.depth -= 1
            return _negated(inner)
        return self.primary()

    def primary(self) -> Predicate:
        token = self.peek()
        if token.kind == "punct" and token.text == "(":
            self.i += 1
            self.nest()
            inner = self.disjunction()
            self.take("punct", ")")
            self.depth -= 1
            return inner
        if token.kind == "name" and token.text in _FUNCTIONS:
            return self.function()
        name = self.field()
        op = self.peek()
        if not (op.kind == "name" and op.text in _COMPARISONS):
            raise QueryError(
                f"$filter: expected an operator ({', '.join(_COMPARISONS)}) at position "
                f"{op.pos}, found {op.text or 'the end'!r}"
            )
        self.i += 1
        return _compared(name, _COMPARISONS[op.text], self.literal())

    def function(self) -> Predicate:
        func = self.take("name").text
        self.take("punct", "(")
        if func == "substringof":
            needle = self.string()
            self.take("punct", ",")
            name = self.field()
        else:
            name = self.field()
            self.take("punct", ",")
            needle = self.string()
        self.take("punct", ")")
        predicate = _called(_FUNCTIONS[func], name, needle)
        op = self.keyword("eq", "ne")  # OData v3 style: startswith(F,'x') eq true
        if op is None:
            return predicate
        wanted = self.literal()
        if not isinstance(wanted, bool):
            raise QueryError(f"$filter: {func}(...) {op} needs true or false")
        return predicate if (wanted is True) == (op == "eq") else _negated(predicate)

    def field(self) -> str:
        token = self.peek()
        if token.kind != "name" or token.text in _KEYWORDS:
            found = repr(token.text) if token.kind != "end" else "the end"
            raise QueryError(
                f"$filter: expected a property name at position {token.pos}, found {found}"
            )
        self.i += 1
        if self.columns is not None and token.text not in self.columns:
            raise QueryError(f"$filter: unknown property {token.text!r} at position {token.pos}")
        return token.text

    def string(self) -> str:
        return self.take("string").text[1:-1].replace("''", "'")

    def literal(self) -> Any:
        token = self.peek()
        if token.kind == "string":
            return self.string()
        if token.kind == "number":
            self.i += 1
            return float(token.text) if "." in token.text else int(token.text)
        if token.kind == "name" and token.text in _LITERALS:
            self.i += 1
            return _LITERALS[token.text]
        found = repr(token.text) if token.kind != "end" else "the end"
        raise QueryError(
            f"$filter: expected a value ('text', a number, null, true or false) at position "
            f"{token.pos}, found {found}"
        )


def _any_of(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda row: any(p(row) for p in parts)


def _all_of(parts: tuple[Predicate, ...]) -> Predicate:
    return lambda row: all(p(row) for p in parts)


def _negated(inner: Predicate) -> Predicate:
    return lambda row: not inner(row)


def _compared(name: str, op: Callable[[Any, Any], Any], value: Any) -> Predicate:
    def predicate(row: Row) -> bool:
        try:
            return bool(op(row.get(name), value))
        except TypeError:  # None or mixed types under an ordering: no match, as in OData
            return False

    return predicate


def _called(func: Callable[[str, str], bool], name: str, needle: str) -> Predicate:
    def predicate(row: Row) -> bool:
        value = row.get(name)
        return isinstance(value, str) and func(value, needle)

    return predicate


def parse_filter(text: str, columns: Collection[str] | None = None) -> Predicate:
    """Parse an OData v3 ``$filter`` into a predicate on rows.

    Parameters
    ----------
    text
        E.g. ``"(Perioden eq '2024JJ00') and startswith(WijkenEnBuurten,'WK0363')"``.
        Strings are single-quoted (``''`` is a quote) and compared exactly, padding included.
    columns
        The properties a filter may name; ``None`` accepts any name.

    Raises
    ------
    QueryError
        For a malformed filter, an unknown property, or one too long or too deeply nested.
    """
    if len(text) > MAX_FILTER_LENGTH:
        raise QueryError(f"$filter: longer than {MAX_FILTER_LENGTH:,} characters")
    return _FilterParser(text, columns).parse()


def parse_select(text: str, columns: Collection[str]) -> tuple[str, ...]:
    """Parse a ``$select`` list (``"ID,WijkenEnBuurten"``) against the known properties.

    Raises
    ------
    QueryError
        For an empty item or an unknown property.
    """
    names = tuple(part.strip() for part in text.split(","))
    for name in names:
        if not _NAME.match(name):
            raise QueryError(f"$select: {name!r} is not a property name")
        if name not in columns:
            raise QueryError(f"$select: unknown property {name!r}")
    return names
