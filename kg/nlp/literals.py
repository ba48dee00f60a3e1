"""Words a regex cannot match without: a prefilter that skips a pattern before it is searched.

`required(regex)` reads a compiled regex's parse tree and returns sets of strings such that a text
with a match holds a string of each set (the trigger words of a relation pattern; 由 and 代工|制造 …). A
sentence that lacks every string of one set cannot match, so the pattern is not searched there; a
sentence that satisfies all of them is searched as before. The sets are a necessary condition only:
nothing they let through is changed, so the readings are the same with or without them.

`Prefilter` asks the sets of many patterns of one text at once.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterable
from itertools import product
from pathlib import Path
from typing import Any

from ..diskcache import cached, content_key

_LIMIT = 400
"""The most strings a set may hold (an alternation of trigger words); larger ones are not kept."""

try:  # the parser behind `re`; without it (another Python) there is simply no prefilter
    _parser: Any = importlib.import_module("re._parser")
    _C: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover
    _parser = _C = None

_Set = frozenset[str]
_KEPT = 4
"""The most sets a pattern keeps (a sentence must satisfy each)."""
_REPEATS = tuple(
    getattr(_C, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_C, name)
)


def required(regex: re.Pattern[str], common: str = "") -> tuple[_Set, ...]:
    """Sets of strings such that a text `regex` matches in holds one string of each set (at most
    `_KEPT`, the most telling; none when none is found). `common` lists characters that say nothing
    (the mention markers' brackets): they do not count in a string's length."""
    if _parser is None or regex.flags & re.IGNORECASE or not isinstance(regex.pattern, str):
        return ()
    try:
        tree = _parser.parse(regex.pattern, regex.flags)
    except Exception:  # a private parser: any surprise means no prefilter
        return ()
    reader = _Reader(frozenset(common))
    found = sorted({_shortest(c) for c in reader.all_needed(list(tree))}, key=sorted)
    return tuple(sorted(found, key=reader.score, reverse=True)[:_KEPT])


def prefilters(regexes: list[re.Pattern[str]], common: str = "") -> list[tuple[tuple[str, ...], ...]]:
    """`required` of each regex, as `Prefilter` takes them; kept on disk (`kg.diskcache`), keyed by
    the regexes and this module's code, as reading large regexes takes a while."""
    parts: list[str | bytes] = [sys.version, common, Path(__file__).read_bytes()]
    parts += [f"{regex.flags}:{regex.pattern}" for regex in regexes]

    def build() -> list[tuple[tuple[str, ...], ...]]:
        return [tuple(tuple(sorted(s)) for s in required(regex, common)) for regex in regexes]

    def valid(value: Any) -> bool:
        return (
            isinstance(value, list)
            and len(value) == len(regexes)
            and all(
                isinstance(sets, tuple)
                and all(
                    isinstance(strings, tuple) and all(isinstance(s, str) and s for s in strings)
                    for strings in sets
                )
                for sets in value
            )
        )

    return list(cached(content_key("prefilters", parts), build, valid))


def _shortest(strings: _Set) -> _Set:
    """The strings no other one is inside: a text that holds `携手了` holds `携手`."""
    return frozenset(s for s in strings if not any(t != s and t in s for t in strings))


class _Reader:
    """Walks a parse tree. `exact(items)` is a set holding every string the items can match (None:
    unbounded); `all_needed(items)` sets one of whose strings every such string contains, each."""

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
        if op in _REPEATS:
            low, high, sub = av
            if (low, high) in ((1, 1), (0, 1)):
                one = self.exact(list(sub))
                return one if one is None or low == 1 else one | {""}
        return None

    def all_needed(self, items: list[Any]) -> list[_Set]:
        """Every set the items need: each run of exact elements joined, and each other element's own."""
        found: list[_Set] = []
        run: _Set = frozenset({""})
        for op, av in items:
            if op is _C.ASSERT:  # zero width in the run, but what it looks at is in the text
                found.extend(self._needed_one(op, av))
            one = self._exact_one(op, av)
            joined = _concat(run, one)
            if joined is not None:
                run = joined
                continue
            found.append(run)
            if one is not None:  # the run grew too large: start again from this element
                run = one
                continue
            run = frozenset({""})
            found.extend(self._needed_one(op, av))
        found.append(run)
        return [c for c in found if self._worth(c)]

    def _needed_one(self, op: Any, av: Any) -> list[_Set]:
        if op is _C.SUBPATTERN:
            _group, add_flags, _del_flags, sub = av
            return [] if add_flags & re.IGNORECASE else self.all_needed(list(sub))
        if op is _C.BRANCH:  # one string of any alternative's best set
            out: set[str] = set()
            for alternative in av[1]:
                sets = self.all_needed(list(alternative))
                if not sets:
                    return []
                best: _Set = max(sets, key=self.score)
                out |= best
                if len(out) > _LIMIT:
                    return []
            return [frozenset(out)]
        if op in _REPEATS:
            low, _high, sub = av
            return self.all_needed(list(sub)) if low >= 1 else []
        if op is _C.ASSERT:  # not in the match, but in the text searched, before or after it
            _direction, sub = av
            return self.all_needed(list(sub))
        return []

    def _worth(self, strings: _Set) -> bool:
        return "" not in strings and all(self._weight(s) for s in strings)

    def score(self, strings: _Set) -> tuple[int, int]:
        """Longer strings first, then fewer: the set a sentence is least likely to hold."""
        return min(self._weight(s) for s in strings), -len(strings)

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
    """The `required` sets of many patterns, asked of one text at once.

    Each string is filed under its first two characters (its only one, if one); a text's characters
    and bigrams pick the strings worth a substring search, and each string found satisfies the sets
    that hold it. `passing(text)` has bit j set when the text satisfies set j; `needs[i]` has the bits
    of pattern i's sets, so pattern i may match only when `passing(text) & needs[i] == needs[i]`.
    """

    def __init__(self, patterns: Iterable[tuple[tuple[str, ...], ...]]) -> None:
        index: dict[frozenset[str], int] = {}
        self.needs: list[int] = []
        for sets in patterns:
            need = 0
            for strings in sets:
                need |= 1 << index.setdefault(frozenset(strings), len(index))
            self.needs.append(need)
        bits: dict[str, int] = {}
        for members, j in index.items():
            for s in members:
                bits[s] = bits.get(s, 0) | 1 << j
        self.by_head: dict[str, list[tuple[str, int]]] = {}  # first two characters -> (string, sets)
        for s, mask in bits.items():
            self.by_head.setdefault(s[:2], []).append((s, mask))
        self.heads = frozenset(self.by_head)

    def passing(self, text: str) -> int:
        """Bit j is set when `text` holds a string of set j."""
        grams = set(text)
        grams.update(text[i : i + 2] for i in range(len(text) - 1))
        out = 0
        for head in self.heads.intersection(grams):
            for s, mask in self.by_head[head]:
                if s in text:
                    out |= mask
        return out
