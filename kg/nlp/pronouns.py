"""Anaphors resolved to the entities they stand for, by type, clause role and salience.

The inventory (which words, which classes, which rule) is data: `ontology/patterns/anaphora.toml`,
read by `anaphora`. The rules:

possessive  its / 其: the subject of its own clause, else of the sentence, else of an earlier sentence
entity      the company / the startup / 该公司 / it / he: a mention of a compatible class. As the
            subject of its clause: the clause's first name, else the sentence's. As an object (after
            a verb or a preposition), the clause's subject and the names coordinated with it are
            never its antecedent (Veltrix invests in the startup: not Veltrix), the sentence's other
            names are. Then earlier sentences, their subject first; then the document's topic.
            Type hints (a fund's name, roles read from earlier relations) steer the choice.
subject     bare 公司 after a comma: the sentence's first name, when it opens its clause
group       the two companies / 双方: the last coordinated group of organizations
all         the chips / 这些芯片: every chip of the nearest sentence that names chips
latter      后者 / the latter: the last name of the sentence, with the names coordinated before it
            (Meta 和 Google 等公司…，而后者: the group, as the sentence's latter item)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Span

from .anaphora import Anaphor, Inventory, load_anaphora
from .discourse import Context, Item, context_of, key, remember
from .model import RelationMention
from .roles import after_preposition

_LIST_GAP_WORDS = ("、", ",", "，", "和", "与", "及", "以及", "and", "&", ", and", ",and")


_STRICT_GAP_WORDS = ("、", ",", "，", "及", "以及", "and", "&", ", and", ",and")


def _list_gap(text: str, strict: bool = False) -> bool:
    """Whether the text between two names coordinates them (与/和 may also mean `with`: not strict)."""
    return text.strip() in (_STRICT_GAP_WORDS if strict else _LIST_GAP_WORDS) or text.strip() == ""


@dataclass(frozen=True)
class Binding:
    """An anaphor (its character offsets; empty for a clause that goes on without a subject), the
    entities it stands for, and the id of the `anaphora.toml` entry that bound it."""

    start: int
    end: int
    antecedents: list[Span]
    entry: str


@dataclass(frozen=True)
class Pronouns:
    inventory: Inventory

    @classmethod
    def load(cls, path: str = "") -> dict[str, Pronouns]:
        """A resolver per language, from the shipped `anaphora.toml` (or the file at `path`)."""
        return {lang: cls(inventory) for lang, inventory in load_anaphora(path).items()}

    def bind(
        self,
        text: str,
        bounds: tuple[int, int],
        spans: list[Span],
        history: list[list[Span]],
        doc: Doc | None = None,
        found: Sequence[RelationMention] = (),
    ) -> list[Binding]:
        """Each anaphor of the sentence that has an antecedent, with the entry that bound it.

        `history`: the mentions of the previous sentences, oldest first; with `doc`, earlier
        sentences are read from the document instead (with their own resolved anaphors in place),
        and the document's most mentioned entity is the last resort. `found`: the relation
        mentions read so far, whose roles steer `the startup` away from the investor.
        """
        start, end = bounds
        matches: list[tuple[int, int, int, Anaphor]] = []
        sentence = text[start:end]
        for rank, anaphor in enumerate(self.inventory.anaphors):
            for match in anaphor.regex.finditer(sentence):
                group = "a" if "a" in match.re.groupindex and match.group("a") is not None else 0
                matches.append((match.start(group) + start, rank, match.end(group) + start, anaphor))
        reach = max((a.reach for a in self.inventory.anaphors), default=0) if matches else 0
        known = context_of(start, history, doc, found, reach)
        # in text order, so that an anaphor can stand for one resolved before it (the company … the startup)
        out: list[Binding] = []
        taken = [(s.start_char, s.end_char) for s in spans]
        for a, _rank, b, anaphor in sorted(matches, key=lambda m: (m[0], m[1])):
            if any((x < b and a < y) or (x == a and y == b) for x, y in taken):
                continue
            resolved: list[Item] = [(x.start, x.end, t) for x in out for t in x.antecedents]
            antecedents = self._antecedents(anaphor, text, (a, b), bounds, spans, resolved, known)
            if antecedents:
                out.append(Binding(a, b, antecedents, anaphor.id))
                taken.append((a, b))
        out.sort(key=lambda item: item.start)
        if doc is not None:
            remember(doc, bounds, [(x.start, x.end, x.antecedents) for x in out])
        return out

    def _antecedents(
        self,
        anaphor: Anaphor,
        text: str,
        at: tuple[int, int],
        bounds: tuple[int, int],
        spans: list[Span],
        resolved: list[Item],
        context: Context,
    ) -> list[Span]:
        before: list[Item] = [(s.start_char, s.end_char, s) for s in spans if s.end_char <= at[0]]
        before = sorted(before + [item for item in resolved if item[1] <= at[0]], key=lambda item: item[0])
        nearby = [before, *context.earlier[: anaphor.reach]]
        if anaphor.rule == "latter":  # the last name, with the names coordinated before it
            named = [
                item for item in before if item[2].label_ in anaphor.classes and item[2].start_char == item[0]
            ]
            if not named:
                return []
            group = _coordinated(text, named, named[-1][0], named[-1][2])
            return group[: group.index(named[-1][2]) + 1]
        if anaphor.rule == "subject":
            return _sentence_subject(text, bounds[0], before, anaphor, self.inventory.clause)
        if anaphor.rule == "group":
            clause = self.inventory.clause
            start = _clause_start(text, bounds[0], at[0], before, clause.breaks)
            if not (
                anaphor.possessor_is_subject
                or _is_subject(text[start : at[0]], text[at[1] : bounds[1]], clause)
            ):
                # an object: not the group its own clause names (A and B … without acquiring the companies)
                nearby[0] = [item for item in before if item[1] <= start]
            return _group(text, nearby, anaphor)
        if anaphor.rule == "all":  # 这两款芯片: gather sentences back until two chips are named
            chips: list[Span] = []
            for items in nearby:
                chips = _distinct(chips + [s for _, _, s in items if s.label_ in anaphor.classes])
                if chips and len(chips) >= anaphor.count:
                    return chips
            return []
        return self._single(anaphor, text, at, bounds, before, nearby[1:], context)

    def _single(
        self,
        anaphor: Anaphor,
        text: str,
        at: tuple[int, int],
        bounds: tuple[int, int],
        before: list[Item],
        earlier: list[list[Item]],
        context: Context,
    ) -> list[Span]:
        clause = self.inventory.clause
        clause_start = _clause_start(text, bounds[0], at[0], before, clause.breaks)
        sources = anaphor.rule != "possessive"  # a source (according to Reuters) is no antecedent
        named = [(x, s) for x, _, s in before if not (sources and _attributed(text, x, clause))]
        fits = [s for _, s in named if s.label_ in anaphor.classes]
        in_clause = [s for x, s in named if x >= clause_start and s.label_ in anaphor.classes]
        prefix, after = text[clause_start : at[0]], text[at[1] : bounds[1]]
        # a reported clause's subject defaults to the one who reports it: `X said in May it would …`
        speaker = _speaker(text, bounds[0], clause_start, named, clause)
        excluded: set[str] = set()
        possessor = anaphor.possessor_is_subject and clause.possessive_follows.match(after)
        if anaphor.rule == "possessive" or possessor or _is_subject(prefix, after, clause, anaphor.pronoun):
            # a subject anaphor does not reach into an oblique (who joined from X, … the company needs)
            direct = [s for s in fits if not after_preposition(text, s.start_char)]
            # a participle clause has the sentence's subject (X was chosen, blocking Y's deals with its rival)
            own = (
                [] if clause_start > bounds[0] and _PARTICIPLE_OPENS.match(text, clause_start) else in_clause
            )
            tiers = [_by_class(own, anaphor)[:1], _by_class(direct, anaphor)[:1]]
            if speaker is not None and not in_clause and speaker[1].label_ in anaphor.classes:
                tiers.insert(0, [speaker[1]])
        else:  # an object of its clause: never the clause's own subject
            # the clause's subject is its first name of any class (Bannon departing the company)
            in_reach = [(x, s) for x, s in named if s.label_ in anaphor.classes]
            subject = next(
                ((x, s) for x, s in named if x >= clause_start),
                speaker or (in_reach[0] if in_reach else None),
            )
            if subject is not None and in_reach:
                excluded = {key(s) for s in _coordinated(text, before, *subject)}
                # A and B invested in C. Later, A agreed to buy the startup: not B either
                group = {key(s) for s in _coordinated(text, before, *in_reach[0], strict=True)}
                if excluded & group:
                    excluded |= group
            allowed = [s for s in fits if key(s) not in excluded]
            tiers = [_by_class(list(reversed(allowed)) if anaphor.last else allowed, anaphor)]
        topic = _topic(context, anaphor, excluded, self.inventory.topic_min_mentions) if anaphor.topic else []
        for items in earlier:
            mentions = [
                s
                for x, _, s in items
                if s.label_ in anaphor.classes
                and key(s) not in excluded
                and not (sources and _attributed(text, x, clause))
            ]
            tier = _by_class(list(reversed(mentions)) if anaphor.last else mentions, anaphor)
            # the document's topic, when an earlier sentence names it, before that sentence's other names
            tiers.append(sorted(tier, key=lambda s: not topic or key(s) != key(topic[0])))
        tiers = [[s for s in tier if not _avoided(s, anaphor, context)] for tier in tiers]
        if anaphor.unique:  # `the chip` after a sentence that names four chips is not any one of them
            nearest = next((tier for tier in tiers if tier), [])
            if len(_distinct(nearest)) > 1:
                return []
        candidates = _distinct([s for tier in tiers for s in tier] + topic)
        if anaphor.prefer_described is not None:
            described = [s for s in candidates if key(s) in context.described(text, anaphor.prefer_described)]
            if described:
                return described[:1]
            if anaphor.require_names and anaphor.prefer_names is None:
                return []
        if anaphor.prefer_names is not None or anaphor.prefer_subject_of:
            # a name that says what the anaphor says (该基金 -> …产业基金) before a role read earlier
            by_name = [s for s in candidates if _named_like(s, anaphor)]
            preferred = by_name or [s for s in candidates if _preferred(s, anaphor, context)]
            if preferred:
                return preferred[:1]
            if anaphor.require_names:
                return []
        return candidates[:1]


def _speaker(
    text: str, sent_start: int, clause_start: int, named: list[tuple[int, Span]], clause: Any
) -> tuple[int, Span] | None:
    """The name right before a verb of saying that ends the text before the clause (`X said in May`)."""
    if clause_start <= sent_start or not clause.subject_after.search(text, sent_start, clause_start):
        return None
    # (not a name in an oblique: `X, who joined from Qualcomm, said the company …` reports X)
    return next(
        (
            (x, s)
            for x, s in reversed(named)
            if x < clause_start and not after_preposition(text, s.start_char)
        ),
        None,
    )


_PARTICIPLE_OPENS = re.compile(
    r"\s*(?:(?:effectively|thereby|thus|further|also|while|after|before|by)\s+)?[a-z]+ing\b"
)


def _clause_start(text: str, sent_start: int, at: int, before: list[Item], breaks: Any) -> int:
    """Where the anaphor's clause starts; a list cut by a comma (A, B and C) stays in one clause."""
    start = max([sent_start, *(m.end() for m in breaks.finditer(text, sent_start, at))])
    first = next((s for a, _, s in before if a >= start and s.start_char == a), None)
    if first is not None:
        start = min(start, _coordinated(text, before, first.start_char, first)[0].start_char)
    return start


