"""A sentence with its entity mentions replaced by typed markers, for pattern matching.

`⟨C3⟩`-style markers (private-use brackets, a class letter, the mention's index) let relation
patterns say "an organization, then 与, then an organization, then 合作" as a plain regex over
the sentence. Pronouns (其, its, 后者, the chips …) become markers of their antecedents.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span

from .discourse import key

OPEN, CLOSE = "\ue000", "\ue001"
CLASS_LETTER = {"Company": "C", "Organization": "O", "Person": "P", "Chip": "H", "Product": "R"}
MARKER = re.compile(f"{OPEN}([A-Z])(\\d+){CLOSE}")
_PAREN_ALIAS = re.compile(r"\s*[(（]\s*$")
_PAREN_CLOSE = re.compile(r"\s*[)）]")
_POSSESSIVE_EN = frozenset({"its", "their"})


@dataclass
class Mention:
    """An entity mention as a pattern sees it: the span it came from, and whether it is a pronoun."""

    span: Span
    cls: str
    pronoun: bool = False

    @property
    def key(self) -> str:
        return key(self.span)


@dataclass
class MaskedSentence:
    text: str
    start: int
    masked: str = ""
    mentions: list[Mention] = field(default_factory=list)
    # masked offset -> document offset, one entry per masked character
    offsets: list[int] = field(default_factory=list)

    def to_doc(self, start: int, end: int) -> tuple[int, int]:
        """Document character offsets of a masked range."""
        if start >= end:  # an empty range is a point: where it stands, or the sentence's end
            point = self.offsets[start] if start < len(self.offsets) else self.start + len(self.text)
            return point, point
        return self.offsets[start], self.offsets[end - 1] + 1

    def mentions_in(self, text: str) -> list[Mention]:
        return [self.mentions[int(m.group(2))] for m in MARKER.finditer(text)]


def mask(
    doc_text: str, sent: tuple[int, int], spans: list[Span], pronouns: list[tuple[int, int, list[Span]]]
) -> MaskedSentence:
    """Mask a sentence: each span (and each resolved pronoun) becomes a marker."""
    start, end = sent
    items: list[tuple[int, int, list[Span], bool]] = [(s.start_char, s.end_char, [s], False) for s in spans]
    items += [(a, b, ants, True) for a, b, ants in pronouns]
    items.sort(key=lambda item: item[0])
    out = MaskedSentence(text=doc_text[start:end], start=start)
    parts: list[str] = []
    pos = start

    def emit(text: str, doc_offsets: list[int]) -> None:
        parts.append(text)
        out.offsets.extend(doc_offsets)

    i = 0
    while i < len(items):
        a, b, targets, is_pronoun = items[i]
        if a < pos:
            i += 1
            continue
        emit(doc_text[pos:a], list(range(pos, a)))
        markers = []
        for target in targets:
            markers.append(f"{OPEN}{CLASS_LETTER[target.label_]}{len(out.mentions)}{CLOSE}")
            out.mentions.append(Mention(target, target.label_, pronoun=is_pronoun))
        marker = "、".join(markers)
        # 博通(Broadcom), 台积电（TSMC）: a parenthesised alias of the same entity joins the marker
        if i + 1 < len(items) and not is_pronoun:
            na, nb, ntargets, _ = items[i + 1]
            between = doc_text[b:na]
            close = _PAREN_CLOSE.match(doc_text, nb, end)
            if _PAREN_ALIAS.match(between) and close and _same(targets[0], ntargets[0]):
                b = close.end()
                i += 1
        # a possessive pronoun is a possessor: `its next chip` reads as `⟨C0⟩'s next chip`
        owner = "'s" if is_pronoun and doc_text[a:b].lower() in _POSSESSIVE_EN else ""
        emit(marker + owner, [a] * (len(marker) - 1) + [b - 1] * (1 + len(owner)))
        pos = b
        i += 1
    emit(doc_text[pos:end], list(range(pos, end)))
    out.masked = "".join(parts)
    return out


def _same(a: Span, b: Span) -> bool:
    if a._.kg_id and b._.kg_id:
        return bool(a._.kg_id == b._.kg_id)
    return b._.kg_id is None and b._.kg_source != "registry"
