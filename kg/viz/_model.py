"""Read a contract-shaped graph into the plain records the HTML view draws.

Counting rule (what the page draws, and what the tests compare against the graph):

- a node for every IRI with `chip:mentionedIn`, plus any IRI at either end of a drawn edge;
- an edge for every distinct relation triple `(s, p, o)` asserted in the graph, where `p` is one
  of `kg.vocab.RELATIONS` or the `rdf:predicate` of some claim (so finer sub-properties count);
  a symmetric relation (`partnersWith`, `competesWith`) is one edge between its two ends whichever
  way it was stated, once or both ways (drawn without arrows);
- plus one edge for every distinct `(s, p, o)` that only negated claims state (a negated claim
  has no plain triple, but the reader should still see what the text ruled out).

Each edge carries the claims whose `rdf:subject`, `rdf:predicate`, `rdf:object` are its triple (for
a symmetric relation, in either order: a denial stated the other way round contests it too).
Background facts (the registry's named graph `kg.vocab.BACKGROUND`) are not drawn, only counted.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV

from ..vocab import BACKGROUND, CHIP, RELATIONS, SYMMETRIC
from ._records import OPEN_END, OPEN_START, Claim, Doc, Edge, Entity, View, time_span

# Most specific first: an entity typed both Company and Organization is drawn as a Company.
CLASS_ORDER: tuple[str, ...] = ("Person", "Chip", "Product", "Company", "Organization")
OTHER = "Other"
_WIKIDATA = ("http://www.wikidata.org/entity/Q", "https://www.wikidata.org/entity/Q")
_CHIP_NS = str(CHIP._NS)


def build_view(graph: Graph, *, lang: str | None = None, max_nodes: int = 1500) -> View:
    """Collect entities, edges, claims and documents from `graph` (a contract-shaped graph)."""
    docs = _documents(graph)
    lang = lang or default_language(docs.values())
    claims_by_key = _claims(graph)
    relations = {CHIP[name] for name in RELATIONS} | {URIRef(k[1]) for k in claims_by_key}

    edges: dict[tuple[str, str, str], Edge] = {}
    for pred in sorted(relations):
        for s, o in sorted(graph.subject_objects(pred)):  # sorted: the same file, the same page
            if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o:
                key = edge_key(str(s), str(pred), str(o))
                edges.setdefault(key, _new_edge(len(edges), key, asserted=True))
    for key, claims in sorted(claims_by_key.items()):
        if key not in edges and any(c.modality == "Negated" for c in claims):
            edges[key] = _new_edge(len(edges), key, asserted=False)
        if key in edges:
            edges[key].claims.extend(sorted(claims, key=lambda c: (-(c.confidence or 0), c.id)))

    ids = {str(s) for s in graph.subjects(CHIP.mentionedIn) if isinstance(s, URIRef)}
    for edge in edges.values():
        ids.update((edge.source, edge.target))
    texts: dict[str, list[str]] = defaultdict(list)
    for edge in edges.values():
        for c in edge.claims:
            texts[edge.source].append(c.evidence)
            texts[edge.target].append(c.evidence)
    for iri in ids:
        texts[iri].extend(
            docs[str(d)].title for d in graph.objects(URIRef(iri), CHIP.mentionedIn) if str(d) in docs
        )
    entities = {iri: _entity(graph, URIRef(iri), texts[iri]) for iri in sorted(ids)}
    for edge in edges.values():
        entities[edge.source].degree += 1
        entities[edge.target].degree += 1
    drawn = list(edges.values())
    core = most_connected(entities, drawn, max_nodes)
    return View(lang, entities, drawn, docs, core, background=_background_relations(graph))


def edge_key(subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
    """The edge a triple or claim belongs to: a symmetric relation's two ends in a fixed order."""
    if _is_symmetric(predicate) and obj < subject:
        return obj, predicate, subject
    return subject, predicate, obj


def default_language(docs: Iterable[Doc]) -> str:
    """The majority `dcterms:language` of the documents ("zh" or "en"); "en" on a tie or none."""
    counts = Counter(_base_lang(d.language) for d in docs if d.language)
    zh, en = counts.get("zh", 0), counts.get("en", 0)
    return "zh" if zh > en else "en"


