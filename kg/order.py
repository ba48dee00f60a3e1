"""A SELECT's final `ORDER BY` done in Python: Oxigraph sorts long answers slowly.

On a million-triple store, sorting the 70,451 rows of `claims` by `?document ?char_start ?claim`
took Oxigraph about as long as finding them. `kg.query.run` on Oxigraph therefore evaluates a query
whose outermost `ORDER BY` lists plain variables (`?x`, `ASC(?x)`, `DESC(?x)`) without it, and sorts
the rows here, as SPARQL 1.1 (§15.1) and Oxigraph order them: unbound first, then IRIs by their
text, then literals; numbers by value, plain strings by their text, dates (without a time zone) by
their day. Rows equal in every key keep
no order we can promise: Oxigraph's own order among such rows is not the order it finds them in,
so `sort_rows` leaves an answer with such rows to the engine.

`sort_rows` answers None when a key column holds anything whose order we do not reproduce with
certainty (a blank node, a language-tagged string, a date with a time zone, a time, a number and a string together, two
spellings of one number, NaN) or when rows tie: the caller then lets the engine sort, as before.
The saved questions end their keys with one that tells rows apart, so that they never tie.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

import pyoxigraph as ox

from .query_text import _TOKENS
from .vocab import XSD_INTEGERS

_XSD = "http://www.w3.org/2001/XMLSchema#"
_DECIMALS = XSD_INTEGERS | {_XSD + "decimal"}
_FLOATS = {_XSD + "double", _XSD + "float"}
_STRING = _XSD + "string"
_DECIMAL = _XSD + "decimal"
_DATE = _XSD + "date"
_PLAIN_DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
_INTEGER = re.compile(r"[+-]?[0-9]+")

Key = tuple[str, bool]
"""One sort condition: the variable's name and whether it sorts descending."""


def split_order(text: str) -> tuple[str, list[Key]] | None:
    """`text` without its outermost `ORDER BY`, and that clause's keys; None unless the clause ends the
    query and holds only variables, each bare or in `ASC(…)`/`DESC(…)` (no LIMIT or OFFSET after it)."""
    tokens = [
        (m.start(), m.group())
        for m in _TOKENS.finditer(text)
        if not m.group().isspace() and not m.group().startswith("#")
    ]
    depth, order_at = 0, None
    for index, (_, token) in enumerate(tokens):
        if token in ("{", "(", "["):
            depth += 1
        elif token in ("}", ")", "]"):
            depth -= 1
        elif depth == 0 and token.upper() == "ORDER":
            order_at = index
    if order_at is None or order_at + 2 >= len(tokens) or tokens[order_at + 1][1].upper() != "BY":
        return None
    keys: list[Key] = []
    rest = [token for _, token in tokens[order_at + 2 :]]
    while rest:
        if rest[0].startswith(("?", "$")):
            keys.append((rest[0][1:], False))
            rest = rest[1:]
        elif (
            len(rest) >= 4
            and rest[0].upper() in ("ASC", "DESC")
            and rest[1] == "("
            and rest[2].startswith(("?", "$"))
            and rest[3] == ")"
        ):
            keys.append((rest[2][1:], rest[0].upper() == "DESC"))
            rest = rest[4:]
        else:
            return None
    return text[: tokens[order_at][0]].rstrip() + "\n", keys


def sort_rows(
    variables: Sequence[str], rows: list[tuple[Any, ...]], keys: Sequence[Key]
) -> list[tuple[Any, ...]] | None:
    """`rows` (pyoxigraph terms or None, in `variables`' order) sorted by `keys` as Oxigraph's
    `ORDER BY` sorts them; None when a key is not a variable of the rows, its values are not ones
    whose order we reproduce (see the module's docstring), or two different rows are equal in every
    key (the engine's order among them is its own)."""
    parts: list[list[Any]] = []  # one flat tuple per row compares faster than nested ones
    for name, descending in keys:
        if name not in variables:
            return None
        position = variables.index(name)
        column = _sort_keys([row[position] for row in rows])
        if column is None:
            return None
        if descending:  # a rank of the value, negated: one ascending sort then does every key
            rank = {key: i for i, key in enumerate(sorted(set(column)))}
            parts.append([-rank[key] for key in column])
        else:
            parts.append([kind for kind, _ in column])
            parts.append([value for _, value in column])
    combined = list(zip(*parts, strict=True)) if parts else [() for _ in rows]
    order = sorted(range(len(rows)), key=combined.__getitem__)
    for before, after in pairwise(order):
        if combined[before] == combined[after] and rows[before] != rows[after]:
            return None
    return [rows[i] for i in order]


def _sort_keys(terms: Sequence[Any]) -> list[tuple[int, Any]] | None:
    """A comparable key for each term of one column (its kind: unbound, IRI or literal; and its value),
    or None if the column's order is not ours to give."""
    keys: list[tuple[int, Any]] = []
    kinds: set[str] = set()
    numbers: dict[Any, Any] = {}
    for term in terms:
        if term is None:
            keys.append((0, 0))
        elif type(term) is ox.NamedNode:
            keys.append((1, term.value))
        elif type(term) is ox.Literal:
            datatype = term.datatype.value
            value: Any
            try:
                if datatype == _STRING and term.language is None:
                    kinds.add("string")
                    value = term.value
                elif datatype in _DECIMALS:
                    kinds.add("decimal")
                    text = term.value.strip()
                    value = int(text) if _INTEGER.fullmatch(text) and datatype != _DECIMAL else Decimal(text)
                elif datatype == _DATE:  # no time zone, a four-digit year: their text is their order
                    kinds.add("date")
                    value = term.value
                    if not _PLAIN_DATE.fullmatch(value):
                        return None
                elif datatype in _FLOATS:
                    kinds.add("float")
                    value = float(term.value.strip())
                else:
                    return None
            except (InvalidOperation, ValueError):
                return None
            if isinstance(value, float) and not math.isfinite(value):
                return None  # NaN and the infinities
            if isinstance(value, Decimal) and not value.is_finite():
                return None
            if numbers.setdefault(value, term) != term:
                return None  # two spellings of one number: which comes first is the engine's choice
            keys.append((2, value))
        else:
            return None
        if len(kinds) > 1:
            return None
    return keys


__all__ = ["Key", "sort_rows", "split_order"]
