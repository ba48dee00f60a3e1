"""The persistent graph: an embedded Oxigraph store on disk that documents are added to one at a time.

Layout of a store (a folder, `./kg-store` unless `--store DIR` or `$KG_STORE` says otherwise):

- each document's facts (its `chip:Document`, the entities it mentions, its claims) in a named graph
  `kg:graph/doc-<content hash>`, the same hash as the document's IRI `kg:doc-<content hash>`;
- the default graph: the union of every document's graph, kept up to date on each change, so that
  queries, the view and `kg.load` read the store exactly as they read a file from `kg extract`;
- `kg:graph/background`: registry facts between entities some document mentions, as in a TriG file.

Adding a document whose content is already there changes nothing; adding a changed text under the
same file name replaces the old one's graph; removing a document drops a default-graph triple only
when no other document's graph states it, so entities other documents mention stay.

Only one process may write to a store at a time; readers (`kg query`, `kg serve`, ...) open it
read-only and should not run while `kg ingest` writes.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from . import native
from .errors import InputError
from .rdfio import format_for
from .tables import PREFIXES
from .vocab import BACKGROUND, KG

DEFAULT_STORE = Path("kg-store")
"""Where the store lives when no `--store DIR` is given and `$KG_STORE` is not set."""
STORE_ENV = "KG_STORE"
DOCUMENT_GRAPHS = str(KG["graph/doc-"])
"""Every document's named graph starts with this IRI, followed by its content hash."""
INDEX_GRAPH = str(KG["graph/store"])
"""The store's own bookkeeping: `<document graph> dcterms:source "KEY"`, the key it was ingested under."""
_MARKER = "aichip-kg-store"
_GENERATION = "generation"
_STALE = "background-stale"
_DC = "http://purl.org/dc/terms/"
_DOCUMENTS = f"""
SELECT ?g ?doc ?source ?title WHERE {{
  GRAPH ?g {{ ?doc a <https://w3id.org/aichip-kg/ontology#Document> ; <{_DC}source> ?source .
             OPTIONAL {{ ?doc <{_DC}title> ?title }} }}
  FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPHS}"))
}} ORDER BY ?source ?g"""
_MENTIONED = "SELECT DISTINCT ?e WHERE { ?e <https://w3id.org/aichip-kg/ontology#mentionedIn> ?d }"


def default_path() -> Path:
    """The store used when none is named: `$KG_STORE`, else `./kg-store`."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def is_store(path: str | Path) -> bool:
    """Is `path` a folder holding a store made by `Store.open` (rather than a graph file)?"""
    return (Path(path) / _MARKER).is_file()


def read_generation(path: Path) -> str:
    """The generation token of the store at `path` as last written ("0" for none)."""
    try:
        return (path / _GENERATION).read_text(encoding="ascii").strip() or "0"
    except OSError:
        return "0"


def graph_of(doc_id: str) -> ox.NamedNode:
    """The named graph holding one document's facts, from its id (`doc-<content hash>`)."""
    return ox.NamedNode(str(KG["graph/" + doc_id]))


