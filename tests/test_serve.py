"""`kg serve`: the SPARQL 1.1 protocol over HTTP, on 127.0.0.1 only, every request bounded by a timeout."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from rdflib import Dataset

from kg import rdfio, serve, serve_http, sparql
from kg.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
MARKET = FIXTURES / "query_market.trig"
SEED = FIXTURES / "query_seed.ttl"
TIMEOUT = 10
FABRICATORS = "SELECT ?foundry WHERE { ?foundry chip:fabricatesFor kg:nvidia }"


@contextmanager
def running(settings: serve.Settings) -> Iterator[str]:
    endpoint = serve.Endpoint(MARKET, settings)
    server = serve.make_server(endpoint, "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT)
        endpoint.close()


@pytest.fixture(scope="module", params=["workers", "in-process"])
def base(request: pytest.FixtureRequest) -> Iterator[str]:
    # every test of this module runs against both ways of evaluating a query: the answers must not differ
    with running(serve.Settings(in_process=request.param == "in-process")) as url:
        yield url


def fetch(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers["Content-Type"], error.read().decode("utf-8")


def get(base: str, path: str = "/query", **params: str) -> str:
    return f"{base}{path}?{urllib.parse.urlencode(params)}"


def test_serve_get_answers_sparql_json_by_default(base: str) -> None:
    status, kind, body = fetch(get(base, query=FABRICATORS))
    assert status == 200 and kind == "application/sparql-results+json"
    bindings = json.loads(body)["results"]["bindings"]
    assert [b["foundry"]["value"] for b in bindings] == ["https://w3id.org/aichip-kg/id/tsmc"]


@pytest.mark.parametrize(
    ("accept", "kind", "delimiter"),
    [
        ("text/csv", "text/csv; charset=utf-8", ","),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8", "\t"),
        ("application/json;q=0.5, text/csv", "text/csv; charset=utf-8", ","),
    ],
)
def test_serve_answers_csv_and_tsv_by_accept(base: str, accept: str, kind: str, delimiter: str) -> None:
    status, got, body = fetch(get(base, query=FABRICATORS), headers={"Accept": accept})
    assert status == 200 and got == kind
    rows = list(csv.reader(io.StringIO(body), delimiter=delimiter))
    assert rows[0][0].lstrip("?") == "foundry"
    assert "tsmc" in rows[1][0]


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "application/sparql-query"])
def test_serve_post_forms(base: str, content_type: str) -> None:
    text = FABRICATORS.replace("kg:nvidia", "?c") + " ORDER BY ?foundry"
    data = urllib.parse.urlencode({"query": text}) if content_type.endswith("urlencoded") else text
    status, _, body = fetch(f"{base}/query", data=data.encode(), headers={"Content-Type": content_type})
    assert status == 200
    foundries = [b["foundry"]["value"].rsplit("/", 1)[1] for b in json.loads(body)["results"]["bindings"]]
    assert foundries == ["samsung", "smic", "tsmc"]


def test_serve_ask_and_construct(base: str) -> None:
    _, _, body = fetch(get(base, query="ASK { kg:tsmc chip:fabricatesFor kg:nvidia }"))
    assert json.loads(body)["boolean"] is True
    status, kind, body = fetch(get(base, query="CONSTRUCT WHERE { ?f chip:fabricatesFor kg:huawei }"))
    assert status == 200 and kind.startswith("text/turtle")
    assert "kg:smic chip:fabricatesFor kg:huawei" in body


def test_serve_default_graph_is_extracted_and_background_is_named(base: str) -> None:
    text = "SELECT ?chip WHERE { kg:nvidia chip:develops ?chip } ORDER BY ?chip"
    _, _, body = fetch(get(base, query=text), headers={"Accept": "text/csv"})
    assert "b200" not in body and "h100" in body
    bg = "https://w3id.org/aichip-kg/id/graph/background"
    _, _, body = fetch(get(base, query=text, **{"default-graph-uri": bg}), headers={"Accept": "text/csv"})
    assert "b200" in body


def test_serve_saved_questions(base: str) -> None:
    status, kind, body = fetch(f"{base}/saved")
    assert status == 200 and kind == "application/json"
    listed = {q["name"]: q for q in json.loads(body)}
    assert listed["fabricators"]["params"] == {"company": ""} and listed["fabricators"]["examples"] == {
        "company": "OpenAI"
    }
    status, _, body = fetch(get(base, "/saved/fabricators", company="华为"), headers={"Accept": "text/csv"})
    assert status == 200 and "smic" in body and "tsmc" not in body
    status, _, body = fetch(f"{base}/saved/nothing-like-it")
    assert status == 404 and "known:" in body
    status, _, body = fetch(get(base, "/saved/fabricators", company="Nobody Inc"))
    assert status == 400 and "no entity" in body


@pytest.mark.parametrize(
    ("request_args", "status", "message"),
    [
        ({"url": "/query?query=SELEC"}, 400, "malformed query"),
        ({"url": "/query"}, 400, "exactly one SPARQL query"),
        ({"url": "/query?update=CLEAR+ALL"}, 403, "read-only"),
        ({"url": "/sparql?query=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"}, 403, "read-only"),
        ({"url": "/sparql?query=LOAD+%3Chttp%3A%2F%2F127.0.0.1%3A9%2Fx%3E"}, 403, "read-only"),
        (
            {
                "url": "/sparql",
                "data": b"INSERT DATA { kg:a kg:b kg:c }",
                "headers": {"Content-Type": "application/sparql-update"},
            },
            403,
            "read-only",
        ),
        ({"url": "/nowhere"}, 404, "/query"),
        ({"url": "/query?query=ASK{}", "headers": {"Accept": "image/png"}}, 406, "offered"),
        (
            {"url": "/query", "data": b"query=ASK{}", "headers": {"Content-Type": "text/plain"}},
            415,
            "sparql-query",
        ),
    ],
)
def test_serve_refuses_bad_requests_with_a_reason(
    base: str, request_args: dict[str, object], status: int, message: str
) -> None:
    url = base + str(request_args["url"])
    got, kind, body = fetch(url, data=request_args.get("data"), headers=request_args.get("headers"))  # type: ignore[arg-type]
    assert got == status and kind.startswith("text/plain") and message in body


def test_serve_refuses_service_queries(base: str) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    status, kind, body = fetch(get(base, query=text))
    assert status == 400 and kind.startswith("text/plain") and "SERVICE is refused" in body
    data = urllib.parse.urlencode({"query": text.lower()}).encode()
    status, _, body = fetch(
        f"{base}/query", data=data, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400 and "refused" in body


def test_serve_service_inside_a_string_or_name_is_fine(base: str) -> None:
    text = 'SELECT ?service WHERE { BIND("SERVICE <http://x> {}" AS ?service) }'
    status, _, body = fetch(get(base, query=text), headers={"Accept": "text/csv"})
    assert status == 200 and "SERVICE <http://x>" in body


def test_serve_allows_cross_origin_get_but_not_post(base: str) -> None:
    # a notebook page on this machine, on another port (pages from other sites are refused: test_serve_store)
    request = urllib.request.Request(
        get(base, query=FABRICATORS), headers={"Origin": "http://localhost:8888"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = urllib.parse.urlencode({"query": FABRICATORS}).encode()
    request = urllib.request.Request(
        f"{base}/sparql",
        data=data,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://localhost:8888"},
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.headers["Access-Control-Allow-Origin"] is None
    request = urllib.request.Request(f"{base}/sparql", method="OPTIONS")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.status == 204 and response.headers["Access-Control-Allow-Methods"] == "GET"


@pytest.mark.parametrize("value", ["kg:a b", "<http://a> ) } #>"])
def test_serve_saved_question_with_an_invalid_iri_is_a_bad_request(base: str, value: str) -> None:
    status, _, body = fetch(get(base, "/saved/evidence", subject=value))
    assert status == 400 and "not a valid IRI" in body


def test_serve_evaluation_errors_while_serializing_are_bad_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:  # Oxigraph evaluates while results are read, so that is where it fails
        raise OSError("evaluation failed")

    monkeypatch.setattr(sparql, "_read", fail)  # in this process: the threads of an in-process endpoint
    with running(serve.Settings(in_process=True)) as base:
        status, kind, body = fetch(get(base, query=FABRICATORS))
    assert status == 400 and kind.startswith("text/plain") and "evaluation failed" in body


def test_serve_errors_raised_while_evaluating_are_bad_requests(base: str) -> None:
    # pyoxigraph refuses a graph name that is not an IRI: in a worker process, the error crosses the pipe
    status, kind, body = fetch(get(base, query=FABRICATORS, **{"default-graph-uri": "not an iri"}))
    assert status == 400 and kind.startswith("text/plain") and "query failed" in body and "IRI" in body


def test_serve_head_answers_headers_only(base: str) -> None:
    request = urllib.request.Request(f"{base}/saved", method="HEAD")
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        assert response.status == 200 and response.headers["Content-Type"] == "application/json"
        assert int(response.headers["Content-Length"]) > 0 and response.read() == b""


def test_serve_loads_graphs_with_rdfio(monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = []
    load = rdfio.load

    def spy(path: str | Path, store: str = "default") -> Dataset:
        loaded.append(store)
        return load(path, store=store)

    monkeypatch.setattr(rdfio, "load", spy)
    endpoint = serve.Endpoint(SEED)
    assert loaded == ["Oxigraph"] and len(endpoint) == len(endpoint.dataset)


def test_serve_refuses_oversized_bodies(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_http, "MAX_BODY", 16)
    status, _, body = fetch(
        f"{base}/query",
        data=b"query=" + b"x" * 64,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413 and "16 bytes" in body


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "a/json"),
        ("*/*", "a/json"),
        ("text/*", "text/csv"),
        ("text/tsv, text/csv;q=0.9", "text/csv"),
        ("a/json;q=0.1, text/csv;q=0.2", "text/csv"),
        ("text/csv;q=0, image/png", None),
        ("text/*;q=0.5, a/json;q=0.4", "text/csv"),
    ],
)
def test_serve_negotiate(accept: str | None, expected: str | None) -> None:
    assert serve.negotiate(accept, ["a/json", "text/csv", "text/tab-separated-values"]) == expected


def test_serve_missing_graph_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such graph file"):
        serve.Endpoint(tmp_path / "none.ttl")


@pytest.mark.slow
def test_serve_cli_serves_until_stopped() -> None:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(SEED), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()  # "serving … at http://127.0.0.1:PORT/query …"
        assert "http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        _, _, body = fetch(
            url
            + "?"
            + urllib.parse.urlencode({"query": "SELECT ?f WHERE { ?f chip:fabricatesFor kg:openai }"}),
            headers={"Accept": "text/csv"},
        )
        assert body.splitlines()[1] == "https://w3id.org/aichip-kg/id/tsmc"
    finally:
        process.terminate()
        process.wait(TIMEOUT)
        if process.stderr is not None:
            process.stderr.close()
