"""Times sentences are about (2026 年, since 2020, 去年, in December), as a spaCy component.

`kg_time` puts a `TimeMention` per time expression on `doc._.kg_times`: where it is, its role (a
point, a start `since`, an end `until`) and a `TimeSpec` that the resolver anchors to the document's
date (`kg.dates.anchor`), so that 去年 in a 2024 article is 2023 and an undated article gets no year.
The calendar grammar is here; the words around it (以来, since, 去年 …) are data in
`ontology/patterns/time.toml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..datafiles import load_toml, require
from ..dates import MONTH_NAMES, MONTHS, TimeSpec
from ..errors import RegistryError
from ..resources import ontology_dir
from .model import doc_text

_YEAR = r"(?P<year>(?:19[89]|20\d)\d)"


@dataclass(frozen=True)
class TimeMention:
    """One time expression: offsets in the document, surface text, role and what it says."""

    start: int
    end: int
    text: str
    role: str  # point, since or until (see kg.vocab.TIME_ROLES)
    spec: TimeSpec


@dataclass(frozen=True)
class TimeCues:
    grammar: tuple[re.Pattern[str], ...]
    relative_years: dict[str, int]
    since_before: re.Pattern[str] | None
    since_after: re.Pattern[str] | None
    until_before: re.Pattern[str] | None
    until_after: re.Pattern[str] | None
    since_lead: re.Pattern[str] | None  # English: the preposition the match itself opens with
    until_lead: re.Pattern[str] | None


def _alternation(items: list[str]) -> str:
    return "|".join(f"(?:{item})" for item in items)


def _grammar(lang: str, relative: dict[str, int], year_before: list[str]) -> tuple[re.Pattern[str], ...]:
    """Calendar patterns, most precise first; each names the groups it fills."""
    rel = _alternation(sorted(relative, key=len, reverse=True)) if relative else "(?!)"
    if lang == "zh":
        month, day = r"(?P<month>1[0-2]|0?[1-9])\s*月", r"(?P<day>3[01]|[12]\d|0?[1-9])\s*[日号]"
        patterns = [
            rf"(?<!\d){_YEAR}\s*年\s*{month}\s*{day}",
            rf"(?<!\d){_YEAR}\s*年\s*{month}",
            rf"(?P<rel>{rel})\s*{month}(?:\s*{day})?",
            rf"(?<![\d.]){_YEAR}\s*(?:年(?!代)|财年)",
            rf"(?P<rel>{rel})",
            rf"(?<![\d.年]){month}\s*{day}",
            rf"(?<![\d.年个]){month}(?!\s*\d)",
        ]
        return tuple(re.compile(p) for p in patterns)
    month_en = rf"(?P<month>{MONTH_NAMES})\.?"
    before = _alternation(year_before)
    patterns = [
        rf"\b{month_en}\s+(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?,?\s+{_YEAR}\b",
        rf"\b(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+{month_en},?\s+{_YEAR}\b",
        rf"\b{month_en},?\s+{_YEAR}\b",
        rf"\b(?:{before})\s+(?:the\s+)?(?:(?:first|second|third|fourth)\s+(?:quarter|half)\s+of\s+)?{_YEAR}\b(?!\s*%)",
        rf"\b(?P<rel>{rel})\b",
        rf"\b(?:in|since|until|by|from|early|late|mid-?|last|this|next)\s+{month_en}\b(?!\s*\d)",
    ]
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


@cache
def load_time_cues(lang: str, path: str = "") -> TimeCues:
    """The time words of one language from `time.toml` (or `path`); RegistryError names a bad file."""
    file = Path(path) if path else ontology_dir() / "patterns" / "time.toml"
    data = load_toml(file)
    section = require(data, lang, dict, file)
    try:
        relative = {str(k).lower(): int(v) for k, v in section.get("relative_years", {}).items()}

        def side(key: str, where: str) -> re.Pattern[str] | None:
            items = section.get(key, [])
            if not items:
                return None
            body, space = _alternation(items), (r"\s*" if lang == "zh" else r"\s+")
            text = {
                "before": rf"(?:{body}){space}$",
                "after": rf"^\s*(?:{body})",
                "lead": rf"^(?:{body})\s",
            }[where]
            return re.compile(text, re.IGNORECASE)

        return TimeCues(
            _grammar(lang, relative, section.get("year_before", [])),
            relative,
            side("since_before", "before"),
            side("since_after", "after"),
            side("until_before", "before"),
            side("until_after", "after"),
            side("since_before", "lead"),
            side("until_before", "lead"),
        )
    except (KeyError, ValueError, re.error) as exc:
        raise RegistryError(f"{file}: [{lang}]: cannot read the time words ({exc}); fix the entry") from exc


def _spec(match: re.Match[str], cues: TimeCues) -> TimeSpec:
    groups = match.groupdict()

    def number(name: str) -> int | None:
        value = groups.get(name)
        return int(value) if value and value.isdigit() else None

    month_text = groups.get("month")
    month = number("month") if month_text and month_text.isdigit() else None
    if month_text and month is None:
        month = MONTHS[month_text.lower().rstrip(".")]
    rel = groups.get("rel")
    years_from_now = cues.relative_years.get(" ".join(rel.lower().split())) if rel else None
    return TimeSpec(year=number("year"), month=month, day=number("day"), years_from_now=years_from_now)


def _role(text: str, start: int, end: int, cues: TimeCues) -> str:
    """`since`, `until` or `point`, from the words around the time (and the one it opens with)."""
    before, after, own = text[max(0, start - 16) : start], text[end : end + 8], text[start:end]

    def hit(pattern: re.Pattern[str] | None, where: str) -> bool:
        return bool(pattern and pattern.search(where))

    if hit(cues.since_lead, own) or hit(cues.since_before, before) or hit(cues.since_after, after):
        return "since"
    if hit(cues.until_lead, own) or hit(cues.until_before, before) or hit(cues.until_after, after):
        return "until"
    return "point"


def find_times(text: str, start: int, end: int, cues: TimeCues) -> list[TimeMention]:
    """The time expressions in `text[start:end]`, longest first where two overlap, in text order."""
    taken: list[tuple[int, int]] = []
    found: list[TimeMention] = []
    for pattern in cues.grammar:
        for match in pattern.finditer(text, start, end):
            a, b = match.span()
            if any(a < y and x < b for x, y in taken):
                continue
            spec = _spec(match, cues)
            if spec.year is None and spec.month is None and spec.years_from_now is None:
                continue
            taken.append((a, b))
            found.append(TimeMention(a, b, match[0], _role(text, a, b, cues), spec))
    return sorted(found, key=lambda t: t.start)


class TimeTagger:
    def __init__(self, cues: TimeCues) -> None:
        self.cues = cues

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        times: list[TimeMention] = []
        for sentence in doc.sents:
            times.extend(find_times(text, sentence.start_char, sentence.end_char, self.cues))
        doc._.kg_times = times
        return doc


@Language.factory("kg_time", default_config={"cues_path": ""}, assigns=["doc._.kg_times"])
def make_time(nlp: Language, name: str, cues_path: str) -> TimeTagger:
    """`cues_path`: a time-word TOML file; empty for the shipped `ontology/patterns/time.toml`."""
    return TimeTagger(load_time_cues(nlp.lang, cues_path))
