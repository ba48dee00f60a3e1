"""SPARQL 1.1 Protocol answers from an Oxigraph store: guarded, bounded in time and size, serialized.

`check` reads the parsed query (rdflib's SPARQL parser) and refuses what a read-only, local endpoint
must not run: updates (including `LOAD`) and federated `SERVICE` patterns. `evaluate` runs a query
with a deadline and a row limit, reading results one at a time so that it can stop early;
`serialize` writes SPARQL results (JSON, XML, CSV, TSV) or a graph (Turtle, N-Triples, JSON-LD,
RDF/XML).
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .tables import PREFIXES

RESULT_TYPES = [  # first is the default for `*/*` or no Accept header
    "application/sparql-results+json",
    "application/json",
    "text/csv",
    "text/tab-separated-values",
    "application/sparql-results+xml",
    "application/xml",
]
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
FORMATS = {  # `?format=` names, for links and notebooks that cannot set Accept
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html",
}
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Refused(Exception):
    """The query is an update, or reaches outside this store; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class TimedOut(Exception):
    """The query did not finish within the endpoint's time limit."""


def check(text: str) -> None:
    """Refuse a query too long or too deeply nested (400, before any parser reads it), a `SERVICE`
    pattern (400) or an update (403) found in the parsed text.

    Only a text with the word "service" in it is parsed here (rdflib's parser takes tenths of a second on
    a long query); an update is otherwise caught by `refuse_update` once Oxigraph has refused it as a query.
    """
    from rdflib.plugins.sparql.parser import parseQuery

    from .errors import QueryError
    from .query import bound_size

    try:
        bound_size(text)
    except QueryError as exc:
        raise Refused(400, str(exc).removeprefix("<query>: ")) from None
    if "service" not in text.lower():
        return
    try:
        parsed: Any = parseQuery(text)
    except Exception:  # not a query to rdflib: an update, or a syntax only Oxigraph reads
        refuse_update(text)
        return
    if _finds(parsed, "ServiceGraphPattern"):
        raise Refused(
            400, "SERVICE is refused: queries answer from this graph only and never reach the network"
        )


def refuse_update(text: str) -> None:
    """Raise Refused (403) when `text` parses as a SPARQL Update (INSERT, DELETE, LOAD, CLEAR …)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return
    raise Refused(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR …) is refused")


def _finds(node: Any, name: str) -> bool:
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, dict):
        return any(_finds(v, name) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_finds(v, name) for v in node)
    return False


@dataclass
class Answer:
    """A query's answer, read up to the row limit."""

    boolean: bool | None = None
    variables: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    triples: list[ox.Triple] | None = None
    truncated: bool = False
    body: bytes | None = None
    """The answer already written in `mime` (see `written`), its rows or triples dropped."""
    mime: str | None = None

    @property
    def is_graph(self) -> bool:
        return self.triples is not None


def evaluate(
    store: ox.Store,
    text: str,
    *,
    limit: int,
    timeout: float,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
) -> Answer:
    """Run `text` on `store`; raises SyntaxError when malformed, TimedOut past `timeout` seconds.

    Reading stops after `limit` rows (or triples) and marks the answer `truncated`. The evaluation runs
    in a worker thread; on a timeout it stops at its next row (Oxigraph cannot stop a query between
    rows: `kg.query_pool` runs queries in processes that it can kill instead).
    """
    stop = threading.Event()

    def read() -> Answer:
        return answer(
            store, text, limit=limit, default_graphs=default_graphs, named_graphs=named_graphs, stop=stop
        )

    try:
        return run_with_timeout(read, timeout)
    except TimedOut:
        stop.set()
        raise


def answer(
    store: ox.Store,
    text: str,
    *,
    limit: int,
    default_graphs: list[str] | None = None,
    named_graphs: list[str] | None = None,
    stop: threading.Event | None = None,
) -> Answer:
    """Run `text` on `store` here and now, reading at most `limit` rows (or triples), and fewer once
    `stop` is set; raises SyntaxError when malformed."""
    options: dict[str, Any] = {"prefixes": PREFIXES}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    # the results iterator belongs to the thread that made it, so the query is made here too
    result = store.query(text, **options)
    failure: Exception | None = None
    try:
        return _read(result, limit, stop or threading.Event())
    except Exception as exc:  # keep no frame that holds `result`: it must die on this thread
        failure = exc.with_traceback(None)
    finally:
        del result
    raise failure


