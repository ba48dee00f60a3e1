"""Members of one corporate group are no rival foundries or acquirers: `kg conflicts` and the saved
question `conflicts` leave them out, whether the group is known from the registry's parents or from
acquisitions the texts state. All companies here are invented."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rdflib import RDF, SKOS, XSD, Dataset, Literal
from rdflib.namespace import DCTERMS, ORG, PROV

import kg
from kg import rdf, sources
from kg.registry import read_registry
from kg.vocab import BACKGROUND, CHIP, KG

ORGANIZATIONS = """id\tclass\tname\tzh\taliases\twikidata\tparent
orbita\tCompany\tOrbita Group\t\t\t\t
orbita-arizona\tCompany\tOrbita Arizona\t\t\t\torbita
orbita-japan\tCompany\tOrbita Japan\t\t\t\torbita
vanta\tCompany\tVanta Fab\t\t\t\t
"""


def claim(ds: Dataset, key: str, subject: str, predicate: str, obj: str, doc: str) -> None:
    g = ds.default_graph
    c = KG[f"claim-{key}"]
    for p, v in (
        (RDF.type, CHIP.Claim), (RDF.subject, KG[subject]), (RDF.predicate, CHIP[predicate]),
        (RDF.object, KG[obj]), (CHIP.modality, CHIP.Asserted), (PROV.wasDerivedFrom, KG[doc]),
        (CHIP.evidence, Literal(f"{subject} {predicate} {obj}.")),
    ):  # fmt: skip
        g.add((c, p, v))
    g.add((KG[subject], CHIP[predicate], KG[obj]))
    for name in (subject, obj):
        g.add((KG[name], SKOS.prefLabel, Literal(name.title(), lang="en")))
        g.add((KG[name], CHIP.mentionedIn, KG[doc]))
    g.add((KG[doc], RDF.type, CHIP.Document))
    g.add((KG[doc], DCTERMS.date, Literal(f"2025-0{int(doc[-1])}-01", datatype=XSD.date)))


def pairs(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
    rows = frame[frame["kind"] == "different subject"]
    return {(r["subject"], r["rival"], r["object"]) for r in rows.to_dict(orient="records")}


@pytest.fixture
def registry_dataset(tmp_path: Path) -> Dataset:
    (tmp_path / "organizations.tsv").write_text(ORGANIZATIONS, encoding="utf-8")
    ds = Dataset()
    claim(ds, "1", "orbita-arizona", "fabricates", "zeta-1", "doc1")
    claim(ds, "2", "orbita-japan", "fabricates", "zeta-1", "doc2")  # sister fab: same group
    claim(ds, "3", "vanta", "fabricates", "zeta-1", "doc3")  # another company: a real disagreement
    rdf.add_background(ds, read_registry(tmp_path), {"orbita-arizona", "orbita-japan", "vanta"})
    return ds


def test_conflicts_groups_registry_parents_go_to_the_background(registry_dataset: Dataset) -> None:
    background = registry_dataset.graph(BACKGROUND)
    assert (KG["orbita-arizona"], ORG.subOrganizationOf, KG["orbita"]) in background
    assert (KG["orbita-japan"], ORG.subOrganizationOf, KG["orbita"]) in background
    assert not list(background.triples((KG["vanta"], ORG.subOrganizationOf, None)))
    assert not list(registry_dataset.default_graph.triples((None, ORG.subOrganizationOf, None)))


def test_conflicts_groups_sister_companies_from_the_registry_are_no_rivals(registry_dataset: Dataset) -> None:
    found = pairs(sources.conflicts(registry_dataset))
    assert found == {("Orbita-Arizona", "Vanta", "Zeta-1"), ("Orbita-Japan", "Vanta", "Zeta-1")}
    # the same answer from Oxigraph, through the public API
    assert pairs(kg.KnowledgeGraph(registry_dataset).conflicts()) == found


def test_conflicts_groups_without_the_parents_they_are_rivals(registry_dataset: Dataset) -> None:
    registry_dataset.remove_graph(registry_dataset.graph(BACKGROUND))
    found = pairs(sources.conflicts(registry_dataset))
    assert ("Orbita-Arizona", "Orbita-Japan", "Zeta-1") in found


def test_conflicts_groups_from_stated_acquisitions() -> None:
    ds = Dataset()
    claim(ds, "1", "helix", "acquires", "quark", "doc1")
    claim(ds, "2", "nimbus", "acquires", "quark", "doc2")  # Nimbus belongs to Helix (doc 3)
    claim(ds, "3", "helix", "acquires", "nimbus", "doc3")
    claim(ds, "4", "helix", "fabricates", "kappa", "doc1")
    claim(ds, "5", "nimbus", "fabricates", "kappa", "doc2")
    assert pairs(sources.conflicts(ds)) == set()


def test_conflicts_groups_two_buyers_of_one_company_stay_rivals() -> None:
    # Helix and Vanta each said to buy Quark: Quark links them, but it is below both, not above.
    ds = Dataset()
    claim(ds, "1", "helix", "acquires", "quark", "doc1")
    claim(ds, "2", "vanta", "acquires", "quark", "doc2")
    assert pairs(sources.conflicts(ds)) == {("Helix", "Vanta", "Quark")}
    assert pairs(kg.KnowledgeGraph(ds).conflicts()) == {("Helix", "Vanta", "Quark")}
