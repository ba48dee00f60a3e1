"""Registry names found in text, as a spaCy component (a SpanRuler-like gazetteer on a char trie).

A trie over folded characters rather than token patterns: Chinese has no spaces, spaCy's char
segmenter splits Latin words into letters, and names vary in spacing and width (`昇腾 910B`,
`Maia100`, `ＮＶＩＤＩＡ`). The trie enforces word boundaries for Latin names (no `AMD` in `LAMDA`).
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..registry import Registry, load_registry
from .model import ENTITY_GROUP
from .trie import NameTrie


@cache
def trie_for(registry: Registry) -> NameTrie:
    """Every name of every registry entity in one trie (built once per registry)."""
    trie = NameTrie()
    for entity in registry:
        for name in entity.names:
            trie.add(name.text, entity.id)
    for key, (preferred, *_ids) in registry.ambiguous.items():
        trie.add(key, preferred)
    return trie


class Gazetteer:
    """Adds a span per registry name found; label = class, `span._.kg_id` = registry id."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.trie = trie_for(registry)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for hit in self.trie.find(doc.text):
            entity = self.registry.entities[hit.payload]
            span = doc.char_span(hit.start, hit.end, label=entity.cls, alignment_mode="expand")
            if span is None:
                continue
            span._.kg_id = entity.id
            span._.kg_name = entity.name
            span._.kg_confidence = 1.0
            span._.kg_source = "registry"
            spans.append(span)
        doc.spans[ENTITY_GROUP] = SpanGroup(doc, name=ENTITY_GROUP, spans=spans)
        return doc


@Language.factory("kg_gazetteer", default_config={"registry_dir": ""})
def make_gazetteer(nlp: Language, name: str, registry_dir: str) -> Gazetteer:
    """`registry_dir`: a folder of registry tables; empty for the one shipped in `ontology/`."""
    return Gazetteer(load_registry(registry_dir or None))
