"""A read-only SPARQL 1.1 endpoint over HTTP for a graph store or a graph file (`kg serve`).

Routes:

- `/sparql` (also `/query`): the SPARQL 1.1 Protocol. `GET ?query=…`, `POST` with
  `application/x-www-form-urlencoded` (`query=…`) or `application/sparql-query`; `default-graph-uri`
  and `named-graph-uri` are honoured. Results follow `Accept` (or `?format=json|xml|csv|tsv|html`):
  SPARQL JSON (default), XML, CSV, TSV, or an HTML page; CONSTRUCT/DESCRIBE give Turtle (default),
  N-Triples, JSON-LD or RDF/XML.
- `/`: the query page (`kg.webpage`): an editor, the saved questions as forms, results as a table.
- `/saved`: the saved questions (JSON, or CSV by Accept or `?format=csv`); `/saved/NAME?param=…`
  runs one and answers like `/sparql`.
- `/graph`: the interactive HTML view of the whole graph; `/graph?query=CONSTRUCT…` of a query's graph.

Read-only: an update (or `?update=`, or `application/sparql-update`) gets 403. Queries answer from
this graph only: a `SERVICE` pattern in the parsed query is refused with 400. Each query has a time
limit (`--timeout`, default 10 s: 503 past it) and a result limit (`--limit`, default 10,000 rows;
the answer is cut there and marked with the header `X-Result-Truncated: true`). GET answers carry
`Access-Control-Allow-Origin: *`, so notebooks and other pages can read them; POST answers do not.
Requests whose `Host` is not this machine (localhost, 127.0.0.1, ::1) or a name given with
`--allow-host` are refused with 403, which keeps web pages on other sites from reaching the
endpoint through DNS rebinding. The standard library's `http.server` serves, one thread per request.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import weakref
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import Dataset

from . import rdfio, sparql
from .accesslog import AccessLog
from .errors import KGError
from .native import AnswerCache
from .query_pool import ClientGone, Pool
from .serve_http import LOOPBACK_HOSTS, MAX_BODY, QUERY_TIMEOUT, RESULT_LIMIT, Handler
from .sparql import negotiate
from .store import read_generation

ANSWERS_KEPT = 64
"""Saved questions' answers the endpoint keeps (the least recently asked go first)."""


@dataclass
class Settings:
    """How the endpoint bounds each query and which Host names it answers to."""

    timeout: float = QUERY_TIMEOUT
    limit: int = RESULT_LIMIT
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)
    workers: int = field(default_factory=lambda: max(2, os.cpu_count() or 1))
    """Queries evaluated at once (worker processes); later ones wait for one (up to `timeout`, then 503)."""
    in_process: bool = False
    """Evaluate queries in threads of the server itself, not in worker processes: a query past
    `timeout` is answered 503 but runs on to its end (pyoxigraph cannot stop it)."""


