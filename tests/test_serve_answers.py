"""`kg serve`: saved questions' answers kept per data version, and a client that only shuts down its
writing side (done sending, still reading) gets its answer, while one that closes is still let go.
A real server on a loopback port."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg import pipeline, serve
from kg.store import Store

TIMEOUT = 30
NEWS = "TSMC makes chips for OpenAI.\nOpenAI partners with Broadcom on a custom chip.\n"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
SLOW_ENOUGH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("answers")
    (folder / "news.txt").write_text(NEWS, encoding="utf-8")
    path = folder / "store"
    with Store.open(path) as store:
        pipeline.ingest(store, [folder / "news.txt"])
    return path


@contextmanager
def running(path: Path, settings: serve.Settings) -> Iterator[tuple[str, int, serve.Endpoint]]:
    endpoint = serve.Endpoint(path, settings)
    server = serve.make_server(endpoint, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield str(host), int(port), endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)
        endpoint.close()


def get(host: str, port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://{host}:{port}{path}", timeout=TIMEOUT) as response:
        body: bytes = response.read()
        return body


def wait_for(condition: object, seconds: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


def test_serve_answers_a_saved_question_once_per_data_version(store_path: Path) -> None:
    with running(store_path, serve.Settings(workers=2)) as (host, port, endpoint):
        path = "/saved/partners?company=OpenAI&format=csv"
        first = get(host, port, path)
        assert b"Broadcom" in first
        assert (endpoint.answers.misses, endpoint.answers.hits) == (1, 0)
        assert get(host, port, path) == first
        assert (endpoint.answers.misses, endpoint.answers.hits) == (1, 1)
        get(host, port, "/saved/partners?company=Broadcom&format=csv")  # other parameters: asked anew
        assert endpoint.answers.misses == 2
        (store_path / "generation").write_text("changed-by-an-ingest\n", encoding="ascii")
        assert get(host, port, path) == first  # a new data version: asked anew (same data here)
        assert endpoint.answers.misses == 3


def test_serve_answers_clients_asking_together_share_one_evaluation(store_path: Path) -> None:
    with running(store_path, serve.Settings(workers=2)) as (host, port, endpoint):
        bodies: list[bytes] = []
        threads = [
            threading.Thread(target=lambda: bodies.append(get(host, port, "/saved/dependents?format=csv")))
            for _ in range(8)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(TIMEOUT)
        assert len(bodies) == 8 and len(set(bodies)) == 1
        assert (endpoint.answers.misses, endpoint.answers.hits) == (1, 7)


def request(port: int, query: str) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    path = f"/sparql?{urllib.parse.urlencode({'query': query})}"
    client.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
    return client


def read_all(client: socket.socket) -> bytes:
    chunks = []
    while chunk := client.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_serve_answers_a_client_that_only_shut_down_writing(store_path: Path) -> None:
    with running(store_path, serve.Settings(workers=2, timeout=TIMEOUT)) as (_, port, endpoint):
        assert endpoint.pool is not None
        client = request(port, SLOW_ENOUGH)
        client.shutdown(socket.SHUT_WR)  # done sending; still reading
        reply = read_all(client)
        client.close()
        # the server saw its end of stream while the query ran, checked it was still there, answered
        assert reply.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200"), reply[:200]
        assert b'"n"' in reply and endpoint.pool.killed == 0


def test_serve_answers_a_client_that_closes_is_still_let_go(store_path: Path) -> None:
    with running(store_path, serve.Settings(workers=2, timeout=TIMEOUT)) as (_, port, endpoint):
        assert endpoint.pool is not None
        client = request(port, RUNAWAY)
        time.sleep(0.5)  # the query is running in a worker
        client.close()
        assert wait_for(lambda: endpoint.pool is not None and endpoint.pool.killed == 1)
