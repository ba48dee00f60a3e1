"""Calendar dates: a document's dateline, a date given by the caller, and times anchored to a document.

A document's date comes from the caller (`--date`, a sidecar file) or from a dateline near the top of
its text (2025年10月14日, "Oct 14, 2025", "14 Oct 2025 –", 2025-10-14 09:30); a document with none
stays undated: nothing here invents a date. Times that sentences are about (2026, since 2020, last
year, in December) are `When` values, anchored to the document's date when the text is relative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from rdflib import XSD, Literal

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
    (
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    1,
):
    MONTHS[_name] = MONTHS[_name[:3]] = _number
MONTHS["sept"] = 9
MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
"""A regex alternation of English month names and abbreviations, longest first."""

_ISO = re.compile(r"(?<!\d)(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?(?!\d)")
_ZH = re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_EN_MDY = re.compile(rf"\b({MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE)
_EN_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH_NAMES})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
DATELINE_LINES = 6
"""A publication date is printed near the top; dates further down are about events."""


def _date_parts(match: re.Match[str], kind: str) -> date | datetime:
    """The date a match of one of the patterns above stands for; ValueError when it is no date."""
    if kind == "iso":
        y, _sep, m, d, hh, mm, ss = match.groups()
        if hh:
            return datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0))
        return date(int(y), int(m), int(d))
    if kind == "zh":
        return date(*map(int, match.groups()))
    if kind == "mdy":
        return date(int(match[3]), MONTHS[match[1].lower()], int(match[2]))
    return date(int(match[3]), MONTHS[match[2].lower()], int(match[1]))


def find_dates(text: str) -> list[tuple[int, date | datetime]]:
    """Every full calendar date written in `text`, with its offset, in text order."""
    found: list[tuple[int, date | datetime]] = []
    for pattern, kind in ((_ISO, "iso"), (_ZH, "zh"), (_EN_MDY, "mdy"), (_EN_DMY, "dmy")):
        for match in pattern.finditer(text):
            try:
                found.append((match.start(), _date_parts(match, kind)))
            except ValueError:  # 2024-13-45 is a number, not a date
                continue
    return sorted(found, key=lambda item: item[0])


def dateline(text: str) -> date | datetime | None:
    """The first full date printed in the document's first lines (its dateline), if any."""
    head = "\n".join(text.splitlines()[:DATELINE_LINES])
    found = find_dates(head)
    return found[0][1] if found else None


def parse_date(text: str) -> date | datetime:
    """A date the caller gives (`--date 2025-10-14`, a sidecar's "date"): ISO 8601 or a written date.

    Raises ValueError with what was wrong."""
    value = text.strip()
    try:
        return datetime.fromisoformat(value) if "T" in value or ":" in value else date.fromisoformat(value)
    except ValueError:
        pass
    found = find_dates(value)
    if len(found) == 1:
        return found[0][1]
    raise ValueError(f"{text!r} is not a date: write it as YYYY-MM-DD (e.g. 2025-10-14)")


def day_of(value: date | datetime) -> date:
    """The calendar day of a date or a date-time."""
    return value.date() if isinstance(value, datetime) else value


def date_literal(value: date | datetime) -> Literal:
    """`xsd:dateTime` for a date-time, `xsd:date` for a day."""
    datatype = XSD.dateTime if isinstance(value, datetime) else XSD.date
    return Literal(value.isoformat(), datatype=datatype)


@dataclass(frozen=True, order=True)
class When:
    """A year, a month of a year or a day: as precise as the text was."""

    year: int
    month: int | None = None
    day: int | None = None

    def literal(self) -> Literal:
        """`xsd:gYear`, `xsd:gYearMonth` or `xsd:date`, by precision."""
        if self.month is None:
            return Literal(f"{self.year:04d}", datatype=XSD.gYear)
        if self.day is None:
            return Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return Literal(date(self.year, self.month, self.day).isoformat(), datatype=XSD.date)


@dataclass(frozen=True)
class TimeSpec:
    """A time as a sentence writes it, before it is anchored to a document's date.

    `year` is absolute; `years_from_now` counts from the document's year (去年 -1, next year +1);
    with neither, a month (or month and day) takes its year from the document.
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    years_from_now: int | None = None

    @property
    def relative(self) -> bool:
        return self.year is None


def anchor(spec: TimeSpec, document_date: date | datetime | None, future: bool = False) -> When | None:
    """The time `spec` means in a document of `document_date`; None when it is relative and the
    document is undated (no date is invented).

    A bare month (`in December`, 12月) is the one nearest the document's date in the direction the
    sentence looks: the coming one when `future` (planned or expected), else the last one.
    """
    if spec.year is not None:
        return When(spec.year, spec.month, spec.day if spec.month else None)
    if document_date is None:
        return None
    today = day_of(document_date)
    if spec.years_from_now is not None:
        return When(today.year + spec.years_from_now, spec.month, spec.day if spec.month else None)
    if spec.month is None:
        return None
    year = today.year
    if future and (spec.month, spec.day or 31) < (today.month, today.day):
        year += 1
    elif not future and (spec.month, spec.day or 1) > (today.month, today.day):
        year -= 1
    return When(year, spec.month, spec.day)
