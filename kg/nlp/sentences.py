"""Sentence boundaries for Chinese and English news text, as a spaCy component.

Rules, not a model: a line break always ends a sentence; 。！？；!? end one (with any closing
quote after them); a full stop ends one before white space and a capital, digit, quote or CJK
character, unless it closes a known abbreviation (`Co.`, `U.S.`) or an initial (`C. C. Wei`); a
legal form's full stop ends one before a word that opens sentences (`… Vantor Inc. The deal …`).
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .model import doc_text

_HARD_END = "。！？；!?…"
_CLOSERS = "”’」』）)】\"'"
_ABBREVIATIONS = frozenset(
    [
        "co",
        "inc",
        "corp",
        "ltd",
        "mr",
        "ms",
        "mrs",
        "dr",
        "prof",
        "st",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "e.g",
        "i.e",
        "approx",
        "fig",
        "jr",
        "sr",
        "gen",
        "sen",
        "rep",
        "gov",
        "dept",
    ]
)
# … of which these also end a sentence (`agreed to buy Vantor Inc. The deal …`) when the next word is
# one that opens sentences, not a name (`Vantor Inc. Chief Executive Dana Whitfield`)
_MAY_END = frozenset(["co", "inc", "corp", "ltd", "etc", "jr", "sr"])
_OPENERS = re.compile(
    r"(?:The|A|An|It|Its|This|That|These|Those|He|She|They|We|I|In|On|At|For|But|And|However|Meanwhile|"
    r"Separately|Shares|According|Last|Earlier|Later|Analysts|Both|Neither|Under|After|Before|While|If|As)\b"
)
_WORD_BEFORE = re.compile(r"(?<![A-Za-z0-9.])([A-Za-z][A-Za-z.]*)\.$")
MAX_SENTENCE = 1000
"""A run of text with no sentence end (a 5 MB line, a list of names) is cut into pieces of at most
this many characters, at a comma or space where there is one: every later stage looks at a
sentence as a whole, and a sentence without bounds makes them quadratic."""
_SOFT_BREAKS = "，、；,; \t"
_STOPS = re.compile(f"[\r\n.{re.escape(_HARD_END)}]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character (start, end) of each sentence, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    start, i, n = 0, 0, len(text)
    while (stop := _STOPS.search(text, i)) is not None:  # the next character that may end one
        i = stop.start()
        ch = text[i]
        end = None
        if ch in "\r\n":
            end = i
        elif ch in _HARD_END:
            end = i + 1
            while end < n and text[end] in _CLOSERS:
                end += 1
        elif ch == "." and _ends_at_full_stop(text, i):
            end = i + 1
        if end is None:
            i += 1
            continue
        _add(text, start, end, spans)
        start = i = max(end, i + 1)
    _add(text, start, n, spans)
    return spans


def _ends_at_full_stop(text: str, i: int) -> bool:
    after = i + 1
    if after >= len(text):
        return True
    if not text[after].isspace():
        return False
    nxt_at = after
    while nxt_at < len(text) and text[nxt_at] in " \t":  # not text[after:]: a copy per stop is quadratic
        nxt_at += 1
    if nxt_at >= len(text) or text[nxt_at] in "\r\n":
        return True
    nxt = text[nxt_at]
    if not (nxt.isupper() or nxt.isdigit() or nxt in "\"“'‘(" or ord(nxt) > 0x2E80):
        return False
    word = _WORD_BEFORE.search(text[max(0, i - 12) : i + 1])
    if word:
        token = word.group(1)
        if token.lower() in _MAY_END and _OPENERS.match(text, nxt_at):
            return True
        if token.lower() in _ABBREVIATIONS or (len(token) == 1 and token.isupper()):
            return False
    return True


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        cut = max(text.rfind(ch, start + MAX_SENTENCE // 2, start + MAX_SENTENCE) for ch in _SOFT_BREAKS)
        cut = cut + 1 if cut > 0 else start + MAX_SENTENCE
        _add(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


class SentenceSegmenter:
    """Marks `token.is_sent_start` from `sentence_spans`; works on char- and word-level tokens."""

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = numpy.fromiter((start for start, _ in sentence_spans(doc_text(doc))), dtype="int64")
        # one array write: setting `token.is_sent_start` token by token rescans the Doc each time
        flags = numpy.where(numpy.isin(doc.to_array("IDX"), starts), 1, -1).astype("int64")
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))  # type: ignore[arg-type]
        return doc


@Language.factory("kg_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> SentenceSegmenter:
    return SentenceSegmenter()
