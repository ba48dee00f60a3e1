"""A character trie that finds registry names in text: longest match, word boundaries, case rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..hanzi import to_simplified
from ..text import SEPARATORS, fold_text, is_word_char


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    payload: str | None = None
    needs_case: bool = False  # every spelling has a capital: `arm` in running text is not Arm


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    payload: str


class NameTrie:
    """Names keyed by their folded characters (traditional read as simplified); separators in text
    and names are skipped."""

    def __init__(self) -> None:
        self._root = _Node()

    def add(self, name: str, payload: str) -> None:
        node = self._root
        for ch in fold_text(to_simplified(name)):
            if ch in SEPARATORS or ch.isspace():
                continue
            child = node.children.get(ch)
            if child is None:  # (not `setdefault(ch, _Node())`: a node made per character added)
                child = node.children[ch] = _Node()
            node = child
        if node is self._root:
            return
        # `arm` in running text is not Arm; but `tensor processing unit` is the TPU whatever its case
        several_words = len(name.split()) >= 2 and len(name) >= 10
        has_latin = any(c.isalpha() and c.isascii() for c in name)
        spelled_with_case = (any(c.isupper() for c in name) or not has_latin) and not several_words
        if node.payload is None:
            node.payload, node.needs_case = payload, spelled_with_case
        else:
            node.needs_case = node.needs_case and spelled_with_case

    def find(self, text: str) -> list[Hit]:
        """Leftmost-longest, non-overlapping matches of the names in `text`."""
        folded = fold_text(to_simplified(text))  # 輝達 finds 辉达; one char for one keeps offsets
        hits: list[Hit] = []
        i, n = 0, len(folded)
        root = self._root.children
        while i < n:
            ch = folded[i]
            if ch not in root or (is_word_char(ch) and i and is_word_char(folded[i - 1])):
                i += 1
                continue
            best = self._longest(text, folded, i)
            if best is None:
                i += 1
                continue
            hits.append(best)
            i = best.end
        return hits

    def _longest(self, text: str, folded: str, start: int) -> Hit | None:
        node, j, n = self._root, start, len(folded)
        best: Hit | None = None
        while j < n:
            ch = folded[j]
            if ch in SEPARATORS and node is not self._root and j + 1 < n and folded[j + 1] not in SEPARATORS:
                j += 1  # one separator between parts: `Maia 100`, `CoWoS-L`, `昇腾 910B`
                ch = folded[j]
            child = node.children.get(ch)
            if child is None:
                break
            node, j = child, j + 1
            if node.payload is not None and self._acceptable(text, folded, start, j, node):
                best = Hit(start, self._with_plural(text, folded, j), node.payload)
        return best

    @staticmethod
    def _acceptable(text: str, folded: str, start: int, end: int, node: _Node) -> bool:
        last = folded[end - 1]
        runs_on = is_word_char(last) and end < len(folded) and is_word_char(folded[end])
        if runs_on and not NameTrie._plural_at(text, folded, end):
            return False
        if node.needs_case:
            letters = [c for c in text[start:end] if c.isascii() and c.isalpha()]
            if letters and not any(c.isupper() for c in letters):
                return False
        return True

    @staticmethod
    def _plural_at(text: str, folded: str, end: int) -> bool:
        """`TPUs`, `H100s`, `processing units`: a plural s after a capital, a digit or a word of four
        letters or more, then a word boundary."""
        after = end + 1
        word_start = end
        while word_start > 0 and is_word_char(folded[word_start - 1]):
            word_start -= 1
        return (
            folded[end] == "s"
            and (text[end - 1].isupper() or text[end - 1].isdigit() or end - word_start >= 4)
            and (after >= len(folded) or not is_word_char(folded[after]))
        )

    @staticmethod
    def _with_plural(text: str, folded: str, end: int) -> int:
        return end + 1 if end < len(folded) and NameTrie._plural_at(text, folded, end) else end
