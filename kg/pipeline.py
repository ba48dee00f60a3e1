"""The one orchestrator: text files -> documents -> spaCy -> entities and claims -> RDF dataset."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rdflib import Dataset, Graph

from . import parallel, rdf
from .errors import InputError
from .ingest import Document, Skipped, article_end, stream_inputs
from .nlp import pipeline_for  # noqa: F401  (kg.pipeline.pipeline_for, as before)
from .ntriples import Quads, Rendered
from .rdfio import bind_prefixes
from .registry import load_registry
from .reports import IngestReport, Report
from .resolve import Claim, Resolved, Resolver
from .vocab import BACKGROUND

if TYPE_CHECKING:
    from .store import Store


CHUNK = 50_000
"""A long document is read in pieces of about this many characters, cut between paragraphs: the
memory spaCy needs grows with the piece, not the file. (A relation across a cut is not read.)"""


def chunks(text: str, size: int = CHUNK, stop: int | None = None) -> list[tuple[int, int]]:
    """(start, end) pieces of `text[:stop]` of at most `size` characters, cut at a paragraph break,
    else a sentence end, else a space, where one falls in the second half of the piece."""
    pieces = []
    start, n = 0, len(text) if stop is None else stop
    while n - start > size:
        window = (start + size // 2, start + size)
        cut = text.rfind("\n", *window)
        if cut < 0:
            cut = max(text.rfind(ch, *window) for ch in "。！？.!?；;")
        if cut < 0:
            cut = max(text.rfind(ch, *window) for ch in " ，,、")
        end = cut + 1 if cut >= 0 else start + size
        pieces.append((start, end))
        start = end
    pieces.append((start, n))
    return pieces


def build_documents(
    documents: Iterable[Document],
    min_confidence: float = 0.0,
    *,
    jobs: int = 1,
    dask: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> tuple[Dataset, Report]:
    """Extract a contract-true dataset from documents (a list, or a generator read as needed).

    Claims whose confidence is below `min_confidence` are left out (with their plain triples).
    `jobs` > 1 reads and resolves documents on that many processes, `dask` on a Dask cluster (its
    scheduler's address); either gives the same graph as one process. `progress` is called after each document.

    The registry is the one the spaCy components read (`load_registry()`), so that names and the
    facts about them come from one place.
    """
    started = time.perf_counter()
    dataset = Dataset()
    bind_prefixes(dataset)
    resolver, report = _extract(
        documents, min_confidence, jobs, dask, progress, lambda triples: rdf.add_all(dataset, triples)
    )
    _add_entities(dataset, resolver, report)
    return dataset, _finish(resolver, report, min_confidence, started)


def build_documents_quads(
    documents: Iterable[Document],
    min_confidence: float = 0.0,
    *,
    jobs: int = 1,
    dask: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> tuple[Quads, Report]:
    """`build_documents`, its graph as lines of N-Triples (`kg.ntriples.Quads`: the same triples,
    without the cost of rdflib's store), for writing to a file."""
    started = time.perf_counter()
    quads = Quads()
    resolver, report = _extract(documents, min_confidence, jobs, dask, progress, quads.add, quads)
    entities = Dataset()  # a few triples per entity: rdflib, as `build_documents` makes them
    _add_entities(entities, resolver, report)
    quads.add_dataset(entities)
    return quads, _finish(resolver, report, min_confidence, started)


def _extract(
    documents: Iterable[Document],
    min_confidence: float,
    jobs: int,
    dask: str | None,
    progress: Callable[[Path], None] | None,
    add: Callable[[list[rdf.Triple]], None],
    quads: Quads | None = None,
) -> tuple[Resolver, Report]:
    """Read and resolve the documents; `add` is given each document's triples (its node, its claims
    and quantities) as soon as it is resolved (with several jobs, while the workers read the next
    ones). The entities, which every document describes, are the caller's to add at the end.

    With `quads`, workers render each document's statements as lines and they go into `quads` as they
    are, unless the merge changed them (a symmetric relation turned to the direction an earlier
    document stated it in, or the document read again here): then its triples go to `add`."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    resolver = Resolver(load_registry())
    report = Report()
    docs: list[Document] = []

    def taken() -> Iterator[Document]:
        for document in documents:
            docs.append(document)
            yield document

    claims_at, measures_at = 0, 0
    render = min_confidence if quads is not None else None
    for document, resolved, rendered in _resolved(resolver, taken(), jobs, dask, render):
        if quads is not None and rendered is not None and _as_read(resolver.claims[claims_at:], resolved):
            report.quantities += quads.add_rendered(rendered, resolver.entities)
        else:
            triples, quantities = _statements(resolver, claims_at, measures_at, min_confidence)
            add(rdf.document_triples(document) + triples)
            report.quantities += quantities
        claims_at, measures_at = len(resolver.claims), len(resolver.measures)
        if progress is not None:
            progress(Path(document.source))
    _count(docs, report)
    return resolver, report


def _finish(resolver: Resolver, report: Report, min_confidence: float, started: float) -> Report:
    """Count the claims and relations kept, and the time taken."""
    claims = [c for c in resolver.claims if c.confidence >= min_confidence]
    report.claims = len(claims)
    report.relations = len({(c.subject, c.relation, c.object) for c in claims if c.modality != "Negated"})
    report.seconds = time.perf_counter() - started
    return report


def _resolved(
    resolver: Resolver, documents: Iterable[Document], jobs: int, dask: str | None, render: float | None
) -> Iterator[tuple[Document, Resolved | None, Rendered | None]]:
    """Each document, once `resolver` has taken it in, in input order. With several jobs or Dask a
    worker resolves it alone (and renders its statements, see `parallel.resolutions`) and the
    resolver merges that; the rare one whose reading alone may differ from the serial one
    (`Resolver.merge`) is read again here, and comes without what the worker made."""
    if jobs <= 1 and not dask:
        for document in documents:
            _add(resolver, document)
            yield document, None, None
        return
    for document, resolved, rendered in parallel.resolutions(documents, CHUNK, jobs, dask, render=render):
        if resolver.merge(resolved):
            yield document, resolved, rendered
        else:
            _add(resolver, document)
            yield document, None, None


def _as_read(claims: list[Claim], resolved: Resolved | None) -> bool:
    """Did the resolver take in the very claims the worker read (none turned the other way)?"""
    return (
        resolved is not None
        and len(claims) == len(resolved.claims)
        and all(mine is theirs for mine, theirs in zip(claims, resolved.claims, strict=True))
    )


def _add(resolver: Resolver, document: Document) -> None:
    """Read the document in this process and add it to `resolver`, piece by piece: the article without
    trailing page navigation, never a copy of the whole."""
    for start, doc in parallel.process(document, CHUNK):
        resolver.add(document, doc, offset=start)


def _statements(
    resolver: Resolver, claims_at: int, measures_at: int, min_confidence: float
) -> tuple[list[rdf.Triple], int]:
    """The triples of the claims and quantities the resolver took in from `claims_at` and
    `measures_at` on, and how many quantities."""
    triples = rdf.claim_triples([c for c in resolver.claims[claims_at:] if c.confidence >= min_confidence])
    measures = [
        m
        for m in resolver.measures[measures_at:]
        if m.confidence >= min_confidence and m.subject in resolver.entities
    ]
    return triples + rdf.measure_triples(measures), len(measures)


def _count(docs: list[Document], report: Report) -> None:
    """Documents, characters, languages, and what each reader left out or decoded otherwise."""
    for document in docs:
        left_out = document.dropped + len(document.text[article_end(document.text) :].strip())
        if left_out:
            report.dropped[document.source] = report.dropped.get(document.source, 0) + left_out
        if document.encoding != "utf-8":
            report.encodings[document.source] = document.encoding
        report.documents += 1
        report.characters += len(document.text)
        report.languages[document.lang] = report.languages.get(document.lang, 0) + 1


def _add_entities(dataset: Dataset, resolver: Resolver, report: Report) -> None:
    """Every entity the documents mention, and the registry's background facts between them."""
    mentioned = {e.id for e in resolver.entities.values() if e.documents}
    for entity_id in sorted(mentioned):
        rdf.add_entity(dataset, resolver.entities[entity_id], resolver.registry)
    rdf.add_background(dataset, resolver.registry, mentioned)
    report.entities = len(mentioned)


def _graph(resolver: Resolver, document: Document, min_confidence: float) -> Graph:
    """The graph of one document that `resolver` alone has read (for a store's named graph)."""
    dataset = Dataset()
    bind_prefixes(dataset)
    rdf.add_all(dataset, rdf.document_triples(document) + _statements(resolver, 0, 0, min_confidence)[0])
    _add_entities(dataset, resolver, Report())
    return dataset.default_graph


def build(
    inputs: Iterable[str | Path],
    min_confidence: float = 0.0,
    published: date | datetime | None = None,
    strict: bool = True,
    *,
    jobs: int = 1,
    dask: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> tuple[Dataset, Report]:
    """Read news files or folders and extract the knowledge graph (default graph + BACKGROUND).

    `published` dates the documents that have no sidecar file (see `kg.ingest.read_document`).
    `strict`: the first input that cannot be read raises InputError; otherwise it is skipped and
    listed in `Report.skipped` (InputError still when nothing at all could be read).
    `jobs`, `dask` and `progress` as for `build_documents`; inputs are read as the extraction needs them."""
    return _from_inputs(build_documents, inputs, min_confidence, published, strict, jobs, dask, progress)


def build_quads(
    inputs: Iterable[str | Path],
    min_confidence: float = 0.0,
    published: date | datetime | None = None,
    strict: bool = True,
    *,
    jobs: int = 1,
    dask: str | None = None,
    progress: Callable[[Path], None] | None = None,
) -> tuple[Quads, Report]:
    """`build`, its graph as lines of N-Triples (see `build_documents_quads`): what `kg extract`
    writes to a file."""
    return _from_inputs(
        build_documents_quads, inputs, min_confidence, published, strict, jobs, dask, progress
    )


_Built = TypeVar("_Built")


def _from_inputs(
    builder: Callable[..., tuple[_Built, Report]],
    inputs: Iterable[str | Path],
    min_confidence: float,
    published: date | datetime | None,
    strict: bool,
    jobs: int,
    dask: str | None,
    progress: Callable[[Path], None] | None,
) -> tuple[_Built, Report]:
    """Stream the inputs' documents into `builder` (`build_documents` or `build_documents_quads`),
    the inputs it could not read listed in the report."""
    skipped: list[Skipped] = []
    documents = stream_inputs(inputs, skipped, strict=strict, published=published)
    built, report = builder(documents, min_confidence, jobs=jobs, dask=dask, progress=progress)
    report.skipped = skipped
    return built, report


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    min_confidence: float = 0.0,
    *,
    validate: bool = True,
    progress: Callable[[Path], None] | None = None,
    published: date | datetime | None = None,
    jobs: int = 1,
    dask: str | None = None,
) -> IngestReport:
    """Add text files or folders to `store`, each document into its own named graph.

    A document whose text is already stored is skipped; one with the file name of a stored document
    replaces it. Documents are keyed by their path relative to the folder given (`a/x.txt` and
    `b/x.txt` under `news/` are two documents), or by file name when a file is given. With `validate`,
    each new document's graph (not the whole store) is checked against the contract and its problems
    are reported. `progress` is called after each file. Inputs are read one at a time, as the
    extraction needs them; `jobs` and `dask` as for `build_documents`.
    """
    from .validate import validate as check

    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    started = time.perf_counter()
    report = IngestReport()
    registry = load_registry()
    keys: dict[str, str] = {}

    def new_documents() -> Iterator[Document]:
        """Each input as it is read; one already stored is counted and passed over."""
        for document in stream_inputs(
            inputs, report.unreadable, strict=False, published=published, keys=keys
        ):
            report.read += 1
            if store.has_document(document.id):
                report.skipped += 1
                if progress is not None:
                    progress(Path(document.source))
            else:
                yield document

    alone = Resolver(registry)  # each document is read as if it were the only one
    for document, resolver in _alone(alone, new_documents(), jobs, dask):
        graph = _graph(resolver, document, min_confidence)
        if validate and (result := check(graph)).problems:
            report.problems[document.source] = result.problems
        store.mark_background_stale()
        report.replaced += len(store.put_document(document.id, graph, keys.get(document.id)))
        report.added += 1
        report.claims += len([c for c in resolver.claims if c.confidence >= min_confidence])
        if progress is not None:
            progress(Path(document.source))
    if report.added or store.background_stale():  # also after an ingest that was killed half-way
        refresh_background(store)
    report.quads = len(store)
    report.seconds = time.perf_counter() - started
    return report


def _alone(
    template: Resolver, documents: Iterable[Document], jobs: int, dask: str | None
) -> Iterator[tuple[Document, Resolver]]:
    """Each document with a resolver that has read it and nothing else, in input order (several jobs
    or Dask: read on workers)."""
    if jobs <= 1 and not dask:
        for document in documents:
            resolver = template.alone()
            _add(resolver, document)
            yield document, resolver
        return
    for document, resolved, _lines in parallel.resolutions(documents, CHUNK, jobs, dask):
        resolver = template.alone()
        resolver.merge(resolved)  # into a resolver that has read nothing: always taken
        yield document, resolver


def refresh_background(store: Store) -> None:
    """Rewrite the store's background graph: registry facts between entities its documents mention."""
    registry = load_registry()
    mentioned = store.mentioned()
    dataset = Dataset()
    rdf.add_background(dataset, registry, mentioned)
    store.set_background(dataset.graph(BACKGROUND))


def remove(store: Store, name: str) -> list[str]:
    """Take the documents called `name` (file name, IRI or id) out of `store`; returns their file names.

    Entities and triples that other documents state stay; background facts follow what is left.
    """
    found = store.find(name)
    if not found:
        known = ", ".join(d.source for d in store.documents()[:8]) or "none"
        raise InputError(f"{store.path}: no document called {name!r}; stored documents include: {known}")
    for document in found:
        store.remove(document)
    refresh_background(store)
    return [d.source for d in found]
