"""Entities the registry lacks, found by the rules in `ontology/patterns/discovery.toml`.

Discovered spans carry a proposed name (`span._.kg_name`), no registry id, and a confidence
below the registry's; the resolver gives them IRIs of their own.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..errors import RegistryError
from ..registry import Registry, load_registry
from ..resources import ontology_dir
from ..text import is_word_char
from .model import ENTITY_GROUP


@dataclass(frozen=True)
class Rule:
    id: str
    lang: str
    cls: str
    regex: re.Pattern[str]
    confidence: float
    drop_leading: frozenset[str] = frozenset()
    stop_chars: str = ""
    trim_trailing: str = ""


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    after_family: re.Pattern[str]
    after_designer: re.Pattern[str]
    list_continuation: re.Pattern[str]
    family_kinds: frozenset[str]
    model_confidence: float


def _compile(path: Path, where: str, pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RegistryError(f"{path}: {where}: bad regex: {exc}") from exc


@cache
def load_rules(path: str = "") -> Rules:
    """Read the discovery rules (the shipped file when `path` is empty)."""
    file = Path(path) if path else ontology_dir() / "patterns" / "discovery.toml"
    try:
        data: dict[str, Any] = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{file}: {exc}") from exc
    rules = []
    for raw in data.get("rule", []):
        rules.append(
            Rule(
                id=raw["id"],
                lang=raw.get("lang", "any"),
                cls=raw["class"],
                regex=_compile(file, raw["id"], raw["regex"]),
                confidence=float(raw["confidence"]),
                drop_leading=frozenset(raw.get("drop_leading", ())),
                stop_chars=raw.get("stop_chars", ""),
                trim_trailing=raw.get("trim_trailing", ""),
            )
        )
    model = data["model"]
    return Rules(
        rules=tuple(rules),
        after_family=_compile(file, "model.after_family", model["after_family"]),
        after_designer=_compile(file, "model.after_designer", model["after_designer"]),
        list_continuation=_compile(file, "model.list_continuation", model["list_continuation"]),
        family_kinds=frozenset(model["family_kinds"]),
        model_confidence=float(model["confidence"]),
    )


class Discovery:
    """Adds spans for chip models, suffixed company names and titled people the registry lacks."""

    def __init__(self, lang: str, registry: Registry, rules: Rules) -> None:
        self.lang = lang
        self.registry = registry
        self.rules = rules
        self.designers = frozenset(d for e in registry for d in e.developers)

    def __call__(self, doc: Doc) -> Doc:
        known = list(doc.spans[ENTITY_GROUP])
        text = doc.text  # a Doc joins its tokens on every .text: read it once
        found = self._models(doc, text, known) + self._by_rule(doc, text)
        kept = list(known)
        for span in sorted(found, key=lambda s: (s.start_char, -(s.end_char - s.start_char))):
            overlapping = [k for k in kept if k.start_char < span.end_char and span.start_char < k.end_char]
            if span._.kg_source == "model" and all(
                span.start_char <= k.start_char and k.end_char <= span.end_char for k in overlapping
            ):
                kept = [k for k in kept if k not in overlapping]  # 昇腾 + 910C -> 昇腾910C
            elif overlapping:
                continue
            kept.append(span)
        doc.spans[ENTITY_GROUP] = SpanGroup(
            doc, name=ENTITY_GROUP, spans=sorted(kept, key=lambda s: s.start_char)
        )
        return doc

    def _models(self, doc: Doc, text: str, known: list[Span]) -> list[Span]:
        spans = []
        for span in known:
            entity = self.registry.get(span._.kg_id or "")
            if entity is None:
                continue
            family = self.registry.get(entity.family)
            named_by_family = family is not None and entity.name.startswith(family.name + " ")
            if family is not None and named_by_family and family.kind in self.rules.family_kinds:
                spans.extend(self._continuation(doc, text, span.end_char, family.name, entity.developers))
            if entity.cls == "Chip" and entity.kind in self.rules.family_kinds:
                pattern, name_prefix, developers = (
                    self.rules.after_family,
                    entity.name + " ",
                    entity.developers,
                )
            elif entity.id in self.designers:
                pattern, name_prefix, developers = self.rules.after_designer, "", (entity.id,)
            else:
                continue
            match = pattern.match(text, span.end_char)
            if not match or (match.end() < len(text) and is_word_char(text[match.end()])):
                continue
            model = match.group("model")
            if not any(ch.isdigit() for ch in model):
                continue
            start = span.start_char if name_prefix else match.start("model")
            new = self._span(
                doc, start, match.end(), "Chip", name_prefix + model, self.rules.model_confidence
            )
            if new is not None:
                new._.kg_source = "model"
                new._.kg_developer = developers[0] if len(developers) == 1 else None
                spans.append(new)
        return spans

    def _continuation(
        self, doc: Doc, text: str, at: int, family: str, developers: tuple[str, ...]
    ) -> list[Span]:
        """Bare model numbers listed after a family member: 昇腾960和970 -> Ascend 970."""
        spans = []
        while (match := self.rules.list_continuation.match(text, at)) is not None:
            name = f"{family} {match.group('model')}"
            new = self._span(
                doc, match.start("model"), match.end("model"), "Chip", name, self.rules.model_confidence
            )
            if new is None:
                break
            if new._.kg_id is None:
                new._.kg_source = "model"
                new._.kg_developer = developers[0] if len(developers) == 1 else None
            spans.append(new)
            at = match.end()
        return spans

    def _by_rule(self, doc: Doc, text: str) -> list[Span]:
        spans = []
        for rule in self.rules.rules:
            if rule.lang not in ("any", self.lang):
                continue
            for match in rule.regex.finditer(text):
                start, end = match.span("name")
                name = match.group("name")
                words = name.split(" ")
                while len(words) > 1 and words[0] in rule.drop_leading:
                    start += len(words[0]) + 1
                    words = words[1:]
                name = " ".join(words)
                if rule.stop_chars and any(ch in rule.stop_chars for ch in name):
                    continue
                if rule.trim_trailing and len(name) == 3 and name[-1] in rule.trim_trailing:
                    name, end = name[:-1], end - 1
                if rule.drop_leading and len(words) < 2:
                    continue  # only a suffix word (`Labs`) is left: not a name
                span = self._span(doc, start, end, rule.cls, name, rule.confidence)
                if span is not None:
                    span._.kg_source = rule.id
                    spans.append(span)
        return spans

    def _span(self, doc: Doc, start: int, end: int, cls: str, name: str, confidence: float) -> Span | None:
        # strict: a discovered name that cuts a token (`355X.`) is not a name we can trust
        span = doc.char_span(start, end, label=cls)
        if span is None:
            return None
        existing = self.registry.lookup(name)
        if existing is not None:
            span = doc.char_span(start, end, label=existing.cls)
            if span is None:
                return None
            span._.kg_id, span._.kg_name, span._.kg_confidence = existing.id, existing.name, 1.0
            return span
        span._.kg_name = name
        span._.kg_confidence = confidence
        return span


@Language.factory("kg_discovery", default_config={"rules_path": "", "registry_dir": ""})
def make_discovery(nlp: Language, name: str, rules_path: str, registry_dir: str) -> Discovery:
    """`rules_path`: a discovery TOML file; empty for the shipped `ontology/patterns/discovery.toml`."""
    return Discovery(str(nlp.lang), load_registry(registry_dir or None), load_rules(rules_path))
