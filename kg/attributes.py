"""What a claim carries besides its triple: the times its sentence is about, and quantities as claims.

- `times_for`: the time expressions of a claim's sentence (`kg_time`), nearest the claim first, one per
  role (point, since, until), anchored to the document's date (去年 in a 2024 article is 2023).
- `measures_of`: each quantity (`kg_quantities`) becomes a `Measure` about one entity: a share, a count
  or money is about the first organization of its sentence, a process node, memory or bandwidth about
  the nearest chip; its modality, reporter and times are read like a relation's.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from spacy.tokens import Doc, Span

from .dates import When, anchor, day_of
from .ingest import Document
from .nlp import entity_spans
from .nlp.modality import attribution, load_cues, read, source_spans
from .nlp.model import doc_text
from .nlp.quantities import QuantityMention
from .nlp.times import TimeMention

ORG = frozenset({"Company", "Organization"})
CHIP_KINDS = frozenset({"processNode", "memoryCapacity", "bandwidth"})
"""Quantities that describe a chip; the others describe an organization."""
FUTURE = frozenset({"Planned", "Expected"})
T = TypeVar("T")
CONFIDENCE = 0.75  # a quantity about the entity its rule picks, the entity before it
CONFIDENCE_AFTER = 0.6  # the entity comes only after the quantity


@dataclass(frozen=True)
class TimeRef:
    """A time a claim is about: `point`, `since` or `until`, its value and the words that said it."""

    role: str
    when: When
    text: str


@dataclass(frozen=True)
class Measure:
    """A quantity stated about one entity, with the evidence of a claim."""

    subject: str
    property: str
    value: Decimal
    unit: str
    comparator: str
    text: str  # the quantity as written (80% 以上 reads as 80% plus its comparator)
    document: str
    evidence: str
    start: int
    end: int
    at: tuple[int, int]  # the quantity's own offsets
    confidence: float
    modality: str
    detail: str = ""  # memory type (HBM3E), node name (N3), counted noun (GPU)
    item: str = ""  # for a count: the entity counted (a chip) or its maker (NVIDIA GPU)
    modality_detail: str = ""
    source: str = ""
    date: date | datetime | None = None
    times: tuple[TimeRef, ...] = ()


def times_for(
    times: list[TimeMention] | None,
    sentence: tuple[int, int],
    near: tuple[int, int],
    document_date: date | datetime | None,
    modality: str,
) -> tuple[TimeRef, ...]:
    """The anchored times of `sentence`, one per role, the one nearest `near` winning."""
    inside = [t for t in times or [] if sentence[0] <= t.start and t.end <= sentence[1]]

    def distance(t: TimeMention) -> int:
        return max(0, near[0] - t.end, t.start - near[1])

    out: dict[str, TimeRef] = {}
    for mention in sorted(inside, key=lambda t: (distance(t), t.start)):
        if mention.role in out:
            continue
        when = anchor(mention.spec, document_date, future=modality in FUTURE)
        if document_date is not None and when == _day(document_date) and mention.role == "point":
            continue  # the dateline (October 6, 2025 — …) dates the document, and the claim has it
        if when is not None:
            out[mention.role] = TimeRef(mention.role, when, mention.text)
    return tuple(out[role] for role in ("point", "since", "until") if role in out)


def _day(value: date | datetime) -> When:
    day = day_of(value)
    return When(day.year, day.month, day.day)


def measures_of(
    document: Document, doc: Doc, ids: dict[tuple[int, int], str], classes: dict[str, str]
) -> list[Measure]:
    """Every quantity of the processed document that can be said of an entity of its sentence."""
    quantities: list[QuantityMention] = doc._.kg_quantities or []
    if not quantities:
        return []
    cues = load_cues(document.lang)
    spans = entity_spans(doc)
    out = []
    last_chip = ""  # the last chip the previous sentences named: 其 96GB HBM3 显存 after a sentence on H20
    ranges = [(sentence.start_char, sentence.end_char) for sentence in doc.sents]
    quantities_in = _by_sentence(ranges, quantities, lambda q: (q.start, q.end))
    spans_in = _by_sentence(ranges, spans, lambda s: (s.start_char, s.end_char))
    sources: list[Span] | None = None
    for number, s_range in enumerate(ranges):
        here = quantities_in.get(number, [])
        in_sentence = spans_in.get(number, [])
        previous_chip = last_chip
        chips = [ids.get((s.start_char, s.end_char), "") for s in in_sentence]
        last_chip = next((c for c in reversed(chips) if classes.get(c) == "Chip"), last_chip)
        for quantity in here:
            if any(_inside_name(quantity, s) for s in in_sentence):
                continue  # the number is part of a name (Maia 100 AI accelerator), not a quantity
            reading = read(
                doc_text(doc), s_range, (quantity.start, quantity.end), (quantity.start, quantity.end), cues
            )
            if reading.source is not None and sources is None:
                sources = source_spans(doc)  # once per document, not per quantity
            detail, source = attribution(doc, reading, sources)
            item = _item(quantity, in_sentence, ids)
            said_by = (source.start_char, source.end_char) if source is not None else None
            others = [
                s
                for s in in_sentence
                if (s.start_char, s.end_char) != said_by
                and ids.get((s.start_char, s.end_char)) != item
                and not any(_within(s, (q.start, q.end)) for q in here if q is not quantity)
            ]  # nor a name inside another quantity (the HBM3 of 192GB HBM3)
            found = _subject(quantity, others, ids, classes, previous_chip)
            if found is None:
                continue
            subject, after = found
            out.append(
                Measure(
                    subject=subject,
                    property=quantity.kind,
                    value=quantity.value,
                    unit=quantity.unit,
                    comparator=quantity.comparator,
                    text=quantity.text,
                    document=document.id,
                    evidence=document.text[s_range[0] : s_range[1]],
                    start=s_range[0],
                    end=s_range[1],
                    at=(quantity.start, quantity.end),
                    confidence=CONFIDENCE_AFTER if after else CONFIDENCE,
                    modality=reading.modality,
                    detail=quantity.detail,
                    item=item,
                    modality_detail=detail,
                    source=ids.get((source.start_char, source.end_char), "") if source is not None else "",
                    date=document.date,
                    times=times_for(
                        doc._.kg_times,
                        s_range,
                        (quantity.start, quantity.end),
                        document.date,
                        reading.modality,
                    ),
                )
            )
    return out


def _by_sentence(
    ranges: list[tuple[int, int]], items: Iterable[T], where: Callable[[T], tuple[int, int]]
) -> dict[int, list[T]]:
    """The items within each sentence (keyed by its number in `ranges`, which are in text order), each
    list in the items' own order: one binary search per item, where a scan of every item per sentence
    grew with the square of the document's length."""
    starts = [start for start, _ in ranges]
    out: dict[int, list[T]] = {}
    for item in items:
        start, end = where(item)
        number = bisect_right(starts, start) - 1
        while number >= 0 and end <= ranges[number][1]:  # earlier ones only for an item of no length
            out.setdefault(number, []).append(item)
            number -= 1
    return out


