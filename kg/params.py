"""Saved-question parameters: from what a user types (`台积电`, `kg:tsmc`, `Planned`, `*`) to RDF terms.

The kinds a parameter can declare (`iri`, `number`, `text`, `lang`) and the rules for reading a value
are described in `kg.query`'s docstring.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache, partial
from typing import TYPE_CHECKING

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Identifier

from .errors import QueryError
from .tables import PREFIXES
from .vocab import CHIP, ENTITY_CLASSES, MODALITIES, RELATIONS

if TYPE_CHECKING:
    from .query import SavedQuery

_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ABSOLUTE = re.compile(r"^(https?|urn|file):", re.I)
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_CHIP_TERMS = {t.lower(): t for t in (*RELATIONS, *MODALITIES, *ENTITY_CLASSES, "Document", "Claim")}


def bind(dataset: Dataset, saved: SavedQuery, params: Mapping[str, object]) -> dict[str, Identifier]:
    """The RDF term for each given or defaulted parameter; unknown names and unresolvable values raise."""
    if saved.params:
        unknown = sorted(set(params) - set(saved.params))
        if unknown:
            declared = ", ".join(saved.params)
            raise QueryError(f"{saved.name}: no parameter {unknown[0]!r}; its parameters are: {declared}")
    values: dict[str, object] = {**saved.params, **params}
    index = cache(partial(names, dataset))  # read the labels once, and only if some value is a name
    bound: dict[str, Identifier] = {}
    for name, value in values.items():
        if not re.search(rf"[?$]{re.escape(name)}\b", saved.text):
            raise QueryError(f"{saved.name}: cannot bind {name!r}: the query has no variable ?{name}")
        term = to_term(dataset, value, saved.kind(name), name=name, index=index)
        if term is not None:
            bound[name] = term
    return bound


def default_kind(default: str) -> str:
    """The kind a parameter has when it declares none: from its default value."""
    if not default:
        return "any"
    if _NUMBER.match(default):
        return "number"
    if default.startswith("<") or _ABSOLUTE.match(default) or _curie(default) is not None:
        return "iri"
    return "text"


def _curie(text: str) -> URIRef | None:
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(PREFIXES[prefix] + local)
    return None


def _number(text: str) -> Literal:
    return Literal(int(text)) if re.match(r"^[+-]?\d+$", text) else Literal(float(text))


def _iri(iri: str, name: str, text: str) -> URIRef:
    """`iri` as a URIRef, or a QueryError when it could not be written into a query."""
    bad = _BAD_IRI.search(iri)
    if bad is not None or not iri:
        why = f"{bad[0]!r} cannot appear in an IRI" if bad is not None else "the IRI is empty"
        raise QueryError(
            f"--param {name}={text}: not a valid IRI ({why}); write it like kg:tsmc or <https://…>"
        )
    return URIRef(iri)


def to_term(
    dataset: Dataset,
    value: object,
    kind: str = "any",
    *,
    name: str = "value",
    index: Callable[[], Mapping[str, set[URIRef]]] | None = None,
) -> Identifier | None:
    """The RDF term a parameter value stands for, or None for "all" (`*` or empty).

    `kind` is one of `KINDS` or "any"; `index` gives the graph's names (default: `names(dataset)`).
    """
    if value is None:
        return None
    if isinstance(value, URIRef):
        return _iri(str(value), name, str(value))
    if isinstance(value, Identifier):
        return value
    if isinstance(value, bool | int | float):
        return Literal(value)
    text = str(value).strip()
    if text in ("", "*"):
        return None
    if text.startswith("<") and text.endswith(">"):
        return _iri(text[1:-1], name, text)
    if _ABSOLUTE.match(text):
        return _iri(text, name, text)
    if (iri := _curie(text)) is not None:
        return _iri(str(iri), name, text)
    if kind == "text":
        return Literal(text)
    if kind == "lang":
        return Literal(text.lower())
    if kind == "number":
        if not _NUMBER.match(text):
            raise QueryError(f"--param {name}={text}: expected a number")
        return _number(text)
    known = index() if index is not None else names(dataset)
    matches = known.get(_norm(text), set())
    if len(matches) > 1:
        listed = ", ".join(sorted(str(m) for m in matches))
        raise QueryError(f"--param {name}={text}: ambiguous, it names {listed}; write the IRI instead")
    if matches:
        return next(iter(matches))
    if text.lower() in _CHIP_TERMS:
        return CHIP[_CHIP_TERMS[text.lower()]]
    if kind == "iri":
        close = difflib.get_close_matches(_norm(text), [*known, *_CHIP_TERMS], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise QueryError(
            f"--param {name}={text}: no entity or document has that name{hint}; "
            "write an IRI like kg:tsmc or a name from the graph"
        )
    if _NUMBER.match(text):
        return _number(text)
    return Literal(text)


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def names(dataset: Dataset) -> dict[str, set[URIRef]]:
    """Every name an entity or document goes by (labels, titles, source files, IRI local names) -> IRIs."""
    index: dict[str, set[URIRef]] = {}
    for predicate in (SKOS.prefLabel, SKOS.altLabel, DCTERMS.title, DCTERMS.source):
        for s, _p, o, _c in dataset.quads((None, predicate, None, None)):
            if isinstance(s, URIRef):
                index.setdefault(_norm(str(o)), set()).add(s)
                if str(s).startswith(PREFIXES["kg"]):
                    index.setdefault(_norm(str(s)[len(PREFIXES["kg"]) :]), set()).add(s)
    return index
