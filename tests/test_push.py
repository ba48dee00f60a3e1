"""`kg push`: a store copied, graph by graph, into a live `oxigraph serve` started here on loopback."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg import cli, pipeline
from kg.errors import KGError
from kg.push import push
from kg.store import DOCUMENT_GRAPHS, Store

OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
FOUNDRY = "TSMC makes chips for OpenAI.\nOpenAI partners with Broadcom on a custom chip.\n"
DESIGNER = "NVIDIA develops the H100 chip.\nTSMC manufactures the H100 for NVIDIA.\n"
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="the `oxigraph` server (pip install oxigraph) is missing"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def remote(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(tmp_path / "remote"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # wait until it answers (at most ~20 s)
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph serve did not start")
        yield base
    finally:
        process.terminate()
        process.wait(20)


def remote_select(base: str, text: str) -> list[dict[str, str]]:
    url = f"{base}/query?" + urllib.parse.urlencode({"query": text})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        bindings = json.loads(response.read())["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def remote_graphs(base: str) -> dict[str, int]:
    rows = remote_select(base, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {row["g"]: int(row["n"]) for row in rows}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "foundry.txt").write_text(FOUNDRY, encoding="utf-8")
    (folder / "designer.txt").write_text(DESIGNER, encoding="utf-8")
    with Store.open(tmp_path / "store") as opened:
        pipeline.ingest(opened, [folder])
        yield opened


def test_push_copies_each_graph_to_a_live_oxigraph(remote: str, store: Store) -> None:
    report = push(store, f"{remote}/store")
    graphs = remote_graphs(remote)
    local = {g.value: sum(1 for _ in store.quads(g.value)) for g in store.ox.named_graphs()}
    assert graphs == local and report.graphs == len(local) + 1
    assert sum(1 for g in graphs if g.startswith(DOCUMENT_GRAPHS)) == 2
    rows = remote_select(
        remote, "SELECT ?f WHERE { ?f <https://w3id.org/aichip-kg/ontology#fabricatesFor> ?c }"
    )
    assert len(rows) == 2  # the default graph: the merged facts, as locally
    again = push(store, f"{remote}/store")  # the same store twice: nothing changes remotely
    assert remote_graphs(remote) == graphs and again.graphs == report.graphs


def test_push_replaces_a_document_graph(remote: str, store: Store) -> None:
    push(store, f"{remote}/store")
    designer = store.find("designer.txt")[0]
    store.remove(designer)
    store.put_document(designer.id, _one_triple_graph(designer.iri))
    push(store, f"{remote}/store")
    assert remote_graphs(remote)[designer.graph] == 1


def test_push_deletes_remote_graphs_of_documents_removed_locally(remote: str, store: Store) -> None:
    other_graph = "https://example.org/someone-elses-graph"
    request = urllib.request.Request(
        f"{remote}/store?" + urllib.parse.urlencode({"graph": other_graph}),
        data=b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n",
        method="PUT",
        headers={"Content-Type": "application/n-triples"},
    )
    urllib.request.urlopen(request, timeout=20).close()
    push(store, f"{remote}/store")
    designer = store.find("designer.txt")[0]
    assert designer.graph in remote_graphs(remote)
    pipeline.remove(store, "designer.txt")
    report = push(store, f"{remote}/store")
    graphs = remote_graphs(remote)
    assert report.deleted == 1 and "deleted 1" in report.summary(remote)
    assert designer.graph not in graphs
    assert {d.graph for d in store.documents()} <= set(graphs)
    assert graphs[other_graph] == 1  # a graph this store never pushed stays
    # and the remote default graph no longer states what only the designer article said
    assert not remote_select(remote, "SELECT * WHERE { <https://w3id.org/aichip-kg/id/nvidia> ?p ?o }")
    assert push(store, f"{remote}/store").deleted == 0


def _one_triple_graph(iri: str) -> Graph:
    graph = Graph()
    graph.add((URIRef(iri), URIRef("http://purl.org/dc/terms/source"), Literal("designer.txt")))
    return graph


def test_push_to_a_wrong_url_says_which(remote: str, store: Store) -> None:
    with pytest.raises(KGError, match=r"answered 40\d .*Graph Store Protocol URL"):
        push(store, f"{remote}/nowhere")
    with pytest.raises(KGError, match="cannot reach the remote store"):
        push(store, f"http://127.0.0.1:{free_port()}/store")
    with pytest.raises(KGError, match="give the store's http"):
        push(store, "ftp://example/store")


def test_push_cli(remote: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text(DESIGNER, encoding="utf-8")
    assert cli.main(["ingest", str(folder), "--store", str(tmp_path / "s"), "-q"]) == 0
    assert cli.main(["push", "--store", str(tmp_path / "s"), "--endpoint", f"{remote}/store"]) == 0
    assert "pushed 4 graphs" in capsys.readouterr().err
    assert len(remote_graphs(remote)) == 3  # the document, the background and the store index
