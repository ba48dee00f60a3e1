"""A dataset as N-Triples lines, built without an rdflib store, and written in any of our formats.

Adding a triple to rdflib's in-memory store costs about 10 µs (it indexes each one three ways); a
line of N-Triples text costs a tenth of that. `kg extract -o FILE` needs no rdflib graph, only the
file: the extraction renders each triple as the line rdflib's own N-Triples writer would write
(`line`; with several jobs the workers render their documents' statements: `render`), keeps each
line once per graph (`Quads`), and writes .nt and .nq straight from them (the lines rdflib writes,
in the order they were first added), .ttl and .trig with the contract's prefixes (a graph rdflib
reads back as the one its own writer wrote), .jsonld through rdflib.

    quads = Quads()
    quads.add(rdf.claim_triples(claims))
    quads.add_dataset(small_rdflib_dataset)     # entities, background facts
    quads.save("out.ttl")
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rdflib import XSD, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from . import rdf
from .ingest import Document
from .output import write_atomic
from .rdfio import format_for, save
from .resolve import Resolved
from .tables import PREFIXES

_INVALID_IRI = str.maketrans(dict.fromkeys('<>" {}|\\^`', ""))
_CACHE_LIMIT = 200_000


def term(node: Node) -> str:
    """`node` as rdflib's N-Triples and N-Quads writers write it."""
    if isinstance(node, Literal):
        quoted = node.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
        text = f'"{quoted}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype:
            return f"{text}^^<{node.datatype}>"
        return text
    if isinstance(node, URIRef) and len(node.translate(_INVALID_IRI)) == len(node):
        return f"<{node}>"
    return node.n3()  # a blank node, or an IRI rdflib refuses to write (it raises, as it would)


def line(triple: tuple[Node, Node, Node]) -> str:
    """One triple as `<s> <p> <o>`, without the full stop (`term` of each)."""
    s, p, o = triple
    return f"{term(s)} {term(p)} {term(o)}"


class Renderer:
    """Triples as lines (`line`), each term rendered once: subjects, properties and objects repeat."""

    def __init__(self) -> None:
        self._terms: dict[Node, str] = {}

    def lines(self, triples: Iterable[tuple[Node, Node, Node]]) -> list[str]:
        terms = self._terms
        if len(terms) > _CACHE_LIMIT:
            terms.clear()
        out = []
        for triple in triples:
            parts = []
            for node in triple:
                text = terms.get(node)
                if text is None:
                    text = terms[node] = term(node)
                parts.append(text)
            out.append(" ".join(parts))
        return out


@dataclass
class Rendered:
    """One document's own statements as lines, made where it was read (a worker process), for the
    parent to add as they are: its node, its claims (kept above a confidence, as the resolver that
    read it alone oriented them) and, by the entity each is about, its quantities."""

    document: list[str]
    claims: list[str]
    measures: list[tuple[str, list[str]]]


def render(document: Document, resolved: Resolved, min_confidence: float) -> Rendered:
    """`resolved`'s statements as `_extract` in `kg.pipeline` adds them, as lines."""
    claims = [c for c in resolved.claims if c.confidence >= min_confidence]
    measures = [m for m in resolved.measures if m.confidence >= min_confidence]
    return Rendered(
        _RENDERER.lines(rdf.document_triples(document)),
        _RENDERER.lines(rdf.claim_triples(claims)),
        [(m.subject, _RENDERER.lines(rdf.measure_triples([m]))) for m in measures],
    )