@dataclass(frozen=True)
class StoredDocument:
    """One document in the store: its named graph, IRI, file name and title."""

    graph: str
    iri: str
    source: str
    title: str

    @property
    def id(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


class Store:
    """An Oxigraph store on disk holding documents' graphs (see the module docstring)."""

    def __init__(self, path: Path, inner: ox.Store, *, read_only: bool) -> None:
        self.path = path
        self.ox = inner
        """The pyoxigraph store itself, for native SPARQL and serializers."""
        self.read_only = read_only
        self._generation = read_generation(path)

    @property
    def generation(self) -> str:
        """A token renewed by every change this store makes (see `kg.native`: answers are cached by it).
        A read-only store reads what it was opened on, so its token is the one read then."""
        return self._generation

    def _changed(self) -> None:
        self._generation = uuid.uuid4().hex
        (self.path / _GENERATION).write_text(self._generation + "\n", encoding="ascii")

    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = False, create: bool = True) -> Store:
        """Open the store at `path` (default: `default_path()`); created on first write unless `create`
        is off, never on read."""
        path = Path(path) if path is not None else default_path()
        if path.exists() and not path.is_dir():
            raise InputError(
                f"{path}: a file, not a store folder; give --store a folder (or the file as GRAPH)"
            )
        if read_only or not create:
            if not is_store(path):
                raise InputError(
                    f"{path}: no graph store here; add documents first with `kg ingest TEXT... --store {path}`"
                )
        elif path.is_dir() and any(path.iterdir()) and not is_store(path):
            raise InputError(
                f"{path}: this folder holds other files, not a graph store; name an empty or new one"
            )
        try:
            inner = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        except OSError as exc:
            hint = " (is another `kg ingest` writing to it?)" if "lock" in str(exc).lower() else ""
            raise InputError(f"{path}: cannot open the graph store: {exc}{hint}") from exc
        if not read_only:
            (path / _MARKER).write_text("an aichip-kg graph store (Oxigraph); see `kg ingest --help`\n")
        return cls(path, inner, read_only=read_only)

    def close(self) -> None:
        """Release the folder (its lock) now rather than when Python collects this object."""
        inner = self.__dict__.pop("ox", None)
        if inner is not None and not self.read_only:
            inner.flush()
        del inner

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        """Number of quads in the store (all graphs)."""
        return len(self.ox)

    def dataset(self) -> Dataset:
        """The store as an rdflib Dataset (oxrdflib), for `kg.query`, the view and `KnowledgeGraph`."""
        from oxrdflib import OxigraphStore

        dataset = Dataset(store=OxigraphStore(store=self.ox))
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri)
        native.track(dataset, lambda: self._generation)
        return dataset

    # ---- documents ----

    def documents(self) -> list[StoredDocument]:
        """Every document in the store, by file name."""
        rows = self.ox.query(_DOCUMENTS)
        assert isinstance(rows, ox.QuerySolutions)
        found = []
        for row in rows:
            graph, doc, source, title = (row[v] for v in ("g", "doc", "source", "title"))
            found.append(
                StoredDocument(
                    graph.value, doc.value, source.value, title.value if title is not None else source.value
                )
            )
        return found

    def has_document(self, doc_id: str) -> bool:
        return self.ox.contains_named_graph(graph_of(doc_id))

    def find(self, name: str) -> list[StoredDocument]:
        """Documents named by file name (or path: its name), IRI, `kg:doc-…` or `doc-…` id."""
        key = name.strip()
        short = key.removeprefix("kg:").removeprefix(str(KG))
        return [
            d
            for d in self.documents()
            if key in (d.source, d.iri) or Path(key).name == d.source or short == d.id
        ]

    def put_document(self, doc_id: str, graph: Graph, key: str | None = None) -> list[StoredDocument]:
        """Store one document's graph under `key` (its path relative to the folder it was ingested from,
        else its file name); stored documents with the same key are replaced (and returned).

        The old documents' facts go and the new ones come in one SPARQL update, which Oxigraph runs as
        one transaction: a failure (or a kill) half-way leaves the store as it was before."""
        self._writable()
        target = graph_of(doc_id)
        sources = sorted({str(o) for o in graph.objects(None, URIRef(_DC + "source"))})
        key = key or (sources[0] if sources else doc_id)
        keys = self.keys()
        replaced = [
            d for d in self.documents() if d.graph != target.value and keys.get(d.graph, d.source) == key
        ]
        triples = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in to_ox_quads(graph, target)],
            format=ox.RdfFormat.N_TRIPLES,
        )
        data = (triples or b"").decode("utf-8")
        index = f"<{target.value}> <{_DC}source> {ox.Literal(key)} ."
        parts = [_drop_update(old.graph) for old in replaced]
        parts.append(
            f"INSERT DATA {{ GRAPH <{target.value}> {{\n{data}}}\n"
            f"GRAPH <{INDEX_GRAPH}> {{ {index} }}\n{data} }}"
        )
        self._update(" ;\n".join(parts))
        return replaced

    def mark_background_stale(self) -> None:
        """Note that the background graph must be rewritten (kept until `set_background` runs, so an
        ingest killed half-way rewrites it on its next run)."""
        (self.path / _STALE).touch()

    def background_stale(self) -> bool:
        return (self.path / _STALE).exists()

    def keys(self) -> dict[str, str]:
        """The key each document graph was stored under (see `put_document`), by graph IRI."""
        return {
            str(getattr(q.subject, "value", q.subject)): str(getattr(q.object, "value", q.object))
            for q in self.ox.quads_for_pattern(
                None, ox.NamedNode(_DC + "source"), None, ox.NamedNode(INDEX_GRAPH)
            )
        }

    def remove(self, document: StoredDocument) -> None:
        """Take one document out (one transaction); what other documents also state stays in the default
        graph."""
        self._writable()
        self._update(_drop_update(document.graph))

    def _update(self, text: str) -> None:
        self.ox.update(text)
        self._changed()

    def mentioned(self) -> set[str]:
        """Local names (`nvidia`) of the entities some document mentions."""
        rows = self.ox.query(_MENTIONED)
        assert isinstance(rows, ox.QuerySolutions)
        prefix = str(KG)
        return {row["e"].value[len(prefix) :] for row in rows if row["e"].value.startswith(prefix)}

    def set_background(self, graph: Graph) -> None:
        """Replace the background named graph with `graph`'s triples."""
        self._writable()
        triples = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in to_ox_quads(graph, ox.DefaultGraph())],
            format=ox.RdfFormat.N_TRIPLES,
        )
        data = (triples or b"").decode("utf-8")
        self._update(
            f"DROP SILENT GRAPH <{BACKGROUND}> ;\nINSERT DATA {{ GRAPH <{BACKGROUND}> {{\n{data}}} }}"
        )
        (self.path / _STALE).unlink(missing_ok=True)

    def _writable(self) -> None:
        if self.read_only:
            raise InputError(f"{self.path}: the store is open read-only")

    # ---- files ----

    def dump(self, path: str | Path) -> Path:
        """Write the store with Oxigraph's own serializers; the format follows the extension.

        N-Quads and TriG keep every named graph (documents and background); triple formats (.ttl,
        .nt, .jsonld) hold the default graph, the union of the documents, as `kg extract` writes it.
        """
        path = Path(path)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            format_for(path)  # raises the InputError that lists the known extensions
            raise AssertionError(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        from_graph = None if fmt.supports_datasets else ox.DefaultGraph()
        try:
            self.ox.dump(str(tmp), fmt, from_graph=from_graph, prefixes=PREFIXES)
            tmp.replace(path)  # never leave a half-written file where a good one stood
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        """The quads of one named graph (or of all graphs)."""
        name = ox.NamedNode(graph) if graph is not None else None
        return iter(self.ox.quads_for_pattern(None, None, None, name))


def open_dataset(
    graph: str | Path | None = None, store: str | Path | None = None, *, oxigraph: bool = False
) -> tuple[Dataset, str]:
    """The graph a read-only command works on, and how to name it: a graph file, a store folder given
    as GRAPH or `--store`, else the default store. Files load into Oxigraph when `oxigraph` is set."""
    from . import rdfio

    if graph is not None and store is not None:
        raise InputError(f"give a graph file or --store {store}, not both")
    if graph is not None and not Path(graph).is_dir() and (Path(graph).is_file() or Path(graph).suffix):
        return rdfio.load(graph, store="Oxigraph" if oxigraph else "default"), str(graph)
    opened = Store.open(graph if graph is not None else store, read_only=True)
    return opened.dataset(), str(opened.path)


def export(store: Store, path: str | Path) -> Path:
    """`kg export`: write the store to `path`, chosen by extension (network formats can join here)."""
    return store.dump(path)


def _drop_update(graph: str) -> str:
    """SPARQL Update that takes a document graph out: its default-graph triples that no other
    document graph states, its key, and the graph itself."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}\n"
        f"  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }}\n"
        f'    FILTER(?other != <{graph}> && STRSTARTS(STR(?other), "{DOCUMENT_GRAPHS}")) }} }} ;\n'
        f"DELETE WHERE {{ GRAPH <{INDEX_GRAPH}> {{ <{graph}> ?p ?o }} }} ;\n"
        f"DROP SILENT GRAPH <{graph}>"
    )


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r} in Oxigraph")


def to_ox_quads(
    triples: Iterable[tuple[Node, Node, Node]], graph: ox.NamedNode | ox.DefaultGraph
) -> Iterator[ox.Quad]:
    """rdflib triples as pyoxigraph quads in `graph`."""
    for s, p, o in triples:
        yield ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), graph)  # type: ignore[arg-type]


__all__ = [
    "DEFAULT_STORE",
    "DOCUMENT_GRAPHS",
    "INDEX_GRAPH",
    "STORE_ENV",
    "Store",
    "StoredDocument",
    "default_path",
    "export",
    "graph_of",
    "is_store",
    "open_dataset",
    "to_ox_quads",
]
