"""Copy a graph store to a remote SPARQL 1.1 store with the Graph Store HTTP Protocol (`kg push`).

Each document's named graph, the background graph and the merged default graph are sent with
`PUT URL?graph=IRI` (`PUT URL?default` for the default graph), which replaces that graph on the
remote side and leaves every other graph there alone. Pushing the same store twice leaves the remote
store as it was. The store's index graph (`kg:graph/store`, which document graphs it holds) is sent
too, last; the next push reads it back (`GET URL?graph=IRI`) and deletes there (`DELETE`) the graphs
of documents removed (or replaced by a changed text) locally since. Other remote graphs are left alone.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import KGError
from .store import DOCUMENT_GRAPHS, INDEX_GRAPH, Store
from .vocab import BACKGROUND


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    deleted: int = 0
    seconds: float = 0.0

    def summary(self, endpoint: str) -> str:
        gone = f", deleted {self.deleted} removed locally" if self.deleted else ""
        return f"pushed {self.graphs} graphs ({self.triples:,} triples{gone}) to {endpoint} in {self.seconds:.2f} s"


def push(
    store: Store, endpoint: str, *, timeout: float = 60.0, progress: Callable[[str], None] | None = None
) -> PushReport:
    """PUT every graph of `store` to the Graph Store Protocol `endpoint` (e.g. Oxigraph's `…/store`)."""
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise KGError(
            f"--endpoint {endpoint!r}: give the store's http(s) URL, e.g. http://localhost:7878/store"
        )
    started = time.perf_counter()
    report = PushReport()
    index = ox.NamedNode(INDEX_GRAPH)
    named = [d for d in _named(store) if d.value not in (str(BACKGROUND), INDEX_GRAPH)]
    local = {g.value for g in named}
    for gone in sorted(_pushed_before(endpoint, timeout) - local):
        _send(_url(endpoint, ox.NamedNode(gone)), None, timeout, method="DELETE")
        report.deleted += 1
        if progress is not None:
            progress(f"deleted {gone}")
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [*named, ox.NamedNode(str(BACKGROUND)), ox.DefaultGraph()]
    graphs.append(index)  # last: until it is there, the next push still knows what the remote had
    for graph in graphs:
        if isinstance(graph, ox.NamedNode) and not store.ox.contains_named_graph(graph):
            continue
        body = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        _send(_url(endpoint, graph), body, timeout)
        report.graphs += 1
        report.triples += body.count(b"\n")
        if progress is not None:
            progress(str(graph))
    report.seconds = time.perf_counter() - started
    return report


def _named(store: Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def _url(endpoint: str, graph: ox.NamedNode | ox.DefaultGraph) -> str:
    query = (
        "default" if isinstance(graph, ox.DefaultGraph) else urllib.parse.urlencode({"graph": graph.value})
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def _pushed_before(endpoint: str, timeout: float) -> set[str]:
    """The document graphs an earlier push left on the remote store (its copy of our index graph)."""
    body = _send(_url(endpoint, ox.NamedNode(INDEX_GRAPH)), None, timeout, method="GET", missing_ok=True)
    if not body:
        return set()
    try:
        triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
        return {t.subject.value for t in triples if t.subject.value.startswith(DOCUMENT_GRAPHS)}
    except SyntaxError as exc:
        raise KGError(f"{endpoint}: cannot read its copy of <{INDEX_GRAPH}>: {exc}") from None


def _send(
    url: str, body: bytes | None, timeout: float, *, method: str = "PUT", missing_ok: bool = False
) -> bytes:
    headers = {"Content-Type": "application/n-triples"} if body is not None else {}
    if method == "GET":
        headers["Accept"] = "application/n-triples"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 404 and (missing_ok or method == "DELETE"):
            error.close()
            return b""
        with error:
            detail = error.read().decode("utf-8", errors="replace").strip().splitlines()[:1]
        raise KGError(
            f"{url}: the remote store answered {error.code} {error.reason}"
            + (f": {detail[0]}" if detail else "")
            + "; is this its Graph Store Protocol URL (for Oxigraph: http://HOST:PORT/store)?"
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise KGError(f"{url}: cannot reach the remote store: {reason}") from None


__all__ = ["PushReport", "push"]