def _sentence_subject(text: str, start: int, before: list[Item], anaphor: Anaphor, clause: Any) -> list[Span]:
    """The sentence's first name, when it opens its clause (例如，X披露，公司将…): else nothing."""
    if not before or before[0][2].label_ not in anaphor.classes or before[0][2].start_char != before[0][0]:
        return []
    opens = _clause_start(text, start, before[0][0], [], clause.breaks)
    return [before[0][2]] if clause.subject_prefix.match(text[opens : before[0][0]]) else []


def _attributed(text: str, at: int, clause: Any) -> bool:
    """A source named in an attribution (according to Reuters, 据路透社) is not an antecedent."""
    return bool(clause.attribution.search(text, max(0, at - 20), at))


def _is_subject(prefix: str, after: str, clause: Any, pronoun: bool = False) -> bool:
    """Whether an anaphor is the subject of its clause (or of a reported clause), not an object.

    A personal pronoun is a subject unless a preposition or a verb stands right before it.
    """
    if clause.object_after.search(prefix):
        return False
    return (
        pronoun
        or bool(clause.subject_prefix.match(prefix) or clause.subject_after.search(prefix))
        or bool(clause.verb_follows.match(after))
    )


def _coordinated(text: str, items: list[Item], where: int, span: Span, strict: bool = False) -> list[Span]:
    """The name written at `where` and the names coordinated with it (A、B 和 C / A, B and C).

    An anaphor standing at `where` is coordinated with nothing: its antecedent stands alone.
    """
    real = [item for item in items if item[2].start_char == item[0]]
    at = next((i for i, item in enumerate(real) if item[0] == where), None)
    if at is None:
        return [span]
    lo = hi = at
    while lo > 0 and _list_gap(text[real[lo - 1][1] : real[lo][0]], strict):
        lo -= 1
    while hi + 1 < len(real) and _list_gap(text[real[hi][1] : real[hi + 1][0]], strict):
        hi += 1
    return [item[2] for item in real[lo : hi + 1]]


