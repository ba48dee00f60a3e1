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

_TABLE: dict[int, str] = {}  # ordinal -> simplified character, for str.translate
_SEEN: set[str] = set()  # characters already looked up


@cache
def _converter() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` with each traditional character replaced by its simplified form; same length.

    Each distinct character is looked up once per process (a CJK one that OpenCC turns into
    several characters stays as it is); after that a text is one `translate`."""
    new = set(text) - _SEEN
    for ch in new:
        if is_cjk(ch):
            converted = _converter().convert(ch)
            if len(converted) == 1 and converted != ch:
                _TABLE[ord(ch)] = converted
    _SEEN.update(new)
    return text.translate(_TABLE)
