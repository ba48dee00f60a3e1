"""Modality of each relation mention (asserted, planned, expected, reported, negated), by cue words.

Beside the modality, a reading names who reports it (据路透社报道 -> the Reuters span) and a finer
detail: Rumoured (a report from unnamed sources or rumours), Denied and Cancelled (kinds of Negated),
Hypothetical (a condition: 如果, if), Former (a tie that held once: former CEO, 前首席技术官). The cues are data (`ontology/patterns/modality.toml`); this
component only decides where to look.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..datafiles import load_toml, require
from ..errors import RegistryError
from ..resources import ontology_dir
from .component import DataComponent, DataFiles, shipped
from .model import ENTITY_GROUP, read_text

ORDER = ("Negated", "Reported", "Expected", "Planned")
SOURCE_CLASSES = frozenset({"Organization", "Company", "Person"})
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")
# a relative clause between commas says something else: `Lumora, which never sleeps, acquired X`
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|whose)\b[^,;]*,")


@dataclass(frozen=True)
class Cues:
    window: int
    negated: re.Pattern[str] | None
    reported: re.Pattern[str] | None
    expected: re.Pattern[str] | None
    planned: re.Pattern[str] | None
    # a denial earlier in the sentence covers the clause it introduces (X denied that it planned to …)
    denied: re.Pattern[str] | None = None
    rumoured: re.Pattern[str] | None = None  # a Reported cue that names no one (传闻, people familiar)
    cancelled: re.Pattern[str] | None = None  # a Negated cue that ends a plan (取消, scrapped)
    hypothetical: re.Pattern[str] | None = None  # a condition before the statement (如果, if)
    sources: tuple[re.Pattern[str], ...] = field(default=())  # each with a (?P<source>…) group
    former: re.Pattern[str] | None = None  # right before the trigger: a tie that no longer holds
    reach: int = 0  # a negation anywhere this far before the trigger, inside the match and its clause
    former_window: int = 0  # characters before the trigger searched for a `former` cue (default: window)
    # a denial after the statement, to the end of its sentence (…, a claim denied by sources / ，随后予以否认)
    denied_after: re.Pattern[str] | None = None


@dataclass(frozen=True)
class Reading:
    """How a sentence states one mention: modality, finer detail and where its reporter is named."""

    modality: str
    detail: str = ""
    source: tuple[int, int] | None = None  # the text span that names who reports it
    source_before_cue: bool = False  # that span comes before its cue (路透社报道称): take its last name


@cache
def load_cues(lang: str, path: str = "") -> Cues:
    file = Path(path) if path else ontology_dir() / "patterns" / "modality.toml"
    data = load_toml(file)
    section = require(data, lang, dict, file)
    try:

        def compile_list(key: str) -> re.Pattern[str] | None:
            items = section.get(key, [])
            return re.compile("|".join(f"(?:{item})" for item in items), re.IGNORECASE) if items else None

        negated, reported, expected, planned = (compile_list(k.lower()) for k in ORDER)
        sources = tuple(re.compile(item, re.IGNORECASE) for item in section.get("sources", []))
        for pattern in sources:
            if "source" not in pattern.groupindex:
                raise KeyError(f"sources: {pattern.pattern!r} has no (?P<source>…) group")
        return Cues(
            int(data["window"][lang]),
            negated,
            reported,
            expected,
            planned,
            compile_list("denied"),
            compile_list("rumoured"),
            compile_list("cancelled"),
            compile_list("hypothetical"),
            sources,
            compile_list("former"),
            int(data["window"].get(f"{lang}_reach", 0)),
            int(data["window"].get(f"{lang}_former", 0)),
            compile_list("denied_after"),
        )
    except (KeyError, re.error) as exc:
        raise RegistryError(
            f"{file}: [{lang}]: cannot read the modality cues ({exc}); fix the entry"
        ) from exc


def modality_of(
    text: str, sentence: tuple[int, int], match: tuple[int, int], trigger: tuple[int, int], cues: Cues
) -> str:
    """The modality a sentence gives one relation mention."""
    return read(text, sentence, match, trigger, cues).modality


def read(
    text: str, sentence: tuple[int, int], match: tuple[int, int], trigger: tuple[int, int], cues: Cues
) -> Reading:
    """The modality, its detail and the reporter's span that a sentence gives one mention."""
    s_start, s_end = sentence
    near_trigger = text[max(match[0], trigger[0] - cues.window) : trigger[1]]
    if cues.reach and 0 < trigger[0] - match[0] <= cues.reach:
        whole = text[match[0] : trigger[1]]  # 壁仞科技没有在昇腾910C上训练: the negation opens the predicate
        if not _CLAUSE_BREAK.search(whole):
            near_trigger = whole
    near_trigger = _RELATIVE_CLAUSE.sub(",", near_trigger)
    if cues.negated and cues.negated.search(near_trigger):
        cancelled = cues.cancelled and cues.cancelled.search(near_trigger)
        # (the denial may open the predicate: 台积电否认了为X代工的传闻)
        denied = cues.denied and cues.denied.search(text, s_start, max(match[0], trigger[0]))
        return Reading("Negated", "Cancelled" if cancelled else "Denied" if denied else "")
    if cues.denied and cues.denied.search(text, s_start, match[0]):
        return Reading("Negated", "Denied")
    if cues.denied_after and cues.denied_after.search(text, match[1], s_end):
        return Reading("Negated", "Denied")
    clause = max(
        [
            s_start,
            *(m.end() for m in _CLAUSE_BREAK.finditer(text, max(s_start, match[0] - cues.window), match[0])),
        ]
    )
    if cues.cancelled and cues.cancelled.search(text, max(clause, match[0] - cues.window), match[0]):
        return Reading("Negated", "Cancelled")  # X cancelled its plan to use Y: the plan is off
    if cues.reported and cues.reported.search(text, s_start, s_end):
        source, before_cue = _source(text, sentence, cues)
        rumoured = cues.rumoured and cues.rumoured.search(text, s_start, s_end)
        return Reading("Reported", "Rumoured" if rumoured else "", source, before_cue)
    before = cues.former_window or cues.window
    if cues.former and cues.former.search(text, max(clause, trigger[0] - before), trigger[0]):
        # former CEO of X, 前首席技术官, will step down as CEO: it held, and holds no more (or soon)
        return Reading("Asserted", "Former")
    around = text[max(clause, match[0] - cues.window) : match[1]]
    if cues.hypothetical and cues.hypothetical.search(text, s_start, match[0]):
        return Reading("Expected", "Hypothetical")
    if cues.expected and cues.expected.search(around):
        return Reading("Expected")
    if cues.planned and cues.planned.search(around):
        return Reading("Planned")
    return Reading("Asserted")


