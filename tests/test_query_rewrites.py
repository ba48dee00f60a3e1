"""Saved questions rewritten for speed on Oxigraph give the rows their plain form gave.

`tests/fixtures/reference_queries/` keeps each rewritten question as it was before (simple, slow at a
million triples); both forms run on a small invented market graph with every kind of row
(conflicts of all three kinds, pairs stated in both directions, claims of several modalities), on
rdflib's store and on Oxigraph, with and without a parameter.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from rdflib import RDF, SKOS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from kg import query, rdfio
from kg.vocab import BACKGROUND, CHIP, KG

REFERENCE = Path(__file__).parent / "fixtures" / "reference_queries"
MODALITIES = ("Asserted", "Asserted", "Planned", "Reported", "Negated")
RELATIONS = ("partnersWith", "competesWith", "develops", "fabricates", "acquires")
SUPPLY = ("dependsOn", "customerOf", "uses", "fabricatesFor")
WORDS = ("", " about HBM memory", "", " on CoWoS packaging", "")  # supply-chain reads roles from them


def market(seed: int = 3) -> Dataset:
    """Twelve companies, eight chips, six dated documents and about 150 claims, some of them
    disagreeing; plus quantity claims that give one share two values."""
    rng = random.Random(seed)
    ds = Dataset()
    g = ds.default_graph
    companies = [KG[f"firm-{i}"] for i in range(12)]
    chips = [KG[f"part-{i}"] for i in range(8)]
    docs = [KG[f"doc-test-{i}"] for i in range(6)]
    for i, doc in enumerate([*docs, KG["doc-test-silent"]]):  # the last one gives no claim
        g.add((doc, RDF.type, CHIP.Document))
        g.add((doc, DCTERMS.language, Literal("en" if i % 2 else "zh")))
        if i % 4:
            g.add((doc, DCTERMS.title, Literal(f"Story {i}")))
        if i % 3:
            g.add((doc, DCTERMS.date, Literal(f"2025-0{i + 1}-10", datatype=XSD.date)))
    for i, entity in enumerate(companies + chips):
        kind = CHIP.Company if i < len(companies) else CHIP.Chip
        g.add((entity, RDF.type, kind))
        g.add((entity, SKOS.prefLabel, Literal(entity.rsplit("/", 1)[-1], lang="en")))
        for doc in docs[i % 5 : i % 5 + i % 3]:
            g.add((entity, CHIP.mentionedIn, doc))
    count = 0

    def claim(s: URIRef, p: str, o: URIRef, modality: str, kind: URIRef = CHIP.Claim, doc: int = -1) -> None:
        nonlocal count
        count += 1
        c = KG[f"claim-test-{count}"]
        for pred, value in (
            (RDF.type, kind), (RDF.subject, s), (RDF.predicate, CHIP[p]), (RDF.object, o),
            (CHIP.modality, CHIP[modality]), (PROV.wasDerivedFrom, docs[doc] if doc >= 0 else rng.choice(docs)),
            (CHIP.evidence, Literal(f"sentence {count}" + WORDS[count % len(WORDS)])),
            (CHIP.confidence, Literal(f"0.{rng.randint(10, 99)}", datatype=XSD.decimal)),
        ):  # fmt: skip
            g.add((c, pred, value))
        if modality != "Negated" and kind == CHIP.Claim:
            g.add((s, CHIP[p], o))

    for _ in range(140):
        p = rng.choice(RELATIONS)
        s = rng.choice(companies[:6])  # few subjects: the same fact is stated again and denied
        o = rng.choice(chips if p in ("develops", "fabricates") else companies[:8])
        claim(s, p, o, rng.choice(MODALITIES))
    for _ in range(60):  # who depends on whom: dependents, dependency-edges, fabricators
        p = rng.choice(SUPPLY)
        claim(
            rng.choice(companies[:8]),
            p,
            rng.choice(chips if p == "uses" else companies[4:]),
            rng.choice(MODALITIES),
        )
    g.add((companies[0], CHIP.partnersWith, companies[7]))  # a bare fact, no claim
    g.add((companies[2], CHIP.dependsOn, companies[9]))  # bare facts of each relation the rewrites read
    g.add((companies[3], CHIP.uses, chips[5]))
    g.add((companies[9], CHIP.fabricates, chips[5]))
    background = ds.graph(BACKGROUND)
    background.add((companies[11], CHIP.develops, chips[6]))  # the registry's, no claim
    background.add((companies[4], CHIP.develops, chips[2]))
    claim(companies[8], "fabricates", chips[7], "Asserted", doc=1)  # two foundries for one chip
    claim(companies[9], "fabricates", chips[7], "Reported", doc=2)
    claim(companies[10], "fabricates", chips[7], "Negated", doc=3)  # a denial is no rival
    for i, value in enumerate(("30", "35", "30")):
        share = KG[f"share-{i}"]
        g.add((share, CHIP.value, Literal(value, datatype=XSD.decimal)))
        g.add((share, CHIP.unit, Literal("percent")))
        claim(companies[1], "marketShare", share, "Asserted", CHIP.QuantityClaim, doc=i)
    return ds


@pytest.fixture(scope="module", params=["default", "Oxigraph"])
def graph(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    path = rdfio.save(market(), tmp_path_factory.mktemp("rewrites") / "market.trig")
    return rdfio.load(path, store=request.param)


CASES = [
    ("conflicts", {}),
    ("conflicts", {"entity": "kg:firm-1"}),
    ("partners", {}),
    ("partners", {"company": "kg:firm-0"}),
    ("competitors", {}),
    ("competitors", {"company": "kg:firm-2"}),
    ("chips-by-company", {}),
    ("chips-by-company", {"company": "kg:firm-3"}),
    ("dependents", {}),
    ("dependents", {"supplier": "kg:firm-5"}),
    ("dependency-edges", {}),
    ("dependency-edges", {"company": "kg:firm-2"}),
    ("chip-developers", {}),
    ("chip-developers", {"chip": "kg:part-2"}),
    ("fabricators", {}),
    ("fabricators", {"company": "kg:firm-3"}),
    ("supply-chain", {}),
    ("supply-chain", {"chip": "kg:part-2"}),
    ("documents", {}),
    ("documents", {"language": "en"}),
    ("evidence", {}),
    ("evidence", {"subject": "kg:firm-1", "predicate": "chip:partnersWith", "object": "kg:firm-3"}),
    ("evidence", {"predicate": "chip:dependsOn"}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{bool(p)}" for n, p in CASES])
def test_query_rewrites_give_the_rows_of_the_plain_form(
    graph: Dataset, name: str, params: dict[str, str]
) -> None:
    plain = query.run(graph, REFERENCE / f"{name}.rq", params)
    fast = query.run(graph, name, params)
    assert len(fast) > 0  # the graph has rows for every case, so equality says something
    pd.testing.assert_frame_equal(plain, fast)


def test_query_rewrites_graph_has_every_kind_of_conflict(graph: Dataset) -> None:
    kinds = set(query.run(graph, "conflicts")["kind"])
    assert kinds == {"negated", "different subject", "different value"}