def most_connected(entities: dict[str, Entity], edges: list[Edge], limit: int) -> set[str]:
    """Up to `limit` entities grown greedily from the best-connected one, so the part is connected."""
    if len(entities) <= limit:
        return set(entities)
    degree = {iri: entity.degree for iri, entity in entities.items()}
    return most_connected_ids(degree, [(e.source, e.target) for e in edges], limit)


def most_connected_ids(degree: dict[str, int], pairs: list[tuple[str, str]], limit: int) -> set[str]:
    """`most_connected` on bare ids: each entity's degree and the edges' (source, target)."""
    if len(degree) <= limit:
        return set(degree)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for source, target in pairs:
        neighbours[source].add(target)
        neighbours[target].add(source)
    seeds = iter(sorted(degree, key=lambda i: (-degree[i], i)))
    chosen: set[str] = set()
    frontier: list[tuple[int, str]] = []
    while len(chosen) < limit:
        if not frontier:
            seed = next(i for i in seeds if i not in chosen)
            heapq.heappush(frontier, (-degree[seed], seed))
        _, iri = heapq.heappop(frontier)
        if iri in chosen:
            continue
        chosen.add(iri)
        for n in neighbours[iri] - chosen:
            heapq.heappush(frontier, (-degree[n], n))
    return chosen


def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _is_symmetric(predicate: str) -> bool:
    return predicate.startswith(_CHIP_NS) and local_name(predicate) in SYMMETRIC


def _new_edge(index: int, key: tuple[str, str, str], *, asserted: bool) -> Edge:
    return Edge(f"e{index}", key[0], key[2], local_name(key[1]), _is_symmetric(key[1]), asserted)


def _background_relations(graph: Graph) -> int:
    """Relation triples in the background named graph kept in the same store as `graph`."""
    if graph.identifier == BACKGROUND:
        return 0
    background = Graph(store=graph.store, identifier=BACKGROUND)
    return sum(1 for name in RELATIONS for _ in background.triples((None, CHIP[name], None)))


def _documents(graph: Graph) -> dict[str, Doc]:
    docs = {}
    for d in set(graph.subjects(RDF.type, CHIP.Document)):
        docs[str(d)] = Doc(
            id=str(d),
            title=_text(graph.value(d, DCTERMS.title)) or local_name(str(d)),
            language=_text(graph.value(d, DCTERMS.language)),
            source=_text(graph.value(d, DCTERMS.source)),
            date=_text(graph.value(d, DCTERMS.date)),
        )
    return docs


def _claims(graph: Graph) -> dict[tuple[str, str, str], list[Claim]]:
    found: dict[tuple[str, str, str], list[Claim]] = defaultdict(list)
    for c in set(graph.subjects(RDF.type, CHIP.Claim)):
        s, p, o = (graph.value(c, RDF.subject), graph.value(c, RDF.predicate), graph.value(c, RDF.object))
        if not (isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef)) or s == o:
            continue
        doc = graph.value(c, PROV.wasDerivedFrom)
        modality = graph.value(c, CHIP.modality)
        claim = Claim(
            id=str(c),
            relation=local_name(str(p)),
            doc=str(doc) if doc is not None else None,
            evidence=_text(graph.value(c, CHIP.evidence)),
            start=_int(graph.value(c, CHIP.charStart)),
            end=_int(graph.value(c, CHIP.charEnd)),
            confidence=_float(graph.value(c, CHIP.confidence)),
            modality=local_name(str(modality)) if modality is not None else "Asserted",
            extracted_by=_text(graph.value(c, CHIP.extractedBy)),
            date=_text(graph.value(c, DCTERMS.date))
            or (_text(graph.value(doc, DCTERMS.date)) if doc is not None else ""),
            point=_text(graph.value(c, CHIP.pointInTime)),
            since=_text(graph.value(c, CHIP.startTime)),
            until=_text(graph.value(c, CHIP.endTime)),
        )
        found[edge_key(str(s), str(p), str(o))].append(claim)
    return found


