"""What the anaphor resolver knows beyond one sentence: earlier sentences, roles, the topic.

A document's mentions are indexed once and kept in `doc.user_data`, together with the sentences
read so far and their resolved anaphors, so that `The company … It …` chains: an earlier sentence
is read with its anaphors standing where they were written.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .model import ENTITY_GROUP, RelationMention

Item = tuple[int, int, Span]
"""A mention as the resolver sees it: where it stands in the text, and the entity it names."""
_KEY = "kg_discourse"


def key(span: Span) -> str:
    """The identity of a mention's entity: its registry id, else its name."""
    return str(span._.kg_id or f"new:{span._.kg_name or span.text}")


def most_mentioned(mentions: Sequence[Span], classes: Collection[str], least: int = 1) -> Span | None:
    """The first mention of the entity of these classes that the document names most (ties: the
    earliest), if it is named at least `least` times: the document's topic."""
    counts = Counter(key(s) for s in mentions if s.label_ in classes)
    if not counts:
        return None
    # the first one named (a headline's or lede's subject) counts twice: a startup named in the
    # headline and once more outweighs the market leader it is compared with four times
    first = next(key(s) for s in mentions if s.label_ in classes)
    best = max(counts, key=lambda k: (counts[k] * (2 if k == first else 1), k == first))
    return next(s for s in mentions if key(s) == best) if counts[best] >= least else None


@dataclass
class _Index:
    """A document's mentions in order; the sentences read so far and the anaphors resolved in them."""

    spans: list[Span]
    starts: list[int]
    position: dict[tuple[int, int, str], int]
    sentences: list[int] = field(default_factory=list)  # start offsets, in reading order
    ends: list[int] = field(default_factory=list)
    resolved: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    # speed only: the keys of `resolved` as (start, order added, key), sorted, to find one sentence's
    # anaphors without a scan of every one resolved so far; the topic per (classes, least); the
    # entities the text describes per cue (`Context.described`)
    by_start: list[tuple[int, int, tuple[int, int]]] = field(default_factory=list)
    topics: dict[tuple[tuple[str, ...], int], Span | None] = field(default_factory=dict)
    described: dict[str, set[str]] = field(default_factory=dict)


def _index(doc: Doc) -> _Index:
    index: _Index | None = doc.user_data.get(_KEY)
    count = len(doc.spans[ENTITY_GROUP]) if ENTITY_GROUP in doc.spans else 0
    if index is None or len(index.spans) != count:
        spans = sorted(doc.spans[ENTITY_GROUP], key=lambda s: (s.start_char, s.end_char)) if count else []
        index = _Index(
            spans,
            [s.start_char for s in spans],
            {(s.start_char, s.end_char, s.label_): i for i, s in enumerate(spans)},
        )
        doc.user_data[_KEY] = index
    return index


@dataclass
class Context:
    """Earlier sentences (nearest first), the document's mentions, and roles read so far."""

    earlier: list[list[Item]]
    mentions: Sequence[Span]
    found: Sequence[RelationMention]
    _roles: tuple[dict[str, set[str]], dict[str, set[str]]] | None = None
    _index: _Index | None = None

    def topic(self, classes: Sequence[str], least: int) -> Span | None:
        """`most_mentioned(self.mentions, classes, least)`, counted once per document, not per anaphor."""
        if self._index is None:
            return most_mentioned(self.mentions, classes, least)
        memo = (tuple(classes), least)
        if memo not in self._index.topics:
            self._index.topics[memo] = most_mentioned(self.mentions, classes, least)
        return self._index.topics[memo]

    def described(self, text: str, cue: re.Pattern[str]) -> set[str]:
        """The entities some mention of which the text describes as the cue says (`chip startup
        Rivos`: the mention stands as `@@` in the text around it), found once per document and cue."""
        if self._index is not None and cue.pattern in self._index.described:
            return self._index.described[cue.pattern]
        found = {
            key(m)
            for m in self.mentions
            if cue.search(
                f"{text[max(0, m.start_char - 40) : m.start_char]}@@{text[m.end_char : m.end_char + 60]}"
            )
        }
        if self._index is not None:
            self._index.described[cue.pattern] = found
        return found

    def roles(self) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        """The properties each entity was the subject of, and the object of, in earlier sentences."""
        if self._roles is None:
            subject_of: dict[str, set[str]] = {}
            object_of: dict[str, set[str]] = {}
            for mention in self.found:
                subject_of.setdefault(key(mention.subject), set()).add(mention.relation)
                object_of.setdefault(key(mention.object), set()).add(mention.relation)
            self._roles = (subject_of, object_of)
        return self._roles


def context_of(
    start: int, history: list[list[Span]], doc: Doc | None, found: Sequence[RelationMention], reach: int
) -> Context:
    """The context of the sentence starting at `start`: from `doc` when given, else from `history`."""
    if doc is None:
        earlier = [[(s.start_char, s.end_char, s) for s in entry] for entry in reversed(history)]
        return Context(earlier, (), found)
    index = _index(doc)
    at = bisect_left(index.sentences, start)
    earlier = []
    for i in range(at - 1, max(-1, at - 1 - reach), -1):
        lo, hi = index.sentences[i], index.ends[i]
        items: list[Item] = [
            (s.start_char, s.end_char, s)
            for s in index.spans[bisect_left(index.starts, lo) : bisect_left(index.starts, hi)]
        ]
        in_sentence = index.by_start[bisect_left(index.by_start, (lo,)) : bisect_left(index.by_start, (hi,))]
        for _, _, (a, b) in sorted(in_sentence, key=lambda entry: entry[1]):  # in the order they were added
            items += [(a, b, index.spans[t]) for t in index.resolved[(a, b)]]
        items.sort(key=lambda item: item[0])
        earlier.append(items)
    return Context(earlier, index.spans, found, _index=index)


def remember(doc: Doc, bounds: tuple[int, int], resolved: list[tuple[int, int, list[Span]]]) -> None:
    """Keep a sentence's bounds and resolved anaphors, for the sentences after it."""
    index = _index(doc)
    if not index.sentences or index.sentences[-1] < bounds[0]:
        index.sentences.append(bounds[0])
        index.ends.append(bounds[1])
    for a, b, targets in resolved:
        positions = [index.position.get((t.start_char, t.end_char, t.label_)) for t in targets]
        if (a, b) not in index.resolved:
            insort(index.by_start, (a, len(index.by_start), (a, b)))
        index.resolved[(a, b)] = [p for p in positions if p is not None]
