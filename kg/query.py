"""Ask the graph in SPARQL: ad-hoc text, a `.rq` file or a saved market question, answered as a DataFrame.

Saved questions are the `.rq` files in `kg/queries/`. Each opens with comment lines that declare it:

    # description: Who fabricates a company's chips ...
    # param company (iri):            (a declared kind: iri, number, text or lang)
    # example company: OpenAI         (a value to show in `kg queries`; it is never used unasked)

A parameter left out answers for everyone: the shipped questions declare no default, so
`kg query fabricators` lists every foundry and customer. A `.rq` file of your own may still give
one (`# param company: kg:openai`); `kg queries` and `KnowledgeGraph.queries()` show it.

A parameter's kind says how its value is read. Without a declared kind it follows the default: an
IRI default makes an `iri` parameter, a number a `number` one, other text a `text` one; with an
empty default any value is accepted and read as best it can be. Declare `(iri)` for a parameter
that names an entity, document or ontology term but has no default, so that a name the graph does
not know is refused with suggestions instead of quietly matching nothing. `(lang)` is a language
tag; tags are case-insensitive, so the value is lower-cased, as `kg extract` writes them.

A parameter is bound by a `VALUES` clause placed at the start of the query's outermost `WHERE`
group, which works on every engine (rdflib's own and Oxigraph) and for aggregates; so a parameter
must be a variable of a required pattern there (inside OPTIONAL it would not filter). Values may be
written as IRIs (`kg:tsmc`, `<https://…>`), as any name of an entity or document (`台积电`, `TSMC`,
`000_d56c37649bfd2e3a.txt`), as a bare ontology term (`Planned`), or as `*`/empty for "all".

Queries answer from the local graph only: `SERVICE` (federated query) is refused.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyoxigraph as ox
from rdflib import Dataset
from rdflib.query import ResultRow
from rdflib.term import Identifier

from . import native
from .errors import QueryError
from .params import bind, default_kind, names, to_term
from .tables import PREFIXES, display_width, format_frame, result_frame

_HEADER = re.compile(
    r"^#\s*(description|param|example)\s*(?:([A-Za-z_]\w*)\s*(?:\((\w+)\)\s*)?)?:\s*(.*?)\s*$"
)
KINDS = ("iri", "number", "text", "lang")
"""The kinds a saved question may declare for a parameter, `# param NAME (KIND): DEFAULT`."""
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# SPARQL's lexical units as far as we need them: comments, IRIs, strings, variables and prefixed
# names (so `?service` or `kg:service` is never read as a keyword), braces and bare words.
_TOKENS = re.compile(
    r"""\#[^\n]*|<[^<>"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
    r"""|[?$]\w+|(?:[A-Za-z][\w.-]*)?:(?:[\w.:%-]|\\.)*|[{}]|[A-Za-z]\w*|\s+|.""",
    re.S,
)
_RDFLIB_DEPRECATED = r"(Dataset\.default_context|ConjunctiveGraph) is deprecated"


