"""`kg extract` writes its graph from N-Triples lines (`kg.ntriples`), made on the workers where it can:
the same triples as the rdflib dataset `kg.extract` returns, in every format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import SKOS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from test_parallel import sorted_lines, write_folder

from kg import ntriples, pipeline, rdfio
from kg.cli import main
from kg.vocab import BACKGROUND, CHIP, KG

FORMATS = (".nt", ".nq", ".ttl", ".trig", ".jsonld")
TEXTS = {
    "a-zh.txt": "英伟达发布了新的数据中心芯片，台积电负责代工。寒武纪今年营收增长了百分之三十。",
    "b-en.txt": 'AMD said "the MI300 chip uses 192 GB of HBM3."\nMicrosoft reportedly buys AMD GPUs.',
}


def _same_graph(one: Path, two: Path) -> bool:
    """Do the two files hold the same graph (every named graph too, for quad formats)?"""
    if one.suffix in (".nq", ".trig"):
        first, second = _graphs(one), _graphs(two)
        return first.keys() == second.keys() and all(isomorphic(first[g], second[g]) for g in first)
    return isomorphic(Graph().parse(one), Graph().parse(two))


def _graphs(path: Path) -> dict[str, Graph]:
    dataset = Dataset()
    dataset.parse(path)
    return {str(graph.identifier): graph for graph in dataset.graphs() if len(graph)}


def _tricky() -> Dataset:
    """Literals and IRIs a writer may get wrong."""
    dataset = Dataset()
    graph = dataset.default_graph
    node = KG["claim-1"]
    graph.add((node, CHIP.evidence, Literal('He said "yes"\\no,\tthen\nleft\r.')))
    graph.add((node, SKOS.altLabel, Literal("台積電", lang="zh-Hant")))
    graph.add((node, CHIP.charStart, Literal(12, datatype=XSD.integer)))
    graph.add((node, CHIP.value, Literal(10000.0, datatype=XSD.decimal)))
    graph.add((node, CHIP.value, Literal(Decimal("0.85"), datatype=XSD.decimal)))
    graph.add((node, CHIP.value, Literal("2024-10-31", datatype=XSD.date)))
    graph.add((node, CHIP.mentionedIn, URIRef(str(KG) + "graph/doc-1")))  # no prefixed name for it
    graph.add((node, CHIP.mentionedIn, KG["-odd.name."]))
    graph.add((BNode("b1"), CHIP.unit, Literal("nm")))
    dataset.graph(BACKGROUND).add((KG.amd, CHIP.competesWith, KG.nvidia))
    return dataset


@pytest.mark.parametrize("suffix", FORMATS)
def test_ntriples_files_hold_what_rdflib_writes(suffix: str, tmp_path: Path) -> None:
    dataset = _tricky()
    quads = ntriples.Quads()
    quads.add_dataset(dataset)
    old = rdfio.save(dataset, tmp_path / f"rdflib{suffix}")
    new = quads.save(tmp_path / f"lines{suffix}")
    assert _same_graph(old, new)
    if suffix in (".nt", ".nq"):
        assert sorted_lines(old) == sorted_lines(new)  # the very lines rdflib writes, sorted
    if suffix in (".ttl", ".trig"):
        text = new.read_text(encoding="utf-8")
        assert "@prefix chip: <https://w3id.org/aichip-kg/ontology#> ." in text
        assert "\n    chip:charStart 12 ;" in text and "10000.0" in text
        assert "<https://w3id.org/aichip-kg/id/graph/doc-1>" in text


def test_ntriples_extraction_lines_are_the_rdflib_dataset(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "news", TEXTS)
    dataset, report = pipeline.build([folder])
    quads, quads_report = pipeline.build_quads([folder])
    assert report.summary().split(" in ")[0] == quads_report.summary().split(" in ")[0]
    assert report.claims > 0 and report.quantities > 0
    assert sorted_lines(rdfio.save(dataset, tmp_path / "rdflib.nq")) == sorted_lines(
        quads.save(tmp_path / "lines.nq")
    )


def test_ntriples_cli_writes_a_graph_rdflib_reads_as_the_api_builds_it(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "news", TEXTS)
    dataset, _ = pipeline.build([folder])
    for suffix in (".ttl", ".trig"):
        out = tmp_path / f"g{suffix}"
        assert main(["extract", str(folder), "-o", str(out), "--jobs", "2"]) == 0
        assert _same_graph(rdfio.save(dataset, tmp_path / f"api{suffix}"), out)
