"""Entities, claims and documents as RDF, exactly as CONTRACT.md says."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from rdflib import DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import ORG

from .attributes import Measure
from .dates import date_literal
from .ingest import Document
from .registry import Registry
from .resolve import Claim, EntityRecord
from .text import language_of_name
from .vocab import BACKGROUND, CHIP, KG, TIME_ROLES


def claim_id(claim: Claim) -> str:
    """A stable id from what the claim says, where and how: the same input gives the same IRI, and two
    readings of one sentence that differ in modality are two claims (the resolver keeps both)."""
    key = "|".join(
        map(
            str,
            (
                claim.document,
                claim.subject,
                claim.relation,
                claim.object,
                claim.start,
                claim.pattern,
                claim.modality,
            ),
        )
    )
    return "claim-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def add_document(dataset: Dataset, document: Document) -> None:
    add_all(dataset, document_triples(document))


def document_triples(document: Document) -> list[Triple]:
    """The document's node: type, title, language, file name and date."""
    iri = document.iri
    triples: list[Triple] = [
        (iri, _TYPE, _DOCUMENT),
        (iri, DCTERMS.title, Literal(document.title, lang=document.lang)),
        (iri, DCTERMS.language, Literal(document.lang)),
        (iri, DCTERMS.source, Literal(document.source)),
    ]
    if document.date is not None:
        triples.append((iri, _DATE, date_literal(document.date)))
    return triples


def add_entity(dataset: Dataset, record: EntityRecord, registry: Registry) -> None:
    graph = dataset.default_graph
    iri = KG[record.id]
    registered = registry.get(record.id)
    if registered is not None:
        registry.describe(dataset, registered)
        pref = registered.name
    else:
        graph.add((iri, RDF.type, CHIP[record.cls]))
        pref = record.name
        graph.add((iri, SKOS.prefLabel, Literal(pref, lang=language_of_name(pref))))
    for text, lang in sorted(record.names):
        if text != pref:
            graph.add((iri, SKOS.altLabel, Literal(text, lang=lang)))
    for doc_id in sorted(record.documents):
        graph.add((iri, CHIP.mentionedIn, KG[doc_id]))


def add_claims(dataset: Dataset, claims: list[Claim]) -> None:
    """Each claim as a chip:Claim; the plain triple unless every claim of it is negated."""
    add_all(dataset, claim_triples(claims))


def claim_triples(claims: list[Claim]) -> list[Triple]:
    """The triples of `add_claims`, in the order it adds them (made first, added in one call)."""
    by_triple: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for claim in claims:
        by_triple[(claim.subject, claim.relation, claim.object)].append(claim)
    triples: list[Triple] = []
    for (s, p, o), group in by_triple.items():
        triple = (_iri(s), _term(p), _iri(o))
        if any(c.modality != "Negated" for c in group):
            triples.append(triple)
        for claim in group:
            _reify(triples, KG[claim_id(claim)], _CLAIM, triple, claim, claim.pattern)
    return triples


Triple = tuple[URIRef, URIRef, URIRef | Literal]

# speed only: the terms every claim node repeats, made once (a namespace makes a new URIRef per lookup)
_CLAIM, _TYPE, _SUBJECT, _PREDICATE, _OBJECT = CHIP.Claim, RDF.type, RDF.subject, RDF.predicate, RDF.object
_DERIVED, _EVIDENCE, _START, _END = PROV.wasDerivedFrom, CHIP.evidence, CHIP.charStart, CHIP.charEnd
_CONFIDENCE, _MODALITY, _BY, _DETAIL = CHIP.confidence, CHIP.modality, CHIP.extractedBy, CHIP.modalityDetail
_REPORTED, _DATE, _TIME_TEXT = CHIP.reportedBy, DCTERMS.date, CHIP.timeExpression
_DOCUMENT, _QUANTITY, _QUANTITY_CLAIM = CHIP.Document, CHIP.Quantity, CHIP.QuantityClaim


@lru_cache(maxsize=8192)
def _iri(local: str) -> URIRef:
    """`kg:local` (ids of entities and documents repeat across claims)."""
    return KG[local]


@lru_cache(maxsize=1024)
def _term(local: str) -> URIRef:
    """`chip:local`: a property, class or modality."""
    return CHIP[local]