@dataclass(frozen=True)
class SavedQuery:
    """A named SPARQL question; `params` maps each parameter to its default ('' = all unless given),
    `kinds` holds the kinds declared in the header and `examples` a value to try for each."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    kinds: dict[str, str] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, name: str, text: str, path: Path | None = None) -> SavedQuery:
        """Read the `# description:`, `# param NAME (KIND): DEFAULT` and `# example NAME: VALUE` lines
        at the top of a query."""
        description, params, kinds, examples = "", {}, {}, {}
        for line in text.splitlines():
            if not line.startswith("#"):
                if line.strip():
                    break
                continue
            match = _HEADER.match(line)
            if match and match[1] == "description":
                description = match[4]
            elif match and match[1] == "example" and match[2]:
                examples[match[2]] = match[4]
            elif match and match[1] == "param" and match[2]:
                params[match[2]] = match[4]
                if match[3]:
                    if match[3] not in KINDS:
                        raise QueryError(
                            f"{path or name}: parameter {match[2]!r} declares kind {match[3]!r}; "
                            f"use one of {', '.join(KINDS)}"
                        )
                    kinds[match[2]] = match[3]
        return cls(
            name=name,
            description=description,
            text=text,
            params=params,
            path=path,
            kinds=kinds,
            examples=examples,
        )

    def kind(self, param: str) -> str:
        """How a value of `param` is read: its declared kind, else one that follows its default."""
        return self.kinds.get(param) or default_kind(self.params.get(param, ""))


@cache
def _saved() -> dict[str, SavedQuery]:
    folder = resources.files("kg") / "queries"
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            name = entry.name[: -len(".rq")]
            found[name] = SavedQuery.parse(name, entry.read_text(encoding="utf-8"), Path(str(entry)))
    return dict(sorted(found.items()))


def saved_queries() -> list[SavedQuery]:
    """The saved market questions shipped with the package, by name."""
    return list(_saved().values())


def catalogue() -> pd.DataFrame:
    """The saved questions as a table: one row per parameter (or one per question without any), with
    the parameter's kind, its default (`all` when leaving it out answers for everyone) and an example."""
    rows = []
    for saved in saved_queries():
        for param in saved.params or [None]:
            rows.append(
                {
                    "question": saved.name,
                    "description": saved.description,
                    "parameter": param,
                    "kind": saved.kind(param) if param else None,
                    "default": (saved.params[param] or "all") if param else None,
                    "example": saved.examples.get(param) if param else None,
                }
            )
    return pd.DataFrame(rows, columns=["question", "description", "parameter", "kind", "default", "example"])


def usage(saved: SavedQuery) -> str:
    """One line per parameter: `--param NAME=…  (KIND; default: all; e.g. VALUE)`."""
    lines = []
    for param, default in saved.params.items():
        example = saved.examples.get(param)
        lines.append(
            f"--param {param}=…  ({saved.kind(param)}; default: {default or 'all'}"
            + (f"; e.g. {param}={example}" if example else "")
            + ")"
        )
    return "\n".join(lines)


