"""What the ontology (`ontology/aichip.ttl`) says about each relation: its domain and range.

Read once from the Turtle file, so the extractor's argument classes are the ontology's, not a list
restated in code.
"""

from __future__ import annotations

from functools import cache

from rdflib import RDFS, Graph, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL

from .resources import ontology_dir
from .vocab import CHIP, RELATIONS

# class sets as the relation pattern language names them (`[slots]` of relations.toml)
_SLOT_TYPES = {
    frozenset({"Organization"}): "ORG",
    frozenset({"Company"}): "COMPANY",
    frozenset({"Person"}): "PERSON",
    frozenset({"Chip"}): "CHIP",
    frozenset({"Product"}): "PRODUCT",
    frozenset({"Chip", "Product"}): "ITEM",
}


def _local(node: object) -> str:
    return str(node).rsplit("#", 1)[-1]


@cache
def _ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "aichip.ttl", format="turtle")
    return graph


@cache
def signatures() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """relation -> (domain classes, range classes), as local class names (unions expanded)."""
    graph = _ontology()

    def classes(node: Node) -> frozenset[str]:
        members = graph.value(node, OWL.unionOf)
        if members is not None:
            return frozenset(_local(m) for m in Collection(graph, members))
        return frozenset({_local(node)})

    out: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for relation in RELATIONS:
        prop = URIRef(CHIP[relation])
        domain, range_ = graph.value(prop, RDFS.domain), graph.value(prop, RDFS.range)
        if domain is None or range_ is None:
            raise KeyError(
                f"{ontology_dir() / 'aichip.ttl'}: chip:{relation} has no rdfs:domain or rdfs:range"
            )
        out[relation] = (classes(domain), classes(range_))
    return out


@cache
def accepted_classes() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """relation -> (classes its subject may have, classes its object may have), subclasses included
    (an Organization slot takes a Company)."""
    graph = _ontology()
    below: dict[str, set[str]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        below.setdefault(_local(sup), set()).add(_local(sub))

    def closed(classes: frozenset[str]) -> frozenset[str]:
        out = set(classes)
        for cls in classes:
            out |= below.get(cls, set())
        return frozenset(out)

    return {r: (closed(d), closed(o)) for r, (d, o) in signatures().items()}


def signature(relation: str) -> tuple[str, str]:
    """(subject slot type, object slot type) of a relation in the pattern language (`ORG`, `ITEM` …)."""
    domain, range_ = signatures()[relation]
    return _SLOT_TYPES[domain], _SLOT_TYPES[range_]