def _groups(text: str, items: list[Item], classes: tuple[str, ...]) -> list[list[Span]]:
    """Coordinated groups of two or more distinct entities among real (not anaphoric) mentions."""
    real = [item for item in items if item[2].start_char == item[0] and item[2].label_ in classes]
    groups: list[list[Span]] = []
    current: list[Item] = []
    for item in real:
        if current and _list_gap(text[current[-1][1] : item[0]]):
            current.append(item)
            continue
        if len(_distinct([s for _, _, s in current])) >= 2:
            groups.append(_distinct([s for _, _, s in current]))
        current = [item]
    if len(_distinct([s for _, _, s in current])) >= 2:
        groups.append(_distinct([s for _, _, s in current]))
    return groups


def _group(text: str, nearby: list[list[Item]], anaphor: Anaphor) -> list[Span]:
    for depth, items in enumerate(nearby):
        for group in reversed(_groups(text, items, anaphor.classes)):
            if not anaphor.count or len(group) == anaphor.count:
                return group
        if anaphor.count:  # `A partnered with B. The two companies …`: the sentence's only pair
            named = _distinct([s for _, _, s in items if s.label_ in anaphor.classes])
            if len(named) == anaphor.count:
                return named
            if len(named) > anaphor.count:
                # in its own sentence, a counted group is the names nearest before it (据X数据，从A
                # 开始，到B和C，三家公司都…); a larger earlier sentence is too far to choose from
                return named[-anaphor.count :] if depth == 0 else []
    return []


