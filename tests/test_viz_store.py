"""The view of a graph held in Oxigraph with more entities than it draws: the part is chosen from the
store (kg.viz._store) and is the part the full build opens on, with the whole graph's totals."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, SKOS, XSD, Dataset, Literal
from rdflib.namespace import DCTERMS, PROV

from kg import rdfio, viz
from kg.viz import _model, _store
from kg.vocab import CHIP, KG


def market(n: int = 60, seed: int = 5) -> Dataset:
    """`n` entities in three documents, relations by preferential attachment, each with a claim,
    some only denied (drawn all the same), and a few symmetric relations stated both ways."""
    rng = random.Random(seed)
    ds = Dataset()
    g = ds.default_graph
    docs = [KG[f"doc-v{i}"] for i in range(3)]
    for i, d in enumerate(docs):
        g.add((d, RDF.type, CHIP.Document))
        g.add((d, DCTERMS.title, Literal(f"Story {i}")))
        g.add((d, DCTERMS.language, Literal("zh" if i else "en")))
        g.add((d, DCTERMS.date, Literal(f"2025-0{i + 1}-01", datatype=XSD.date)))
    ends: list[int] = []
    for i in range(n):
        e = KG[f"ent-{i}"]
        g.add((e, RDF.type, CHIP.Company if i % 3 else CHIP.Chip))
        g.add((e, SKOS.prefLabel, Literal(f"Entity {i}", lang="en")))
        g.add((e, SKOS.altLabel, Literal(f"实体{i}", lang="zh")))
        g.add((e, CHIP.mentionedIn, rng.choice(docs)))
        if i == 0:
            continue
        j = rng.choice(ends) if ends and rng.random() < 0.7 else rng.randrange(i)
        rel = rng.choice(("partnersWith", "uses", "competesWith", "fabricatesFor"))
        negated = rng.random() < 0.15
        s, o = (KG[f"ent-{j}"], e) if rng.random() < 0.5 else (e, KG[f"ent-{j}"])
        if not negated:
            g.add((s, CHIP[rel], o))
        c = KG[f"claim-v{i}"]
        for p, v in (
            (RDF.type, CHIP.Claim), (RDF.subject, s), (RDF.predicate, CHIP[rel]), (RDF.object, o),
            (PROV.wasDerivedFrom, rng.choice(docs)), (CHIP.evidence, Literal(f"Entity {i} and 实体{j}.")),
            (CHIP.confidence, Literal("0.8", datatype=XSD.decimal)),
            (CHIP.modality, CHIP.Negated if negated else CHIP.Asserted),
        ):  # fmt: skip
            g.add((c, p, v))
        ends += [i, j]
    g.add((KG["ent-2"], CHIP.partnersWith, KG["ent-1"]))
    g.add((KG["ent-1"], CHIP.partnersWith, KG["ent-2"]))
    return ds


def payload(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert found, "no data script in the page"
    return dict(json.loads(found.group(1)))


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    path = rdfio.save(market(), tmp_path_factory.mktemp("viz-store") / "market.trig")
    return rdfio.load(path, store="Oxigraph")


def test_viz_store_draws_the_part_the_full_build_opens_on(stored: Dataset) -> None:
    full = _model.build_view(stored.default_graph, max_nodes=12)
    data = payload(viz.render_html(stored, max_nodes=12))
    ids = {n["id"] for n in data["nodes"]}
    assert ids == full.core and len(ids) == 12
    drawn = {(e.source, e.target, e.relation) for e in full.edges if {e.source, e.target} <= full.core}
    assert {(e["from"], e["to"], e["rel"]) for e in data["edges"]} == drawn
    claims = {c.id for e in full.edges if {e.source, e.target} <= full.core for c in e.claims}
    assert {c["id"] for cs in data["claims"].values() for c in cs} == claims
    assert data["totals"] == {
        "entities": len(full.entities),
        "edges": len(full.edges),
        "background": 0,
        "embedded": 12,
    }
    full_meta = {e.id: (e.pref_label, e.cls, e.docs) for e in full.entities.values() if e.id in full.core}
    assert {i: (m["pref"], m["cls"], m["docs"]) for i, m in data["entities"].items()} == full_meta


def test_viz_store_within_the_limit_is_the_full_page(stored: Dataset, tmp_path: Path) -> None:
    in_memory = rdfio.load(rdfio.save(market(), tmp_path / "m.trig"))
    assert _store.trimmed(_oxigraph(stored), 1000) is None
    assert viz.render_html(stored, max_nodes=1000) == viz.render_html(in_memory, max_nodes=1000)


def _oxigraph(ds: Dataset) -> Any:
    from kg import native

    store = native.oxigraph_of(ds)
    assert store is not None
    return store
