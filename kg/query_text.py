"""SPARQL as text, before any engine reads it: size and nesting bounds, the SERVICE guard, parameter
binding by `VALUES` (also inside sub-SELECTs, which Oxigraph does not push an outer binding into),
and error messages that point at the line and column of the user's own query text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib.term import Identifier

from .errors import QueryError
from .tables import PREFIXES, display_width

# SPARQL's lexical units as far as we need them: comments, IRIs, strings, variables and prefixed
# names (so `?service` or `kg:service` is never read as a keyword), braces and bare words.
_TOKENS = re.compile(
    r"""\#[^\n]*|<[^<>"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    r"""|[?$]\w+|(?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*|[{}]|[A-Za-z]\w*|\s+|.""",
    re.S,
)

MAX_QUERY_CHARS = 100_000
"""Longest query text read (characters); the saved questions are a few hundred."""
MAX_NESTING = 64
"""Deepest nesting of (), {} and [] in a query: parsers recurse on it, and deep enough they crash."""


def bound_size(text: str, where: str = "<query>") -> None:
    """Refuse a query too long or too deeply nested before any parser reads it."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"{where}: the query is {len(text):,} characters long; at most {MAX_QUERY_CHARS:,} are read"
        )
    depth = 0
    for token in _TOKENS.finditer(text):
        value = token.group()
        if value in ("(", "{", "["):
            depth += 1
            if depth > MAX_NESTING:
                line = text.count("\n", 0, token.start()) + 1
                raise QueryError(
                    f"{where}: brackets nested deeper than {MAX_NESTING} levels at line {line}; "
                    "write the query flatter"
                )
        elif value in (")", "}", "]"):
            depth = max(depth - 1, 0)


def forbid_service(text: str, where: str = "<query>") -> None:
    """Refuse a federated query: `SERVICE` would make us fetch whatever URL the query names.

    Only the keyword counts; the word inside a string, an IRI, a comment or a name is fine.
    """
    for token in _TOKENS.finditer(text):
        if token.group().upper() == "SERVICE":
            line = text.count("\n", 0, token.start()) + 1
            column = token.start() - (text.rfind("\n", 0, token.start()) + 1) + 1
            raise QueryError(
                f"{where}: SERVICE at line {line}, column {column} is refused: queries answer from this "
                "graph only and never reach the network"
            )


def inject_values(
    text: str, bindings: Mapping[str, Identifier], *, into_sub_selects: bool = False
) -> tuple[str, tuple[int, int, int]]:
    """Bind parameters with a VALUES block at the start of the outermost WHERE group, and with
    `into_sub_selects` again inside every sub-SELECT that projects a parameter: Oxigraph does not push
    an outer VALUES into a sub-SELECT, which then computes every row before the join (the rows are the
    same either way). Not for rdflib's engine, which answers a grouped sub-SELECT left without rows
    with one row of unbound values.

    Returns the new text and (line, column, length) of the outer insertion, so error positions can be
    mapped back.
    """
    if not bindings:
        return text, (0, 0, 0)
    at = where_brace(text)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE { … } group")

    def block(names_: list[str]) -> str:
        variables = " ".join(f"?{n}" for n in names_)
        terms = " ".join(bindings[n].n3() for n in names_)
        return f" VALUES ({variables}) {{ ({terms}) }}"

    inserts = [(at, block(list(bindings)))]
    for brace, projected in _sub_selects(text, at) if into_sub_selects else ():
        bound = [n for n in bindings if n in projected]
        if bound:
            inserts.append((brace, block(bound)))
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 2  # 1-based column just after the brace
    shift = (line, column, len(inserts[0][1]))
    for offset, added in sorted(inserts, reverse=True):
        text = text[: offset + 1] + added + text[offset + 1 :]
    return text, shift


def _sub_selects(text: str, start: int) -> list[tuple[int, set[str]]]:
    """For each sub-SELECT after `start` that a VALUES block may enter: the offset of its WHERE group's
    `{` and the variables it projects plainly (not `AS ?x`). One with `SELECT *`, LIMIT or OFFSET is
    left out: there, binding inside could change its rows."""
    tokens = [
        (m.start(), m.group())
        for m in _TOKENS.finditer(text, start)
        if not m.group().isspace() and not m.group().startswith("#")
    ]
    found = []
    for i, (_, value) in enumerate(tokens):
        if value.upper() != "SELECT":
            continue
        projected: set[str] = set()
        j, parens, star = i + 1, 0, False
        while j < len(tokens) and tokens[j][1] != "{" and tokens[j][1].upper() != "WHERE":
            word = tokens[j][1]
            parens += {"(": 1, ")": -1}.get(word, 0)
            star = star or word == "*"
            if word[0] in "?$" and parens == 0:  # `(expression AS ?x)` is computed, not projected
                projected.add(word[1:])
            j += 1
        while j < len(tokens) and tokens[j][1] != "{":
            j += 1
        if j >= len(tokens) or star:
            continue
        depth, k = 0, j
        while k < len(tokens):  # to the end of the sub-select's WHERE group
            depth += {"{": 1, "}": -1}.get(tokens[k][1], 0)
            if depth == 0:
                break
            k += 1
        modifiers = []
        for _, word in tokens[k + 1 :]:  # its solution modifiers, up to the brace that closes it
            if word in ("{", "}"):
                break
            modifiers.append(word.upper())
        if "LIMIT" not in modifiers and "OFFSET" not in modifiers:
            found.append((tokens[j][0], projected))
    return found


def where_brace(text: str) -> int | None:
    """Offset of the `{` opening the outermost WHERE group (past a CONSTRUCT template), skipping comments,
    strings and IRIs."""
    form, depth, template_done = None, 0, False
    for token in _TOKENS.finditer(text):
        value = token.group()
        if form is None:
            if value.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
                form = value.upper()
            continue
        if value.isspace() or value.startswith("#"):
            continue
        if form == "CONSTRUCT" and not template_done:
            if value == "{":
                depth += 1
                continue
            if value == "}":
                depth -= 1
                template_done = depth == 0
                continue
            if depth == 0:
                template_done = True  # `CONSTRUCT WHERE { … }`: no template
            else:
                continue
        if value == "{":
            return token.start()
    return None


def query_error(where: str, query: str, exc: Exception, shift: tuple[int, int, int]) -> QueryError:
    """A QueryError for the query text `query` (named `where`) that quotes the line at fault with a
    caret under the place the engine stopped."""
    message = str(getattr(exc, "msg", None) or exc).strip()
    line = col = None
    if (found := re.match(r"error at (\d+):(\d+):\s*(.*)", message, re.S)) is not None:  # Oxigraph
        line, col, message = int(found[1]), int(found[2]), found[3]
        line, col = _unshift(line, col, shift)
        line, col = _last_token(query, line, col)
    elif isinstance(getattr(exc, "lineno", None), int) and isinstance(getattr(exc, "col", None), int):
        line, col = _unshift(exc.lineno, exc.col, shift)  # type: ignore[attr-defined]  # pyparsing
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", message)
    message = _shorten(message)
    if line is None or col is None:
        return QueryError(f"{where}: query failed: {message}")
    lines = query.splitlines() or [""]
    line = min(line, len(lines))
    source = lines[line - 1]
    if "Prefix not found" in message or "Unknown namespace prefix" in message:
        used = re.findall(r"([A-Za-z][\w-]*):", source[: max(col - 1, 0)])
        message = (
            f"unknown prefix {used[-1] + ':' if used else ''!r}; declare it with PREFIX or use "
            f"one of {', '.join(PREFIXES)}"
        )
    caret_at = display_width(source[: max(col - 1, 0)])
    gutter = f"{line:>4} | "
    return QueryError(
        f"{where}: malformed query at line {line}, column {col}: {message}\n"
        f"{gutter}{source}\n{' ' * (len(gutter) - 2)}| {' ' * caret_at}^"
    )


def _unshift(line: int, col: int, shift: tuple[int, int, int]) -> tuple[int, int]:
    """Map a position in the text with the VALUES block back to the text as written."""
    if line == shift[0] and col > shift[1]:
        col = max(shift[1], col - shift[2])
    return line, col


def _last_token(text: str, line: int, col: int) -> tuple[int, int]:
    """Oxigraph reports the position after what it last read; point at that last non-blank character."""
    starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    offset = min(starts[min(line, len(starts)) - 1] + col - 1, len(text)) - 1
    while offset > 0 and text[offset].isspace():
        offset -= 1
    offset = max(offset, 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _shorten(message: str) -> str:
    """Oxigraph lists every token it could have accepted; a handful says enough."""
    found = re.match(r"expected one of (.*)", message, re.S)
    if not found:
        return " ".join(message.split())
    options = [o.strip() for o in re.split(r",\s*(?![^\[]*\])", found[1]) if o.strip()]
    shown = ", ".join(options[:6]) + (", …" if len(options) > 6 else "")
    return " ".join(f"expected one of {shown}".split())
