"""SPARQL answers as typed pandas DataFrames, and those frames as terminal tables, CSV, TSV or JSON.

Typing rules, column by column: numbers become numbers, `xsd:date`/`xsd:dateTime` (and plain ISO
date strings, since dates in news text are often written plain) become datetimes, and a column
holding IRIs shows each IRI by its label (`skos:prefLabel`, else a document's `dcterms:title`,
else its local name or `prefix:name`) with the IRI itself kept in a sibling column `<name>_iri`.

Which columns get a `<name>_iri` sibling: every column named in `IRI_COLUMNS` (the names that hold
IRIs in the saved questions: `subject`, `document`, `company` …), whatever the rows hold, so a
saved question's headers never depend on its answer; any other column only when some row holds an
IRI (ad-hoc SPARQL that picks its own names).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD
from rdflib.term import Identifier

from .errors import QueryError
from .vocab import BACKGROUND, CHIP, XSD_INTEGERS

PREFIXES: dict[str, str] = {
    "chip": str(CHIP._NS),
    "kg": "https://w3id.org/aichip-kg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "wd": "http://www.wikidata.org/entity/",
}
"""Prefixes every query may use without declaring them (and that tables use to shorten IRIs)."""

IRI_SUFFIX = "_iri"
IRI_COLUMNS = frozenset(
    {
        "chip",
        "claim",
        "company",
        "comparator",
        "competitor",
        "counted",
        "detail",
        "developer",
        "document",
        "entity",
        "foundry",
        "modality",
        "object",
        "other",
        "partner",
        "predicate",
        "reporter",
        "rival",
        "rival_detail",
        "rival_document",
        "rival_modality",
        "rival_object",
        "stated",
        "subject",
        "supplier",
        "supplies",
        "type",
    }
)
"""Column names that always get a `<name>_iri` sibling; a saved question uses them for IRIs only."""
FORMATS = ("table", "csv", "tsv", "json")

# datatype IRIs as plain strings, so that rdflib's and pyoxigraph's terms are typed by one rule
_INTEGER = XSD_INTEGERS
_FLOAT = {str(t) for t in (XSD.decimal, XSD.float, XSD.double)}
_DATES = {str(t) for t in (XSD.date, XSD.dateTime, XSD.dateTimeStamp)}
# a plain literal: no datatype (rdflib), xsd:string, or a language-tagged string (pyoxigraph)
_PLAIN = {"", str(XSD.string), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
_MAX_CELL = 48


def compact(iri: str) -> str:
    """`prefix:name` for an IRI in a known namespace, else the IRI itself."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def label_of(dataset: Dataset, iri: URIRef) -> str:
    """The name shown for an IRI: its prefLabel (extracted before background), else a title or short form."""
    for predicate in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        found = [(ctx, o) for _s, _p, o, ctx in dataset.quads((iri, predicate, None, None))]
        if found:
            found.sort(key=lambda pair: _identifier(pair[0]) == BACKGROUND)
            return str(found[0][1])
    return _short(iri)


def _short(iri: URIRef) -> str:
    """How an IRI without a label or title is shown."""
    if iri.startswith(PREFIXES["chip"]):
        return iri[len(PREFIXES["chip"]) :]
    return compact(str(iri))


def labels_of(dataset: Dataset, iris: Iterable[URIRef]) -> dict[URIRef, str]:
    """`label_of` for many IRIs: on Oxigraph, one pass over the graph's labels and titles (an index range
    by predicate) instead of two lookups per IRI, which dominate a long answer's time."""
    wanted = list(dict.fromkeys(iris))
    if type(dataset.store).__name__ != "OxigraphStore" or len(wanted) < _ONE_PASS_FROM:
        return {iri: label_of(dataset, iri) for iri in wanted}
    keep = set(wanted)
    best: dict[Any, tuple[int, str]] = {}
    with warnings.catch_warnings():  # rdflib's Dataset.query reads its own deprecated default_context
        warnings.filterwarnings("ignore", "Dataset.default_context is deprecated", DeprecationWarning)
        for row in dataset.query(_LABELS):
            s, p, o, g = row  # type: ignore[misc]
            if s in keep:
                # the order label_of keeps: a prefLabel before a title, then extracted before background
                rank = (0 if p == SKOS.prefLabel else 2) + (1 if g == BACKGROUND else 0)
                if s not in best or rank < best[s][0]:
                    best[s] = (rank, str(o))
    return {iri: best[iri][1] if iri in best else _short(iri) for iri in wanted}


_ONE_PASS_FROM = 500
_LABELS = f"""SELECT ?s ?p ?o ?g WHERE {{
  VALUES ?p {{ <{SKOS.prefLabel}> <{DCTERMS.title}> }}
  {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }}
}}"""


def _identifier(context: object) -> object:
    return getattr(context, "identifier", context)


