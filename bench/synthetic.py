"""Pieces of synthetic graphs shared by the benchmarks (documents in the contract's shape)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.vocab import CHIP, KG


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
