"""Chinese word boundaries for short names, from jieba with every registry name in its dictionary.

Chinese has no spaces, so a two- or three-character name can sit inside other words: 京东 in
北京东路, 快手 in 加快手机. A name is kept only where jieba, which knows the registry's names,
also cuts the text at both of its ends. jieba's dictionary ships inside the package: nothing is
downloaded.
"""

from __future__ import annotations

import hashlib
import io
import logging
import sys
from functools import cache
from typing import Any

from ..diskcache import cached, content_key
from ..registry import Registry
from ..text import is_cjk

SHORT = 3  # longer Chinese names are specific enough on their own
_WINDOW = 8


def _jieba() -> Any:
    """`jieba`, imported without `pkg_resources` (0.1–0.3 s of a start, and nothing else here
    imports it): without it jieba's `_compat` opens its data files beside the package, the same files."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # its import raises ImportError
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import jieba

    return jieba


def _dictionary_bytes() -> bytes:
    jieba = _jieba()

    with jieba.dt.get_dict_file() as file:
        return bytes(file.read())


@cache
def _dictionary_digest() -> str:
    return hashlib.sha256(_dictionary_bytes()).hexdigest()


def _names(registry: Registry) -> list[str]:
    """The registry's all-Chinese names, in the order they are taught to jieba."""
    return [n.text for entity in registry for n in entity.names if all(is_cjk(ch) for ch in n.text)]


def _is_table(value: Any) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)


@cache
def tokenizer_for(registry: Registry) -> Any:
    """A jieba tokenizer that knows every Chinese name of the registry. Built once (~1 s) and kept
    on disk (`kg.diskcache`), keyed by jieba's dictionary and the names; later runs read it back."""
    jieba = _jieba()

    jieba.setLogLevel(logging.WARNING)
    names = _names(registry)

    def build() -> tuple[dict[str, int], int]:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for name in names:
            tokenizer.add_word(name)
        return tokenizer.FREQ, tokenizer.total

    key = content_key("jieba-names", [jieba.__version__, _dictionary_digest(), *names])
    freq, total = cached(key, build, _is_table)
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    return tokenizer


@cache
def pos_tokenizer_for(registry: Registry) -> Any:
    """jieba's part-of-speech tokenizer over `tokenizer_for(registry)`; its word-tag table (read
    from jieba's dictionary) is kept on disk like the tokenizer."""
    jieba = _jieba()

    def build() -> tuple[dict[str, str], int]:
        import jieba.posseg

        return jieba.posseg.POSTokenizer(jieba.Tokenizer()).word_tag_tab, 0

    key = content_key("jieba-tags", [jieba.__version__, _dictionary_digest()])
    tags, _ = cached(key, build, _is_table)
    posseg = _import_posseg(tags)
    pos = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
    pos.tokenizer, pos.word_tag_tab = tokenizer_for(registry), tags
    return pos


def _import_posseg(tags: dict[str, str]) -> Any:
    """`jieba.posseg`, whose import reads the word tags of jieba's dictionary for its module-level
    tokenizer (0.4 s): given the same table from the cache instead (a copy: it may grow)."""
    _jieba()
    import jieba

    if "jieba.posseg" not in sys.modules:
        jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            import jieba.posseg
        finally:
            del jieba.dt.get_dict_file
        jieba.posseg.dt.word_tag_tab = dict(tags)
    return sys.modules["jieba.posseg"]


def needs_check(text: str) -> bool:
    return len(text) <= SHORT and all(is_cjk(ch) for ch in text)


def on_word_boundaries(tokenizer: Any, text: str, start: int, end: int) -> bool:
    """True when the words jieba cuts around text[start:end] begin at `start` and end at `end`."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    lo = max(line_start, start - _WINDOW)
    hi = min(end + _WINDOW, line_end if line_end != -1 else len(text))
    cuts, pos = {lo}, lo
    for word in tokenizer.cut(text[lo:hi], HMM=False):
        pos += len(word)
        cuts.add(pos)
    return start in cuts and end in cuts
