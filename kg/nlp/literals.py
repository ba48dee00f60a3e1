"""Words a regex cannot match without: a prefilter that skips a pattern before it is searched.

`required(regex)` reads a compiled regex's parse tree and returns strings of which every match
holds at least one (the trigger words of a relation pattern, 与 … 合作), or None when it finds none
worth checking. A sentence that holds none of them cannot match, so the pattern is not searched
there; a sentence that holds one is searched as before. The set is a necessary condition only:
nothing it lets through is changed, so the readings are the same with or without it.

`Prefilter` asks the sets of many patterns of one text at once.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from itertools import product
from typing import Any

_LIMIT = 400
"""The most strings a set may hold (an alternation of trigger words); larger ones are not kept."""

try:  # the parser behind `re`; without it (another Python) there is simply no prefilter
    _parser: Any = importlib.import_module("re._parser")
    _C: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _parser = _C = None

_Set = frozenset[str]


def required(regex: re.Pattern[str], common: str = "") -> _Set | None:
    """Strings one of which every match of `regex` contains, or None. `common` lists characters
    that say nothing (the mention markers' brackets): they do not count in a string's length."""
    if _parser is None or regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return None
    try:
        tree = _parser.parse(regex.pattern, regex.flags)
    except Exception:  # a private parser: any surprise means no prefilter
        return None
    found = _Reader(frozenset(common)).needed(list(tree))
    return _shortest(found) if found and _worth(found, frozenset(common)) else None


def _shortest(strings: _Set) -> _Set:
    """The strings no other one is inside: a text that holds `携手了` holds `携手`."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


def _worth(strings: _Set, common: frozenset[str]) -> bool:
    return "" not in strings and all(any(c not in common and not c.isspace() for c in s) for s in strings)


class _Reader:
    """Walks a parse tree. `exact(items)` is a set holding every string the items can match (None:
    unbounded); `needed(items)` a set one of whose strings every such string contains."""

    def __init__(self, common: frozenset[str]) -> None:
        self.common = common

    def exact(self, items: list[Any]) -> _Set | None:
        out: _Set | None = frozenset({""})
        for op, av in items:
            out = _concat(out, self._exact_one(op, av))
            if out is None:
                return None
        return out

    def _exact_one(self, op: Any, av: Any) -> _Set | None:
        if op is _C.LITERAL:
            return frozenset({chr(av)})
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            return frozenset({""})  # zero width: what it looks at is not part of the match
        if op is _C.IN:
            return _chars(av)
        if op is _C.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            return None if add_flags & re.IGNORECASE else self.exact(list(sub))
        if op is _C.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                one = self.exact(list(alternative))
                if one is None:
                    return None
                out |= one
                if len(out) > _LIMIT:
                    return None
            return frozenset(out)
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            low, high, sub = av
            if (low, high) in ((1, 1), (0, 1)):
                one = self.exact(list(sub))
                return one if one is None or low == 1 else one | {""}
        return None

    def needed(self, items: list[Any]) -> _Set | None:
        """The best set among the element's own: a run of exact elements joined, or one element's."""
        candidates: list[_Set] = []
        run: _Set | None = frozenset({""})
        for op, av in items:
            one = self._exact_one(op, av)
            joined = _concat(run, one) if run is not None and one is not None else None
            if joined is not None:
                run = joined
                continue
            if run is not None:
                candidates.append(run)
            if one is not None:  # the run grew too large: start again from this element
                run = one
                continue
            run = frozenset({""})
            inner = self._needed_one(op, av)
            if inner is not None:
                candidates.append(inner)
        if run is not None:
            candidates.append(run)
        return self._best(candidates)

    def _needed_one(self, op: Any, av: Any) -> _Set | None:
        if op is _C.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            return None if add_flags & re.IGNORECASE else self.needed(list(sub))
        if op is _C.BRANCH:
            out: set[str] = set()
            for alternative in av[1]:
                one = self.needed(list(alternative))
                if one is None:
                    return None
                out |= one
                if len(out) > _LIMIT:
                    return None
            return frozenset(out)
        if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, getattr(_C, "POSSESSIVE_REPEAT", None)):
            low, _high, sub = av
            return self.needed(list(sub)) if low >= 1 else None
        return None

    def _best(self, candidates: list[_Set]) -> _Set | None:
        useful = [c for c in candidates if _worth(c, self.common)]
        if not useful:
            return None
        return max(useful, key=lambda c: (min(self._weight(s) for s in c), -len(c)))

    def _weight(self, text: str) -> int:
        return sum(1 for c in text if c not in self.common and not c.isspace())


def _chars(av: Any) -> _Set | None:
    out: set[str] = set()
    for op, value in av:
        if op is _C.LITERAL:
            out.add(chr(value))
        elif op is _C.RANGE and value[1] - value[0] < 8:
            out.update(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None  # a negation, a category, a wide range
    return frozenset(out) if len(out) <= 8 else None


def _concat(left: _Set | None, right: _Set | None) -> _Set | None:
    if left is None or right is None or len(left) * len(right) > _LIMIT:
        return None
    return frozenset(a + b for a, b in product(left, right))


class Prefilter:
    """The `required` sets of many patterns, asked of one text at once: which patterns may match it.

    Each string is filed under its first two characters (its only one, if one); a text's characters
    and bigrams pick the strings worth a substring search, and each string found lets through the
    patterns that need it. A pattern without a set is always let through.
    """

    def __init__(self, sets: Iterable[tuple[str, ...] | None]) -> None:
        self.always = 0  # bit i: pattern i has no set
        self.by_head: dict[str, list[tuple[str, int]]] = {}  # first two characters -> (string, patterns)
        bits: dict[str, int] = {}
        for i, strings in enumerate(sets):
            if not strings:
                self.always |= 1 << i
                continue
            for s in strings:
                bits[s] = bits.get(s, 0) | 1 << i
        for s, mask in bits.items():
            self.by_head.setdefault(s[:2], []).append((s, mask))
        self.heads = frozenset(self.by_head)

    def passing(self, text: str) -> int:
        """Bit i is set when pattern i may match `text`."""
        grams = set(text)
        grams.update(text[i : i + 2] for i in range(len(text) - 1))
        out = self.always
        for head in self.heads.intersection(grams):
            for s, mask in self.by_head[head]:
                if s in text:
                    out |= mask
        return out
