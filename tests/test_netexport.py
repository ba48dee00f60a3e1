"""The graph leaves Python: every networkx writer accepts `to_networkx()`, and `kg export` writes
GraphML, GEXF, GML, CSV tables or RDF by extension."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pytest

from kg import cli, graph, netexport, rdfio
from kg.vocab import CHIP, KG

MARKET = Path(__file__).parent / "fixtures" / "query_market.trig"

pytestmark = pytest.mark.filterwarnings(
    "ignore:(Dataset.[a-z_]+|ConjunctiveGraph) is deprecated:DeprecationWarning"
)


@pytest.fixture(scope="module")
def market() -> graph.KnowledgeGraph:
    return graph.load(MARKET)


def _check_round_trip(original: nx.MultiDiGraph, read: nx.Graph, name_attr: str = "label") -> None:
    assert read.number_of_nodes() == original.number_of_nodes()
    assert read.number_of_edges() == original.number_of_edges()
    nvidia = read.nodes[str(KG.nvidia)]
    assert nvidia[name_attr] == "NVIDIA" and nvidia["class"] == "Company"
    assert sorted(nvidia["aliases"].split(" | ")) == ["Nvidia", "英伟达"]
    ((_, edge),) = read.get_edge_data(str(KG.tsmc), str(KG.nvidia)).items()
    assert edge["evidence"] == "TSMC manufactures Nvidia's data-center GPUs."
    assert float(edge["confidence"]) == 0.95 and edge["date"] == "2025-03-01"
    assert edge["claim"] == str(KG["claim-en-1"])


@pytest.mark.parametrize("options", [{}, {"include_negated": True, "include_background": True}])
def test_netexport_to_networkx_attributes_are_plain_values(
    market: graph.KnowledgeGraph, options: dict[str, bool]
) -> None:
    network = market.to_networkx(**options)
    values = [v for _n, d in network.nodes(data=True) for v in d.values()]
    values += [v for _s, _t, d in network.edges(data=True) for v in d.values()]
    assert values and all(type(v) in (str, int, float) for v in values)


@pytest.mark.parametrize(
    ("write", "read", "name_attr"),
    [
        (nx.write_graphml, nx.read_graphml, "label"),
        (nx.write_gexf, nx.read_gexf, "label"),
    ],
    ids=["graphml", "gexf"],
)
def test_netexport_networkx_writers_accept_to_networkx(
    market: graph.KnowledgeGraph, tmp_path: Path, write: object, read: object, name_attr: str
) -> None:
    network = market.to_networkx(include_background=True, include_negated=True)
    path = tmp_path / "market.out"
    write(network, path)  # type: ignore[operator]
    _check_round_trip(network, read(path), name_attr)  # type: ignore[operator]


@pytest.mark.parametrize("suffix", [".graphml", ".gexf", ".gml"])
def test_netexport_write_network_round_trips(
    market: graph.KnowledgeGraph, tmp_path: Path, suffix: str
) -> None:
    (path,) = netexport.write_network(market, tmp_path / f"market{suffix}")
    readers = {".graphml": nx.read_graphml, ".gexf": nx.read_gexf, ".gml": nx.read_gml}
    read = readers[suffix](path)
    _check_round_trip(market.to_networkx(), read, "name" if suffix == ".gml" else "label")


def test_netexport_csv_writes_nodes_and_edges_tables(market: graph.KnowledgeGraph, tmp_path: Path) -> None:
    nodes_path, edges_path = netexport.write_network(market, tmp_path / "market.csv")
    assert nodes_path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese names as UTF-8
    with nodes_path.open(encoding="utf-8-sig") as f:
        nodes = {row["id"]: row for row in csv.DictReader(f)}
    with edges_path.open(encoding="utf-8-sig") as f:
        edges = list(csv.DictReader(f))
    network = market.to_networkx()
    assert len(nodes) == network.number_of_nodes() and len(edges) == network.number_of_edges()
    assert nodes[str(KG.nvidia)]["label_zh"] == "英伟达" and int(nodes[str(KG.nvidia)]["degree"]) >= 3
    tsmc = [e for e in edges if e["source_id"] == str(KG.tsmc) and e["target_id"] == str(KG.nvidia)]
    assert [(e["relation"], e["modality"], e["confidence"]) for e in tsmc] == [
        ("fabricatesFor", "Asserted", "0.95")
    ]


@pytest.mark.parametrize("name", ["market.graphml", "market.gexf", "market.gml", "market.csv"])
def test_netexport_cli_writes_network_files(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    assert cli.main(["export", str(MARKET), "-o", str(out)]) == 0
    written = [Path(line.removeprefix("wrote ")) for line in capsys.readouterr().err.splitlines()]
    assert written and all(p.is_file() and p.stat().st_size > 0 for p in written)
    if out.suffix != ".csv":
        assert written == [out]


@pytest.mark.parametrize("suffix", [".ttl", ".trig", ".nt"])
def test_netexport_cli_writes_rdf_by_extension(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"market{suffix}"
    assert cli.main(["export", str(MARKET), "-o", str(out)]) == 0
    written = rdfio.load(out).default_graph
    assert len(written) == len(graph.load(MARKET))
    assert (KG.tsmc, CHIP.fabricatesFor, KG.nvidia) in written


def test_netexport_cli_unknown_extension_names_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", str(MARKET), "-o", str(tmp_path / "market.xlsx")]) == 1
    err = capsys.readouterr().err
    assert ".graphml" in err and ".csv" in err and ".ttl" in err and "xlsx" in err
    assert not (tmp_path / "market.xlsx").exists()