def _distinct(spans: Iterable[Span]) -> list[Span]:
    seen: set[str] = set()
    out = []
    for span in spans:
        if key(span) not in seen:
            seen.add(key(span))
            out.append(span)
    return out


def _by_class(spans: list[Span], anaphor: Anaphor) -> list[Span]:
    """Stable order with the anaphor's preferred classes first (the company: companies first)."""
    return sorted(spans, key=lambda s: anaphor.classes.index(s.label_))


def _topic(context: Context, anaphor: Anaphor, excluded: set[str], least: int) -> list[Span]:
    """The document's most mentioned compatible entity, unless the anaphor may not stand for it."""
    topic = context.topic(anaphor.classes, least)
    return [topic] if topic is not None and key(topic) not in excluded else []


def _avoided(span: Span, anaphor: Anaphor, context: Context) -> bool:
    if not (anaphor.avoid_subject_of or anaphor.avoid_object_of):
        return False
    subject_of, object_of = context.roles()
    return bool(
        anaphor.avoid_subject_of & subject_of.get(key(span), set())
        or anaphor.avoid_object_of & object_of.get(key(span), set())
    )


def _named_like(span: Span, anaphor: Anaphor) -> bool:
    name = f"{span.text} {span._.kg_name or ''}"
    return anaphor.prefer_names is not None and bool(anaphor.prefer_names.search(name))


def _preferred(span: Span, anaphor: Anaphor, context: Context) -> bool:
    return _named_like(span, anaphor) or bool(
        anaphor.prefer_subject_of & context.roles()[0].get(key(span), set())
    )