class Quads:
    """A dataset as triple lines (`line`), each once, in the order first added, per graph ("" is the
    default graph): the same additions give the same file, whichever process made the lines."""

    def __init__(self) -> None:
        self.graphs: dict[str, dict[str, None]] = {"": {}}
        self._renderer = Renderer()

    def add(self, triples: Iterable[tuple[Node, Node, Node]], graph: str = "") -> None:
        """Add triples to the default graph, or to the named graph whose IRI is `graph`."""
        self.graphs.setdefault(graph, {}).update(dict.fromkeys(self._renderer.lines(triples)))

    def add_rendered(self, rendered: Rendered, entities: Container[str]) -> int:
        """Add a document's rendered statements to the default graph, the quantities only of entities
        in `entities` (those the documents so far mention); returns how many quantities."""
        lines = self.graphs[""]
        lines.update(dict.fromkeys(rendered.document))
        lines.update(dict.fromkeys(rendered.claims))
        kept = [measure for subject, measure in rendered.measures if subject in entities]
        for measure in kept:
            lines.update(dict.fromkeys(measure))
        return len(kept)

    def add_dataset(self, dataset: Dataset) -> None:
        """Every triple of every graph of an rdflib dataset (each graph's in sorted order: rdflib's
        own order may change from one process to the next)."""
        for graph in dataset.graphs():
            name = "" if graph.identifier == DATASET_DEFAULT_GRAPH_ID else str(graph.identifier)
            self.graphs.setdefault(name, {}).update(dict.fromkeys(sorted(self._renderer.lines(graph))))

    def __len__(self) -> int:
        return sum(map(len, self.graphs.values()))

    def ntriples(self) -> str:
        """The default graph, a line per triple."""
        lines = self.graphs[""]
        return " .\n".join(lines) + " .\n" if lines else ""

    def nquads(self) -> str:
        """Every graph, as rdflib's N-Quads writer writes it (a default-graph line ends in two
        spaces and a full stop, where the graph name would stand; a blank line at the end)."""
        out = []
        for graph in sorted(self.graphs):
            if self.graphs[graph]:
                end = f" <{graph}> .\n" if graph else "  .\n"
                out.append(end.join(self.graphs[graph]) + end)
        return "".join(out) + "\n"

    def dataset(self) -> Dataset:
        """The same triples in an rdflib dataset (parsed from the N-Quads text)."""
        dataset = Dataset()
        dataset.parse(data=self.nquads(), format="nquads")
        return dataset

    def save(self, path: str | Path) -> Path:
        """Write the graph to `path` in the format its extension names (as `rdfio.save` does: triple
        formats hold the default graph, quad formats every graph), atomically; returns the path."""
        path = Path(path)
        fmt = format_for(path)
        if fmt == "json-ld":  # rdflib's writer, as before (a rare format, and one of nested objects)
            return save(self.dataset(), path)

        def write(handle: BinaryIO) -> None:
            if fmt == "nt":
                handle.write(self.ntriples().encode("utf-8"))
            elif fmt == "nquads":
                handle.write(self.nquads().encode("utf-8", "replace"))
            else:
                handle.write(self._turtle(fmt))

        return write_atomic(path, write)

    def _turtle(self, fmt: str) -> bytes:
        """Turtle (the default graph) or TriG (every graph), each subject once with its triples after
        `;`, IRIs shortened by the contract's prefixes; literals exactly as in the lines."""
        short = _Shortener()
        out = [f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in PREFIXES.items()]
        out += _statements(self.graphs[""], short, "")
        if fmt == "trig":
            for graph in sorted(set(self.graphs) - {""}):
                if self.graphs[graph]:
                    out += [
                        f"\n{short(f'<{graph}>')} {{\n",
                        *_statements(self.graphs[graph], short, "    "),
                        "}\n",
                    ]
        return "".join(out).encode("utf-8", "replace")


def _statements(lines: Iterable[str], short: _Shortener, indent: str) -> Iterator[str]:
    """`lines` as Turtle statements: a subject, then its predicates after `;` and each predicate's
    objects after `,` (the lines sorted, so a subject's and a predicate's lines come together)."""
    subject = predicate = None
    for text in sorted(lines):
        s, p, o = text.split(" ", 2)  # neither an IRI nor a blank node holds a space
        if s != subject:
            if subject is not None:
                yield " .\n"
            yield f"\n{indent}{short(s)} {short(p)} {short(o)}"
        elif p != predicate:
            yield f" ;\n{indent}    {short(p)} {short(o)}"
        else:
            yield f",\n{indent}        {short(o)}"
        subject, predicate = s, p
    if subject is not None:
        yield " .\n"


class _Shortener:
    """A term of a line as Turtle writes it: an IRI under a contract prefix as `prefix:local` (when
    the local part needs no escape), `rdf:type` as `a`, a literal's datatype likewise."""

    def __init__(self) -> None:
        self._done: dict[str, str] = {"<" + _RDF_TYPE + ">": "a"}
        self._spaces = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))

    def __call__(self, text: str) -> str:
        done = self._done.get(text)
        if done is None:
            done = self._done[text] = self._shorten(text)
        return done

    def _shorten(self, text: str) -> str:
        if text.startswith('"'):
            cut = text.rfind('"^^<')
            if cut < 0 or not text.endswith(">"):
                return text  # plain or language-tagged
            lexical, datatype = text[1:cut], text[cut + 4 : -1]
            # a number bare, as rdflib's Turtle writer writes it (a decimal with a `.0` when it has no
            # point, so that reading the file back gives the term rdflib wrote)
            if datatype == _XSD_INTEGER and _INTEGER.fullmatch(lexical):
                return lexical
            if datatype == _XSD_DECIMAL and _DECIMAL.fullmatch(lexical):
                return lexical if "." in lexical else lexical + ".0"
            return text[: cut + 3] + self._iri(text[cut + 3 :])
        return self._iri(text) if text.startswith("<") else text

    def _iri(self, text: str) -> str:
        iri = text[1:-1]
        for prefix, space in self._spaces:
            if iri.startswith(space) and _LOCAL.fullmatch(iri[len(space) :]):
                return f"{prefix}:{iri[len(space) :]}"
        return text


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_XSD_INTEGER, _XSD_DECIMAL = str(XSD.integer), str(XSD.decimal)
_INTEGER, _DECIMAL = re.compile(r"[+-]?[0-9]+"), re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
"""A local name written as it is in a prefixed name (Turtle's PN_LOCAL allows more, with escapes)."""


_RENDERER = Renderer()

__all__ = ["Quads", "Rendered", "Renderer", "line", "render", "term"]