def _read(result: Any, limit: int, stop: threading.Event) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        return Answer(boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) >= limit or stop.is_set():
                return Answer(triples=triples, truncated=True)
            triples.append(triple)
        return Answer(triples=triples)
    variables = [v.value for v in result.variables]
    answer = Answer(variables=variables)
    for solution in result:
        if len(answer.rows) >= limit or stop.is_set():
            answer.truncated = True
            break
        answer.rows.append([solution[v] for v in variables])
    return answer


def written(answer: Answer, formats: tuple[str | None, str | None]) -> Answer:
    """`answer` written in the first of `formats` (for results, for a graph) that fits its kind, its
    terms dropped: a worker process ships bytes, which cost far less to pass on than terms. With no
    fitting format the body stays None (the caller answers 406)."""
    mime = formats[1] if answer.is_graph else formats[0]
    return Answer(
        boolean=answer.boolean,
        variables=answer.variables,
        triples=[] if answer.is_graph else None,
        truncated=answer.truncated,
        body=None if mime is None else serialize(answer, mime),
        mime=mime,
    )


def serialize(answer: Answer, mime: str) -> bytes:
    """The answer in the media type `mime` (one of RESULT_TYPES, or GRAPH_TYPES for a graph)."""
    if answer.triples is not None:
        return ox.serialize(answer.triples, format=GRAPH_TYPES[mime], prefixes=PREFIXES) or b""
    if mime.endswith("json"):
        return json.dumps(_json(answer), ensure_ascii=False).encode("utf-8")
    if mime.endswith("xml"):
        return _xml(answer).encode("utf-8")
    return _delimited(answer, "\t" if "tab" in mime else ",").encode("utf-8")


def _json(answer: Answer) -> dict[str, Any]:
    if answer.boolean is not None:
        return {"head": {}, "boolean": answer.boolean}
    bindings = [
        {name: _json_term(term) for name, term in zip(answer.variables, row, strict=True) if term is not None}
        for row in answer.rows
    ]
    return {"head": {"vars": answer.variables}, "results": {"bindings": bindings}}


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    return {"type": "triple", "value": str(term)}


def _xml(answer: Answer) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in answer.variables]
    out.append("</head>")
    if answer.boolean is not None:
        out.append(f"<boolean>{'true' if answer.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in answer.rows:
            out.append("<result>")
            for name, term in zip(answer.variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _delimited(answer: Answer, delimiter: str) -> str:
    """SPARQL 1.1 CSV (plain values) or TSV (terms in N-Triples syntax, `?name` headers)."""
    buffer = io.StringIO()
    tsv = delimiter == "\t"
    if answer.boolean is not None:
        return ("?_askResult" if tsv else "_askResult") + "\r\n" + str(answer.boolean).lower() + "\r\n"
    if tsv:
        buffer.write("\t".join(f"?{v}" for v in answer.variables) + "\n")
        for row in answer.rows:
            buffer.write("\t".join("" if t is None else str(t) for t in row) + "\n")
        return buffer.getvalue()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(answer.variables)
    for row in answer.rows:
        writer.writerow(["" if t is None else getattr(t, "value", str(t)) for t in row])
    return buffer.getvalue()


def run_with_timeout(run: Callable[[], Any], timeout: float) -> Any:
    """`run()` in a worker thread; raises TimedOut past `timeout` seconds (the worker is abandoned)."""
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append((True, run()))
        except BaseException as exc:
            outcome.append((False, exc))

    worker = threading.Thread(target=work, daemon=True, name="saved-question")
    worker.start()
    worker.join(timeout)
    if not outcome:
        raise TimedOut(f"the query ran longer than the {timeout:g} s limit")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def negotiate(accept: str | None, offered: list[str]) -> str | None:
    """The offered media type the Accept header likes best (ties go to the first offered); None if none."""
    if not accept or not accept.strip():
        return offered[0]
    best: tuple[float, int, str] | None = None
    for part in accept.split(","):
        mime, *options = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        mime = mime.lower()
        for rank, candidate in enumerate(offered):
            major = candidate.split("/")[0]
            if mime in (candidate, "*/*", f"{major}/*"):
                specificity = 0 if mime == candidate else 1
                key_ = (-q, specificity * 100 + rank, candidate)
                if best is None or key_ < best:
                    best = key_
                break
    return None if best is None else best[2]


__all__ = [
    "FORMATS",
    "GRAPH_TYPES",
    "RESULT_TYPES",
    "Answer",
    "Refused",
    "TimedOut",
    "answer",
    "check",
    "evaluate",
    "serialize",
    "written",
]
