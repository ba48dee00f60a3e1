"""Relation mentions read by patterns over masked sentences (`ontology/patterns/relations.toml`).

A pattern is a regex over a sentence whose entity mentions are markers (see `masking`), with
slots such as `{s:ORG}` or `{o:CHIP+}` (a coordinated list), word lists `{@launch}` / `{!launch}`
(the `!` form marks the trigger for modality), and gaps `{gap:12}` (no entity) / `{any:30}`.
Each match emits the pattern's relations for every subject and object its slots hold.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..errors import RegistryError
from ..resources import ontology_dir
from ..vocab import RELATIONS
from .component import DataComponent, DataFiles, shipped
from .discourse import most_mentioned
from .frames import alternation, load_frames
from .masking import CLASS_LETTER, CLOSE, MARKER, OPEN, MaskedSentence, Mention, mask
from .model import ENTITY_GROUP, RelationMention, doc_text
from .pronouns import Pronouns
from .roles import COORDINATED, after_venue, free_mentions, rest_of

TOPIC = "@topic"
"""An emit object meaning: the document's topic, the organization it names most (`The round was led by A`)."""
EMPLOYER = "@employer"
"""An emit object meaning: the subject person's employer as the registry knows it (`CEO Elon Musk`)."""
_PLACEHOLDER = re.compile(
    r"\{(?:(?P<slot>[a-z]\w*):(?P<type>[A-Z|]+)(?P<many>\+)?|(?P<word>[@!]\w+)|"
    r"(?P<gap>gap|any)(?::(?P<n>\d+))?|(?P<macro>[A-Z_]+))\}"
)


@dataclass(frozen=True)
class Emit:
    subject: str
    relation: str
    object: str


@dataclass(frozen=True)
class Pattern:
    id: str
    lang: str
    regex: re.Pattern[str]
    emits: tuple[Emit, ...]
    confidence: float
    slots: dict[str, str]  # slot name -> class letters it accepts
    check_developer: bool = False
    rest: str = ""  # "", "clause" or "sentence"
    unless_developer: bool = False
    presupposed: bool = False
    cue: re.Pattern[str] | None = None  # a sentence without one of these words cannot match
    free_slot: str = ""  # the agent's slot, which may not be a preposition's object (`backed by X`)
    slot_first: bool = False  # the pattern opens on a slot (after optional space or quote)
    needs: tuple[frozenset[str], ...] = ()  # per slot, the class letters it accepts


@dataclass(frozen=True)
class PatternSet:
    patterns: tuple[Pattern, ...]
    pronouns: dict[str, Pronouns]


def _expand(file: Path, pid: str, source: str, data: dict[str, Any], lang: str) -> tuple[str, dict[str, str]]:
    slots: dict[str, str] = {}
    types: dict[str, str] = data["slots"]
    words: dict[str, list[str]] = data["words"]
    macros: dict[str, str] = data.get("macros", {})
    separator = data["lists"]["separator"]

    def letters_of(type_names: str) -> str:
        letters = ""
        for name in type_names.split("|"):
            if name not in types:
                raise RegistryError(f"{file}: pattern {pid}: unknown slot type {name!r}")
            letters += "".join(CLASS_LETTER[c] for c in types[name])
        return letters

    def replace(m: re.Match[str]) -> str:
        if m.group("slot"):
            letters = slots[m.group("slot")] = letters_of(m.group("type"))
            one = f'[「“"『]?{OPEN}[{letters}]\\d+{CLOSE}[」”"』]?'
            body = f"{one}(?:{separator}{one})*" if m.group("many") else one
            # Chinese text puts spaces around Latin names (与 OpenAI 合作): a slot absorbs them
            pad = "\\s*" if lang == "zh" else ""
            return f"{pad}(?P<{m.group('slot')}>{body}){pad}"
        if m.group("word"):
            name = m.group("word")[1:]
            if name not in words:
                raise RegistryError(f"{file}: pattern {pid}: unknown word list {name!r}")
            alternatives = "|".join(re.escape(w) for w in sorted(words[name], key=len, reverse=True))
            return f"(?P<t>{alternatives})" if m.group("word")[0] == "!" else f"(?:{alternatives})"
        if m.group("gap"):
            n = m.group("n") or ("12" if m.group("gap") == "gap" else "40")
            excluded = f"{OPEN}{CLOSE}" if m.group("gap") == "gap" else ""
            return f"[^{excluded}。；;！？]{{0,{n}}}?"
        name = m.group("macro")
        if name not in macros:
            raise RegistryError(f"{file}: pattern {pid}: unknown macro {{{name}}}")
        return f"(?:{macros[name]})"

    return _PLACEHOLDER.sub(replace, source), slots


