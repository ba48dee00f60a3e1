"""The HTTP side of `kg serve`: routes, content negotiation, guards and answers for one request
(`kg.serve` holds the endpoint the handler answers from, and starts the server)."""

from __future__ import annotations

import csv
import io
import json
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
from rdflib import Dataset

from . import query as _query
from . import sparql, webpage
from .accesslog import AccessLog
from .errors import KGError
from .query_pool import CONTINUE, ClientGone
from .sparql import negotiate
from .tables import PREFIXES

if TYPE_CHECKING:
    from .serve import Endpoint

MAX_BODY = 1 << 20
"""Largest request body accepted (bytes); a query is text, not an upload."""
TIMEOUT = 30.0
"""Seconds a connection may sit idle before the server drops it."""
QUERY_TIMEOUT = 10.0
"""Default seconds a query may run (`kg serve --timeout`)."""
RESULT_LIMIT = 10_000
"""Default rows (or triples) an answer may hold (`kg serve --limit`)."""
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


_DESCRIBE_NODES = """CONSTRUCT { ?n a ?class ; skos:prefLabel ?label ; skos:altLabel ?alias }
WHERE { VALUES ?n { NODES } ?n a ?class . OPTIONAL { ?n skos:prefLabel ?label } OPTIONAL { ?n skos:altLabel ?alias } }"""
_NOT_FOUND = "no such path {}; the SPARQL endpoint is /sparql (also /query), the query page /"