def saved_query(name: str) -> SavedQuery:
    """One saved question; an unknown name raises QueryError listing the known ones."""
    try:
        return _saved()[name]
    except KeyError:
        close = difflib.get_close_matches(name, _saved(), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise QueryError(
            f"no saved question called {name!r}; {hint}known: {', '.join(_saved())} (see `kg queries`)"
        ) from None


def resolve(query: str | Path) -> SavedQuery:
    """Turn SPARQL text, a path to a `.rq` file or a saved question's name into a SavedQuery."""
    text = str(query)
    if isinstance(query, Path) or text.endswith((".rq", ".sparql")):
        path = Path(query)
        if not path.is_file():
            raise QueryError(f"{path}: no such query file")
        return SavedQuery.parse(path.stem, path.read_text(encoding="utf-8"), path)
    if _NAME.match(text.strip()):
        return saved_query(text.strip())
    return SavedQuery.parse("<query>", text)


def run(dataset: Dataset, query: str | Path, params: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Run a query (text, `.rq` path or saved name) on the dataset's default graph, as a typed DataFrame.

    The background named graph is reachable with `GRAPH <…/id/graph/background> { … }`. Raises
    QueryError for a malformed query, an unknown saved name or a parameter that cannot be bound.
    """
    saved, text, shift = _prepare(dataset, query, params or {})
    inner = native.oxigraph_of(dataset)
    if inner is not None:
        return native.cached(dataset, text, lambda: _run_native(dataset, inner, saved, text, shift))
    try:
        with warnings.catch_warnings():
            # rdflib 7.6's own Dataset.query reads its deprecated `default_context`; nothing for us to change
            warnings.filterwarnings("ignore", _RDFLIB_DEPRECATED, DeprecationWarning)
            result = dataset.query(text, initNs=PREFIXES)
        if result.type == "ASK":
            return pd.DataFrame({"ask": pd.Series([bool(result.askAnswer)], dtype="boolean")})
        rows: list[tuple[Any, ...]]
        if result.type == "SELECT":
            columns = [str(v) for v in result.vars or []]
            # rdflib evaluates lazily, so its errors surface while iterating, still inside this try
            rows = [tuple(cast("ResultRow", row)) for row in result]
        else:
            columns = ["subject", "predicate", "object"]
            rows = [tuple(t) for t in result.graph or ()]
    except QueryError:
        raise
    except Exception as exc:  # engines raise SyntaxError, ParseException, RuntimeError, plain Exception
        raise _query_error(saved, exc, shift) from None
    return result_frame(dataset, columns, rows)


def _run_native(
    dataset: Dataset, store: ox.Store, saved: SavedQuery, text: str, shift: tuple[int, int, int]
) -> pd.DataFrame:
    """`run` on Oxigraph itself: its result terms go into the frame without becoming rdflib terms."""
    prefixes = {str(p): str(ns) for p, ns in dataset.namespaces()} | PREFIXES
    try:
        result = store.query(text, prefixes=prefixes)
        if isinstance(result, ox.QueryBoolean):
            return pd.DataFrame({"ask": pd.Series([bool(result)], dtype="boolean")})
        if isinstance(result, ox.QueryTriples):
            columns = ["subject", "predicate", "object"]
            rows = [(t.subject, t.predicate, t.object) for t in dict.fromkeys(result)]
        else:
            columns = [v.value for v in result.variables]
            rows = [tuple(solution) for solution in result]
    except Exception as exc:  # SyntaxError when malformed, OSError or RuntimeError while evaluating
        raise _query_error(saved, exc, shift) from None
    return native.frame(store, columns, rows)


def prepare(dataset: Dataset, query: str | Path, params: Mapping[str, object] | None = None) -> str:
    """The SPARQL text that `run` would execute: the question with its parameters bound by VALUES."""
    return _prepare(dataset, query, params or {})[1]


def _prepare(
    dataset: Dataset, query: str | Path, params: Mapping[str, object]
) -> tuple[SavedQuery, str, tuple[int, int, int]]:
    saved = resolve(query)
    bound_size(saved.text, saved.name if saved.path is None else str(saved.path))
    forbid_service(saved.text, saved.name if saved.path is None else str(saved.path))
    oxigraph = type(dataset.store).__name__ == "OxigraphStore"
    text, shift = _inject_values(saved.text, bind(dataset, saved, params), into_sub_selects=oxigraph)
    return saved, text, shift


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


# ---- query text ---------------------------------------------------------------------------------


def _inject_values(
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
    at = _where_brace(text)
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


def _where_brace(text: str) -> int | None:
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


def _query_error(saved: SavedQuery, exc: Exception, shift: tuple[int, int, int]) -> QueryError:
    """A QueryError that quotes the line at fault with a caret under the place the engine stopped."""
    message = str(getattr(exc, "msg", None) or exc).strip()
    line = col = None
    if (found := re.match(r"error at (\d+):(\d+):\s*(.*)", message, re.S)) is not None:  # Oxigraph
        line, col, message = int(found[1]), int(found[2]), found[3]
        line, col = _unshift(line, col, shift)
        line, col = _last_token(saved.text, line, col)
    elif isinstance(getattr(exc, "lineno", None), int) and isinstance(getattr(exc, "col", None), int):
        line, col = _unshift(exc.lineno, exc.col, shift)  # type: ignore[attr-defined]  # pyparsing
        message = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)$", "", message)
    message = _shorten(message)
    where = f"{saved.name}" if saved.path is None else str(saved.path)
    if line is None or col is None:
        return QueryError(f"{where}: query failed: {message}")
    lines = saved.text.splitlines() or [""]
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


__all__ = [
    "KINDS",
    "MAX_NESTING",
    "MAX_QUERY_CHARS",
    "SavedQuery",
    "bind",
    "bound_size",
    "catalogue",
    "forbid_service",
    "format_frame",
    "names",
    "prepare",
    "resolve",
    "run",
    "saved_queries",
    "saved_query",
    "to_term",
    "usage",
]
