"""Read and write graphs in the formats the command line accepts, chosen by file extension.

Triple formats (.ttl, .nt, .jsonld) carry the extracted graph only; quad formats (.trig, .nq)
also carry the background named graph (`kg.vocab.BACKGROUND`).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph

from .errors import InputError
from .vocab import CHIP, KG

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}
QUAD_FORMATS = frozenset({"trig", "nquads"})
_OXIGRAPH_PARSERS = {
    "turtle": "ox-turtle",
    "nt": "ox-ntriples",
    "json-ld": "ox-json-ld",
    "trig": "ox-trig",
    "nquads": "ox-nquads",
}


def format_for(path: str | Path) -> str:
    """The rdflib format name for a file, from its extension; raises InputError if unknown."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(FORMATS)
        raise InputError(
            f"{path}: unknown graph format {suffix or '(no extension)'!r}; use one of {known}"
        ) from None


def bind_prefixes(graph: Graph) -> None:
    """Bind the contract's prefixes so that written files read well."""
    graph.bind("chip", CHIP._NS)
    graph.bind("kg", KG)
    for prefix, iri in _W3C.items():
        graph.bind(prefix, iri)


_W3C = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def save(dataset: Dataset, path: str | Path) -> Path:
    """Write `dataset` to `path` in the format its extension names; returns the path written."""
    path = Path(path)
    fmt = format_for(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in QUAD_FORMATS:
        target: Graph = dataset
    else:
        target = Graph()
        for s, p, o in dataset.default_graph:
            target.add((s, p, o))
    bind_prefixes(target)
    tmp = path.with_name(path.name + ".part")
    target.serialize(destination=tmp, format=fmt, encoding="utf-8")
    tmp.replace(path)  # never leave a half-written graph where a good one stood
    return path


def load(path: str | Path, store: str = "default") -> Dataset:
    """Read a graph file written by `save` (or any RDF in a known format) into a Dataset."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        raise InputError(f"{path}: no such graph file; run `kg extract ... -o {path.name}` first")
    dataset = Dataset(store=store)
    # oxrdflib's own parsers load straight into the Oxigraph store, ~20x faster
    parser = _OXIGRAPH_PARSERS[fmt] if store == "Oxigraph" else fmt
    try:
        if fmt in QUAD_FORMATS:
            dataset.parse(path, format=parser)
        else:
            dataset.default_graph.parse(path, format=parser)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"{path}: not valid {fmt}: {exc}") from exc
    return dataset


__all__ = ["FORMATS", "bind_prefixes", "format_for", "load", "save"]
