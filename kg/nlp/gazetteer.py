"""Registry names found in text, as a spaCy component (a SpanRuler-like gazetteer on a char trie).

A trie over folded characters rather than token patterns: Chinese has no spaces, spaCy's char
segmenter splits Latin words into letters, and names vary in spacing and width (`昇腾 910B`,
`Maia100`, `ＮＶＩＤＩＡ`). The trie enforces word boundaries for Latin names (no `AMD` in `LAMDA`).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..registry import Entity, Registry, load_registry
from ..resources import ontology_dir
from ..text import fold_text, has_cjk, is_cjk, name_key
from .component import DataComponent, DataFiles, shipped
from .model import ENTITY_GROUP, doc_text
from .segment import needs_check, on_word_boundaries, tokenizer_for
from .trie import NameTrie

_AMOUNT = re.compile(r"\s?[\d零一两二三四五六七八九十百千万亿数多近约逾超]")


@cache
def verb_heads(path: str = "") -> tuple[str, ...]:
    """Organization heads that are also verbs (ontology/lexicon/verb_heads.txt, or the file at `path`)."""
    file = Path(path) if path else ontology_dir() / "lexicon" / "verb_heads.txt"
    text = file.read_text(encoding="utf-8")
    return tuple(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


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


class Gazetteer(DataComponent):
    """Adds a span per registry name found; label = class, `span._.kg_id` = registry id."""

    DATA: ClassVar[DataFiles] = {
        "registry_dir": ("registry", shipped("registry")),
        "verb_heads_path": ("verb_heads.txt", shipped("lexicon", "verb_heads.txt")),
    }

    def __init__(self, word_boundaries: bool, paths: dict[str, str]) -> None:
        self.word_boundaries = word_boundaries
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        self.registry: Registry = load_registry(paths.get("registry_dir") or None)
        self.trie = trie_for(self.registry)
        self.verb_heads = verb_heads(paths.get("verb_heads_path", ""))
        self._keys: dict[str, set[str]] = {}  # speed only: an entity's name keys, made on first use

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        text = doc_text(doc)
        for hit in self.trie.find(text):
            if not self._on_word_boundaries(text, hit.start, hit.end):
                continue  # 京东 inside 北京东路
            hit_end, payload = self._before_verb(text, hit.start, hit.end, hit.payload)
            for start, end, entity, maker in self._split_developer(text, hit.start, hit_end, payload):
                span = doc.char_span(start, end, label=entity.cls, alignment_mode="expand")
                if span is None:
                    continue
                span._.kg_id = entity.id
                span._.kg_developer = maker  # `Google Cloud` names its maker inside it
                span._.kg_name = entity.name
                span._.kg_confidence = 1.0
                span._.kg_source = "registry"
                spans.append(span)
        doc.spans[ENTITY_GROUP] = SpanGroup(doc, name=ENTITY_GROUP, spans=spans)
        return doc

    def _on_word_boundaries(self, text: str, start: int, end: int) -> bool:
        if not (self.word_boundaries and needs_check(text[start:end])):
            return True
        return on_word_boundaries(tokenizer_for(self.registry), text, start, end)

    def _before_verb(self, text: str, start: int, end: int, entity_id: str) -> tuple[int, str]:
        """英特尔投资50亿美元 is 英特尔 + a verb, not the fund 英特尔投资."""
        if not _AMOUNT.match(text, end):
            return end, entity_id
        for head in self.verb_heads:
            if text.endswith(head, start, end) and (
                shorter := self.registry.lookup(text[start : end - len(head)])
            ):
                return end - len(head), shorter.id
        return end, entity_id

    def _split_developer(
        self, text: str, start: int, end: int, entity_id: str
    ) -> list[tuple[int, int, Entity, str | None]]:
        """`NVIDIA H100` names two things, the designer and the chip: two mentions, so the
        relation between them can be read; a name like `Google Cloud` stays whole, and says
        which developer it begins with (the fourth item)."""
        entity = self.registry.entities[entity_id]
        own = self._keys.get(entity_id)
        if own is None:
            own = self._keys[entity_id] = {name_key(n.text) for n in entity.names}
        for developer_id in self.registry.developers_of(entity_id):
            developer = self.registry.entities[developer_id]
            for name in developer.names:
                cut = start + len(name.text)
                if cut >= end or fold_text(text[start:cut]) != fold_text(name.text):
                    continue
                rest = text[cut:end].lstrip(" -")
                glued_code = is_cjk(text[cut - 1]) and not has_cjk(rest) and any(c.isdigit() for c in rest)
                if glued_code:  # 台积电5nm: the company, then its node
                    return [(start, cut, developer, None), (cut, end, entity, None)]
                if text[cut] not in " -":
                    continue
                # the rest is a name of the item, or (a chip) its name without the designer: AMD Instinct;
                # but `Google Cloud` stays whole, `Cloud` alone names nothing
                bare_chip_name = entity.cls == "Chip" and name_key(name.text + rest) == name_key(entity.name)
                singular = name_key(rest).removesuffix("s")  # NVIDIA Blackwells
                if name_key(rest) in own or singular in own or bare_chip_name:
                    return [(start, cut, developer, None), (end - len(rest), end, entity, None)]
                if rest and not has_cjk(name.text):
                    return [(start, end, entity, developer.id)]
        return [(start, end, entity, None)]


@Language.factory(
    "kg_gazetteer",
    default_config={"registry_dir": "", "word_boundaries": True},
    assigns=["doc.spans", "span._.kg_id"],
)
def make_gazetteer(nlp: Language, name: str, registry_dir: str, word_boundaries: bool) -> Gazetteer:
    """`registry_dir`: a folder of registry tables (empty: the one shipped in `ontology/`);
    `word_boundaries`: for Chinese, keep a short name only where jieba cuts the text around it."""
    return Gazetteer(word_boundaries and nlp.lang == "zh", {"registry_dir": registry_dir})
