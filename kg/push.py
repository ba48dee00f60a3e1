"""Copy a graph store to a remote SPARQL 1.1 store with the Graph Store HTTP Protocol (`kg push`).

Each document's named graph, the background graph and the merged default graph are sent with
`PUT URL?graph=IRI` (`PUT URL?default` for the default graph), which replaces that graph on the
remote side and leaves every other graph there alone. Pushing the same store twice leaves the remote
store as it was. A document removed (or replaced by a changed text) since an earlier push keeps its
old graph remotely until it is deleted there (`DELETE URL?graph=IRI`).
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
from .store import Store
from .vocab import BACKGROUND


@dataclass
class PushReport:
    graphs: int = 0
    triples: int = 0
    seconds: float = 0.0

    def summary(self, endpoint: str) -> str:
        return f"pushed {self.graphs} graphs ({self.triples:,} triples) to {endpoint} in {self.seconds:.2f} s"


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
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [d for d in _named(store) if d.value != str(BACKGROUND)]
    graphs += [ox.NamedNode(str(BACKGROUND)), ox.DefaultGraph()]
    for graph in graphs:
        if isinstance(graph, ox.NamedNode) and not store.ox.contains_named_graph(graph):
            continue
        body = store.ox.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        query = (
            "default"
            if isinstance(graph, ox.DefaultGraph)
            else urllib.parse.urlencode({"graph": graph.value})
        )
        _put(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}", body, timeout)
        report.graphs += 1
        report.triples += body.count(b"\n")
        if progress is not None:
            progress(str(graph))
    report.seconds = time.perf_counter() - started
    return report


def _named(store: Store) -> list[ox.NamedNode]:
    return sorted((g for g in store.ox.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)


def _put(url: str, body: bytes, timeout: float) -> None:
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
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
