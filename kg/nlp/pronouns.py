"""Pronouns that stand for entities, resolved by simple, predictable rules.

subject  其 / its / it / 该公司 -> the first organization of the clause, else of the sentence
         before the pronoun, else of the nearest earlier sentence (companies first)
latter   后者 / the latter -> the coordinated organizations just named (Meta 和 Google)
chips    这些芯片 / Both / The chips -> the chips of the nearest sentence that names chips
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

_ORG = ("Company", "Organization")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")
_LIST_GAP = re.compile(r"^\s*(?:、|,|，|和|与|及|以及|and|&)\s*$")


@dataclass(frozen=True)
class Pronouns:
    subject: re.Pattern[str] | None
    latter: re.Pattern[str] | None
    chips: re.Pattern[str] | None

    @classmethod
    def from_config(cls, cfg: dict[str, Any]) -> Pronouns:
        def compile_list(key: str) -> re.Pattern[str] | None:
            items = cfg.get(key, [])
            return re.compile("|".join(f"(?:{item})" for item in items)) if items else None

        return cls(compile_list("subject"), compile_list("latter"), compile_list("chips"))

    def resolve(
        self, text: str, bounds: tuple[int, int], spans: list[Span], history: list[list[Span]]
    ) -> list[tuple[int, int, list[Span]]]:
        """(start, end, antecedents) for each pronoun in the sentence that has an antecedent."""
        start, end = bounds
        found: list[tuple[int, int, list[Span]]] = []
        taken = [(s.start_char, s.end_char) for s in spans]
        for kind, regex in (("chips", self.chips), ("latter", self.latter), ("subject", self.subject)):
            if regex is None:
                continue
            for match in regex.finditer(text[start:end]):
                a, b = match.start() + start, match.end() + start
                if any(x < b and a < y for x, y in taken):
                    continue
                antecedents = self._antecedents(kind, text, a, start, spans, history)
                if antecedents:
                    found.append((a, b, antecedents))
                    taken.append((a, b))
        return found

    @staticmethod
    def _antecedents(
        kind: str, text: str, at: int, sent_start: int, spans: list[Span], history: list[list[Span]]
    ) -> list[Span]:
        before = [s for s in spans if s.end_char <= at]
        if kind == "chips":  # `the chips` looks back one sentence at most
            for group in [before, *history[-1:]]:
                chips = [s for s in group if s.label_ == "Chip"]
                if chips:
                    return chips
            return []
        orgs = [s for s in before if s.label_ in _ORG]
        if kind == "latter":
            if not orgs:
                return []
            group = [orgs[-1]]
            for prev in reversed(orgs[:-1]):
                if not _LIST_GAP.match(text[prev.end_char : group[0].start_char]):
                    break
                group.insert(0, prev)
            return group
        clause_start = max([sent_start, *(m.end() for m in _CLAUSE_BREAK.finditer(text, sent_start, at))])
        in_clause = [s for s in orgs if s.start_char >= clause_start]
        for group in (in_clause, orgs, *(list(reversed(history)))):
            candidates = [s for s in group if s.label_ in _ORG]
            companies = [s for s in candidates if s.label_ == "Company"]
            if companies or candidates:
                return [(companies or candidates)[0]]
        return []
