"""Further mentions of a name found once (component kg_discovery): an acronym in parentheses after
it, its short form (`Lumora` after `Lumora Systems`, 蓝海智能 after 蓝海智能有限公司), a person's surname
after the full name (also for registry people: `Ross` after `Jonathan Ross`), and the same name again."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ..text import is_cjk
from .discovery_rules import Lexicon

_ACRONYM = re.compile(
    r"\s*[（(]\s*(?:(?:以下|下文)?简称[:：]?\s*[“\"「]?)?(?P<abbr>[A-Z][A-Za-z0-9&]{1,7}|[\u4e00-\u9fff]{2,6})[”\"」]?\s*[)）]"
)


def aliases(doc: Doc, text: str, kept: list[Span]) -> list[Span]:
    """`Strategic Investment Review Office (SIRO)`: the acronym names the same organization."""
    spans: list[Span] = []
    for span in kept:
        if span._.kg_id or span.label_ not in ("Company", "Organization"):
            continue
        match = _ACRONYM.match(text, span.end_char)
        if match is None:
            continue
        start, end = match.span("abbr")
        if overlapping(kept + spans, start, end):
            continue
        alias = _another_mention(doc, start, end, span, "acronym")
        if alias is not None:
            spans.append(alias)
    return spans


def repeats(doc: Doc, text: str, kept: list[Span], lexicon: Lexicon, lang: str) -> list[Span]:
    """A discovered name found by a cue once is the same name elsewhere in the document, and
    so is its short form (`Lumora` after `Lumora Systems`, `Whitfield` after `Dana Whitfield`)."""
    forms: dict[str, Span] = {}
    for span in sorted(kept, key=lambda s: -len(s.text)):  # a longer name claims its short form first
        surface = text[span.start_char : span.end_char]  # as the text is read (Chinese: simplified)
        if span.label_ == "Person" and span._.kg_id and " " in surface and lang == "en":
            last = surface.split()[-1]  # `Ross` after the registry's `Jonathan Ross`
            if len(last) >= 3 and last.lower() not in lexicon.not_names:
                forms.setdefault(last, span)
            continue
        if span._.kg_id or span._.kg_source in ("registry", "model"):
            continue
        forms.setdefault(surface, span)
        if span.label_ == "Person" and " " in surface:
            last = surface.split()[-1]
            if len(last) >= 3 and last.lower() not in lexicon.not_names:
                forms.setdefault(last, span)
        elif span.label_ in ("Company", "Organization"):
            short = lexicon.strip_heads("en", surface) if lang == "en" else surface
            for suffix in lexicon.legal_suffixes:
                short = short.removesuffix(suffix).strip()
            latin = not any(is_cjk(ch) for ch in short)
            if short != surface and (
                (latin and " " not in short and len(short) >= 4 and short.lower() not in lexicon.not_names)
                or (not latin and len(short) >= 3)
            ):
                forms.setdefault(short, span)
    for span in kept:  # 蓝海智能 found on its own after 蓝海智能有限公司: one organization
        source = forms.get(text[span.start_char : span.end_char])
        if source is not None and source is not span and not span._.kg_id and span.label_ == source.label_:
            span._.kg_name = source._.kg_name
    spans: list[Span] = []
    for form, source in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        latin = not any(is_cjk(ch) for ch in form)
        pattern = rf"(?<![A-Za-z0-9-]){re.escape(form)}(?![A-Za-z0-9-]| [A-Z])" if latin else re.escape(form)
        for match in re.finditer(pattern, text):
            start, end = match.span()
            if latin and re.search(r"[A-Z][A-Za-z]* $", text[max(0, start - 20) : start]):
                continue  # inside a longer capitalised name
            if overlapping(kept + spans, start, end):
                continue
            repeat = _another_mention(doc, start, end, source, "repeat")
            if repeat is not None:
                spans.append(repeat)
    return spans


# ---------------------------------------------------------------- spans


def _another_mention(doc: Doc, start: int, end: int, source: Span, cue: str) -> Span | None:
    """A further mention of a discovered name (its acronym, a short form), with the name's identity."""
    span = doc.char_span(start, end, label=source.label_)
    if span is not None:
        span._.kg_id = source._.kg_id  # a registry person's surname is that person
        span._.kg_name, span._.kg_confidence = source._.kg_name, source._.kg_confidence
        span._.kg_source = f"{source._.kg_source}.{cue}"
    return span


def overlapping(spans: list[Span], start: int, end: int) -> list[Span]:
    """The spans that share a character with [start, end)."""
    return [k for k in spans if k.start_char < end and start < k.end_char]
