"""Traditional Chinese read as simplified, one character for one, so that 輝達 finds NVIDIA.

Lookups (the gazetteer's name trie) fold both the registry's names and the text through
`to_simplified`; the text itself is never changed, and because every character maps to exactly one
character, a match's offsets point into the original text. The character pairs come from OpenCC's
traditional-to-simplified table; a character OpenCC would turn into several is left as it is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .text import is_cjk

_SIMPLIFIED: dict[str, str] = {}


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def simplified_char(ch: str) -> str:
    """The simplified form of one character (itself if it has none, or is not CJK)."""
    if not is_cjk(ch):
        return ch
    found = _SIMPLIFIED.get(ch)
    if found is None:
        converted = _converter().convert(ch)
        found = converted if len(converted) == 1 else ch
        _SIMPLIFIED[ch] = found
    return found


_TABLE: dict[int, str] = {}  # ordinal -> simplified character, for str.translate
_SEEN: set[str] = set()


def to_simplified(text: str) -> str:
    """`text` with each traditional character replaced by its simplified form; same length.

    Each distinct character is looked up once per process; after that a text is one `translate`."""
    new = set(text) - _SEEN
    if new:
        for ch in new:
            simple = simplified_char(ch)
            if simple != ch:
                _TABLE[ord(ch)] = simple
        _SEEN.update(new)
    return text.translate(_TABLE)
