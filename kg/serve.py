"""A read-only SPARQL 1.1 endpoint over HTTP for one graph file (`kg serve GRAPH`).

The graph is loaded into an in-memory Oxigraph store, which answers the SPARQL 1.1 Protocol at
`/query`: `GET /query?query=…`, `POST` with `application/x-www-form-urlencoded` (`query=…`) or
`application/sparql-query`. Results follow the `Accept` header: SPARQL JSON (default), CSV, TSV or
XML for SELECT/ASK; Turtle (default), N-Triples, JSON-LD or RDF/XML for CONSTRUCT/DESCRIBE. The
saved questions are there too: `GET /saved` lists them, `GET /saved/NAME?param=value` runs one.
The standard library's `http.server` is enough for one reader on a laptop and adds no dependency.

Nothing here reaches the network: a query with `SERVICE` (federated query) is refused with 400. No
`Access-Control-Allow-Origin` header is sent, so a web page from another origin cannot read answers.
"""

from __future__ import annotations

import json
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox

from . import query as _query
from . import rdfio
from .errors import KGError
from .tables import PREFIXES

MAX_BODY = 1 << 20
"""Largest request body accepted (bytes); a query is text, not an upload."""
TIMEOUT = 30.0
"""Seconds a connection may sit idle before the server drops it."""

_RESULTS = [  # first is the default for `*/*` or no Accept header
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("application/xml", ox.QueryResultsFormat.XML),
]
_GRAPHS = [
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
]


class Endpoint:
    """One graph file in an Oxigraph store, queryable natively and through rdflib (for saved questions)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.dataset = rdfio.load(self.path, store="Oxigraph")
        # the pyoxigraph Store under oxrdflib's plugin: native queries serialize results themselves
        self.store: ox.Store = self.dataset.store._inner  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.store)

    def run(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> Any:
        """Execute SPARQL natively; raises SyntaxError for a malformed query."""
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.store.query(text, **options)


def make_server(
    endpoint: Endpoint, host: str = "127.0.0.1", port: int = 7878, *, quiet: bool = False
) -> ThreadingHTTPServer:
    """An HTTP server for `endpoint` (not yet serving); port 0 picks a free port (see `server_address`)."""

    class Handler(_Handler):
        pass

    Handler.endpoint = endpoint
    Handler.quiet = quiet
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def serve(path: str | Path, host: str = "127.0.0.1", port: int = 7878) -> None:
    """Serve the graph at `path` until interrupted."""
    endpoint = Endpoint(path)
    try:
        server = make_server(endpoint, host, port)
    except OSError as exc:
        raise KGError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; try another --port") from exc
    bound_host, bound_port = server.server_address[:2]
    bound_host = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
    print(
        f"serving {endpoint.path} ({len(endpoint)} quads) at http://{bound_host}:{bound_port}/query"
        " (Ctrl-C to stop)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


class _Handler(BaseHTTPRequestHandler):
    endpoint: Endpoint
    quiet = False
    timeout = TIMEOUT
    server_version = "aichip-kg"

    def do_HEAD(self) -> None:
        self.do_GET()  # the same answer without its body (see `_send`)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path == "/query":
            self._sparql(params)
        elif url.path == "/saved":
            listed = [
                {"name": q.name, "description": q.description, "params": q.params, "examples": q.examples}
                for q in _query.saved_queries()
            ]
            self._send(HTTPStatus.OK, "application/json", json.dumps(listed, ensure_ascii=False).encode())
        elif url.path.startswith("/saved/"):
            self._saved(url.path[len("/saved/") :], params)
        elif url.path == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", _PAGE.encode())
        else:
            self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the SPARQL endpoint is /query")

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path != "/query":
            self._error(HTTPStatus.NOT_FOUND, f"no such path {url.path}; the SPARQL endpoint is /query")
            return
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length header")
            return
        if int(length) > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes")
            return
        body = self.rfile.read(int(length)).decode("utf-8", errors="replace")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = parse_qs(urlsplit(self.path).query, keep_blank_values=True)
        if kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
        elif kind == "application/sparql-query":
            params["query"] = [body]
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/x-www-form-urlencoded (query=...) or application/sparql-query",
            )
            return
        self._sparql(params)

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._error(HTTPStatus.BAD_REQUEST, "this endpoint is read-only: SPARQL Update is not accepted")
            return
        texts = params.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one SPARQL query in the `query` parameter")
            return
        try:
            _query.forbid_service(texts[0], "query")
        except KGError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        self._answer(texts[0], params.get("default-graph-uri", []), params.get("named-graph-uri", []))

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        try:
            text = _query.prepare(
                self.endpoint.dataset, _query.saved_query(name).name, {k: v[-1] for k, v in params.items()}
            )
        except KGError as exc:
            self._error(
                HTTPStatus.NOT_FOUND if "no saved question" in str(exc) else HTTPStatus.BAD_REQUEST, str(exc)
            )
            return
        self._answer(text, [], [])

    def _answer(self, text: str, default_graphs: list[str], named_graphs: list[str]) -> None:
        try:
            result = self.endpoint.run(text, default_graphs, named_graphs)
            choices = _GRAPHS if isinstance(result, ox.QueryTriples) else _RESULTS
            chosen = negotiate(self.headers.get("Accept"), [mime for mime, _ in choices])
            if chosen is None:
                offered = ", ".join(mime for mime, _ in choices)
                self._error(
                    HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in the Accept'ed types; offered: {offered}"
                )
                return
            # Oxigraph evaluates lazily: evaluation errors surface here, while serializing
            body = result.serialize(format=dict(choices)[chosen])
        except SyntaxError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"malformed query: {exc}")
            return
        except (OSError, RuntimeError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"query failed: {exc}")
            return
        charset = "; charset=utf-8" if chosen.startswith("text/") else ""
        self._send(HTTPStatus.OK, chosen + charset, body)

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode())

    def _send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


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


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>aichip-kg SPARQL endpoint</title></head>
<body>
<h1>aichip-kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 at <code>/query</code> (GET or POST). Prefixes chip:, kg:, skos:, rdfs:, owl:,
prov:, dcterms:, xsd: need no declaration. Saved questions: <a href="/saved">/saved</a>.</p>
<form action="/query" method="get">
<textarea name="query" rows="10" cols="80">
SELECT ?foundry ?company WHERE { ?foundry chip:fabricatesFor ?company }
</textarea>
<br><button type="submit">Run</button>
</form>
</body></html>
"""

__all__ = ["MAX_BODY", "Endpoint", "make_server", "negotiate", "serve"]
