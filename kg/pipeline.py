"""The one orchestrator: text files -> documents -> spaCy -> entities and claims -> RDF dataset."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph

from . import rdf
from .errors import InputError
from .ingest import Document, article_end, expand_inputs, read_document, read_inputs
from .nlp import pipeline_for
from .rdfio import bind_prefixes
from .registry import load_registry
from .resolve import Resolver
from .vocab import BACKGROUND

if TYPE_CHECKING:
    from .store import Store


@dataclass
class Report:
    """What a build did, for the command line and for notebooks."""

    documents: int = 0
    characters: int = 0
    entities: int = 0
    relations: int = 0
    claims: int = 0
    seconds: float = 0.0
    languages: dict[str, int] = field(default_factory=dict)

    def summary(self, output: str | Path | None = None) -> str:
        langs = ", ".join(f"{n} {lang}" for lang, n in sorted(self.languages.items()))
        where = f" -> {output}" if output else ""
        return (
            f"{self.documents} documents ({langs}), {self.characters:,} characters: {self.entities} entities, "
            f"{self.relations} relations, {self.claims} claims in {self.seconds:.2f} s{where}"
        )


def body_of(document: Document) -> str:
    """The text the extractor reads: the article, without trailing page navigation."""
    return document.text[: article_end(document.text)]


def build_documents(documents: Iterable[Document], min_confidence: float = 0.0) -> tuple[Dataset, Report]:
    """Extract a contract-true dataset from documents already in memory.

    Claims whose confidence is below `min_confidence` are left out (with their plain triples).

    The registry is the one the spaCy components read (`load_registry()`), so that names and the
    facts about them come from one place.
    """
    started = time.perf_counter()
    registry = load_registry()
    resolver = Resolver(registry)
    report = Report()
    docs = list(documents)
    for document in docs:
        nlp = pipeline_for(document.lang)
        nlp.max_length = max(nlp.max_length, len(document.text) + 1)
        resolver.add(document, nlp(body_of(document)))
        report.documents += 1
        report.characters += len(document.text)
        report.languages[document.lang] = report.languages.get(document.lang, 0) + 1
    dataset = Dataset()
    bind_prefixes(dataset)
    for document in docs:
        rdf.add_document(dataset, document)
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    claims = [c for c in resolver.claims if c.confidence >= min_confidence]
    mentioned = {e.id for e in resolver.entities.values() if e.documents}
    for entity_id in sorted(mentioned):
        rdf.add_entity(dataset, resolver.entities[entity_id], registry)
    rdf.add_claims(dataset, claims)
    rdf.add_background(dataset, registry, mentioned)
    report.entities = len(mentioned)
    report.claims = len(claims)
    report.relations = len({(c.subject, c.relation, c.object) for c in claims if c.modality != "Negated"})
    report.seconds = time.perf_counter() - started
    return dataset, report


def build(inputs: Iterable[str | Path], min_confidence: float = 0.0) -> tuple[Dataset, Report]:
    """Read text files or folders and extract the knowledge graph (default graph + BACKGROUND)."""
    return build_documents(read_inputs(text_inputs(inputs)), min_confidence)


_GRAPH_SUFFIXES = (".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".n3")


def text_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """The inputs as paths; an RDF graph named as input is refused, never read as news text."""
    paths = [Path(p) for p in inputs]
    for path in paths:
        if path.suffix.lower() in _GRAPH_SUFFIXES:
            raise InputError(
                f"{path}: an RDF graph, not a news text; to add articles to a graph keep it in a store "
                f"(`kg ingest NEW.txt --store DIR`), or query the file with `kg query ... --graph {path}`"
            )
    return paths


@dataclass
class IngestReport:
    """What `ingest` did to a store."""

    read: int = 0
    added: int = 0
    skipped: int = 0
    replaced: int = 0
    claims: int = 0
    seconds: float = 0.0
    quads: int = 0
    problems: dict[str, list[str]] = field(default_factory=dict)

    def summary(self, store: str | Path) -> str:
        invalid = f"; {len(self.problems)} with contract problems" if self.problems else ""
        return (
            f"{self.read} documents read: {self.added} added ({self.replaced} replacing an older version), "
            f"{self.skipped} skipped as already stored; {self.claims} claims in {self.seconds:.2f} s{invalid}"
            f" -> {store} ({self.quads:,} quads)"
        )


def ingest(
    store: Store,
    inputs: Iterable[str | Path],
    min_confidence: float = 0.0,
    *,
    validate: bool = True,
    progress: Callable[[Path], None] | None = None,
) -> IngestReport:
    """Add text files or folders to `store`, each document into its own named graph.

    A document whose text is already stored is skipped; one with the file name of a stored document
    replaces it. With `validate`, each new document's graph (not the whole store) is checked against
    the contract and its problems are reported. `progress` is called after each file.
    """
    from .validate import validate as check

    started = time.perf_counter()
    report = IngestReport()
    for path in expand_inputs(text_inputs(inputs)):
        document = read_document(path)
        report.read += 1
        if store.has_document(document.id):
            report.skipped += 1
        else:
            dataset, built = build_documents([document], min_confidence)
            graph: Graph = dataset.default_graph
            if validate and (result := check(graph)).problems:
                report.problems[document.source] = result.problems
            report.replaced += len(store.put_document(document.id, graph))
            report.added += 1
            report.claims += built.claims
        if progress is not None:
            progress(path)
    if report.added:
        refresh_background(store)
    report.quads = len(store)
    report.seconds = time.perf_counter() - started
    return report


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