@cache
def load_patterns(path: str = "", frames_path: str = "", anaphora_path: str = "") -> PatternSet:
    """Read and compile the relation patterns, the frames and the anaphora inventory (the shipped
    files where a path is empty)."""
    file = Path(path) if path else ontology_dir() / "patterns" / "relations.toml"
    try:
        data: dict[str, Any] = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegistryError(f"{file}: {exc}") from exc
    patterns = []
    seen: set[str] = set()
    for raw in data.get("pattern", []):
        pid = raw.get("id", "?")
        if pid in seen:
            raise RegistryError(f"{file}: pattern id {pid!r} is used twice")
        seen.add(pid)
        source, slots = _expand(file, pid, raw["pattern"], data, raw.get("lang", "any"))
        try:
            regex = re.compile(source)
        except re.error as exc:
            raise RegistryError(f"{file}: pattern {pid}: bad regex ({exc}): {raw['pattern']}") from exc
        emits = []
        for text in raw["emit"]:
            subject, relation, obj = text.split()
            if (
                relation not in RELATIONS
                or subject not in slots
                or (obj not in slots and obj not in (EMPLOYER, TOPIC))
            ):
                raise RegistryError(f"{file}: pattern {pid}: cannot emit {text!r} (slots: {sorted(slots)})")
            emits.append(Emit(subject, relation, obj))
        patterns.append(
            Pattern(
                pid,
                raw.get("lang", "any"),
                regex,
                tuple(emits),
                float(raw.get("confidence", 0.8)),
                slots,
                bool(raw.get("check_developer", False)),
                str(raw.get("rest", "")),
                bool(raw.get("unless_developer", False)),
                bool(raw.get("presupposed", False)),
                free_slot="s" if _subject_first(regex, raw.get("lang", "any")) else "",
            )
        )
    frames_file = Path(frames_path) if frames_path else ontology_dir() / "patterns" / "frames.toml"
    for frame in load_frames(frames_path):
        if frame.id in seen:
            raise RegistryError(f"{frames_file}: frame id {frame.id!r} is also a pattern id")
        seen.add(frame.id)
        source, slots = _expand(file, frame.id, frame.source, data, frame.lang)
        try:
            regex = re.compile(source)
        except re.error as exc:
            raise RegistryError(f"{frames_file}: frame {frame.id}: bad regex ({exc})") from exc
        subject, relation, obj = frame.emit.split()
        patterns.append(
            Pattern(
                frame.id,
                frame.lang,
                regex,
                (Emit(subject, relation, obj),),
                frame.confidence,
                slots,
                check_developer=frame.check_developer,
                unless_developer=frame.unless_developer,
                presupposed=frame.presupposed,
                free_slot=frame.free_slot,
                # a prefilter only: case-insensitive, so it never hides a match (Head of Compute)
                cue=re.compile(alternation(list(frame.words)), re.IGNORECASE) if frame.words else None,
            )
        )
    pronouns = Pronouns.load(anaphora_path)
    ready = [
        replace(p, needs=tuple(frozenset(v) for v in p.slots.values()), slot_first=_opens_on_slot(p.regex))
        for p in patterns
    ]
    return PatternSet(tuple(ready), pronouns)


def _opens_on_slot(regex: re.Pattern[str]) -> bool:
    """Whether every match of a pattern starts on a slot (after a lookbehind, space or quote)."""
    source = re.sub(r"^\(\?<!\[[^\]]*\]\)", "", regex.pattern)
    return source.startswith(("(?P<", "\\s*(?P<"))


