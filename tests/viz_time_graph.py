"""A small graph whose claims are said on different days and are about different times, for the
HTML view's time filter (used by tests/test_viz_time.py and tests/browser/test_viz_time.py)."""

from __future__ import annotations

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg.vocab import CHIP, KG

DOCS = {"d2023": "2023-05-01", "d2025": "2025-03-10", "dnone": None}
# key: (subject, relation, object, document, time property, time value, datatype)
CLAIMS = {
    "ab": ("alpha", "fabricates", "beta", "d2023", None, None, None),
    "cd": ("gamma", "partnersWith", "delta", "d2025", "pointInTime", "2026", XSD.gYear),
    "ac": ("alpha", "competesWith", "gamma", "d2025", "startTime", "2020", XSD.gYear),
    "ef": ("eps", "customerOf", "zeta", "dnone", None, None, None),
}
LONER = "omega"  # mentioned in d2023 only, with no relation


def time_graph() -> Graph:
    g = Graph()
    for key, day in DOCS.items():
        g.add((KG[key], RDF.type, CHIP.Document))
        g.add((KG[key], DCTERMS.title, Literal(f"Document {key}")))
        g.add((KG[key], DCTERMS.language, Literal("en")))
        if day:
            g.add((KG[key], DCTERMS.date, Literal(day, datatype=XSD.date)))
    mentioned: dict[str, set[str]] = {LONER: {"d2023"}}
    for key, (s, rel, o, doc, prop, value, dtype) in CLAIMS.items():
        mentioned.setdefault(s, set()).add(doc)
        mentioned.setdefault(o, set()).add(doc)
        g.add((KG[s], CHIP[rel], KG[o]))
        c = KG[f"claim-{key}"]
        for p, v in (
            (RDF.type, CHIP.Claim), (RDF.subject, KG[s]), (RDF.predicate, CHIP[rel]), (RDF.object, KG[o]),
            (PROV.wasDerivedFrom, KG[doc]), (CHIP.modality, CHIP.Asserted),
            (CHIP.evidence, Literal(f"Sentence of claim {key}.")),
            (CHIP.confidence, Literal("0.7", datatype=XSD.decimal)),
        ):  # fmt: skip
            g.add((c, p, v))
        if DOCS[doc]:
            g.add((c, DCTERMS.date, Literal(DOCS[doc], datatype=XSD.date)))
        if prop:
            g.add((c, CHIP[prop], Literal(value, datatype=dtype)))
    for name, docs in mentioned.items():
        g.add((KG[name], RDF.type, CHIP.Company))
        g.add((KG[name], SKOS.prefLabel, Literal(name.capitalize(), lang="en")))
        for d in docs:
            g.add((KG[name], CHIP.mentionedIn, KG[d]))
    return g


def iri(name: str) -> str:
    return str(URIRef(KG[name]))
