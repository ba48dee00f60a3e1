"""Answers read straight from Oxigraph as DataFrames, and a cache of them keyed by the store's generation.

`frame` turns pyoxigraph result rows into the same typed, labelled DataFrame that
`kg.tables.result_frame` makes from rdflib terms (see its module docstring for the rules), without
converting each term to rdflib first: on a long answer the conversion, not the store, took most of
the time.

A graph store (`kg.store.Store`) counts its changes in a generation (a token that `kg ingest` and
`kg remove` renew). `AnswerCache` keeps answers by (generation, query text): asking again without a
change in between answers from memory, and the first question after a change computes afresh.
Graphs read from files carry no generation and are never cached (a script may change them).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import pandas as pd
import pyoxigraph as ox
from rdflib import Dataset, Graph

from .tables import IRI_COLUMNS, IRI_SUFFIX, _short, typed_column
from .vocab import BACKGROUND

_SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
_DC_TITLE = "http://purl.org/dc/terms/title"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_LABEL_PREDICATES = (_SKOS_PREF, _DC_TITLE, _RDFS_LABEL)
"""In the order `kg.tables.label_of` prefers them."""
_ONE_PASS_FROM = 2_000
"""From this many distinct IRIs on, labels are read in one pass over the label predicates."""


def labels(store: ox.Store, iris: Iterable[str]) -> dict[str, str]:
    """The name shown for each IRI (as `kg.tables.label_of`: a prefLabel, else a title, else an
    rdfs:label, extracted before background; else a short form)."""
    wanted = list(dict.fromkeys(iris))
    background = ox.NamedNode(str(BACKGROUND))
    best: dict[str, tuple[int, str]] = {}

    def consider(subject: str, rank: int, quad: ox.Quad) -> None:
        rank = rank * 2 + (1 if quad.graph_name == background else 0)
        if subject not in best or rank < best[subject][0]:
            best[subject] = (rank, str(getattr(quad.object, "value", quad.object)))

    if len(wanted) < _ONE_PASS_FROM:
        for iri in wanted:
            node = ox.NamedNode(iri)
            for rank, predicate in enumerate(_LABEL_PREDICATES):
                for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
                    consider(iri, rank, quad)
                if iri in best:
                    break
    else:
        keep = set(wanted)
        for rank, predicate in enumerate(_LABEL_PREDICATES):
            for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
                subject = quad.subject
                if isinstance(subject, ox.NamedNode) and subject.value in keep:
                    consider(subject.value, rank, quad)
    return {iri: best[iri][1] if iri in best else _short(iri) for iri in wanted}  # type: ignore[arg-type]


def frame(store: ox.Store, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame from pyoxigraph result rows (terms or None), typed as `kg.tables.result_frame` types.

    Works column by column on the transposed rows, with the kinds of term in a column known once: a
    long answer spends its time here, not in the store, when each cell is looked at several times."""
    cells: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    kinds = [set(map(type, column)) for column in cells]
    iris = [
        term.value
        for column, kind in zip(cells, kinds, strict=True)
        if ox.NamedNode in kind
        for term in column
        if type(term) is ox.NamedNode
    ]
    shown = labels(store, iris)
    data: dict[str, Any] = {}
    for name, column, kind in zip(columns, cells, kinds, strict=True):
        if name in IRI_COLUMNS or ox.NamedNode in kind:
            if kind == {ox.NamedNode}:
                values = [term.value for term in column]
                data[name] = pd.Series([shown[v] for v in values], dtype=object)
                data[name + IRI_SUFFIX] = pd.Series(values, dtype=object)
                continue
            data[name] = pd.Series([_shown(t, shown) for t in column], dtype=object)
            data[name + IRI_SUFFIX] = pd.Series(
                [t.value if type(t) is ox.NamedNode else None for t in column], dtype=object
            )
        else:
            data[name] = _literal_column(column, kind)
    return pd.DataFrame(data, columns=list(data) or list(columns))


def _shown(term: Any, shown: dict[str, str]) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return shown[term.value]
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _literal_column(terms: Sequence[Any], kind: set[type]) -> pd.Series:
    """One column of pyoxigraph literals (or blank nodes), typed by `kg.tables.typed_column`."""
    if kind <= {ox.Literal, type(None)}:
        datatypes = {t.datatype.value for t in terms if t is not None}
        return typed_column([None if t is None else t.value for t in terms], datatypes)
    return typed_column([_shown_literal(t) for t in terms], None)


def _shown_literal(term: Any) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.Literal) else str(term)


class AnswerCache:
    """Answers by key, at most `size` of them (least recently used go first), each computed once even
    when several threads ask for it together."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The answer kept for `key`, else `compute()` (kept unless it raises)."""
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                self.hits += 1
                return self._answers[key]
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:  # the first thread computes; the others wait here and then find its answer
            with self._lock:
                if key in self._answers:
                    self.hits += 1
                    return self._answers[key]
                self.misses += 1
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._answers[key] = value
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()


_GENERATIONS: weakref.WeakKeyDictionary[Dataset, Callable[[], str]] = weakref.WeakKeyDictionary()
_CACHES: weakref.WeakKeyDictionary[Dataset, AnswerCache] = weakref.WeakKeyDictionary()


def track(dataset: Dataset, generation: Callable[[], str]) -> None:
    """Cache `dataset`'s answers by `generation()`, which must change whenever the data does."""
    _GENERATIONS[dataset] = generation


def cached(dataset: Dataset, key: Hashable, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """`compute()`, kept for a dataset whose generation is tracked (a copy, so callers may change it)."""
    generation = _GENERATIONS.get(dataset)
    if generation is None:
        return compute()
    cache = _CACHES.setdefault(dataset, AnswerCache())
    return cache.get((generation(), key), compute).copy(deep=False)


def forget(dataset: Dataset) -> None:
    """Drop the answers kept for `dataset` (benchmarks time a question's first answer with it)."""
    _CACHES.pop(dataset, None)


def oxigraph_of(dataset: Graph) -> ox.Store | None:
    """The pyoxigraph store under an rdflib Dataset held in Oxigraph (oxrdflib), else None."""
    if type(dataset.store).__name__ != "OxigraphStore":
        return None
    inner = getattr(dataset.store, "_inner", None)
    return inner if isinstance(inner, ox.Store) else None


__all__ = ["AnswerCache", "cached", "forget", "frame", "labels", "oxigraph_of", "track"]
