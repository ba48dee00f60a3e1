"""`kg serve` stops a query for real: past its time limit, or when its client leaves, the worker process
that ran it is killed and replaced, and the endpoint answers the next query."""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg import serve
from kg.query_pool import Pool
from kg.store import Store

MARKET = Path(__file__).parent / "fixtures" / "query_market.trig"
TIMEOUT = 30
# ~300 triples four times over: 8·10^9 combinations, counted inside Oxigraph without a row coming out,
# so only killing its process stops it
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { kg:tsmc chip:fabricatesFor kg:nvidia }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cancel") / "store"
    with Store.open(path) as store:
        store.ox.load(path=str(MARKET), format=serve.ox.RdfFormat.TRIG)
    return path


@contextmanager
def running(source: Path, settings: serve.Settings) -> Iterator[tuple[str, serve.Endpoint]]:
    endpoint = serve.Endpoint(source, settings)
    server = serve.make_server(endpoint, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}", endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)
        endpoint.close()


def fetch(base: str, text: str, **params: str) -> tuple[int, str]:
    url = f"{base}/sparql?{urllib.parse.urlencode({'query': text, **params})}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for(condition: object, seconds: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("source", ["store", "file"])
def test_serve_cancel_a_runaway_query_is_stopped_at_its_time_limit(store_path: Path, source: str) -> None:
    settings = serve.Settings(timeout=1.0, workers=2)
    with running(store_path if source == "store" else MARKET, settings) as (base, endpoint):
        assert endpoint.pool is not None
        before = endpoint.pool.pids
        assert len(before) == 2 and all(alive(pid) for pid in before)
        status, body = fetch(base, RUNAWAY)
        assert status == 503
        assert body.count("\n") == 1 and "1 s limit and was stopped" in body and "--timeout" in body
        stopped = before - endpoint.pool.pids
        assert len(stopped) == 1 and not alive(stopped.pop())  # the process that ran it is gone
        assert fetch(base, CHEAP) == (200, '{"head": {}, "boolean": true}')  # and the next query answers
        assert wait_for(lambda: len(endpoint.pool.pids) == 2)  # a fresh worker took its place
        assert endpoint.pool.killed == 1


def test_serve_cancel_a_query_whose_client_leaves_is_stopped(store_path: Path) -> None:
    with running(store_path, serve.Settings(timeout=TIMEOUT, workers=2)) as (base, endpoint):
        assert endpoint.pool is not None
        before = endpoint.pool.pids
        host, port = base.removeprefix("http://").split(":")
        client = socket.create_connection((host, int(port)), timeout=TIMEOUT)
        path = f"/sparql?{urllib.parse.urlencode({'query': RUNAWAY})}"
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        time.sleep(0.5)  # the query is running in a worker
        assert endpoint.pool.killed == 0
        client.close()
        assert wait_for(lambda: endpoint.pool is not None and endpoint.pool.killed == 1)
        stopped = before - endpoint.pool.pids
        assert len(stopped) == 1 and wait_for(lambda: not alive(next(iter(stopped))))
        assert fetch(base, CHEAP)[0] == 200


def test_serve_cancel_queries_past_the_workers_wait_then_get_a_busy_answer(store_path: Path) -> None:
    with running(store_path, serve.Settings(timeout=1.0, workers=1)) as (base, endpoint):
        runaway = threading.Thread(target=fetch, args=(base, RUNAWAY))
        runaway.start()
        assert endpoint.pool is not None and wait_for(
            lambda: endpoint.pool is not None and endpoint.pool.busy == 1
        )
        status, body = fetch(base, CHEAP)
        runaway.join(TIMEOUT)
        assert status == 503 and "busy: all 1 query workers" in body
        assert wait_for(lambda: fetch(base, CHEAP)[0] == 200)  # the replacement answers


def test_serve_cancel_graph_file_workers_read_a_private_copy_removed_at_close() -> None:
    endpoint = serve.Endpoint(MARKET, serve.Settings(workers=2))
    assert endpoint.pool is not None
    copy, pids = endpoint.pool.store, endpoint.pool.pids
    assert copy.is_dir() and copy != MARKET.parent
    assert endpoint.evaluate("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").rows == (
        serve.Endpoint(MARKET, serve.Settings(in_process=True))
        .evaluate("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        .rows
    )
    endpoint.close()
    assert not copy.exists() and not any(alive(pid) for pid in pids)


def test_serve_cancel_pool_reports_a_worker_that_cannot_start(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match=r"did not start: .*not-a-store: cannot open the store read-only"):
        Pool(tmp_path / "not-a-store", 1)


def test_serve_cancel_the_query_page_stops_a_runaway_query_too(store_path: Path) -> None:
    with running(store_path, serve.Settings(timeout=1.0, workers=2, limit=3)) as (base, endpoint):
        assert endpoint.pool is not None
        before = endpoint.pool.pids
        status, body = fetch(base, RUNAWAY, format="html")
        assert status == 503 and '<p class="error">' in body and "1 s limit and was stopped" in body
        stopped = before - endpoint.pool.pids
        assert len(stopped) == 1 and not alive(stopped.pop())
        status, body = fetch(base, "SELECT ?s WHERE { ?s a ?class }", format="html")
        assert status == 200 and "more than 3 rows; the first 3 shown" in body


@pytest.mark.parametrize(
    ("text", "accept"),
    [
        ("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o", "application/sparql-results+json"),
        ("SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label", "text/csv"),
        (
            "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label",
            "application/sparql-results+xml",
        ),
        (
            "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s ?label",
            "text/tab-separated-values",
        ),
        (CHEAP, "text/csv"),
        (
            "CONSTRUCT { ?f chip:fabricatesFor ?c } WHERE { ?f chip:fabricatesFor ?c }",
            "application/n-triples",
        ),
        ("SELECT ?s WHERE { ?s a ?class } ORDER BY ?s", "text/html"),
    ],
)
def test_serve_cancel_workers_answer_as_the_server_itself(store_path: Path, text: str, accept: str) -> None:
    bodies = []
    for in_process in (True, False):
        with running(store_path, serve.Settings(in_process=in_process, limit=5, workers=1)) as (base, _):
            request = urllib.request.Request(
                f"{base}/sparql?{urllib.parse.urlencode({'query': text})}", headers={"Accept": accept}
            )
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                bodies.append(
                    (
                        response.headers["Content-Type"],
                        response.headers["X-Result-Truncated"],
                        response.read(),
                    )
                )
    assert bodies[0] == bodies[1]
    if "ORDER BY" in text and accept != "text/html":
        assert bodies[0][1] == "true"  # cut at the limit of 5, both ways