@lru_cache(maxsize=8192, typed=True)
def _integer(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


@lru_cache(maxsize=1024, typed=True)
def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


@lru_cache(maxsize=4096)
def _plain(text: str) -> Literal:
    return Literal(text)


@lru_cache(maxsize=1024, typed=True)
def _date(value: date | datetime) -> Literal:
    return date_literal(value)


def add_all(dataset: Dataset, triples: list[Triple]) -> None:
    """Add `triples` to the dataset's default graph in one call, straight to its store: `Graph.addN`
    checks every term of every triple again (a fifth of the time of adding), and ours are terms by
    construction."""
    graph = dataset.default_graph
    graph.store.addN((s, p, o, graph) for s, p, o in triples)


def _reify(
    out: list[Triple],
    node: URIRef,
    kind: URIRef,
    triple: tuple[URIRef, URIRef, URIRef],
    said: Claim | Measure,
    extracted_by: str,
) -> None:
    """A claim node (CONTRACT.md): its triple, evidence and offsets, confidence, modality, the
    pattern that read it, and what it carries besides: finer modality, reporter, document date, times.
    Its triples are appended to `out`."""
    subject, predicate, obj = triple
    out += [
        (node, _TYPE, kind),
        (node, _SUBJECT, subject),
        (node, _PREDICATE, predicate),
        (node, _OBJECT, obj),
        (node, _DERIVED, _iri(said.document)),
        (node, _EVIDENCE, Literal(said.evidence)),
        (node, _START, _integer(said.start)),
        (node, _END, _integer(said.end)),
        (node, _CONFIDENCE, _decimal(said.confidence)),
        (node, _MODALITY, _term(said.modality)),
        (node, _BY, _plain(extracted_by)),
    ]
    if said.modality_detail:
        out.append((node, _DETAIL, _term(said.modality_detail)))
    if said.source:
        out.append((node, _REPORTED, _iri(said.source)))
    if said.date is not None:
        out.append((node, _DATE, _date(said.date)))
    for time in said.times:
        out.append((node, _term(TIME_ROLES[time.role]), time.when.literal()))
        out.append((node, _TIME_TEXT, Literal(time.text)))


def measure_id(measure: Measure) -> str:
    """A stable id from the document, the entity, the kind, where the quantity stands and what it says."""
    key = "|".join(
        map(
            str,
            (measure.document, measure.subject, measure.property, measure.at[0], measure.value, measure.unit),
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def add_measures(dataset: Dataset, measures: list[Measure]) -> None:
    """Each quantity as a chip:Quantity node, its plain triple and a chip:QuantityClaim with evidence."""
    add_all(dataset, measure_triples(measures))


def measure_triples(measures: list[Measure]) -> list[Triple]:
    """The triples of `add_measures`."""
    out: list[Triple] = []
    for measure in measures:
        key = measure_id(measure)
        quantity, node = KG["quantity-" + key], KG["claim-" + key]
        out += [
            (quantity, _TYPE, _QUANTITY),
            (quantity, RDFS.label, Literal(measure.text)),
            (quantity, CHIP.value, Literal(measure.value, datatype=XSD.decimal)),
            (quantity, CHIP.unit, Literal(measure.unit)),
            (quantity, CHIP.comparator, _term(measure.comparator)),
        ]
        if measure.item:
            out.append((quantity, CHIP.countOf, _iri(measure.item)))
        if measure.detail and measure.property == "memoryCapacity":
            out.append((quantity, CHIP.memoryType, Literal(measure.detail)))
        if measure.detail and measure.property == "processNode":
            out.append((quantity, CHIP.nodeName, Literal(measure.detail)))
        triple = (_iri(measure.subject), _term(measure.property), quantity)
        out.append(triple)
        _reify(out, node, _QUANTITY_CLAIM, triple, measure, f"quantity:{measure.property}")
    return out


def add_background(dataset: Dataset, registry: Registry, mentioned: set[str]) -> None:
    """Registry facts between mentioned entities, in the BACKGROUND named graph only; and each mentioned
    organization's chain of parents (`org:subOrganizationOf`), so that two subsidiaries of one group
    are known as such even when the text never names the group."""
    background = dataset.graph(BACKGROUND)
    for entity_id in sorted(mentioned):
        entity = registry.get(entity_id)
        if entity is not None:
            registry.add_background(dataset, entity, among=mentioned)
        seen = {entity_id}
        while entity is not None and entity.parent and entity.parent not in seen:
            background.add((entity.iri, ORG.subOrganizationOf, KG[entity.parent]))
            seen.add(entity.parent)
            entity = registry.get(entity.parent)