class Endpoint:
    """A store folder or a graph file in Oxigraph, queryable natively and through rdflib (saved questions)."""

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        from .store import Store

        self.path = Path(path)
        self.settings = settings or Settings()
        if self.path.is_dir():
            opened = Store.open(self.path, read_only=True)
            self.dataset: Dataset = opened.dataset()
            self.store: ox.Store = opened.ox
        else:
            self.dataset = rdfio.load(self.path, store="Oxigraph")
            # the pyoxigraph Store under oxrdflib's plugin: native queries serialize results themselves
            self.store = self.dataset.store._inner  # type: ignore[attr-defined]
        self._view: str | None = None
        self._view_lock = threading.Lock()
        self.answers = AnswerCache(ANSWERS_KEPT)
        """Saved questions' answers by (data version, question): clients asking the same question
        together wait for one evaluation, and later ones are answered from memory."""
        # queries evaluated at once: more only make every one slower on these cores; the rest wait
        self._slots = threading.BoundedSemaphore(self.settings.workers)
        self.pool: Pool | None = None
        if not self.settings.in_process:
            try:
                self.pool = _pool(self.path, self.store, self.settings.workers)
            except (OSError, RuntimeError) as exc:
                raise KGError(
                    f"{self.path}: {exc}; serve with --in-process to answer without workers"
                ) from exc
            weakref.finalize(self, self.pool.close)

    def close(self) -> None:
        """End the query workers (and remove the copy of a graph file they read)."""
        if self.pool is not None:
            self.pool.close()

    def __len__(self) -> int:
        return len(self.store)

    def evaluate(
        self,
        text: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        *,
        check: bool = True,
        client: socket.socket | None = None,
        probe: bytes = b"",
        limit: int | None = None,
        formats: tuple[str | None, str | None] | None = None,
    ) -> sparql.Answer:
        """Check and run SPARQL natively within the endpoint's limits (raises sparql.Refused, SyntaxError,
        sparql.TimedOut); `check=False` for the saved questions, which ship with the package. In a
        worker process the query is stopped past the limit, or when `client` closes its connection
        (ClientGone; `probe` is what may be written to it to tell a closed socket from one only shut
        for writing, see kg.query_pool). `limit` overrides the endpoint's row limit; with `formats` (a media type for
        results, one for a graph) the answer comes `sparql.written`."""
        limit = self.settings.limit if limit is None else limit
        if check:
            sparql.check(text)
        else:  # a saved question: the same question on the same data has the same answer
            key = (text, tuple(default_graphs or ()), tuple(named_graphs or ()), limit, formats)
            return cast(
                sparql.Answer,
                self.answers.get(
                    (self._generation(), key),
                    lambda: self._evaluate(
                        text, default_graphs, named_graphs, (client, probe), limit, formats
                    ),
                ),
            )
        return self._evaluate(text, default_graphs, named_graphs, (client, probe), limit, formats)

    def _generation(self) -> str:
        """The data's version: a store's generation token as `kg ingest` last wrote it (a file is read once)."""
        return read_generation(self.path) if self.path.is_dir() else "file"

    def _evaluate(
        self,
        text: str,
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
        client: tuple[socket.socket | None, bytes],
        limit: int,
        formats: tuple[str | None, str | None] | None,
    ) -> sparql.Answer:
        if self.pool is not None:
            try:
                return self.pool.answer(
                    text,
                    limit=limit,
                    timeout=self.settings.timeout,
                    default_graphs=default_graphs,
                    named_graphs=named_graphs,
                    client=client[0],
                    probe=client[1],
                    formats=formats,
                )
            except SyntaxError:
                sparql.refuse_update(text)
                raise
        if not self._slots.acquire(timeout=self.settings.timeout):
            raise sparql.TimedOut(
                f"the endpoint is busy: all {self.settings.workers} query slots stayed taken for "
                f"{self.settings.timeout:g} s; retry later"
            )
        try:
            answer = sparql.evaluate(
                self.store,
                text,
                limit=limit,
                timeout=self.settings.timeout,
                default_graphs=default_graphs,
                named_graphs=named_graphs,
            )
            return answer if formats is None else sparql.written(answer, formats)
        except SyntaxError:
            sparql.refuse_update(text)
            raise
        finally:
            self._slots.release()

    def view(self) -> str:
        """The HTML view of the whole graph, made once."""
        from . import viz

        with self._view_lock:
            if self._view is None:
                self._view = viz.render_html(self.dataset)
            return self._view


def _pool(path: Path, store: ox.Store, size: int) -> Pool:
    """Workers on the store folder at `path`; for a graph file, on a copy of its graph written to a
    private temporary store (removed when the pool closes): workers are separate processes and
    cannot share this one's memory."""
    if path.is_dir():
        return Pool(path, size)
    copy = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    try:
        written = ox.Store(str(copy))
        written.bulk_extend(store.quads_for_pattern(None, None, None, None))
        written.flush()
        del written
        return Pool(copy, size, remove=True)
    except BaseException:
        shutil.rmtree(copy, ignore_errors=True)
        raise


class _Server(ThreadingHTTPServer):
    # connections waiting to be accepted: the default 5 refuses clients under a burst of hundreds
    request_queue_size = 1024
    daemon_threads = True


def make_server(
    endpoint: Endpoint, host: str = "127.0.0.1", port: int = 7878, *, quiet: bool = False
) -> ThreadingHTTPServer:
    """An HTTP server for `endpoint` (not yet serving); port 0 picks a free port (see `server_address`)."""

    class Bound(Handler):
        pass

    Bound.endpoint = endpoint
    Bound.quiet = quiet
    Bound.access_log = AccessLog()
    return _Server((host, port), Bound)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve(
    path: str | Path, host: str = "127.0.0.1", port: int = 7878, settings: Settings | None = None
) -> None:
    """Serve the store or graph file at `path` until interrupted."""
    endpoint = Endpoint(path, settings)
    try:
        server = make_server(endpoint, host, port)
    except (OSError, OverflowError) as exc:
        endpoint.close()
        fix = "check --host" if isinstance(exc, socket.gaierror) else "try another --port"
        reason = getattr(exc, "strerror", None) or exc
        raise KGError(f"cannot listen on {host}:{port}: {reason}; {fix}") from exc
    bound_host, bound_port = server.server_address[:2]
    bound_host = bound_host.decode() if isinstance(bound_host, bytes) else bound_host
    print(
        f"serving {endpoint.path} ({len(endpoint)} quads) at http://{bound_host}:{bound_port}/sparql"
        f" (query page: http://{bound_host}:{bound_port}/ ; Ctrl-C to stop)",
        file=sys.stderr,
        flush=True,
    )
    if threading.current_thread() is threading.main_thread():
        # `kill` (SIGTERM) ends the server as Ctrl-C does: the workers and a graph file's copy go with it
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        endpoint.close()


__all__ = [
    "LOOPBACK_HOSTS",
    "MAX_BODY",
    "QUERY_TIMEOUT",
    "RESULT_LIMIT",
    "ClientGone",
    "Endpoint",
    "Settings",
    "make_server",
    "negotiate",
    "serve",
]
