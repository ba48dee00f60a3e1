"""Character-level helpers shared by every stage: scripts, width folding, name keys, slugs."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2EBEF))


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the characters that Chinese names are made of)."""
    code = ord(ch)  # the ranges of _CJK_RANGES, written out: this runs once per character read
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2EBEF
    )


def is_word_char(ch: str) -> bool:
    """True for an ASCII letter or digit: the characters a Latin name must not run into."""
    return ch.isascii() and ch.isalnum()


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def fold_char(ch: str) -> str:
    """Fold one character to its matching form without changing the text's length.

    Full-width ASCII becomes half-width, the ideographic space a space, ASCII letters lower case;
    keeping one character for one character lets match offsets point into the original text.
    """
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    elif code in (0x3000, 0x00A0):
        ch = " "
    return ch.lower() if "A" <= ch <= "Z" else ch


_FOLD = {code: fold_char(chr(code)) for code in (*range(0xFF01, 0xFF5F), 0x3000, 0x00A0, *range(65, 91))}
"""`fold_char` as a table: the only characters it changes (for `str.translate`)."""


def fold_text(text: str) -> str:
    """`fold_char` over a whole text; the result has exactly the text's length."""
    return text.translate(_FOLD)


SEPARATORS = frozenset(" -\u2010\u2011\u2012\u2013_\u00b7\u30fb")
"""Characters a name may carry or drop between its parts: `Maia 100` = `Maia100`, `CoWoS-L`."""


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The key two spellings of one name share: NFKC, lower case, no spaces or hyphens."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in folded if ch not in SEPARATORS and not ch.isspace())


def language_of_name(name: str) -> str:
    """`zh` for a name with CJK characters, else `en`."""
    return "zh" if has_cjk(name) else "en"


_SLUG_DROP = re.compile(r"[^\w\u3400-\u9fff]+")


def slug(name: str) -> str:
    """A readable IRI local name: lower case, words joined by hyphens, CJK kept as is."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return _SLUG_DROP.sub("-", text).strip("-_") or "x"
