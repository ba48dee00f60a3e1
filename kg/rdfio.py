"""Read and write graphs in the formats the command line accepts, chosen by file extension.

Triple formats (.ttl, .nt, .jsonld) carry the extracted graph only; quad formats (.trig, .nq)
also carry the background named graph (`kg.vocab.BACKGROUND`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, BinaryIO

from rdflib import Dataset, Graph

from .errors import InputError
from .output import write_atomic
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
    # a triple format writes the default graph as it stands (a copy into a new Graph cost more than
    # the writing itself)
    target: Graph = dataset if fmt in QUAD_FORMATS else dataset.default_graph
    bind_prefixes(target)

    # atomic: never a half-written graph where a good one stood, never two writers interleaved
    def write(handle: BinaryIO) -> None:
        target.serialize(destination=handle, format=fmt, encoding="utf-8")

    return write_atomic(path, write)


def load(path: str | Path, store: str = "default") -> Dataset:
    """Read a graph file written by `save` (or any RDF in a known format) into a Dataset."""
    path = Path(path)
    fmt = format_for(path)
    if not path.is_file():
        what = "is a folder, not a graph file" if path.is_dir() else "no such graph file"
        raise InputError(f"{path}: {what}; run `kg extract ... -o {path.name}` first")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from exc
    if size == 0:
        raise InputError(
            f"{path}: the file is empty (0 bytes), not a graph; a write may have failed: "
            f"run `kg extract ... -o {path.name}` again"
        )
    if fmt == "json-ld":
        _refuse_remote_contexts(path)
    dataset = Dataset(store=store)
    # oxrdflib's own parsers load straight into the Oxigraph store, ~20x faster
    parser = _OXIGRAPH_PARSERS[fmt] if store == "Oxigraph" else fmt
    try:
        if fmt in QUAD_FORMATS:
            dataset.parse(path, format=parser)
        else:
            dataset.default_graph.parse(path, format=parser)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise InputError(f"{path}{_syntax_error(path, fmt) or f': not valid {fmt}: {exc}'}") from exc
    return dataset


def _syntax_error(path: Path, fmt: str) -> str:
    """`:LINE: not valid FORMAT: what` from Oxigraph's parser, which says where; "" if it finds none."""
    import pyoxigraph

    try:
        for _ in pyoxigraph.parse(
            path=str(path), format=pyoxigraph.RdfFormat.from_extension(path.suffix[1:])
        ):
            pass
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        message = re.sub(r"^(Parser error )?at line \d+,? ?", "", message.split(" (", 1)[0])
        return f":{exc.lineno}: not valid {fmt}: {message}" if exc.lineno else f": not valid {fmt}: {message}"
    except (OSError, ValueError):
        return ""
    return ""


def _refuse_remote_contexts(path: Path) -> None:
    """JSON-LD may name its @context by URL or file; parsers then fetch it. We never do: no network
    and no local file named inside a graph. A context must be written into the file itself."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 (byte {exc.start}); JSON-LD is UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg} (column {exc.colno})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from exc
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import") and _names_a_document(value):
                    raise InputError(
                        f"{path}: its JSON-LD {key} refers to another document ({_first_reference(value)}); "
                        "aichip-kg never fetches contexts (no network, no files named by a graph): "
                        "write the context into the file itself"
                    )
                stack.append(value)


def _names_a_document(value: Any) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(isinstance(v, str) for v in value)
    return isinstance(value, dict) and isinstance(value.get("@import"), str)


def _first_reference(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return next(v for v in value if isinstance(v, str))
    return str(value["@import"])


__all__ = ["FORMATS", "bind_prefixes", "format_for", "load", "save"]
