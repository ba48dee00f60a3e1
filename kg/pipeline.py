"""The one orchestrator: text files -> documents -> spaCy -> entities and claims -> RDF dataset."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rdflib import Dataset

from . import rdf
from .ingest import Document, article_end, read_inputs
from .nlp import pipeline_for
from .rdfio import bind_prefixes
from .registry import load_registry
from .resolve import Resolver


@dataclass
class Report:
    """What a build did, for the command line and for notebooks."""

    documents: int = 0
    characters: int = 0
    entities: int = 0
    relations: int = 0
    claims: int = 0
    quantities: int = 0
    seconds: float = 0.0
    languages: dict[str, int] = field(default_factory=dict)

    def summary(self, output: str | Path | None = None) -> str:
        langs = ", ".join(f"{n} {lang}" for lang, n in sorted(self.languages.items()))
        where = f" -> {output}" if output else ""
        return (
            f"{self.documents} documents ({langs}), {self.characters:,} characters: {self.entities} entities, "
            f"{self.relations} relations, {self.claims} claims, {self.quantities} quantities "
            f"in {self.seconds:.2f} s{where}"
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
    measures = [m for m in resolver.measures if m.confidence >= min_confidence and m.subject in mentioned]
    rdf.add_measures(dataset, measures)
    report.quantities = len(measures)
    rdf.add_background(dataset, registry, mentioned)
    report.entities = len(mentioned)
    report.claims = len(claims)
    report.relations = len({(c.subject, c.relation, c.object) for c in claims if c.modality != "Negated"})
    report.seconds = time.perf_counter() - started
    return dataset, report


def build(
    inputs: Iterable[str | Path], min_confidence: float = 0.0, published: date | datetime | None = None
) -> tuple[Dataset, Report]:
    """Read text files or folders and extract the knowledge graph (default graph + BACKGROUND).

    `published` dates the documents that have no sidecar file (see `kg.ingest.read_document`)."""
    return build_documents(read_inputs(inputs, published), min_confidence)
