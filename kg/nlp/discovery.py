"""Entities the registry lacks, found by the rules in `ontology/patterns/discovery.toml` and the word
lists of `ontology/lexicon/` (see `discovery_rules`).

Discovered spans carry a proposed name (`span._.kg_name`), no registry id, a confidence below the
registry's and the id of the rule that found them (`span._.kg_source`); the resolver gives them
IRIs of their own. A discovered name equal to a registry name links to the registry entity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from ..registry import Registry, load_registry
from ..text import is_word_char
from .component import DataComponent, DataFiles, shipped
from .discovery_checks import NameChecks
from .discovery_rules import Rule, Rules, load_rules
from .literals import Prefilter, prefilters
from .mentions import aliases, overlapping, repeats
from .model import ENTITY_GROUP, read_text


@dataclass
class Candidate:
    span: Span
    rule: Rule | None
    extends: bool = False


# a name right after a possessive is what its owner has: `Intel's x86`, 英特尔的x86
_POSSESSED = re.compile(r"(?:'s|’s|的)\s*$")


class Discovery(DataComponent):
    """Adds spans for chip models, organizations, people and products the registry lacks."""

    DATA: ClassVar[DataFiles] = {
        "registry_dir": ("registry", shipped("registry")),
        "rules_path": ("discovery.toml", shipped("patterns", "discovery.toml")),
        "lexicon_dir": ("lexicon", shipped("lexicon")),
    }

    def __init__(self, lang: str, paths: dict[str, str]) -> None:
        self.lang = lang
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        self.registry: Registry = load_registry(paths.get("registry_dir") or None)
        self.rules: Rules = load_rules(paths.get("rules_path", ""), paths.get("lexicon_dir", ""))
        self.lexicon = self.rules.lexicon
        self.designers = frozenset(d for e in self.registry for d in e.developers)
        self.checks = NameChecks(self.lang, self.registry, self.rules)
        # speed only: the words a text must hold for a rule (or a list's whole) to match in it
        regexes = [r.regex for r in self.rules.rules] + [r.whole for r in self.rules.lists]
        self._prefilter = Prefilter(prefilters(regexes))

    # ---------------------------------------------------------------- the component

    def __call__(self, doc: Doc) -> Doc:
        known = list(doc.spans[ENTITY_GROUP])
        text = read_text(doc)  # (Chinese as simplified, one character for one: 執行長 reads as 执行长)
        passing = self._prefilter.passing(text)
        taken = {(s.start_char, s.end_char) for s in known}
        found = [Candidate(s, None) for s in self._models(doc, text, known)] + self._by_rule(
            doc, text, taken, passing
        )
        kept = list(known)
        for cand in sorted(found, key=lambda c: (c.span.start_char, -len(c.span.text))):
            span = cand.span
            clashing = overlapping(kept, span.start_char, span.end_char)
            inside = all(span.start_char <= k.start_char and k.end_char <= span.end_char for k in clashing)
            registry_only = all(k._.kg_source == "registry" for k in clashing)
            if span._.kg_source == "model" and inside:
                kept = [k for k in kept if k not in clashing]  # 昇腾 + 910C -> 昇腾910C
            elif clashing and cand.extends and inside and registry_only and len(clashing) == 1:
                kept = [k for k in kept if k not in clashing]  # Samsung + Catalyst Fund
            elif clashing and cand.rule is not None and cand.rule.trim_known and registry_only and inside:
                # (one registry name taken in: MUSA + 3.1; never two, Blackwell B200 names B200)
                if (
                    span.label_ in ("Chip", "Product")
                    and len(clashing) == 1
                    and all(k.label_ in ("Chip", "Product") for k in clashing)
                ):
                    kept = [k for k in kept if k not in clashing]  # MUSA + 3.1, Spectrum-X SN5600
                    kept.append(span)
                    continue
                rest = self._after_known(doc, text, cand, max(k.end_char for k in clashing))
                if rest is None or any(k.start_char >= rest.start_char for k in clashing):
                    continue
                span = rest  # Spectrum-X + SN5600
            elif clashing:
                continue
            kept.append(span)
        kept += self._list_members(doc, text, kept, passing)
        kept += aliases(doc, text, kept)
        kept += repeats(doc, text, kept, self.lexicon, self.lang)
        kept = [k for k in kept if not _in_ticker(text, k)]
        for span in kept:  # `a RISC-V processor`: what the chip is built on, no argument of a relation
            entity = self.registry.get(span._.kg_id or "")
            if entity is not None and entity.kind in self.rules.not_argument_kinds:
                owned = _POSSESSED.search(text, max(0, span.start_char - 4), span.start_char) is not None
                span._.kg_modifier = (
                    not owned and self.rules.modifier_after.match(text, span.end_char) is not None
                )
        doc.spans[ENTITY_GROUP] = SpanGroup(
            doc, name=ENTITY_GROUP, spans=sorted(kept, key=lambda s: s.start_char)
        )
        return doc

    def _may_match(self, i: int, passing: int) -> bool:
        """Whether the text (`passing`: the sets it satisfies) holds a word of each set the i-th
        regex cannot match without."""
        need = self._prefilter.needs[i]
        return (passing & need) == need

    def _after_known(self, doc: Doc, text: str, cand: Candidate, at: int) -> Span | None:
        start = at + len(text[at : cand.span.end_char]) - len(text[at : cand.span.end_char].lstrip(" -"))
        name = text[start : cand.span.end_char]
        if cand.rule is None or not name or not self.checks.passes(cand.rule, text, start, name):
            return None
        span = self._span(doc, start, cand.span.end_char, cand.span.label_, name, cand.rule.confidence)
        if span is not None:
            span._.kg_source = cand.rule.id
        return span

    # ---------------------------------------------------------------- chip models after a known name

    def _models(self, doc: Doc, text: str, known: list[Span]) -> list[Span]:
        spans = []
        for span in known:
            entity = self.registry.get(span._.kg_id or "")
            if entity is None:
                continue
            family = self.registry.get(entity.family)
            # the member's name is the family's and a model, with a space or without (Ascend 910C, MLU590)
            rest = entity.name[len(family.name) :] if family is not None else ""
            named_by_family = (
                family is not None and entity.name.startswith(family.name) and rest[:1] in " 0123456789"
            )
            if family is not None and named_by_family and family.kind in self.rules.family_kinds:
                joint = " " if rest.startswith(" ") else ""
                spans.extend(
                    self._continuation(doc, text, span.end_char, family.name + joint, entity.developers)
                )
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
            if match.end() + 1 < len(text) and text[match.end()] == "." and text[match.end() + 1].isdigit():
                continue  # MUSA 3.1: never cut a version at its dot
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
        """Bare model numbers listed after a family member: 昇腾960和970 -> Ascend 970 (`family`
        ends with the space its members' names put before the model, if any)."""
        spans = []
        while (match := self.rules.list_continuation.match(text, at)) is not None:
            name = f"{family}{match.group('model')}"
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

    # ---------------------------------------------------------------- rules

    def _by_rule(
        self, doc: Doc, text: str, taken: set[tuple[int, int]], passing: int = -1
    ) -> list[Candidate]:
        found = []
        taken = set(taken)  # an earlier rule's span is not found again: its cue stays the first one
        for i, rule in enumerate(self.rules.rules):
            if rule.lang not in ("any", self.lang) or not self._may_match(i, passing):
                continue
            for match in _matches(rule.regex, text, taken):
                start, end = match.span("name")
                name = match.group("name")
                if rule.drop_leading:
                    words = name.split(" ")
                    # (a place opens an organization's name when more of the name follows it:
                    # the Korea Development Bank, Korea Telecom; not `Korea` alone)
                    while (
                        len(words) > 1
                        and words[0].lower() in self.lexicon.not_names
                        and words[0].lower() not in self.rules.name_places
                    ):
                        start += len(words[0]) + 1
                        words = words[1:]
                    name = " ".join(words)
                if (start, end) in taken:
                    continue  # a registry name: and a span's attributes are keyed by its offsets
                cls, extends = self._class_of(rule, match, text, start, end, name)
                if not cls or not self.checks.passes(rule, text, start, name):
                    continue
                span = self._span(doc, start, end, cls, name, rule.confidence)
                if span is not None:
                    span._.kg_source = rule.id
                    taken.add((start, end))
                    found.append(Candidate(span, rule, extends and rule.extends))
        return found

    def _class_of(
        self, rule: Rule, match: re.Match[str], text: str, start: int, end: int, name: str
    ) -> tuple[str, bool]:
        if rule.class_from == "head":
            head = self.lexicon.org_head(self.lang, name)
            if head is None or self.lexicon.strip_heads(self.lang, name) == name:
                return "", False  # only a head (`Labs`, 基金): not a name
            return head
        if rule.class_from == "descriptor":
            desc = match.group("desc")
            words = {
                **self.lexicon.heads.get("en", {}),
                **self.lexicon.heads.get(self.lang, {}),
                **self.lexicon.descriptors,
            }
            return words.get(desc, words.get(desc.lower(), rule.cls)), False
        if rule.class_from == "window":  # (a rule that `extends` may take in a registry name: the MatX One)
            return self._nearest_head(text, start, end, rule.reach) or rule.cls, True
        return rule.cls, False

    def _nearest_head(self, text: str, start: int, end: int, reach: int = 16) -> str:
        """The class of the chip or product head nearest the name (「青鸾」推理芯片 -> Chip)."""
        heads = self.lexicon.heads
        words = {**heads.get("en", {}), **heads.get(self.lang, {})}
        best: tuple[int, str] = (reach + 1, "")
        regex = self.rules.head_regex[self.lang]
        match = regex.search(text, end, min(len(text), end + reach + 24))  # a head may run past the reach
        if match is not None and match.start() - end <= reach:
            best = min(best, (match.start() - end, words[match.group()]))
        # a head before the name may begin outside the reach and end inside it
        for match in regex.finditer(text, max(0, start - reach - 24), start):
            if start - match.end() <= reach:
                best = min(best, (start - match.end(), words[match.group()]))
        return best[1]

    def _list_members(self, doc: Doc, text: str, kept: list[Span], passing: int = -1) -> list[Span]:
        """An unknown member of a list of organizations is an organization (`Inflection and Adept AI`)."""
        by_end = {s.end_char: s for s in kept}
        spans: list[Span] = []
        for i, rule in enumerate(self.rules.lists, len(self.rules.rules)):
            if rule.lang != self.lang or not self._may_match(i, passing):
                continue
            for match in rule.whole.finditer(text):
                items, at = [], match.start()
                for part in rule.separator.split(match.group()):
                    start = text.index(part, at)
                    at = start + len(part)
                    items.append((start, at))
                classes, unknown = [], []
                for start, end in items:
                    span = by_end.get(end)
                    if span is not None and span.start_char >= start:
                        classes.append(span.label_)
                    elif not overlapping(kept + spans, start, end):
                        unknown.append((start, end))
                if not classes and rule.min_known == 0:
                    classes = [rule.classes[0]]  # the list's own cue types it: A、B、C等机构
                elif len(set(classes)) != 1 or classes[0] not in rule.classes:
                    continue  # no known member, or a mixed list (a company and its chip)
                if rule.min_known and (
                    len(classes) < rule.min_known or (len(classes) < len(unknown) and not rule.any_known)
                ):
                    continue
                for start, end in unknown:
                    if rule.whole_members:
                        name = text[start:end]
                        if not rule.item.fullmatch(name) or name in self.lexicon.not_names:
                            continue
                    else:
                        name = self._known_prefix(text[start:end]) or self.checks.name_prefix(text[start:end])
                        if not rule.item.fullmatch(name) or not self.checks.member_passes(text, start, name):
                            continue
                    span = self._span(doc, start, start + len(name), classes[0], name, rule.confidence)
                    if span is not None:
                        span._.kg_source = rule.id
                        spans.append(span)
        return spans

    def _known_prefix(self, item: str) -> str:
        """A list member that begins with a registry name is that entity (美光明年将… -> 美光)."""
        for size in range(len(item), 1, -1):
            if self.registry.lookup(item[:size]) is not None:
                return item[:size]
        return ""

    def _span(self, doc: Doc, start: int, end: int, cls: str, name: str, confidence: float) -> Span | None:
        # strict: a discovered name that cuts a token (`355X.`) is not a name we can trust
        span = doc.char_span(start, end, label=cls)
        if span is None:
            return None
        existing = self.registry.lookup(name)
        if existing is None:
            for suffix in self.lexicon.legal_suffixes:  # `Nvidia Corp.` is NVIDIA
                bare = name.removesuffix(suffix).strip()
                if bare != name and bare and (existing := self.registry.lookup(bare)) is not None:
                    break
        if existing is not None:
            span = doc.char_span(start, end, label=existing.cls)
            if span is None:
                return None
            span._.kg_id, span._.kg_name, span._.kg_confidence = existing.id, existing.name, 1.0
            return span
        span._.kg_name = " ".join(name.split())
        span._.kg_confidence = confidence
        return span


@Language.factory(
    "kg_discovery",
    default_config={"rules_path": "", "registry_dir": "", "lexicon_dir": ""},
    requires=["doc.spans"],
    assigns=["doc.spans", "span._.kg_source"],
)
def make_discovery(
    nlp: Language, name: str, rules_path: str, registry_dir: str, lexicon_dir: str
) -> Discovery:
    """`rules_path`: a discovery TOML file; `lexicon_dir`: a folder of word lists; empty for the
    shipped `ontology/patterns/discovery.toml` and `ontology/lexicon/`."""
    return Discovery(
        str(nlp.lang), {"rules_path": rules_path, "registry_dir": registry_dir, "lexicon_dir": lexicon_dir}
    )


_TICKER_OPEN = re.compile(r"[(（]\s*$")
_TICKER_REST = re.compile(r"\s*[:：]\s*[A-Za-z0-9.]{1,8}\s*[)）]")


def _in_ticker(text: str, span: Span) -> bool:
    """An exchange inside a stock ticker (`Meta Platforms (NASDAQ:META)`) is not a mention in the story."""
    return bool(
        _TICKER_OPEN.search(text, max(0, span.start_char - 3), span.start_char)
        and _TICKER_REST.match(text, span.end_char)
    )


def _matches(regex: re.Pattern[str], text: str, taken: set[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Every match of a rule, each starting after the previous one's start: a name the rule reads
    wrongly (阿里巴巴入股寒光科技, from the sentence's start) must not hide the one inside it."""
    pos = 0
    while (match := regex.search(text, pos)) is not None:
        yield match
        pos = match.end() if match.span("name") in taken else match.start() + 1
