"""`KnowledgeGraph`: the graph as a Python object for notebooks and scripts.

It wraps an rdflib `Dataset` held in Oxigraph (through rdflib's `Oxigraph` store plugin, oxrdflib):
the default graph is the extracted graph, the named graph `kg.vocab.BACKGROUND` holds registry
facts. Answers come back as pandas DataFrames (see `kg.query`) or a networkx `MultiDiGraph`.

    >>> import kg
    >>> g = kg.load("build/seed.ttl")
    >>> g.query("fabricators", company="OpenAI")[["foundry", "company", "modality"]]
"""

from __future__ import annotations

import datetime as dt
import typing
import warnings
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from . import query as _query
from . import rdfio
from .errors import InputError
from .tables import cell_value, label_of
from .vocab import BACKGROUND, CHIP, RELATIONS

if TYPE_CHECKING:
    import networkx as nx

    from .validate import Result

STORE = "Oxigraph"
"""The rdflib store plugin every KnowledgeGraph lives in (see bench/bench_query.py for why)."""


class KnowledgeGraph:
    """An extracted AI-chip market graph, queryable with SPARQL and saved questions."""

    def __init__(self, dataset: Dataset | Graph | None = None, *, report: object | None = None) -> None:
        """Wrap `dataset` (copied into an Oxigraph-backed Dataset unless it already is one)."""
        self._dataset = _as_oxigraph(dataset)
        self.report = report
        """The extraction report when the graph came from `extract`, else None."""

    @property
    def rdf(self) -> Dataset:
        """The underlying rdflib Dataset (default graph = extracted facts; BACKGROUND = registry facts)."""
        return self._dataset

    def __len__(self) -> int:
        """Number of triples in the extracted (default) graph (counted by the store, not by iterating)."""
        return int(self.query(_TRIPLE_COUNT)["triples"].iloc[0])

    def __repr__(self) -> str:
        counts = self._counts()
        return (
            f"<KnowledgeGraph: {len(self)} triples, {counts['entities']} entities, "
            f"{counts['claims']} claims, {counts['documents']} documents>"
        )

    # ---- asking ----

    def query(self, sparql_or_name: str | Path, **bindings: object) -> pd.DataFrame:
        """Run SPARQL text, a `.rq` file or a saved question (see `KnowledgeGraph.queries()`) as a DataFrame.

        Keyword arguments bind the question's parameters (or any variable of ad-hoc SPARQL): an rdflib
        term, a number, or a string such as `"kg:tsmc"`, `"台积电"` or `"TSMC"`.
        """
        return _query.run(self._dataset, sparql_or_name, bindings)

    @staticmethod
    def queries() -> pd.DataFrame:
        """The saved questions: one row per parameter with its kind, default (`all`) and an example."""
        return _query.catalogue()

    def entities(self, **bindings: object) -> pd.DataFrame:
        """Every entity: label, class, Chinese name, aliases, Wikidata id, documents mentioning it."""
        return self.query("entities", **bindings)

    def claims(self, **bindings: object) -> pd.DataFrame:
        """Every claim: subject, predicate, object, modality, confidence, evidence, document, offsets."""
        return self.query("claims", **bindings)

    def conflicts(self, entity: str | None = None) -> pd.DataFrame:
        """Where documents disagree: one row per pair of claims, optionally about one entity (see
        `kg conflicts`)."""
        from . import sources

        return sources.conflicts(self._dataset, entity)

    def corroboration(self, predicate: str | None = None) -> pd.DataFrame:
        """Relations ranked by independent sources, with a combined confidence (see `kg.sources`)."""
        from . import sources

        return sources.corroboration(self._dataset, predicate)

    def documents(self, **bindings: object) -> pd.DataFrame:
        """Every source document with its title, language, source, date and counts."""
        return self.query("documents", **bindings)

    # ---- converting ----

    def to_networkx(
        self, *, include_negated: bool = False, include_background: bool = False
    ) -> nx.MultiDiGraph:
        """Entities as nodes (class, label, aliases) and one edge per claim (relation, evidence, confidence,
        modality, source document and date); relation triples with no claim become edges without evidence.

        Every attribute is a string, an int or a float, so every networkx writer (GraphML, GEXF, GML)
        accepts the graph: a value that does not exist is left out (`data.get("evidence")` is None),
        aliases are one string joined by " | ". Negated claims are left out unless asked for (their
        relation does not hold); background registry facts are added, marked `modality="Background"`,
        only with `include_background=True`.
        """
        import networkx as nx

        graph = nx.MultiDiGraph()
        for entity in self.entities().to_dict(orient="records"):
            graph.add_node(
                entity["entity_iri"],
                **_present(
                    label=entity["entity"],
                    iri=entity["entity_iri"],
                    **{"class": entity["type"]},
                    label_zh=entity["label_zh"],
                    aliases=entity["aliases"] or None,
                    wikidata=entity["wikidata"],
                    mentions=int(entity["mentions"]),
                ),
            )
        claimed: set[tuple[str, str, str]] = set()
        for claim in self.claims().to_dict(orient="records"):
            key = (str(claim["subject_iri"]), str(claim["predicate_iri"]), str(claim["object_iri"]))
            if claim["modality"] == "Negated" and not include_negated:
                continue
            claimed.add(key)
            self._edge(
                graph,
                key,
                key=str(claim["claim_iri"]),
                claim=claim["claim_iri"],
                evidence=claim["evidence"],
                confidence=claim["confidence"],
                modality=claim["modality"],
                source=claim["document_iri"],
                source_title=claim["document"],
                date=claim["date"],
                char_start=claim["char_start"],
                char_end=claim["char_end"],
                time=claim["time"],
                reporter=claim["reporter_iri"],
            )
        plain = self.query(_PLAIN_RELATIONS)
        if include_background:
            plain = pd.concat([plain, self.query(_BACKGROUND_RELATIONS)], ignore_index=True)
        for row in plain.to_dict(orient="records"):
            key = (str(row["s_iri"]), str(row["p_iri"]), str(row["o_iri"]))
            background = row.get("origin") == "background"
            if key in claimed and not background:
                continue
            self._edge(
                graph,
                key,
                key=f"{'background' if background else 'triple'}:{'|'.join(key)}",
                modality="Background" if background else None,
                source=str(BACKGROUND) if background else None,
            )
        return graph

    def _edge(self, graph: nx.MultiDiGraph, spo: tuple[str, str, str], *, key: str, **attrs: Any) -> None:
        subject, predicate, obj = spo
        for node in (subject, obj):
            if node not in graph:
                graph.add_node(node, label=label_of(self._dataset, URIRef(node)), iri=node, mentions=0)
        relation = predicate[len(str(CHIP._NS)) :] if predicate.startswith(str(CHIP._NS)) else predicate
        graph.add_edge(subject, obj, key=key, relation=relation, predicate=predicate, **_present(**attrs))

    def validate(self) -> Result:
        """Check the extracted graph against the contract (SHACL shapes and extra checks).

        Returns a `kg.validate.Result`: `.conforms` is True when the graph keeps the contract, and
        `.report()` lists each problem, as `kg validate` prints it."""
        from . import validate

        return validate.validate(self._dataset.default_graph)

    def save(self, path: str | Path) -> Path:
        """Write the graph; the format follows the extension (.ttl .nt .jsonld; .trig .nq keep BACKGROUND)."""
        out = Dataset()
        # Oxigraph hands plain literals back typed xsd:string (the same in RDF 1.1); write them plain again
        out.addN((s, p, _plain(o), c) for s, p, o, c in _quads(self._dataset))
        return rdfio.save(out, path)

    # ---- viewing ----

    def to_html(self, path: str | Path | None = None, **kw: Any) -> Path | str:
        """The interactive view (`kg.viz`): written to `path` (returns the Path), or returned as HTML."""
        from . import viz

        if path is None:
            return viz.render_html(self._dataset, **kw)
        return viz.write_html(self._dataset, path, **kw)

    def show(self, **kw: Any) -> HTMLView:
        """The interactive view, displayed inline when it is the last expression of a notebook cell."""
        from . import viz

        return HTMLView(viz.notebook_html(self._dataset, **kw))

    def _repr_html_(self) -> str:
        counts = self._counts()
        cells = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in counts.items())
        return f"<table><caption>KnowledgeGraph ({len(self)} triples)</caption>{cells}</table>"

    def _counts(self) -> dict[str, int]:
        frame = self.query(_COUNTS)
        return {str(c): int(frame[c].iloc[0]) for c in frame.columns}