def result_frame(dataset: Dataset, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame from SPARQL result rows, typed by the rules in the module docstring."""
    rows = list(rows)
    labels = labels_of(dataset, (t for row in rows for t in row if isinstance(t, URIRef)))
    data: dict[str, Any] = {}
    for i, name in enumerate(columns):
        terms = [row[i] for row in rows]
        if name in IRI_COLUMNS or any(isinstance(t, URIRef) for t in terms):
            data[name] = pd.Series([_shown(t, labels) for t in terms], dtype=object)
            data[name + IRI_SUFFIX] = pd.Series(
                [str(t) if isinstance(t, URIRef) else None for t in terms], dtype=object
            )
        else:
            data[name] = _literal_column(terms)
    return pd.DataFrame(data, columns=list(data) or list(columns))


def _shown(term: Identifier | None, labels: dict[URIRef, str]) -> str | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return labels[term]
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _literal_column(terms: list[Identifier | None]) -> pd.Series:
    """One column of rdflib literals (or blank nodes), typed by `typed_column`."""
    present = [t for t in terms if t is not None]
    literals = [t for t in present if isinstance(t, Literal)]
    datatypes = (
        {"" if t.datatype is None else str(t.datatype) for t in literals}
        if len(literals) == len(present)
        else None
    )
    return typed_column(
        [None if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t)) for t in terms], datatypes
    )


def typed_column(lexical: list[str | None], datatypes: set[str] | None) -> pd.Series:
    """One result column from its cells' lexical forms, as numbers, booleans or datetimes when
    `datatypes` (the datatype IRIs of its literals, "" for none; None when it holds other terms too)
    says so, else as text. A malformed lexical form keeps the column as text rather than lose it."""
    present = [v for v in lexical if v is not None]
    if present and datatypes is not None:
        try:
            if datatypes <= _INTEGER:
                return pd.Series([None if v is None else int(v) for v in lexical], dtype="Int64")
            if datatypes <= _INTEGER | _FLOAT:
                return pd.Series([math.nan if v is None else float(v) for v in lexical], dtype="float64")
            if datatypes == {str(XSD.boolean)}:
                return pd.Series(
                    [None if v is None else v in ("true", "1") for v in lexical], dtype="boolean"
                )
            if datatypes <= _DATES or (datatypes <= _PLAIN and all(_ISO_DATE.match(v) for v in present)):
                return _dates(lexical)
        except (ValueError, TypeError, OverflowError):
            pass
    return pd.Series(lexical, dtype=object)


def _dates(texts: list[str | None]) -> pd.Series:
    aware = any(t is not None and re.search(r"(Z|[+-]\d{2}:?\d{2})$", t) for t in texts)
    series = pd.to_datetime(pd.Series(texts, dtype=object), errors="raise", utc=aware, format="ISO8601")
    return series


# ---- output formats -------------------------------------------------------------------------------


def format_frame(frame: pd.DataFrame, fmt: str = "table") -> str:
    """Render a query's DataFrame as `table` (for people, CJK-aligned), `csv`, `tsv` or `json` (records)."""
    if fmt == "table":
        return _table(frame)
    if fmt in ("csv", "tsv"):
        return frame.to_csv(index=False, sep="," if fmt == "csv" else "\t", lineterminator="\n").rstrip("\n")
    if fmt == "json":
        records = [
            {str(k): _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")
        ]
        return json.dumps(records, ensure_ascii=False, indent=2)
    raise QueryError(f"unknown output format {fmt!r}; use one of {', '.join(FORMATS)}")


def cell_value(value: object) -> Any:
    """A DataFrame cell as a plain Python value: None for any missing marker, numpy scalars unboxed."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _json_value(value: object) -> object:
    value = cell_value(value)
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def display_width(text: str) -> int:
    """Terminal columns a string takes: wide and full-width (CJK) characters two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _clip(text: str, limit: int = _MAX_CELL) -> str:
    text = " ".join(text.split())  # evidence sentences may hold newlines; a table row must not
    if display_width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = display_width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def _cell(value: object) -> str:
    value = _json_value(value)
    if value is None:
        return ""
    if isinstance(value, str) and "T00:00:00" in value and re.match(r"^\d{4}-\d{2}-\d{2}T00:00:00$", value):
        return value[:10]
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}T", value):
        return value.replace("T", " ")
    if isinstance(value, float):
        return f"{value:g}"
    return _clip(str(value))


def _table(frame: pd.DataFrame) -> str:
    """A plain-text table; `_iri` columns are left out (use csv or json for them)."""
    columns = [
        c for c in frame.columns if not (str(c).endswith(IRI_SUFFIX) and str(c)[: -len(IRI_SUFFIX)] in frame)
    ]
    right = {
        c: pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in columns
    }
    body = [[_cell(v) for v in row] for row in frame[columns].itertuples(index=False, name=None)]
    widths = [
        max([display_width(str(c)), *(display_width(r[i]) for r in body)]) for i, c in enumerate(columns)
    ]
    lines = ["  ".join(_pad(str(c), w, right[c]) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for r in body:
        lines.append(
            "  ".join(_pad(v, w, right[c]) for v, c, w in zip(r, columns, widths, strict=True)).rstrip()
        )
    lines.append(f"({len(frame)} row{'s' if len(frame) != 1 else ''})")
    return "\n".join(lines)


__all__ = [
    "FORMATS",
    "IRI_COLUMNS",
    "IRI_SUFFIX",
    "PREFIXES",
    "cell_value",
    "compact",
    "display_width",
    "format_frame",
    "label_of",
    "result_frame",
]
