"""Chinese word boundaries for short names, from jieba with every registry name in its dictionary.

Chinese has no spaces, so a two- or three-character name can sit inside other words: 京东 in
北京东路, 快手 in 加快手机. A name is kept only where jieba, which knows the registry's names,
also cuts the text at both of its ends. jieba's dictionary ships inside the package: nothing is
downloaded.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from ..registry import Registry
from ..text import is_cjk

SHORT = 3  # longer Chinese names are specific enough on their own
_WINDOW = 8


@cache
def tokenizer_for(registry: Registry) -> Any:
    """A jieba tokenizer that knows every Chinese name of the registry (built once, ~1 s)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for entity in registry:
        for name in entity.names:
            if all(is_cjk(ch) for ch in name.text):
                tokenizer.add_word(name.text)
    return tokenizer


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
