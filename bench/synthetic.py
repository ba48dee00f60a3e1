"""Pieces of synthetic graphs shared by the benchmarks (documents in the contract's shape)."""

from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from kg.vocab import CHIP, KG, RELATIONS


def add_documents(graph: Graph, count: int, prefix: str, zh_every: int = 2) -> list[URIRef]:
    """`count` chip:Documents with title, language (zh for all but every `zh_every`-th), source, date."""
    docs = [KG[f"{prefix}-{i}"] for i in range(max(1, count))]
    for i, doc in enumerate(docs):
        graph.add((doc, RDF.type, CHIP.Document))
        graph.add((doc, DCTERMS.title, Literal(f"文档 {i} · document {i}")))
        graph.add((doc, DCTERMS.language, Literal("en" if i % zh_every == 0 else "zh")))
        graph.add((doc, DCTERMS.source, Literal(f"{prefix}_{i:04d}.txt")))
        graph.add((doc, DCTERMS.date, Literal(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=XSD.date)))
    return docs


CLASSES = ("Company", "Company", "Company", "Organization", "Person", "Chip", "Chip", "Product")
MODALITIES = ("Asserted", "Asserted", "Planned", "Expected", "Reported", "Negated")


def synthetic_graph(n: int, seed: int = 1) -> Graph:
    """`n` entities with about 1.5 relations each (preferential attachment), each with a claim."""
    rnd = random.Random(seed)
    g = Graph()
    docs = add_documents(g, n // 20, "doc", zh_every=3)
    ends: list[int] = []
    for i in range(n):
        iri = KG[f"e{i}"]
        g.add((iri, RDF.type, CHIP[rnd.choice(CLASSES)]))
        g.add((iri, SKOS.prefLabel, Literal(f"Entity {i}", lang="en")))
        g.add((iri, SKOS.altLabel, Literal(f"实体{i}", lang="zh")))
        g.add((iri, CHIP.mentionedIn, rnd.choice(docs)))
        for _ in range(0 if i == 0 else rnd.choice((1, 1, 2))):
            j = rnd.choice(ends) if ends and rnd.random() < 0.7 else rnd.randrange(i)
            _relate(g, rnd, iri, KG[f"e{j}"], rnd.choice(docs), len(ends))
            ends += [i, j]
    return g


def _relate(g: Graph, rnd: random.Random, s: URIRef, o: URIRef, doc: URIRef, k: int) -> None:
    pred, modality = CHIP[rnd.choice(RELATIONS)], rnd.choice(MODALITIES)
    if modality != "Negated":
        g.add((s, pred, o))
    claim = KG[f"claim-{k}"]
    for p, v in ((RDF.type, CHIP.Claim), (RDF.subject, s), (RDF.predicate, pred), (RDF.object, o),
                 (PROV.wasDerivedFrom, doc), (CHIP.modality, CHIP[modality]),
                 (CHIP.evidence, Literal(f"第 {k} 句证据:某公司与另一家公司合作开发芯片。")),
                 (CHIP.confidence, Literal(f"{rnd.uniform(0.3, 1):.2f}", datatype=XSD.decimal))):  # fmt: skip
        g.add((claim, p, v))