def _subject(
    quantity: QuantityMention,
    spans: list[Span],
    ids: dict[tuple[int, int], str],
    classes: dict[str, str],
    previous_chip: str = "",
) -> tuple[str, bool] | None:
    """(entity id, whether it comes after the quantity) for the entity the quantity is about, among
    the sentence's entities less its reporter, the counted item's maker and the names inside other
    quantities. A chip's figure in a sentence that names no chip is about the chip named last
    before it."""
    outside = [
        s for s in spans if not _within(s, quantity.item) and not _within(s, (quantity.start, quantity.end))
    ]

    def cls(span: Span) -> str:
        return classes.get(ids.get((span.start_char, span.end_char), ""), "")

    if quantity.kind in CHIP_KINDS:
        chips = [s for s in outside if cls(s) == "Chip"]
        before = [s for s in chips if s.end_char <= quantity.start]
        if before:
            return ids[(before[-1].start_char, before[-1].end_char)], False
        if chips:
            return ids[(chips[0].start_char, chips[0].end_char)], True
        if previous_chip:
            return previous_chip, True
    # a company before the quantity, else any organization before it (a government, a fund), else after
    orgs = [s for s in outside if cls(s) in ORG]
    for candidates, after in (
        ([s for s in orgs if s.end_char <= quantity.start and cls(s) == "Company"], False),
        ([s for s in orgs if s.end_char <= quantity.start], False),
        (orgs, True),
    ):
        if candidates:
            return ids[(candidates[0].start_char, candidates[0].end_char)], after
    return None


def _inside_name(quantity: QuantityMention, span: Span) -> bool:
    """The quantity's number belongs to a longer name (Maia 100) rather than naming a node (4NP)."""
    overlaps = span.start_char < quantity.end and quantity.start < span.end_char
    longer = span.start_char < quantity.start or span.end_char > quantity.end
    return overlaps and longer and not _within(span, quantity.item)


def _item(quantity: QuantityMention, spans: list[Span], ids: dict[tuple[int, int], str]) -> str:
    inside = [s for s in spans if _within(s, quantity.item)]
    return ids.get((inside[0].start_char, inside[0].end_char), "") if inside else ""


def _within(span: Span, where: tuple[int, int] | None) -> bool:
    return where is not None and where[0] <= span.start_char and span.end_char <= where[1]
