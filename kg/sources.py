"""How sources agree and disagree: conflicts between documents and corroboration of relations.

Both read the saved questions `conflicts` and `corroboration` (SPARQL, `kg/queries/`); this module
adds what SPARQL cannot say: a readable report, and a combined confidence per relation, where
independent sources (two documents, unless they retell one reporter) each make it likelier:
1 - (1 - c1)(1 - c2)…, with c the best confidence of each source's claims.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict

import pandas as pd
from rdflib import Dataset

from . import query
from .tables import cell_value

_SIDE = ("date", "document", "modality", "evidence")


def conflicts(dataset: Dataset, entity: str | None = None) -> pd.DataFrame:
    """One row per disagreement between two documents (saved question `conflicts`), all of them or
    those about `entity` (any of its names) at either end."""
    return query.run(dataset, "conflicts", {"entity": entity} if entity else {})


def report(frame: pd.DataFrame, width: int = 100) -> str:
    """The disagreements as text: what each side says, when, where and how, with its evidence."""
    if frame.empty:
        return "no disagreements between the documents"
    lines = [f"{len(frame)} disagreement(s) between documents"]
    for row in frame.to_dict(orient="records"):
        subject, predicate, obj = (_text(row[k]) for k in ("subject", "predicate", "object"))
        rival, rival_object = _text(row["rival"]), _text(row["rival_object"])
        lines.append("")
        lines.append(f"[{row['kind']}] {subject} {predicate} {obj}  vs  {rival} {predicate} {rival_object}")
        for prefix in ("", "rival_"):
            date, document, modality, evidence = (_text(row[prefix + k]) for k in _SIDE)
            detail = _text(row["rival_detail"]) if prefix else ""
            how = f"{modality} ({detail})" if detail else modality
            lines.append(f"  {date or 'undated':<10}  {how:<22} {document}")
            lines.extend(
                textwrap.wrap(evidence, width, initial_indent="      “", subsequent_indent="       ")
            )
            lines[-1] += "”"
    return "\n".join(lines)


def corroboration(dataset: Dataset, predicate: str | None = None) -> pd.DataFrame:
    """Relations ranked by how many independent sources state them (saved question `corroboration`),
    with `combined_confidence`: 1 - Π(1 - best confidence of each source), and `titles`: which
    documents state them."""
    frame = query.run(dataset, "corroboration", {"predicate": predicate} if predicate else {})
    best: dict[tuple[str, str, str], dict[str, float]] = defaultdict(dict)
    titles: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    claims = query.run(dataset, _CLAIM_SOURCES)
    for row in claims.to_dict(orient="records"):
        key = (str(row["s_iri"]), str(row["p_iri"]), str(row["o_iri"]))
        titles[key].add(_text(row["document"]))
        source = str(row["source"])
        confidence = float(cell_value(row["confidence"]) or 0.0)
        best[key][source] = max(best[key].get(source, 0.0), confidence)
    combined, which = [], []
    for row in frame.to_dict(orient="records"):
        key = (row["subject_iri"], row["predicate_iri"], row["object_iri"])
        doubt = 1.0
        for value in best.get(key, {}).values():
            doubt *= 1.0 - value
        combined.append(round(1.0 - doubt, 3))
        which.append(" | ".join(sorted(titles.get(key, set()))))
    frame.insert(list(frame.columns).index("confidence") + 1, "combined_confidence", combined)
    frame["titles"] = which
    return frame


def _text(value: object) -> str:
    value = cell_value(value)
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return "" if value is None else str(value)


_CLAIM_SOURCES = """
SELECT ?s ?p ?o ?source ?confidence ?document WHERE {
  ?claim a chip:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; chip:modality ?m ;
         prov:wasDerivedFrom ?document .
  FILTER(?m != chip:Negated)
  OPTIONAL { ?claim chip:reportedBy ?reporter }
  OPTIONAL { ?claim chip:confidence ?confidence }
  BIND(STR(COALESCE(?reporter, ?document)) AS ?source)
}"""