class HTMLView(str):
    """HTML text that Jupyter renders (so `.show()` needs no IPython import)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"<HTMLView: {len(self)} characters of HTML>"


def extract(
    *paths: str | Path,
    min_confidence: float = 0.0,
    date: str | dt.date | None = None,
    errors: typing.Literal["raise", "skip"] = "raise",
) -> KnowledgeGraph:
    """Build the graph from news files or folders of them (Chinese or English; text, Markdown or
    HTML; UTF-8, UTF-16, GB18030, Big5 or Latin-1).

    `min_confidence` leaves out claims the extractor is less sure of (see `chip:confidence`); `date`
    is the publication date of documents without a sidecar `NAME.meta.json` (else their dateline).
    `errors`: with "raise" (the default) a file that cannot be read raises InputError naming it; with
    "skip" it is left out, as `kg extract` does, with a UserWarning "skipped PATH: REASON" and an entry
    in `graph.report.skipped` (InputError still when no input at all can be read)."""
    from . import pipeline
    from .dates import parse_date

    if errors not in ("raise", "skip"):
        raise InputError(f"kg.extract: errors must be 'raise' or 'skip', not {errors!r}")
    published = parse_date(date) if isinstance(date, str) else date
    dataset, report = pipeline.build(
        [Path(p) for p in paths], min_confidence, published, strict=errors == "raise"
    )
    for skipped in report.skipped:
        warnings.warn(f"kg.extract: skipped {skipped.path}: {skipped.reason}", UserWarning, stacklevel=2)
    return KnowledgeGraph(dataset, report=report)


def load(path: str | Path | None = None) -> KnowledgeGraph:
    """Read a graph file written by `kg extract` or `KnowledgeGraph.save` (any extension rdfio knows),
    or open a graph store folder written by `kg ingest` (read-only; default: `$KG_STORE` or ./kg-store)."""
    from .store import open_dataset

    return KnowledgeGraph(open_dataset(path, oxigraph=True)[0])


def _as_oxigraph(source: Dataset | Graph | None) -> Dataset:
    if isinstance(source, Dataset) and type(source.store).__name__ == "OxigraphStore":
        return source
    dataset = Dataset(store=STORE)
    if source is None:
        return dataset
    if isinstance(source, Dataset):
        quads = list(_quads(source))
    else:
        quads = [(s, p, o, DATASET_DEFAULT_GRAPH_ID) for s, p, o in source]
    dataset.addN(quads)
    for prefix, namespace in source.namespaces():
        dataset.bind(prefix, namespace, override=False)
    return dataset


def _quads(source: Dataset) -> Iterable[tuple[Any, Any, Any, Any]]:
    for s, p, o, context in source.quads((None, None, None, None)):
        yield s, p, o, getattr(context, "identifier", context) or DATASET_DEFAULT_GRAPH_ID


def _plain(term: Any) -> Any:
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _present(**attrs: object) -> dict[str, str | int | float]:
    """The attributes that have a value, as str, int or float (dates as ISO text): what every
    networkx writer accepts."""
    out: dict[str, str | int | float] = {}
    for name, raw in attrs.items():
        value = cell_value(raw)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, datetime):  # pandas Timestamps too
            value = value.date().isoformat() if _midnight(value) else value.isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = float(value)
        elif not isinstance(value, (str, int, float)):
            value = str(value)
        out[name] = value
    return out


def _midnight(value: datetime) -> bool:
    return value.time() == datetime.min.time() and value.tzinfo is None


_RELATION_VALUES = " ".join(f"chip:{name}" for name in RELATIONS)
_PLAIN_RELATIONS = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_RELATION_VALUES} }} ?s ?p ?o }}"
_BACKGROUND_RELATIONS = (
    f"SELECT ?s ?p ?o ?origin WHERE {{ VALUES ?p {{ {_RELATION_VALUES} }} "
    f'GRAPH <{BACKGROUND}> {{ ?s ?p ?o }} BIND("background" AS ?origin) }}'
)
_TRIPLE_COUNT = "SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"
_COUNTS = """SELECT
  (COUNT(DISTINCT ?e) AS ?entities) (COUNT(DISTINCT ?c) AS ?claims) (COUNT(DISTINCT ?d) AS ?documents)
WHERE {
  { ?e skos:prefLabel ?l } UNION { ?c a chip:Claim } UNION { ?d a chip:Document }
}"""

__all__ = ["KnowledgeGraph", "extract", "load"]
