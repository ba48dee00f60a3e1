"""From mentions to entities and claims: one id per real thing, relations checked and completed.

- every name of one thing maps to one id (registry ids; slugs for discovered names);
- a chip or product standing where a relation needs an organization stands for its developer;
- relations whose ends have the wrong classes are dropped; `develops` the registry contradicts too;
- inference rules from the pattern file add what a sentence implies (fabricates + develops ->
  fabricatesFor), with that sentence as evidence.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from spacy.tokens import Doc, Span

from .attributes import Measure, TimeRef, measures_of, times_for
from .inference_rules import load_rules
from .ingest import Document
from .nlp import RelationMention, entity_spans
from .registry import Registry
from .schema import accepted_classes
from .text import language_of_name, slug
from .vocab import SYMMETRIC

ORG = frozenset({"Company", "Organization"})
ITEM = frozenset({"Chip", "Product"})
# relation -> (subject classes, object classes), from the ontology's domains and ranges
SIGNATURES: dict[str, tuple[frozenset[str], frozenset[str]]] = accepted_classes()


@dataclass
class EntityRecord:
    """One entity of the graph: id, class, canonical name, names seen, documents."""

    id: str
    cls: str
    name: str
    names: set[tuple[str, str]] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    developer: str = ""  # for a discovered chip: its family's or its prefix's designer (昇腾910X -> huawei)


@dataclass(frozen=True)
class Claim:
    """One extracted statement with its evidence."""

    subject: str
    relation: str
    object: str
    document: str
    evidence: str
    start: int
    end: int
    confidence: float
    modality: str
    pattern: str
    modality_detail: str = ""  # Rumoured, Denied, Cancelled, Hypothetical or Former
    source: str = ""  # the entity the sentence says reports it (reuters)
    date: date | datetime | None = None  # the document's date: when the source said it
    times: tuple[TimeRef, ...] = ()  # the times the sentence says it is about


@dataclass
class Resolved:
    """One document resolved alone, by a resolver that had read no other document (on a worker
    process): its entities as it first saw them (less the names the registry gives them), its claims
    and quantities, and the entities it took for mentioned nowhere yet. `Resolver.merge` takes it in
    as if the document had been added there."""

    entities: dict[str, EntityRecord]
    claims: list[Claim]
    measures: list[Measure]
    assumed_absent: frozenset[str]


class Resolver:
    """Accumulates entities and claims over documents.

    What one document gives depends on the documents before it only through `entities` (the class
    and developer an entity was first seen with, and which entities are mentioned so far: asked
    through `_mentioned`) and the direction each symmetric relation was first stated in; `resolve`
    and `merge` rely on that.
    """

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.entities: dict[str, EntityRecord] = {}
        self.claims: list[Claim] = []
        self.measures: list[Measure] = []
        self._symmetric: dict[str, set[tuple[str, str]]] = {}
        self.assumed_absent: set[str] = set()  # entities `_mentioned` answered no for
        self.rules = load_rules()
        self._children: dict[str, set[str]] = {}  # parent id -> the registry's subsidiaries
        for entity in registry:
            if entity.parent:
                self._children.setdefault(entity.parent, set()).add(entity.id)

    # ---------------------------------------------------------------- documents read elsewhere

    def alone(self) -> Resolver:
        """A resolver with this one's registry and rules that has read nothing yet."""
        fresh = copy.copy(self)
        fresh.entities, fresh.claims, fresh.measures = {}, [], []
        fresh._symmetric, fresh.assumed_absent = {}, set()
        return fresh

    def resolve(self, document: Document, pieces: Iterable[tuple[int, Doc]]) -> Resolved:
        """The document's processed pieces, (offset, Doc) in order, resolved alone (this resolver's
        state is neither read nor changed)."""
        alone = self.alone()
        for start, doc in pieces:
            alone.add(document, doc, offset=start)
        for record in alone.entities.values():
            if (registered := self.registry.get(record.id)) is not None:  # `merge` puts them back
                record.names -= {(name.text, name.lang) for name in registered.names}
        return Resolved(alone.entities, alone.claims, alone.measures, frozenset(alone.assumed_absent))

    def merge(self, resolved: Resolved) -> bool:
        """Take in a document resolved alone, exactly as `add` would have read it after the documents
        this resolver has read. False, and nothing taken, when reading it alone may have decided
        otherwise: it took an entity for unmentioned that an earlier document mentions, or saw an
        entity first with another class or developer than an earlier document did. The caller then
        adds the document here instead."""
        if any(entity_id in self.entities for entity_id in resolved.assumed_absent):
            return False
        for entity_id, record in resolved.entities.items():
            known = self.entities.get(entity_id)
            if known is not None and (known.cls, known.developer) != (record.cls, record.developer):
                return False
        for entity_id, record in resolved.entities.items():
            known = self.entities.get(entity_id)
            if known is None:
                known = self.entities[entity_id] = self._from_registry(entity_id) or record
            if known is not record:
                known.names |= record.names
                known.documents |= record.documents
        # oriented alone, then here: the first direction over all documents wins either way
        self.claims.extend(self._oriented(resolved.claims))
        self.measures.extend(resolved.measures)
        return True

    def _mentioned(self, entity_id: str) -> bool:
        """Whether the documents read so far mention the entity. A "no" is noted: read alone, a
        document cannot know whether an earlier one does (`merge` checks)."""
        if entity_id in self.entities:
            return True
        self.assumed_absent.add(entity_id)
        return False

    # ---------------------------------------------------------------- entities

    def _entity_id(self, span: Span, local: dict[str, str]) -> str:
        if span._.kg_id:
            return str(span._.kg_id)
        name = str(span._.kg_name or span.text)
        if span.label_ == "Person":
            for full, entity_id in local.items():  # `Garman` after `Matt Garman`
                if full.split()[-1:] == [name] or full == name:
                    return entity_id
        return local.setdefault(name, slug(name))

    def _from_registry(self, entity_id: str) -> EntityRecord | None:
        """A new record of a registry entity: its class, its name and every name it is known by."""
        registered = self.registry.get(entity_id)
        if registered is None:
            return None
        record = EntityRecord(entity_id, registered.cls, registered.name)
        record.names.update((n.text, n.lang) for n in registered.names)
        return record

    def _record(self, span: Span, entity_id: str, document: Document) -> None:
        registered = self.registry.get(entity_id)
        record = self.entities.get(entity_id)
        if record is None:
            record = self._from_registry(entity_id)
            if record is None:
                record = EntityRecord(
                    entity_id,
                    span.label_,
                    str(span._.kg_name or span.text),
                    developer=span._.kg_developer or "",
                )
            self.entities[entity_id] = record
        surface = " ".join(span.text.split())
        record.names.add((surface, language_of_name(surface)))
        if span._.kg_name and not registered:
            record.names.add((str(span._.kg_name), language_of_name(str(span._.kg_name))))
        record.documents.add(document.id)

    # ---------------------------------------------------------------- relations

    def add(self, document: Document, doc: Doc, offset: int = 0) -> None:
        """Resolve one processed document (or the part of it that starts at `offset`) into entities
        and claims."""
        local: dict[str, str] = {}
        ids: dict[tuple[int, int], str] = {}
        for span in entity_spans(doc):
            entity_id = self._entity_id(span, local)
            ids[(span.start_char, span.end_char)] = entity_id
            self._record(span, entity_id, document)
        stated = self._stated(document, doc, ids, offset)
        self.claims.extend(self._oriented(_strongest(stated + self._infer(stated))))
        classes = {entity_id: self.entities[entity_id].cls for entity_id in ids.values()}  # all it reads
        self.measures.extend(measures_of(document, doc, ids, classes))

    def _oriented(self, claims: list[Claim]) -> list[Claim]:
        """A symmetric relation keeps the direction it was first stated in, so it is one triple."""
        out = []
        for claim in claims:
            if claim.relation in SYMMETRIC:
                if (claim.object, claim.subject) in self._symmetric.get(claim.relation, set()):
                    claim = replace(claim, subject=claim.object, object=claim.subject)
                self._symmetric.setdefault(claim.relation, set()).add((claim.subject, claim.object))
            out.append(claim)
        return out

    def _stated(
        self, document: Document, doc: Doc, ids: dict[tuple[int, int], str], offset: int = 0
    ) -> list[Claim]:
        mentions: list[RelationMention] = doc._.kg_relations or []

        def id_of(span: Span) -> str:
            return ids[(span.start_char, span.end_char)]

        develops = {  # what the text says who develops, less what the registry rules out
            (id_of(m.object), id_of(m.subject))
            for m in mentions
            if m.relation == "develops"
            and m.subject.label_ in ORG
            and (not m.check_developer or self._developer_plausible(id_of(m.subject), id_of(m.object)))
        }
        out = []
        for m in mentions:
            subject_id = self._maker(m.subject, document) if m.implicit_maker else id_of(m.subject)
            object_id = self._employer(subject_id) if m.implicit_employer else id_of(m.object)
            if object_id is None:
                continue
            subject = self._as(subject_id, SIGNATURES[m.relation][0], develops)
            obj = self._as(object_id, SIGNATURES[m.relation][1], develops)
            if subject is None or obj is None or subject == obj:
                continue
            if m.check_developer and m.relation == "develops" and not self._developer_plausible(subject, obj):
                continue
            if m.unless_developer and (
                (obj, subject) in develops
                or (self.registry.developers_of(obj) and self._developer_plausible(subject, obj))
            ):
                continue  # `AWS offers Trainium` is AWS's own chip, not a chip AWS uses
            promoted = (subject, obj) != (subject_id, object_id)
            start, end = m.sentence[0] + offset, m.sentence[1] + offset
            confidence = round(m.confidence * (0.85 if promoted else 1.0), 2)
            source = ids.get((m.source.start_char, m.source.end_char), "") if m.source is not None else ""
            times = times_for(doc._.kg_times, m.sentence, m.match, document.date, m.modality)
            out.append(
                Claim(subject, m.relation, obj, document.id, document.text[start:end], start, end,
                      confidence, m.modality, m.pattern, m.modality_detail, source, document.date, times)
            )  # fmt: skip
        return out

    def _maker(self, span: Span, document: Document) -> str:
        """The maker a registry name begins with (`Google` in `Google Cloud`): the name mentions it."""
        maker = str(span._.kg_developer)
        record = self.entities.get(maker) or self._from_registry(maker)
        if record is not None:
            self.entities[maker] = record
            record.documents.add(document.id)
        return maker

    def _employer(self, person_id: str) -> str | None:
        """A bare title (`Chief Executive Elon Musk`) names the employer the registry knows, when the
        texts mention it too; otherwise the sentence says too little to name one."""
        person = self.registry.get(person_id)
        return person.org if person is not None and self._mentioned(person.org) else None

    def _as(self, entity_id: str, wanted: frozenset[str], develops: set[tuple[str, str]]) -> str | None:
        """The entity itself if its class fits, else (chip or product -> organization) its developer."""
        cls = self.entities[entity_id].cls
        if cls in wanted:
            return entity_id
        if cls in ITEM and wanted & ORG:
            in_text = sorted(org for item, org in develops if item == entity_id)
            developers = in_text or self._mentioned_developers(entity_id)
            if len(developers) == 1:
                return developers[0]
        return None

    def _mentioned_developers(self, item: str) -> list[str]:
        """The item's developers (registry, or a discovered chip's family), among the entities the texts
        mention (and so describe)."""
        record = self.entities.get(item)
        known = self.registry.developers_of(item) or (
            (record.developer,) if record and record.developer else ()
        )
        return [d for d in known if self._mentioned(d)]

    def _developer_plausible(self, organization: str, item: str) -> bool:
        """False when the registry names the item's developers and this organization is none of them."""
        known = self.registry.developers_of(item)
        if not known:
            return True
        family = {organization}
        org = self.registry.get(organization)
        if org is not None and org.parent:
            family.add(org.parent)
        family |= self._children.get(organization, set())
        # one corporate group: Annapurna Labs (Amazon's) designs what AWS (Amazon's) sells
        return bool(family & set(known)) or self._root(organization) in {self._root(d) for d in known}

    def _root(self, entity_id: str) -> str:
        """The top of an organization's parent chain in the registry."""
        seen = {entity_id}
        entity = self.registry.get(entity_id)
        while entity is not None and entity.parent and entity.parent not in seen:
            seen.add(entity.parent)
            entity_id, entity = entity.parent, self.registry.get(entity.parent)
        return entity_id

    # ---------------------------------------------------------------- inference

    def _infer(self, stated: list[Claim]) -> list[Claim]:
        out: list[Claim] = []
        facts = {(c.subject, c.relation, c.object) for c in stated}
        # the claims of each relation, and of each relation in each sentence, in order: a scan of every
        # claim per claim grew with the square of the document's length
        by_relation: dict[str, list[Claim]] = {}
        by_sentence: dict[tuple[str, int], list[Claim]] = {}
        for claim in stated:
            by_relation.setdefault(claim.relation, []).append(claim)
            by_sentence.setdefault((claim.relation, claim.start), []).append(claim)
        for rule in self.rules:
            (a1, r1, b1), (a2, r2, b2) = rule.premises
            for first in by_relation.get(r1, []):
                binding = {a1: first.subject, b1: first.object}
                same = by_sentence.get((r2, first.start), []) if rule.scope == "sentence" else None
                seconds = [
                    c
                    for c in (by_relation.get(r2, []) if same is None else same)
                    if _fits(c, a2, b2, binding)
                ]
                candidates = [(c.subject, c.object) for c in seconds]
                if not candidates and rule.background:
                    candidates = list(self._background(r2, a2, b2, binding))
                shared = any(len(self.registry.developers_of(o)) > 1 for _s, o in candidates)
                if rule.scope == "document" and r2 == "develops" and shared:
                    continue  # across sentences, a standard several companies develop (HBM3) names no customer
                for s2, o2 in candidates:
                    full = {**binding, a2: s2, b2: o2}
                    triple = tuple(full.get(v, v) for v in rule.conclusion)
                    subject, relation, obj = triple
                    if subject == obj or (subject, relation, obj) in facts or relation not in SIGNATURES:
                        continue
                    if not self._fits_signature(subject, relation, obj):
                        continue
                    facts.add((subject, relation, obj))
                    out.append(
                        replace(
                            first,
                            subject=subject,
                            relation=relation,
                            object=obj,
                            pattern=rule.id,
                            confidence=round(first.confidence * rule.factor, 2),
                        )
                    )
        return out

    def _background(
        self, relation: str, a: str, b: str, binding: dict[str, str]
    ) -> Iterable[tuple[str, str]]:
        if relation != "develops" or b not in binding:
            return []
        developers = self._mentioned_developers(binding[b])
        return [(developers[0], binding[b])] if len(developers) == 1 else []

    def _fits_signature(self, subject: str, relation: str, obj: str) -> bool:
        s_cls = self.entities[subject].cls if self._mentioned(subject) else None
        o_cls = self.entities[obj].cls if self._mentioned(obj) else None
        wanted_s, wanted_o = SIGNATURES[relation]
        return s_cls in wanted_s and o_cls in wanted_o


def _strongest(claims: list[Claim]) -> list[Claim]:
    """One claim per (triple, sentence, pattern, modality): a pattern that read it twice says it once.

    Readings with different modalities both stay: `not built in Intel's fabs: it is made by TSMC`
    reads negated from the far subject and asserted from the pronoun, and the asserted one is right.
    """
    best: dict[tuple[str, str, str, int, str, str], Claim] = {}
    for claim in claims:
        key = (claim.subject, claim.relation, claim.object, claim.start, claim.pattern, claim.modality)
        if key not in best or claim.confidence > best[key].confidence:
            best[key] = claim
    return list(best.values())


def _fits(claim: Claim, a: str, b: str, binding: dict[str, str]) -> bool:
    return binding.get(a, claim.subject) == claim.subject and binding.get(b, claim.object) == claim.object