def _source(text: str, sentence: tuple[int, int], cues: Cues) -> tuple[tuple[int, int] | None, bool]:
    """The span of the sentence that a source pattern says names the reporter (路透社 in 据路透社报道),
    and whether it comes before the pattern's cue."""
    for pattern in cues.sources:
        found = pattern.search(text, *sentence)
        if found:
            return found.span("source"), found.end("source") < found.end()
    return None, False


def attribution(doc: Doc, reading: Reading, sources: list[Span] | None = None) -> tuple[str, Span | None]:
    """The reading's detail and reporter: a report whose reporter is named is no rumour."""
    source = reporter(doc, reading, sources)
    return ("" if source is not None and reading.detail == "Rumoured" else reading.detail), source


def source_spans(doc: Doc) -> list[Span]:
    """The mentions that may name a reporter, in text order (found once per document)."""
    return sorted(
        (s for s in doc.spans[ENTITY_GROUP] if s.label_ in SOURCE_CLASSES), key=lambda s: s.start_char
    )


def reporter(doc: Doc, reading: Reading, sources: list[Span] | None = None) -> Span | None:
    """The organization or person named in the reading's source span: the one nearest the cue.
    `sources`: `source_spans(doc)`, when the caller asks for many readings of one document."""
    if reading.source is None:
        return None
    start, end = reading.source
    ordered = source_spans(doc) if sources is None else sources
    first = bisect_left(ordered, start, key=lambda s: s.start_char)  # no scan of the whole document
    inside = []
    for span in ordered[first:]:
        if span.start_char >= end:
            break
        if span.end_char <= end:
            inside.append(span)
    if not inside:
        return None
    return inside[-1] if reading.source_before_cue else inside[0]


class ModalityTagger(DataComponent):
    """Sets each relation mention's modality from the cues around it."""

    DATA: ClassVar[DataFiles] = {"cues_path": ("modality.toml", shipped("patterns", "modality.toml"))}

    def __init__(self, lang: str, paths: dict[str, str]) -> None:
        self.lang = lang
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        self.cues: Cues = load_cues(self.lang, paths.get("cues_path", ""))

    def __call__(self, doc: Doc) -> Doc:
        text = read_text(doc)
        sources: list[Span] | None = None
        for mention in doc._.kg_relations or []:
            if mention.presupposed:
                continue  # stays Asserted: a name is not hedged by the verb around it
            reading = read(text, mention.sentence, mention.match, mention.trigger, self.cues)
            mention.modality = reading.modality
            if reading.source is not None and sources is None:
                sources = source_spans(doc)
            mention.modality_detail, mention.source = attribution(doc, reading, sources)
        return doc


@Language.factory(
    "kg_modality",
    default_config={"cues_path": ""},
    requires=["doc._.kg_relations"],
    assigns=["doc._.kg_relations"],
)
def make_modality(nlp: Language, name: str, cues_path: str) -> ModalityTagger:
    """`cues_path`: a modality TOML file; empty for the shipped `ontology/patterns/modality.toml`."""
    return ModalityTagger(str(nlp.lang), {"cues_path": cues_path})
