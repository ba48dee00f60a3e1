"""Does a graph keep the contract? SHACL shapes (`ontology/shapes.ttl`) plus checks SHACL cannot say."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from .rdfio import bind_prefixes
from .resources import ontology_dir
from .vocab import CHIP, ENTITY_CLASSES, RELATIONS

_RELATION_IRIS = {CHIP[r] for r in RELATIONS}
_ENTITY_CLASSES = {CHIP[c] for c in ENTITY_CLASSES}


@dataclass
class Result:
    conforms: bool
    problems: list[str] = field(default_factory=list)

    def report(self, source: str | Path = "graph") -> str:
        if self.conforms:
            return f"{source}: conforms to the aichip-kg contract"
        lines = [f"{source}: {len(self.problems)} problem(s) with the aichip-kg contract"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def _load_ontology() -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / "aichip.ttl")
    return graph


def shacl_problems(graph: Graph) -> list[str]:
    """Violations of the SHACL shapes, one line each."""
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    conforms, results, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        ont_graph=_load_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    sh = "http://www.w3.org/ns/shacl#"
    problems = []
    for result in results.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        focus = results.value(result, URIRef(sh + "focusNode"))
        path = results.value(result, URIRef(sh + "resultPath"))
        message = results.value(result, URIRef(sh + "resultMessage"))
        where = graph.namespace_manager.normalizeUri(focus) if isinstance(focus, URIRef) else str(focus)
        via = f" {graph.namespace_manager.normalizeUri(path)}" if isinstance(path, URIRef) else ""
        problems.append(f"{where}{via}: {message}")
    return sorted(problems)


def contract_problems(graph: Graph) -> list[str]:
    """What the contract asks beyond the shapes: one entity class each; a claim for every relation."""
    problems = []

    def show(node: object) -> str:
        return graph.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)

    typed: dict[URIRef, set[URIRef]] = {}
    for node, cls in graph.subject_objects(RDF.type):
        if cls in _ENTITY_CLASSES and isinstance(node, URIRef):
            typed.setdefault(node, set()).add(cls)  # type: ignore[arg-type]
    for node, classes in typed.items():
        if len(classes) > 1:
            problems.append(f"{show(node)}: has {len(classes)} entity classes; keep one")
    claimed = set()
    for claim in graph.subjects(RDF.type, CHIP.Claim):
        triple = tuple(graph.value(claim, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        claimed.add(triple)
        if triple[1] not in _RELATION_IRIS:
            problems.append(f"{show(claim)}: rdf:predicate {triple[1]} is not a chip: relation")
    for s, p, o in graph:
        if p in _RELATION_IRIS and (s, p, o) not in claimed:
            problems.append(f"{show(s)} {show(p)} {show(o)}: no chip:Claim records its evidence")
    return sorted(problems)


def validate(graph: Graph) -> Result:
    """Run every check; `conforms` only when none found a problem."""
    bind_prefixes(graph)  # so that problems name nodes as kg:nvidia, not full IRIs
    problems = shacl_problems(graph) + contract_problems(graph)
    return Result(conforms=not problems, problems=problems)
