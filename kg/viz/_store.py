"""The view of a graph held in Oxigraph (a store, or `kg.load` of a file) with more entities than
the view opens on: the part it draws is chosen from the store's own indexes, and only that part is
read into the view's records.

`build_view` reads every entity, claim and document through rdflib, one lookup each: minutes at a
million triples, and a page of 100 MB that draws 1,500 nodes. Here the relation triples, the claims'
subject, predicate and object, and the mentions are scanned once from the store to find the edges
and each entity's degree; `most_connected` picks the part to draw exactly as `build_view` would;
then the triples about those entities, the claims between them and their documents are copied into
a small in-memory graph, and `build_view` runs on that. The page then embeds only what it draws
and reports the whole graph's totals. A graph within the limit is built as before, so its page is
the same byte for byte.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..vocab import BACKGROUND, CHIP, RELATIONS
from ._model import edge_key, most_connected_ids

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
_MENTIONED = str(CHIP.mentionedIn)
_NEGATED = str(CHIP.Negated)
_DEFAULT = ox.DefaultGraph()
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Trimmed:
    """The part of a large graph the view draws, and the whole graph's totals."""

    graph: Graph
    entities: int
    edges: int
    background: int


def trimmed(store: ox.Store, max_nodes: int) -> Trimmed | None:
    """The drawn part of the store's default graph, or None when every entity fits in `max_nodes`
    (the caller then builds the view of the whole graph)."""
    claims = _claim_triples(store)
    relations = {str(CHIP[name]) for name in RELATIONS} | {p for _, p, _ in claims.values()}
    edges: set[tuple[str, str, str]] = set()
    for predicate in relations:
        for s, o in _pairs(store, predicate):
            if s != o:
                edges.add(edge_key(s, predicate, o))
    negated = {
        _value(q.subject)
        for q in store.quads_for_pattern(None, _node(str(CHIP.modality)), _node(_NEGATED), _DEFAULT)
    }
    for claim in negated:
        if claim in claims and claims[claim][0] != claims[claim][2]:
            edges.add(edge_key(*claims[claim]))
    mentioned = {s for s, _ in _pairs(store, _MENTIONED)}
    degree: dict[str, int] = dict.fromkeys(mentioned, 0)
    for s, _, o in edges:
        degree[s] = degree.get(s, 0) + 1
        degree[o] = degree.get(o, 0) + 1
    if len(degree) <= max_nodes:
        return None
    core = most_connected_ids(degree, [(s, o) for s, _, o in edges], max_nodes)
    return Trimmed(
        _part(store, core, relations, claims),
        entities=len(degree),
        edges=len(edges),
        background=sum(
            1
            for name in RELATIONS
            for _ in store.quads_for_pattern(None, _node(str(CHIP[name])), None, _node(str(BACKGROUND)))
        ),
    )


def _part(
    store: ox.Store, core: set[str], relations: set[str], claims: dict[str, tuple[str, str, str]]
) -> Graph:
    """The triples about the drawn entities (relations only between two of them), the claims between
    them, their documents, and the class hierarchy."""
    graph = Graph()
    docs: set[str] = set()
    for iri in sorted(core):
        for quad in store.quads_for_pattern(_node(iri), None, None, _DEFAULT):
            predicate, obj = quad.predicate.value, quad.object
            if predicate in relations and _value(obj) not in core:
                continue
            if predicate == _MENTIONED:
                docs.add(_value(obj))
            graph.add(_triple(quad))
    for claim, (s, _, o) in claims.items():
        if s in core and o in core:
            for quad in store.quads_for_pattern(_node(claim), None, None, _DEFAULT):
                if quad.predicate.value == _DERIVED:
                    docs.add(_value(quad.object))
                graph.add(_triple(quad))
    for doc in docs:
        for quad in store.quads_for_pattern(_node(doc), None, None, _DEFAULT):
            graph.add(_triple(quad))
    for quad in store.quads_for_pattern(None, _node(_SUBCLASS), None, _DEFAULT):
        graph.add(_triple(quad))
    return graph


def _claim_triples(store: ox.Store) -> dict[str, tuple[str, str, str]]:
    """Each claim's (subject, predicate, object), for claims whose three are IRIs."""
    parts: dict[str, dict[str, str]] = defaultdict(dict)
    for role in ("subject", "predicate", "object"):
        for quad in store.quads_for_pattern(None, _node(_RDF + role), None, _DEFAULT):
            if isinstance(quad.object, ox.NamedNode) and isinstance(quad.subject, ox.NamedNode):
                parts[quad.subject.value][role] = quad.object.value
    return {
        claim: (found["subject"], found["predicate"], found["object"])
        for claim, found in parts.items()
        if len(found) == 3
    }


def _pairs(store: ox.Store, predicate: str) -> list[tuple[str, str]]:
    """(subject, object) of the default graph's triples with `predicate`, both IRIs."""
    return [
        (q.subject.value, q.object.value)
        for q in store.quads_for_pattern(None, _node(predicate), None, _DEFAULT)
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    ]


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _value(term: object) -> str:
    return str(getattr(term, "value", term))


def _triple(quad: ox.Quad) -> tuple[Node, Node, Node]:
    return _term(quad.subject), URIRef(quad.predicate.value), _term(quad.object)


def _term(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    raise TypeError(f"no rdflib term for {term!r}")  # RDF-star triples are not in our graphs


__all__ = ["Trimmed", "trimmed"]
