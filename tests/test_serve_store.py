"""`kg serve --store`: the SPARQL protocol, the query page, the graph view and the endpoint's guards,
over HTTP from a real server on a loopback port."""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg import pipeline, serve
from kg.store import Store

TIMEOUT = 20
FOUNDRY = "TSMC makes chips for OpenAI.\nOpenAI partners with Broadcom on a custom chip.\n"
DESIGNER = "NVIDIA develops the H100 chip.\nTSMC manufactures the H100 for NVIDIA.\n"
FOUNDRIES = "SELECT ?foundry ?company WHERE { ?foundry chip:fabricatesFor ?company } ORDER BY ?company"


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("news")
    (folder / "foundry.txt").write_text(FOUNDRY, encoding="utf-8")
    (folder / "designer.txt").write_text(DESIGNER, encoding="utf-8")
    path = folder / "store"
    with Store.open(path) as store:
        pipeline.ingest(store, [folder / "foundry.txt", folder / "designer.txt"])
    return path


@contextmanager
def running(store_path: Path, settings: serve.Settings | None = None) -> Iterator[str]:
    endpoint = serve.Endpoint(store_path, settings)
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


@pytest.fixture(scope="module")
def base(store_path: Path) -> Iterator[str]:
    with running(store_path) as url:
        yield url


