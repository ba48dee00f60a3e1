"""The graph as a network file for Gephi, Cytoscape, yEd or a spreadsheet, chosen by file extension.

`.graphml`, `.gexf` and `.gml` are written by networkx from `KnowledgeGraph.to_networkx()` (one edge
per claim, evidence on the edge); `.csv` writes two tables beside each other, `NAME.nodes.csv` and
`NAME.edges.csv` (UTF-8 with a byte-order mark, so that Excel reads Chinese names right). GML keeps
each node's IRI as its `label` (GML's node key), so the entity's name travels as `name`.

`export` is the one place that picks RDF or network output for `kg export`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError

if TYPE_CHECKING:
    import networkx as nx

    from .graph import KnowledgeGraph

NODE_COLUMNS = ("id", "label", "class", "label_zh", "aliases", "wikidata", "mentions", "degree")
EDGE_COLUMNS = (
    "source_id",
    "target_id",
    "relation",
    "modality",
    "confidence",
    "evidence",
    "source_title",
    "date",
    "source",
    "char_start",
    "char_end",
    "claim",
)


def _writers() -> dict[str, Callable[[nx.MultiDiGraph, Path], None]]:
    import networkx as nx

    return {
        ".graphml": lambda g, p: nx.write_graphml(g, p, encoding="utf-8"),
        ".gexf": lambda g, p: nx.write_gexf(g, p, encoding="utf-8"),
        ".gml": lambda g, p: nx.write_gml(_gml_ready(g), p),
    }


FORMATS = (".graphml", ".gexf", ".gml", ".csv")
"""The extensions `write_network` knows."""


def is_network(path: str | Path) -> bool:
    """Whether `path`'s extension names a network format (rather than an RDF one)."""
    return Path(path).suffix.lower() in FORMATS


def write_network(graph: KnowledgeGraph | nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Write the graph as `.graphml`, `.gexf`, `.gml` or `.csv` (nodes and edges tables), by extension.

    Takes a KnowledgeGraph (converted with `to_networkx()`) or a networkx graph; returns the files
    written. An unknown extension raises InputError naming the known ones.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            f"{path}: unknown network format {suffix or '(no extension)'!r}; use one of {', '.join(FORMATS)}"
        )
    from .graph import KnowledgeGraph

    network = graph.to_networkx() if isinstance(graph, KnowledgeGraph) else graph
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        return write_csv(network, path)
    _writers()[suffix](network, path)
    return [path]


def export(graph: KnowledgeGraph, path: str | Path) -> list[Path]:
    """Write `graph` to `path`: a network format by `write_network`, an RDF one by `KnowledgeGraph.save`."""
    from .rdfio import FORMATS as RDF_FORMATS

    if is_network(path):
        return write_network(graph, path)
    if Path(path).suffix.lower() not in RDF_FORMATS:
        known = ", ".join([*FORMATS, *RDF_FORMATS])
        raise InputError(
            f"{path}: unknown export format {Path(path).suffix or '(no extension)'!r}; use one of {known}"
        )
    return [graph.save(path)]


def _gml_ready(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose node attribute `label` is called `name`: GML spends `label` on the node key."""
    copy = network.copy()
    for _node, data in copy.nodes(data=True):
        if "label" in data:
            data["name"] = data.pop("label")
    return copy


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """The two files `.csv` export writes: `NAME.nodes.csv` and `NAME.edges.csv`."""
    path = Path(path)
    stem = path.with_suffix("")
    return stem.with_name(stem.name + ".nodes.csv"), stem.with_name(stem.name + ".edges.csv")


def write_csv(network: nx.MultiDiGraph, path: str | Path) -> list[Path]:
    """Nodes and edges as two CSV tables (Gephi's and Cytoscape's import format; Excel opens both)."""
    nodes_path, edges_path = csv_paths(path)
    with nodes_path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, NODE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for node, data in sorted(network.nodes(data=True)):
            writer.writerow({**_cells(data), "id": node, "degree": network.degree(node)})
    with edges_path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, EDGE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for source, target, _key, data in sorted(network.edges(keys=True, data=True), key=_edge_order):
            writer.writerow({**_cells(data), "source_id": source, "target_id": target})
    return [nodes_path, edges_path]


def _cells(data: dict[str, Any]) -> dict[str, Any]:
    return {k: "" if v is None else v for k, v in data.items()}


def _edge_order(edge: tuple[Any, Any, Any, dict[str, Any]]) -> tuple[str, str, str]:
    return str(edge[0]), str(edge[1]), str(edge[2])


__all__ = [
    "EDGE_COLUMNS",
    "FORMATS",
    "NODE_COLUMNS",
    "csv_paths",
    "export",
    "is_network",
    "write_csv",
    "write_network",
]