class Handler(BaseHTTPRequestHandler):
    """One request: the route it names, answered from `endpoint` (set on the server's handler class)."""

    endpoint: Endpoint
    access_log: AccessLog
    quiet = False
    timeout = TIMEOUT
    server_version = "aichip-kg"

    def do_HEAD(self) -> None:
        self.do_GET()  # the same answer without its body (see `_send`)

    def do_OPTIONS(self) -> None:
        if not self._host_allowed():
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Allow", "GET, HEAD, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Allow-Methods", "GET")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        if not self._host_allowed():
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        if url.path in ("/sparql", "/query"):
            self._sparql(params)
        elif url.path == "/saved":
            self._list_saved(params)
        elif url.path.startswith("/saved/"):
            self._saved(url.path[len("/saved/") :], params)
        elif url.path == "/":
            self._page()
        elif url.path == "/graph":
            self._graph(params)
        else:
            self._error(HTTPStatus.NOT_FOUND, _NOT_FOUND.format(url.path))

    def do_POST(self) -> None:
        if not self._host_allowed():
            return
        url = urlsplit(self.path)
        if url.path not in ("/sparql", "/query"):
            self._error(HTTPStatus.NOT_FOUND, _NOT_FOUND.format(url.path))
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
        params = parse_qs(url.query, keep_blank_values=True)
        if kind == "application/x-www-form-urlencoded":
            params.update(parse_qs(body, keep_blank_values=True))
        elif kind == "application/sparql-query":
            params["query"] = [body]
        elif kind == "application/sparql-update":
            params["update"] = [body]
        else:
            self._error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/x-www-form-urlencoded (query=...) or application/sparql-query",
            )
            return
        self._sparql(params)

    # ---- routes ----

    def _sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._error(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")
            return
        texts = params.get("query", [])
        if len(texts) != 1 or not texts[0].strip():
            self._error(HTTPStatus.BAD_REQUEST, "give exactly one SPARQL query in the `query` parameter")
            return
        text = texts[0]
        if self._wants_html(params):
            self._html_answer(text, {}, text)
            return
        self._answer(text, params, params.get("default-graph-uri", []), params.get("named-graph-uri", []))

    def _list_saved(self, params: dict[str, list[str]]) -> None:
        listed: list[dict[str, Any]] = [
            {"name": q.name, "description": q.description, "params": q.params, "examples": q.examples}
            for q in _query.saved_queries()
        ]
        chosen = self._choose(params, ["application/json", "text/csv"])
        if chosen == "text/csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(["name", "description", "params"])
            for q in listed:
                writer.writerow(
                    [q["name"], q["description"], " ".join(f"{k}={v}" for k, v in q["params"].items())]
                )
            self._send(HTTPStatus.OK, "text/csv; charset=utf-8", buffer.getvalue().encode())
        elif chosen is not None:
            self._send(HTTPStatus.OK, "application/json", json.dumps(listed, ensure_ascii=False).encode())

    def _saved(self, name: str, params: dict[str, list[str]]) -> None:
        bindings = {k: v[-1] for k, v in params.items() if k != "format" and v[-1].strip()}
        if self._wants_html(params):
            self._html_answer(name, bindings, None)
            return
        try:
            text = _query.prepare(self.endpoint.dataset, _query.saved_query(name).name, bindings)
        except KGError as exc:
            self._error(
                HTTPStatus.NOT_FOUND if "no saved question" in str(exc) else HTTPStatus.BAD_REQUEST, str(exc)
            )
            return
        self._answer(text, params, [], [], check=False)

    def _page(self) -> None:
        html = webpage.page(_query.saved_queries(), title=self._title())
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", html.encode())

    def _graph(self, params: dict[str, list[str]]) -> None:
        from . import viz

        texts = params.get("query", [])
        if not texts:
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", self.endpoint.view().encode())
            return
        answer = self._evaluate(texts[-1], [], [])
        if answer is None:
            return
        if answer.triples is None:
            self._error(HTTPStatus.BAD_REQUEST, "/graph?query= draws a CONSTRUCT or DESCRIBE query's graph")
            return
        # the view draws typed, labelled entities: bring the class and names of every node along
        nodes = {str(t) for triple in answer.triples for t in (triple.subject, triple.object)}
        values = " ".join(sorted(n for n in nodes if n.startswith("<")))
        found = self.endpoint.store.query(_DESCRIBE_NODES.replace("NODES", values), prefixes=PREFIXES)
        assert isinstance(found, ox.QueryTriples)
        described = list(found)
        del found
        graph = Dataset()
        data = ox.serialize([*answer.triples, *described], format=ox.RdfFormat.N_TRIPLES) or b""
        graph.default_graph.parse(data=data.decode("utf-8"), format="nt")
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", viz.render_html(graph).encode())

    # ---- answering ----

    def _evaluate(
        self,
        text: str,
        default_graphs: list[str],
        named_graphs: list[str],
        *,
        check: bool = True,
        formats: tuple[str | None, str | None] | None = None,
    ) -> sparql.Answer | None:
        """The answer, or None once an error response has been sent."""
        try:
            return self.endpoint.evaluate(
                text,
                default_graphs,
                named_graphs,
                check=check,
                client=self.connection,
                probe=self._probe(),
                formats=formats,
            )
        except ClientGone:
            self.close_connection = True
            self.log_message("client left; its query was stopped: %r", text[:80])
        except sparql.Refused as exc:
            self._error(HTTPStatus(exc.status), str(exc))
        except SyntaxError as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"malformed query: {' '.join(str(exc).split())[:300]}")
        except sparql.TimedOut as exc:
            self._error(
                HTTPStatus.SERVICE_UNAVAILABLE, f"{exc}; narrow the query or raise kg serve --timeout"
            )
        except (OSError, RuntimeError, ValueError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, f"query failed: {exc}")
        return None

    def _answer(
        self,
        text: str,
        params: dict[str, list[str]],
        default_graphs: list[str],
        named_graphs: list[str],
        *,
        check: bool = True,
    ) -> None:
        # the answer's kind is known only once it comes: the worker writes it in the type chosen for that kind
        formats = (
            self._choose(params, sparql.RESULT_TYPES, report=False),
            self._choose(params, list(sparql.GRAPH_TYPES), report=False),
        )
        answer = self._evaluate(text, default_graphs, named_graphs, check=check, formats=formats)
        if answer is None:
            return
        if answer.body is None or answer.mime is None:  # nothing offered fits: this sends the 406
            self._choose(params, list(sparql.GRAPH_TYPES) if answer.is_graph else sparql.RESULT_TYPES)
            return
        chosen, body = answer.mime, answer.body
        charset = "; charset=utf-8" if chosen.startswith("text/") else ""
        extra = {"X-Result-Truncated": "true"} if answer.truncated else {}
        self._send(HTTPStatus.OK, chosen + charset, body, extra)

    def _html_answer(self, query: str, bindings: dict[str, str], text: str | None) -> None:
        """The query page with the answer to `query` (SPARQL `text`, or a saved question's name)."""
        settings = self.endpoint.settings
        title = self._title()
        saved = _query.saved_queries()

        def evaluate(prepared: str) -> sparql.Answer:
            # one row past the limit tells the table that there were more
            return self.endpoint.evaluate(
                prepared, check=False, client=self.connection, probe=self._probe(), limit=settings.limit + 1
            )

        try:
            if text is not None:
                sparql.check(text)
            try:
                frame = _query.run_with(self.endpoint.dataset, query, bindings, evaluate)
            except KGError:
                if text is not None:
                    sparql.refuse_update(text)
                raise
            html = webpage.page(
                saved,
                title=title,
                query=text or webpage.EXAMPLE,
                result=webpage.table(frame, limit=settings.limit),
            )
            status = HTTPStatus.OK
        except ClientGone:
            self.close_connection = True
            return
        except (KGError, sparql.Refused, sparql.TimedOut) as exc:
            line = str(exc).splitlines()[0]
            html = webpage.page(saved, title=title, query=text or webpage.EXAMPLE, error=line)
            status = HTTPStatus(exc.status) if isinstance(exc, sparql.Refused) else HTTPStatus.BAD_REQUEST
            if isinstance(exc, sparql.TimedOut):
                status = HTTPStatus.SERVICE_UNAVAILABLE
        self._send(status, "text/html; charset=utf-8", html.encode())

    def _probe(self) -> bytes:
        """What may be written to this client to learn whether it is still there (kg.query_pool): an
        interim 100 Continue, which only HTTP/1.1 clients are ready for."""
        return CONTINUE if self.request_version == "HTTP/1.1" else b""

    def _title(self) -> str:
        return f"{self.endpoint.path.name} · {len(self.endpoint):,} quads"

    def _wants_html(self, params: dict[str, list[str]]) -> bool:
        given = params.get("format", [""])[-1]
        if given:
            return given == "html"
        accept = self.headers.get("Accept") or ""
        return (
            negotiate(accept, ["application/sparql-results+json", "text/html"]) == "text/html"
            and "html" in accept
        )

    def _choose(self, params: dict[str, list[str]], offered: list[str], *, report: bool = True) -> str | None:
        """The media type to answer in (`?format=` first, then Accept); None if none fits, after
        sending 406 unless `report` is off."""
        given = params.get("format", [""])[-1]
        if given:
            mime = sparql.FORMATS.get(given)
            if mime in offered:
                return mime
            if not report:
                return None
            names = ", ".join(k for k, v in sparql.FORMATS.items() if v in offered)
            self._error(HTTPStatus.NOT_ACCEPTABLE, f"format={given} is not offered here; use one of {names}")
            return None
        chosen = negotiate(self.headers.get("Accept"), offered)
        if chosen is None and report:
            self._error(
                HTTPStatus.NOT_ACCEPTABLE,
                f"cannot answer in the Accept'ed types; offered: {', '.join(offered)}",
            )
        return chosen

    def _host_allowed(self) -> bool:
        """The `Host` names this machine (or an allowed name), and a browser's `Origin`, when it sends
        one, is a page on this machine (or an allowed name): other sites' pages are refused, even
        when DNS rebinding makes their Host look local."""
        allowed = LOOPBACK_HOSTS | self.endpoint.settings.allowed_hosts
        host = (self.headers.get("Host") or "").strip().lower()
        name = _host_name(host)
        if name not in allowed:
            self._error(
                HTTPStatus.FORBIDDEN,
                f"Host {host or '(none)'!r} is not served here; start `kg serve --allow-host {name or 'NAME'}` to allow it",
            )
            return False
        origin = (self.headers.get("Origin") or "").strip().lower()
        if origin and origin != "null":
            origin_name = _host_name(urlsplit(origin).netloc)
            if origin_name not in allowed:
                self._error(
                    HTTPStatus.FORBIDDEN,
                    f"pages from {origin!r} may not query this endpoint; start "
                    f"`kg serve --allow-host {origin_name or 'NAME'}` to allow them",
                )
                return False
        return True

    def _error(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode())

    def _send(
        self, status: HTTPStatus, content_type: str, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if self.command in ("GET", "HEAD"):
            self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            self.access_log.write(
                f"{self.address_string()} - - [{self.log_date_time_string()}] {format % args}\n"
            )


def _host_name(host: str) -> str:
    """The name part of a `Host` value or an origin's network location (`[::1]:7878` -> `::1`)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]")[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