def fetch(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read().decode("utf-8")


def url(base: str, path: str = "/sparql", **params: str) -> str:
    return f"{base}{path}?{urllib.parse.urlencode(params)}"


def companies_in(kind: str, body: str) -> list[str]:
    """The `company` column of a SELECT answer in any of the four result formats."""
    if "json" in kind:
        return [b["company"]["value"] for b in json.loads(body)["results"]["bindings"]]
    if "xml" in kind:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(body)
        return [e.text or "" for e in root.findall(".//r:binding[@name='company']/r:uri", ns)]
    rows = list(csv.reader(io.StringIO(body), delimiter="\t" if "tab" in kind else ","))
    column = [c.lstrip("?") for c in rows[0]].index("company")
    return [row[column].strip("<>") for row in rows[1:]]


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ],
)
def test_serve_store_sparql_answers_each_result_format(base: str, accept: str, kind: str) -> None:
    status, headers, body = fetch(url(base, query=FOUNDRIES), headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"] == kind
    assert companies_in(kind, body) == [
        "https://w3id.org/aichip-kg/id/nvidia",
        "https://w3id.org/aichip-kg/id/openai",
    ]


def test_serve_store_post_sparql_query(base: str) -> None:
    status, _, body = fetch(
        f"{base}/sparql", data=FOUNDRIES.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 2


def test_serve_store_query_page_is_offline_with_saved_question_forms(base: str) -> None:
    status, headers, body = fetch(f"{base}/", headers={"Accept": "text/html"})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<textarea" in body and 'action="/sparql"' in body
    assert 'action="/saved/fabricators"' in body and 'name="company"' in body
    assert "<script" not in body and "<link" not in body and "src=" not in body
    assert 'href="/graph"' in body


def test_serve_store_html_results_show_labels_and_link_iris(base: str) -> None:
    status, headers, body = fetch(url(base, query=FOUNDRIES, format="html"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<th>foundry</th>" in body and ">TSMC</a>" in body and ">NVIDIA</a>" in body
    assert 'title="https://w3id.org/aichip-kg/id/tsmc"' in body
    link = body.split('<td><a href="', 1)[1].split('"')[0]
    assert link.startswith("/sparql?") and "format=html" in link


def test_serve_store_html_error_is_one_line_with_the_position(base: str) -> None:
    status, _, body = fetch(url(base, query="SELECT ?x WHERE { ?x chip:fabricatesFor }", format="html"))
    assert status == 400
    error = body.split('<p class="error">', 1)[1].split("</p>", 1)[0]
    assert "line 1, column" in error and "\n" not in error


def test_serve_store_browser_accept_gets_the_page(base: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = fetch(
        url(base, "/saved/fabricators", company="NVIDIA"), headers={"Accept": accept}
    )
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert ">TSMC</a>" in body


def test_serve_store_saved_questions_as_json_and_csv(base: str) -> None:
    _, headers, body = fetch(f"{base}/saved")
    assert headers["Content-Type"] == "application/json"
    assert "fabricators" in {q["name"] for q in json.loads(body)}
    status, headers, body = fetch(url(base, "/saved", format="csv"))
    rows = list(csv.DictReader(io.StringIO(body)))
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert {"name": "fabricators", "params": "company="}.items() <= next(
        r for r in rows if r["name"] == "fabricators"
    ).items()
    status, _, body = fetch(url(base, "/saved/fabricators", company="NVIDIA", format="csv"))
    assert status == 200 and "tsmc" in body


def test_serve_store_graph_view_of_the_store_and_of_a_query(base: str) -> None:
    status, headers, body = fetch(f"{base}/graph")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Broadcom" in body and "NVIDIA" in body
    construct = "CONSTRUCT { ?f chip:fabricatesFor kg:nvidia } WHERE { ?f chip:fabricatesFor kg:nvidia }"
    status, _, body = fetch(url(base, "/graph", query=construct))
    assert status == 200 and "NVIDIA" in body and "Broadcom" not in body
    status, _, body = fetch(url(base, "/graph", query=FOUNDRIES))
    assert status == 400 and "CONSTRUCT" in body


def test_serve_store_result_limit_cuts_and_marks_the_answer(store_path: Path) -> None:
    with running(store_path, serve.Settings(limit=3)) as base:
        status, headers, body = fetch(url(base, query="SELECT * WHERE { ?s ?p ?o }"))
        assert status == 200 and headers["X-Result-Truncated"] == "true"
        assert len(json.loads(body)["results"]["bindings"]) == 3
        _, headers, body = fetch(url(base, query=FOUNDRIES))
        assert "X-Result-Truncated" not in headers and len(json.loads(body)["results"]["bindings"]) == 2


def test_serve_store_query_over_the_time_limit_is_503(store_path: Path) -> None:
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # every triple three times over: 10^7 rows
    with running(store_path, serve.Settings(timeout=0.2, limit=10**9)) as base:
        status, headers, body = fetch(url(base, query=slow))
        assert status == 503 and headers["Content-Type"].startswith("text/plain")
        assert "0.2 s limit" in body and "--timeout" in body
        assert fetch(url(base, query=FOUNDRIES))[0] == 200  # the server still answers


@pytest.mark.parametrize(
    ("host", "allowed", "status"),
    [
        ("localhost", (), 200),
        ("127.0.0.1:1234", (), 200),
        ("[::1]:80", (), 200),
        ("attacker.example", (), 403),
        ("kg.lan:7878", ("kg.lan",), 200),
    ],
)
def test_serve_store_checks_the_host_header(
    store_path: Path, host: str, allowed: tuple[str, ...], status: int
) -> None:
    with running(store_path, serve.Settings(allowed_hosts=frozenset(allowed))) as base:
        got, _, body = fetch(url(base, query="ASK {}"), headers={"Host": host})
        assert got == status
        if status == 403:
            assert "--allow-host attacker.example" in body


@pytest.mark.parametrize(
    ("origin", "allowed", "status"),
    [
        (None, (), 200),  # a notebook or curl sends no Origin
        ("http://localhost:8888", (), 200),  # a page on this machine (JupyterLab)
        ("null", (), 200),  # a local file opened in the browser
        ("https://attacker.example", (), 403),
        ("http://kg.lan:7878", ("kg.lan",), 200),
    ],
)
def test_serve_store_checks_a_browsers_origin(
    store_path: Path, origin: str | None, allowed: tuple[str, ...], status: int
) -> None:
    headers = {"Origin": origin} if origin else {}
    with running(store_path, serve.Settings(allowed_hosts=frozenset(allowed))) as base:
        got, _, body = fetch(url(base, query="ASK {}"), headers=headers)
        assert got == status
        if status == 403:
            assert "'https://attacker.example'" in body and "--allow-host attacker.example" in body


def test_serve_store_a_burst_of_clients_is_answered_not_refused(store_path: Path) -> None:
    # 300 clients at once: the listen queue holds them and each gets its answer, none is refused
    statuses: list[int] = []
    lock = threading.Lock()
    with running(store_path) as base:

        def client() -> None:
            got, _, _ = fetch(url(base, query="ASK { ?s ?p ?o }"))
            with lock:
                statuses.append(got)

        threads = [threading.Thread(target=client) for _ in range(300)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert statuses.count(200) == 300, sorted(set(statuses))


def test_serve_store_queries_past_the_slots_wait_then_get_a_busy_answer(store_path: Path) -> None:
    # in the server's own threads (queries in worker processes: test_serve_cancel)
    endpoint = serve.Endpoint(store_path, serve.Settings(workers=1, timeout=0.2, in_process=True))
    assert endpoint.evaluate("ASK { ?s ?p ?o }").boolean is True  # a free slot answers
    endpoint._slots.acquire()  # a long query holds the only slot
    try:
        with pytest.raises(serve.sparql.TimedOut, match="busy: all 1 query slots"):
            endpoint.evaluate("ASK { ?s ?p ?o }")
    finally:
        endpoint._slots.release()
    assert endpoint.evaluate("ASK { ?s ?p ?o }").boolean is True  # and the slot serves again
