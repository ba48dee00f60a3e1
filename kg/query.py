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

On Oxigraph, a query ending in an `ORDER BY` of plain variables is evaluated without it and its rows
are sorted by `kg.order`, in the order Oxigraph would give them (it sorts long answers slowly).
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import pyoxigraph as ox
from rdflib import Dataset
from rdflib.query import ResultRow

from . import native, order
from .errors import QueryError
from .params import bind, default_kind, names, to_term
from .query_text import MAX_NESTING, MAX_QUERY_CHARS, bound_size, forbid_service, inject_values, query_error
from .tables import PREFIXES, format_frame, result_frame

if TYPE_CHECKING:
    from .sparql import Answer

_HEADER = re.compile(
    r"^#\s*(description|param|example)\s*(?:([A-Za-z_]\w*)\s*(?:\((\w+)\)\s*)?)?:\s*(.*?)\s*$"
)
KINDS = ("iri", "number", "text", "lang")
"""The kinds a saved question may declare for a parameter, `# param NAME (KIND): DEFAULT`."""
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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
        raise query_error(_where(saved), saved.text, exc, shift) from None
    return result_frame(dataset, columns, rows)


def _run_native(
    dataset: Dataset, store: ox.Store, saved: SavedQuery, text: str, shift: tuple[int, int, int]
) -> pd.DataFrame:
    """`run` on Oxigraph itself: its result terms go into the frame without becoming rdflib terms."""
    prefixes = {str(p): str(ns) for p, ns in dataset.namespaces()} | PREFIXES
    sorted_here = _sorted_here(store, text, prefixes)
    if sorted_here is not None:
        return native.frame(store, *sorted_here)
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
        raise query_error(_where(saved), saved.text, exc, shift) from None
    return native.frame(store, columns, rows)


def _sorted_here(
    store: ox.Store, text: str, prefixes: dict[str, str]
) -> tuple[list[str], list[tuple[Any, ...]]] | None:
    """A SELECT's columns and rows, evaluated without its final ORDER BY and sorted by `kg.order`;
    None when the query has no such clause or its rows are not ones we sort (the engine then does)."""
    split = order.split_order(text)
    if split is None:
        return None
    try:
        result = store.query(split[0], prefixes=prefixes)
        if not isinstance(result, ox.QuerySolutions):
            return None
        columns = [v.value for v in result.variables]
        if any(name not in columns for name, _ in split[1]):
            return None  # sorted by a variable it does not show: known before any row is read
        rows = [tuple(solution) for solution in result]
    except Exception:  # the query as written is run next and reports its own error
        return None
    ordered = order.sort_rows(columns, rows, split[1])
    return None if ordered is None else (columns, ordered)


def run_with(
    dataset: Dataset,
    query: str | Path,
    params: Mapping[str, object] | None,
    evaluate: Callable[[str], Answer],
) -> pd.DataFrame:
    """`run`, with the prepared SPARQL answered by `evaluate` (`kg serve` runs it in a worker process
    that it can stop); `dataset` must be held in Oxigraph. Errors are QueryErrors as from `run`."""
    saved, text, shift = _prepare(dataset, query, params or {})
    store = native.oxigraph_of(dataset)
    if store is None:
        raise QueryError(f"{_where(saved)}: run_with needs a graph held in Oxigraph")
    try:
        answer = evaluate(text)
    except (SyntaxError, OSError, RuntimeError, ValueError) as exc:  # what evaluating raises
        raise query_error(_where(saved), saved.text, exc, shift) from None
    if answer.boolean is not None:
        return pd.DataFrame({"ask": pd.Series([answer.boolean], dtype="boolean")})
    if answer.triples is not None:
        triples = dict.fromkeys(answer.triples)
        return native.frame(
            store, ["subject", "predicate", "object"], [(t.subject, t.predicate, t.object) for t in triples]
        )
    return native.frame(store, answer.variables, answer.rows)


def prepare(dataset: Dataset, query: str | Path, params: Mapping[str, object] | None = None) -> str:
    """The SPARQL text that `run` would execute: the question with its parameters bound by VALUES."""
    return _prepare(dataset, query, params or {})[1]


def _prepare(
    dataset: Dataset, query: str | Path, params: Mapping[str, object]
) -> tuple[SavedQuery, str, tuple[int, int, int]]:
    saved = resolve(query)
    bound_size(saved.text, _where(saved))
    forbid_service(saved.text, _where(saved))
    oxigraph = type(dataset.store).__name__ == "OxigraphStore"
    text, shift = inject_values(saved.text, bind(dataset, saved, params), into_sub_selects=oxigraph)
    return saved, text, shift


def _where(saved: SavedQuery) -> str:
    """How an error names a saved question: its name, or the path of a `.rq` file."""
    return saved.name if saved.path is None else str(saved.path)


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
    "run_with",
    "saved_queries",
    "saved_query",
    "to_term",
    "usage",
]