class RelationExtractor(DataComponent):
    """Runs every pattern of the document's language over each masked sentence."""

    DATA: ClassVar[DataFiles] = {
        "patterns_path": ("relations.toml", shipped("patterns", "relations.toml")),
        "frames_path": ("frames.toml", shipped("patterns", "frames.toml")),
        "anaphora_path": ("anaphora.toml", shipped("patterns", "anaphora.toml")),
    }

    def __init__(self, lang: str, paths: dict[str, str]) -> None:
        self.lang = lang
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        patterns = load_patterns(
            paths.get("patterns_path", ""), paths.get("frames_path", ""), paths.get("anaphora_path", "")
        )
        self.patterns = [p for p in patterns.patterns if p.lang in ("any", self.lang)]
        self.pronouns = patterns.pronouns.get(self.lang)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        spans = sorted(doc.spans[ENTITY_GROUP], key=lambda s: s.start_char)
        starts = [s.start_char for s in spans]
        found: list[RelationMention] = []
        history: list[list[Span]] = []
        topic = _topic(spans)
        for sent in doc.sents:
            bounds = _trim(text, sent.start_char, sent.end_char)
            if bounds is None:
                continue
            first = bisect_left(starts, bounds[0])
            inside = [s for s in spans[first : bisect_left(starts, bounds[1])] if s.end_char <= bounds[1]]
            pronouns = (
                self.pronouns.resolve(text, bounds, inside, history[-3:], doc, found) if self.pronouns else []
            )
            masked = mask(text, bounds, inside, pronouns)
            found.extend(self._read(masked, topic))
            history.append(
                inside + [a for _start, _end, ants in pronouns for a in ants]
            )  # chains: the chips … the chips
        doc._.kg_relations = found
        return doc

    def _read(self, sentence: MaskedSentence, topic: Mention | None) -> list[RelationMention]:
        out: list[RelationMention] = []
        seen: set[tuple[str, str, str, str, int]] = set()
        present = {m.group(1) for m in MARKER.finditer(sentence.masked)}  # class letters named here
        if not present:
            return out
        owners = _owner_modifiers(sentence)
        for pattern in self.patterns:
            if any(not (present & letters) for letters in pattern.needs):
                continue  # a slot whose class the sentence never names cannot be filled
            if pattern.cue is not None and pattern.cue.search(sentence.masked) is None:
                continue
            matches = _all_matches(pattern, sentence.masked)
            if pattern.free_slot:  # before choosing the nearest subject: a governed one is none
                matches = [m for m in matches if free_mentions(sentence, m, pattern.free_slot)]
            for match in _nearest_subjects(matches):
                out.extend(
                    self._emit(sentence, pattern, match, seen, topic, owners if pattern.lang == "zh" else ())
                )
        return out

    def _emit(
        self,
        sentence: MaskedSentence,
        pattern: Pattern,
        match: re.Match[str],
        seen: set[tuple[str, str, str, str, int]],
        topic: Mention | None = None,
        owners: tuple[int, ...] | set[int] = (),
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
                # `s rel s`: a reciprocal predicate over one list (A、B和C将展开竞争) pairs its members
                if emit.object == EMPLOYER:
                    objects = [subject]
                elif emit.object == emit.subject:  # a coordination, not an apposition (Reuters, the company)
                    joined = COORDINATED.search(match.group(emit.subject) or "")
                    objects = members[i + 1 :] if joined else []
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
                    out.append(_mention(sentence, pattern, emit, subject, obj, match.span(), trigger))
        return out


_OWNER_BEFORE_UNIT = re.compile(f"{OPEN}[CO](\\d+){CLOSE}[ \u3000]?(?={OPEN}[CO]\\d+{CLOSE})")


def _owner_modifiers(sentence: MaskedSentence) -> set[int]:
    """Organizations written right before another with nothing between, in Chinese its owner
    (百度昆仑芯, 阿里巴巴平头哥): the unit, not the owner, fills a slot. Ids of the mentions."""
    return {id(sentence.mentions[int(m.group(1))]) for m in _OWNER_BEFORE_UNIT.finditer(sentence.masked)}


def _subject_first(regex: re.Pattern[str], lang: str) -> bool:
    """An English template whose subject stands before its trigger word (the active voice)."""
    groups = regex.groupindex
    return lang == "en" and "s" in groups and "t" in groups and groups["s"] < groups["t"]


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
    default_config={"patterns_path": "", "frames_path": "", "anaphora_path": ""},
    requires=["doc.spans", "token.is_sent_start"],
    assigns=["doc._.kg_relations"],
)
def make_relations(
    nlp: Language, name: str, patterns_path: str, frames_path: str, anaphora_path: str
) -> RelationExtractor:
    """TOML files of relation patterns, frames and anaphora; empty for the shipped ones in
    `ontology/patterns/`."""
    paths = {"patterns_path": patterns_path, "frames_path": frames_path, "anaphora_path": anaphora_path}
    return RelationExtractor(str(nlp.lang), paths)