def _entity(graph: Graph, iri: URIRef, texts: list[str]) -> Entity:
    prefs = sorted(
        (x for x in graph.objects(iri, SKOS.prefLabel) if isinstance(x, Literal)),
        key=lambda x: (_base_lang(x.language) != "en", str(x)),
    )
    alts = sorted(
        {(str(x), x.language or "") for x in graph.objects(iri, SKOS.altLabel) if isinstance(x, Literal)},
        key=lambda a: (a[1], len(a[0]), a[0]),
    )
    pref = str(prefs[0]) if prefs else ""
    en = pref or next((t for t, lg in alts if _base_lang(lg) == "en"), "") or (alts[0][0] if alts else "")
    en = en or local_name(str(iri))
    zh_pref = str(prefs[0]) if prefs and _is_simplified(prefs[0].language) else ""
    canonical = [
        str(x) for x in graph.objects(iri, RDFS.label) if isinstance(x, Literal) and x.language == "zh"
    ]
    zh = (
        zh_pref
        or min(canonical, default="")
        or _commonest([t for t, lg in alts if _is_simplified(lg)], texts)
        or en
    )
    if zh != en and _commonest([zh, en], texts) == en and any(en in t for t in texts):
        zh = en  # the Chinese sources write it as "Meta" or "Google": label it as they do
    aliases = [(str(x), x.language or "") for x in prefs[1:]] + [a for a in alts if a[0] != pref]
    return Entity(
        id=str(iri),
        cls=_class_of(graph, iri),
        label_en=en,
        label_zh=zh,
        pref_label=pref or en,
        aliases=aliases,
        wikidata=sorted(str(x) for x in graph.objects(iri, OWL.sameAs) if str(x).startswith(_WIKIDATA)),
        docs=sorted(str(d) for d in graph.objects(iri, CHIP.mentionedIn)),
    )


def _commonest(names: list[str], texts: list[str]) -> str:
    """The name the texts use most, longest match first (so 台积电 is not also counted as 台积);
    the shortest name when the texts use none of them."""
    counts = dict.fromkeys(names, 0)
    for text in texts:
        for name in sorted(names, key=len, reverse=True):
            counts[name] += text.count(name)
            text = text.replace(name, "\0")
    return min(names, key=lambda n: (-counts[n], len(n), n), default="")


def _class_of(graph: Graph, iri: URIRef) -> str:
    """The most specific known class, following `rdfs:subClassOf` declared in the graph itself."""
    known: set[str] = set()
    todo = [t for t in graph.objects(iri, RDF.type) if isinstance(t, URIRef)]
    seen: set[URIRef] = set()
    while todo:
        t = todo.pop()
        if t in seen:
            continue
        seen.add(t)
        if str(t).startswith(_CHIP_NS) and local_name(str(t)) in CLASS_ORDER:
            known.add(local_name(str(t)))
        todo.extend(x for x in graph.objects(t, RDFS.subClassOf) if isinstance(x, URIRef))
    return next((c for c in CLASS_ORDER if c in known), OTHER)


def _base_lang(tag: str | None) -> str:
    return (tag or "").lower().split("-", 1)[0]


def _is_simplified(tag: str | None) -> bool:
    """A Chinese tag that is not explicitly Traditional (zh, zh-Hans, zh-CN...)."""
    tag = (tag or "").lower()
    return tag == "zh" or tag.startswith(("zh-hans", "zh-cn", "zh-sg"))


def _text(node: object) -> str:
    return "" if node is None else str(node)


def _int(node: object) -> int | None:
    try:
        return int(node.toPython()) if isinstance(node, Literal) else None
    except (TypeError, ValueError):
        return None


def _float(node: object) -> float | None:
    if not isinstance(node, Literal):
        return None
    value = node.toPython()
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return float(value)
    return None


__all__ = [  # the records are re-exported: the view's modules and tests import them from here
    "CLASS_ORDER",
    "OPEN_END",
    "OPEN_START",
    "Claim",
    "Doc",
    "Edge",
    "Entity",
    "View",
    "build_view",
    "default_language",
    "edge_key",
    "local_name",
    "most_connected",
    "most_connected_ids",
    "time_span",
]
