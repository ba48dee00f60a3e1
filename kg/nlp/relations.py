"""Relation mentions read by patterns over masked sentences (the `kg_relations` component).

The patterns and frames are compiled in `patterns`; here each sentence is masked (its anaphors,
bound by the `kg_anaphora` component with the relations read so far, included), every pattern of the document's language runs over it, and each match emits the
pattern's relations for every subject and object its slots hold.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from . import coreference
from .component import DataComponent, DataFiles, shipped
from .discourse import most_mentioned
from .literals import Prefilter
from .masking import CLASS_LETTER, CLOSE, MARKER, OPEN, MaskedSentence, Mention, mask
from .model import ENTITY_GROUP, RelationMention, read_text
from .patterns import EMPLOYER, TOPIC, Emit, Pattern, load_patterns
from .roles import COORDINATED, after_venue, free_mentions, rest_of

__all__ = ["EMPLOYER", "TOPIC", "RelationExtractor", "load_patterns"]


class RelationExtractor(DataComponent):
    """Runs every pattern of the document's language over each masked sentence."""

    DATA: ClassVar[DataFiles] = {
        "patterns_path": ("relations.toml", shipped("patterns", "relations.toml")),
        "frames_path": ("frames.toml", shipped("patterns", "frames.toml")),
        "measured_path": ("measured.tsv", shipped("patterns", "measured.tsv")),
    }

    def __init__(self, lang: str, paths: dict[str, str], nlp: Language | None = None) -> None:
        self.lang = lang
        self.paths = paths
        self.nlp = nlp  # whose `kg_anaphora` binds each sentence's anaphors (none: no anaphors)
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        patterns = load_patterns(
            paths.get("patterns_path", ""),
            paths.get("frames_path", ""),
            paths.get("measured_path", ""),
        )
        self.patterns = [p for p in patterns.patterns if p.lang in ("any", self.lang)]
        self.funded = patterns.funded.get(self.lang)
        # speed only: per pattern, the sets of words a sentence must hold one of each of to match
        self._prefilter = Prefilter(p.required for p in self.patterns)
        # speed only: the patterns whose slots a set of class letters can fill, per set seen, each
        # with the bits of its sets in `self._prefilter`
        self._eligible: dict[frozenset[str], list[tuple[Pattern, int]]] = {}

    def _fillable(self, present: set[str]) -> list[tuple[Pattern, int]]:
        """The patterns none of whose slots needs a class the sentence never names, with their
        prefilter bits."""
        key = frozenset(present)
        found = self._eligible.get(key)
        if found is None:
            found = [
                (p, need)
                for p, need in zip(self.patterns, self._prefilter.needs, strict=True)
                if all(key & letters for letters in p.needs)
            ]
            self._eligible[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        text = read_text(doc)
        spans = sorted(doc.spans[ENTITY_GROUP], key=lambda s: s.start_char)
        starts = [s.start_char for s in spans]
        found: list[RelationMention] = []
        anaphora = coreference.component(self.nlp) if self.nlp is not None else None
        topic = _topic(spans)
        recipient: tuple[int, Mention] | None = None  # the organization last said to be funded, and where
        for number, sent in enumerate(doc.sents):
            bounds = _trim(text, sent.start_char, sent.end_char)
            if bounds is None:
                continue
            first = bisect_left(starts, bounds[0])
            # (an instruction set a chip is built on is named, but is no argument: `a RISC-V processor`)
            inside = [
                s
                for s in spans[first : bisect_left(starts, bounds[1])]
                if s.end_char <= bounds[1] and not s._.kg_modifier
            ]
            # the anaphors, bound with the relations read so far (`the startup` is not the investor)
            bound = anaphora.bind_sentence(doc, bounds, inside, found) if anaphora is not None else []
            masked = mask(text, bounds, inside, [(b.start, b.end, b.antecedents) for b in bound])
            # `X raised $80 million. Investors included A and B`: the round's recipient is the company
            # funded a sentence or two before, else the document's topic
            near = recipient[1] if recipient is not None and number - recipient[0] <= 2 else None
            found.extend(self._read(masked, near or topic))
            found.extend(_makers_in_names(inside, bounds))
            found.extend(_described_makers(text, inside, bounds))
            funded = self.funded.search(masked.masked) if self.funded is not None else None
            marker = MARKER.match(funded.group("r")) if funded is not None else None
            if marker is not None:
                recipient = (number, masked.mentions[int(marker.group(2))])
        doc._.kg_relations = found
        return doc

    def _read(self, sentence: MaskedSentence, topic: Mention | None) -> list[RelationMention]:
        out: list[RelationMention] = []
        seen: set[tuple[str, str, str, str, int]] = set()
        said: dict[int, tuple[str, str, bool]] = {}
        present = {m.group(1) for m in MARKER.finditer(sentence.masked)}  # class letters named here
        if not present:
            return out
        owners = _owner_modifiers(sentence) if self.lang == "zh" else set()  # only Chinese writes them so
        passing = self._prefilter.passing(sentence.masked)
        # a slot whose class the sentence never names cannot be filled
        for pattern, need in self._fillable(present):
            if (passing & need) != need:
                continue  # the sentence lacks every word of a set the pattern cannot match without
            # an English cue (a case-insensitive alternation, slow in `re`) is asked only once the
            # pattern, which opens on a mention, has matched; the result is the same either way
            cue, late = pattern.cue, pattern.lang == "en"
            if cue is not None and not late and cue.search(sentence.masked) is None:
                continue
            matches = _not_nested(_all_matches(pattern, sentence.masked))
            if cue is not None and late and matches and cue.search(sentence.masked) is None:
                continue
            if pattern.free_slot:  # before choosing the nearest subject: a governed one is none
                matches = [m for m in matches if free_mentions(sentence, m, pattern.free_slot)]
            for match in _nearest_subjects(matches):
                out.extend(
                    self._emit(
                        sentence, pattern, match, seen, topic, owners if pattern.lang == "zh" else (), said
                    )
                )
        # a reading that gives the text's topic as the object (`a round led by A`: A invested in the
        # topic) gives way to one of the same subject and property whose object the sentence names
        named: dict[tuple[str, str], set[str]] = {}
        for m in out:
            if (key := said.get(id(m))) is not None and not key[2]:
                named.setdefault((key[0], m.relation), set()).add(key[1])
        return [
            m
            for m in out
            if not (
                (key := said.get(id(m))) and key[2] and named.get((key[0], m.relation), {key[1]}) - {key[1]}
            )
        ]

    def _emit(
        self,
        sentence: MaskedSentence,
        pattern: Pattern,
        match: re.Match[str],
        seen: set[tuple[str, str, str, str, int]],
        topic: Mention | None = None,
        owners: tuple[int, ...] | set[int] = (),
        said: dict[int, tuple[str, str, bool]] | None = None,
    ) -> list[RelationMention]:
        # a slot holds the mentions of its classes (a maker's name inside a list, AWS Graviton, is not
        # one; nor is an owner before its unit, 百度昆仑芯)
        slots = {
            name: [
                m
                for m in sentence.mentions_in(match.group(name) or "")
                if CLASS_LETTER[m.cls] in letters and id(m) not in owners
            ]
            for name, letters in pattern.slots.items()
        }
        if pattern.rest:
            slots["o"] = slots["o"] + rest_of(sentence, match.end("o"), pattern.slots["o"], pattern.rest)
        if pattern.free_slot:  # `Humain, backed by X, uses …`: X is not the subject
            free = free_mentions(sentence, match, pattern.free_slot)
            slots[pattern.free_slot] = [m for m in slots[pattern.free_slot] if m in free]
        # `unveiled … at GTC`: an event, not what was launched or used (`head of compute at X` is an employer)
        if "o" in slots:
            slots["o"] = [
                m for m in slots["o"] if m.cls not in ("Chip", "Product") or not after_venue(sentence, m)
            ]
        trigger = match.span("t") if "t" in match.re.groupindex and match.group("t") else match.span()
        out = []
        for emit in pattern.emits:
            members = slots[emit.subject]
            for i, subject in enumerate(members):
                # `@employer`: the organization the registry says the person works for (resolver);
                # a person the registry lacks (`said CEO Dana Whitfield`) is taken to head the company the
                # text is about, with less confidence
                # `s rel s`: a reciprocal predicate over one list (A、B和C将展开竞争) pairs its members
                used = emit
                # (… or the organization the sentence opens with, its subject: `Groq will go on under
                # new chief executive Dana Whitfield`)
                opener = (
                    _opener(sentence) if emit.object == EMPLOYER and subject.span._.kg_id is None else None
                )
                if opener is not None:
                    objects, used = [opener], Emit(emit.subject, emit.relation, TOPIC)
                elif (
                    emit.object == EMPLOYER
                    and subject.span._.kg_id is None
                    and topic is not None
                    and topic.cls == "Company"
                ):
                    objects, used = [topic], Emit(emit.subject, emit.relation, TOPIC)
                elif emit.object == EMPLOYER:
                    objects = [subject]
                elif emit.object == emit.subject:  # a coordination, not an apposition (Reuters, the company)
                    group = match.group(emit.subject) or ""
                    joined = COORDINATED.search(group)
                    objects = members[i + 1 :] if joined else []
                    if i and _COVERB_FIRST.match(group):
                        objects = []  # A与B、C和D合作: A with each of the others, not B with C
                elif emit.object == TOPIC:
                    objects = [topic] if topic is not None else []
                else:
                    objects = slots[emit.object]
                for obj in objects:
                    if subject.key == obj.key and emit.object != EMPLOYER:
                        continue
                    # one mention per reading; readings from different matches may differ in modality
                    key = (subject.key, emit.relation, obj.key, pattern.id, match.start())
                    if key in seen:
                        continue
                    seen.add(key)
                    mention = _mention(sentence, pattern, used, subject, obj, match.span(), trigger)
                    if used is not emit:  # the topic for an employer the registry does not know
                        mention.confidence = round(max(mention.confidence - 0.2, 0.05), 2)
                    if said is not None:  # its ends, and whether the topic stands for an unsaid object
                        said[id(mention)] = (subject.key, obj.key, emit.object == TOPIC)
                    out.append(mention)
        return out


def _made_by_itself(
    span: Span,
    pattern: str,
    confidence: float,
    sentence: tuple[int, int],
    match: tuple[int, int],
    implicit_maker: bool = False,
) -> RelationMention:
    """`develops` from an item to itself, named as what its maker makes; the resolver reads the
    subject as that maker (the registry's, or the one the texts name)."""
    return RelationMention(
        subject=span,
        relation="develops",
        object=span,
        pattern=pattern,
        confidence=confidence,
        sentence=sentence,
        match=match,
        trigger=(span.end_char, match[1]) if match[1] > span.end_char else match,
        presupposed=True,
        implicit_maker=implicit_maker,
    )


def _makers_in_names(spans: list[Span], sentence: tuple[int, int]) -> list[RelationMention]:
    """A registry name that begins with its maker's name says who makes it: `Google Cloud`
    (the gazetteer keeps such a name whole and notes the maker in `span._.kg_developer`)."""
    return [
        _made_by_itself(
            span, "name.maker-prefix", 0.8, sentence, (span.start_char, span.end_char), implicit_maker=True
        )
        for span in spans
        if span._.kg_developer and span._.kg_source == "registry" and span.label_ in ("Chip", "Product")
    ]


_MAKER_AFTER = re.compile(r"\s+(?:maker|makers|developer|developers|creator|creators|owner|operator)\b")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _described_makers(text: str, spans: list[Span], sentence: tuple[int, int]) -> list[RelationMention]:
    """`the ChatGPT maker`, `the H100 developer`: a description by what one makes says that its maker
    (the resolver reads the item as its developer, when the texts name exactly one) develops it."""
    return [
        _made_by_itself(span, "name.described-maker", 0.7, sentence, (the.start(), found.end()))
        for span in spans
        if span.label_ in ("Chip", "Product")
        and (found := _MAKER_AFTER.match(text, span.end_char)) is not None
        and (the := _THE_BEFORE.search(text, max(0, span.start_char - 8), span.start_char)) is not None
    ]


_OWNER_BEFORE_UNIT = re.compile(f"{OPEN}[CO](\\d+){CLOSE}[ \u3000]?(?={OPEN}[CO]\\d+{CLOSE})")


def _owner_modifiers(sentence: MaskedSentence) -> set[int]:
    """Organizations written right before another with nothing between, in Chinese its owner
    (百度昆仑芯, 阿里巴巴平头哥): the unit, not the owner, fills a slot. Ids of the mentions."""
    masked = sentence.masked
    if (
        CLOSE + OPEN not in masked
        and f"{CLOSE} {OPEN}" not in masked
        and f"{CLOSE}\u3000{OPEN}" not in masked
    ):
        return set()  # no two names side by side: the common case, without a regex pass
    return {id(sentence.mentions[int(m.group(1))]) for m in _OWNER_BEFORE_UNIT.finditer(masked)}


_OPENING_MARKER = re.compile(
    r"(?:[^\uE000\uE001,;，；\"“”]{0,30}[,，]\s*)?[\s(（]*\uE000([CO])(\d+)\uE001(?!\s*(?:'s|’s|的))"
)


def _opener(sentence: MaskedSentence) -> Mention | None:
    """The organization a sentence opens with, after a short adverbial at most, when it is no possessor
    (`Under the deal, Groq will …`; not `Groq's CEO`, nor a name inside a quote)."""
    found = _OPENING_MARKER.match(sentence.masked)
    return sentence.mentions[int(found.group(2))] if found is not None else None


def _topic(spans: list[Span]) -> Mention | None:
    """The organization a document names most often (at least twice), at its first mention."""
    topic = most_mentioned(spans, ("Company", "Organization"), least=2)
    return Mention(topic, topic.label_) if topic is not None else None


def _all_matches(pattern: Pattern, text: str) -> list[re.Match[str]]:
    """Matches starting at every position, overlapping ones included."""
    found, pos = [], 0
    while pos <= len(text):
        match = pattern.regex.search(text, pos)
        if match is None:
            break
        found.append(match)
        pos = match.start() + 1
        if pattern.slot_first:  # every match opens on a mention: the next one opens on the next
            pos = text.find(OPEN, pos)
            if pos < 0:
                break
    return found


# a Chinese list whose first joint is a coverb (与, 同, 跟) and which goes on: A与B、C和D
_COVERB_FIRST = re.compile(f'[^{OPEN}]*{OPEN}[A-Z]\\d+{CLOSE}[」”"』]?\\s*(?:与|同|跟)\\s*[^、，,]+[、和及]')


def _not_nested(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """Drop a match whose subject stands inside another match's object or subject: in A与B、C和D合作,
    B、C和D is 与's object, so C和D is no second reading (C with D); a reciprocal list read from A is
    not read again from C."""
    if not matches or "s" not in matches[0].re.groupindex:
        return matches
    groups = ("o", "s") if "o" in matches[0].re.groupindex else ("s",)
    taken = [m.span(g) for m in matches for g in groups if m.group(g)]
    return [m for m in matches if not any(a < m.start("s") < b for a, b in taken)]


def _nearest_subjects(matches: list[re.Match[str]]) -> list[re.Match[str]]:
    """Of matches that share a trigger and an object, keep those whose subject ends nearest to them.

    `A week after the AMD news, OpenAI said it would co-develop chips with Broadcom`: the verb's
    subject is OpenAI, not the AMD a looser reading could also reach.
    """
    if not matches or "s" not in matches[0].re.groupindex:
        return matches
    best: dict[tuple[object, ...], int] = {}
    for m in matches:
        key = _shared_part(m)
        best[key] = max(best.get(key, -1), m.end("s"))
    return [m for m in matches if m.end("s") == best[_shared_part(m)]]


def _shared_part(match: re.Match[str]) -> tuple[object, ...]:
    groups = match.re.groupindex
    trigger = match.span("t") if "t" in groups else None
    obj = match.span("o") if "o" in groups else None
    return (trigger, obj) if trigger or obj else (match.span(),)


def _mention(
    sentence: MaskedSentence,
    pattern: Pattern,
    emit: Emit,
    subject: Mention,
    obj: Mention,
    span: tuple[int, int],
    trigger: tuple[int, int],
) -> RelationMention:
    confidence = pattern.confidence - (0.15 if subject.pronoun or obj.pronoun else 0.0)
    mention = RelationMention(
        subject=subject.span,
        relation=emit.relation,
        object=obj.span,
        pattern=pattern.id,
        confidence=round(max(confidence, 0.05), 2),
        sentence=(sentence.start, sentence.start + len(sentence.text)),
        match=sentence.to_doc(*span),
        trigger=sentence.to_doc(*trigger),
        check_developer=pattern.check_developer,
        unless_developer=pattern.unless_developer,
        presupposed=pattern.presupposed,
        implicit_employer=emit.object == EMPLOYER,
    )
    return mention


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


@Language.factory(
    "kg_relations",
    default_config={"patterns_path": "", "frames_path": "", "measured_path": ""},
    requires=["doc.spans", "token.is_sent_start", coreference.ASKS],
    assigns=["doc._.kg_relations"],
)
def make_relations(
    nlp: Language, name: str, patterns_path: str, frames_path: str, measured_path: str
) -> RelationExtractor:
    """TOML files of relation patterns and frames, and the measured precision table; empty for the
    shipped ones in `ontology/patterns/`. The anaphors are `kg_anaphora`'s, asked sentence by sentence."""
    paths = {"patterns_path": patterns_path, "frames_path": frames_path, "measured_path": measured_path}
    return RelationExtractor(str(nlp.lang), paths, nlp)
