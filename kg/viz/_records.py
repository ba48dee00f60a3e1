"""The plain records the HTML view draws (documents, claims, entities, edges, the view), built from a
graph by `kg.viz._model.build_view`."""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field

OPEN_START, OPEN_END = "0000-01-01", "9999-12-31"


@dataclass(frozen=True)
class Doc:
    """A source document as the side panel shows it."""

    id: str
    title: str
    language: str
    source: str
    date: str


@dataclass(frozen=True)
class Claim:
    """One extracted statement with its evidence."""

    id: str
    relation: str
    doc: str | None
    evidence: str
    start: int | None
    end: int | None
    confidence: float | None
    modality: str
    extracted_by: str
    date: str = ""
    """When it was said: the claim's `dcterms:date`, else its document's ("" when undated)."""
    point: str = ""
    since: str = ""
    until: str = ""
    """The time the claim is about (`chip:pointInTime`, `startTime`, `endTime`), as written."""

    @property
    def span(self) -> tuple[str, str] | None:
        """The days the claim is about, else the day it was said, as ISO dates; None when undated.

        An open end is `OPEN_START` / `OPEN_END`, so that ISO strings compare as dates.
        """
        if self.point:
            return time_span(self.point)
        if self.since or self.until:
            start = time_span(self.since)[0] if self.since else OPEN_START
            end = time_span(self.until)[1] if self.until else OPEN_END
            return start, end
        return time_span(self.date) if self.date else None

    @property
    def time(self) -> str:
        """The time the claim is about, for a reader: "2026", "since 2020", "2020 – 2024"; "" if none."""
        if self.point:
            return self.point
        if self.since and self.until:
            return f"{self.since} – {self.until}"
        if self.since:
            return f"since {self.since}"
        return f"until {self.until}" if self.until else ""


@dataclass
class Entity:
    """A node: its class, its labels in both languages, aliases and sources."""

    id: str
    cls: str
    label_en: str
    label_zh: str
    pref_label: str
    aliases: list[tuple[str, str]]
    wikidata: list[str]
    docs: list[str]
    degree: int = 0


@dataclass
class Edge:
    """A drawn edge: one relation between two entities and the claims behind it."""

    id: str
    source: str
    target: str
    relation: str
    symmetric: bool
    asserted: bool
    claims: list[Claim] = field(default_factory=list)

    @property
    def style(self) -> str:
        """`asserted` (solid), `hedged` (dashed: planned, expected, reported) or `negated`."""
        if not self.asserted:
            return "negated"
        positive = [c for c in self.claims if c.modality != "Negated"]
        if not positive or any(c.modality == "Asserted" for c in positive):
            return "asserted"
        return "hedged"

    @property
    def modality(self) -> str:
        """The modality the edge is drawn with: the commonest among the claims that support it."""
        if not self.asserted:
            return "Negated"
        positive = [c.modality for c in self.claims if c.modality != "Negated"]
        if not positive or "Asserted" in positive:
            return "Asserted"
        return Counter(positive).most_common(1)[0][0]

    @property
    def confidence(self) -> float | None:
        """The best confidence among the claims it is drawn from; None when no claim records one."""
        relevant = [c for c in self.claims if (c.modality == "Negated") != self.asserted]
        values = [c.confidence for c in relevant if c.confidence is not None]
        return max(values) if values else None

    @property
    def contested(self) -> bool:
        """An asserted edge that some other claim denies."""
        return self.asserted and any(c.modality == "Negated" for c in self.claims)

    @property
    def docs(self) -> list[str]:
        return sorted({c.doc for c in self.claims if c.doc})

    @property
    def spans(self) -> list[tuple[str, str]]:
        """The distinct time spans of its dated claims (see `Claim.span`), earliest first."""
        return sorted({span for c in self.claims if (span := c.span) is not None})

    @property
    def undated(self) -> bool:
        """Some claim has no date at all (or the edge has no claim): it shows only with "include undated"."""
        return not self.claims or any(c.span is None for c in self.claims)


@dataclass
class View:
    """Everything the page needs, before it is turned into JSON."""

    lang: str
    entities: dict[str, Entity]
    edges: list[Edge]
    docs: dict[str, Doc]
    core: set[str]
    background: int = 0
    """Relation triples in the background graph beside the drawn one: counted, never drawn."""
    whole: tuple[int, int] | None = None
    """(entities, relations) of the whole graph when only the drawn part was read (`_store`)."""


def time_span(value: str) -> tuple[str, str]:
    """The first and last day of an `xsd:gYear`, `gYearMonth`, `date` or `dateTime` lexical form."""
    text = value.strip()
    if len(text) == 4 and text.isdigit():
        return f"{text}-01-01", f"{text}-12-31"
    if len(text) == 7 and text[4] == "-" and text.replace("-", "").isdigit():
        last = calendar.monthrange(int(text[:4]), max(1, min(12, int(text[5:]))))[1]
        return f"{text}-01", f"{text}-{last:02d}"
    return text[:10], text[:10]


__all__ = ["OPEN_END", "OPEN_START", "Claim", "Doc", "Edge", "Entity", "View", "time_span"]
