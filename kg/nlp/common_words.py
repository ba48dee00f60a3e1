"""Everyday English words, so that a capitalised word is read as a name only when it is rare.

The list is wordfreq's `small` English list (every word with a Zipf frequency of 3 or more: at
least once per million words), read straight from the data file the package ships, without
importing wordfreq itself (its import costs a second of start-up that a lookup does not need).
"""

from __future__ import annotations

import gzip
import importlib.util
from functools import cache
from pathlib import Path

from ..errors import RegistryError


@cache
def common_english() -> frozenset[str]:
    """Lower-case English words with a Zipf frequency of at least 3."""
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise RegistryError("the `wordfreq` package is missing: reinstall aichip-kg (pip install -e .)")
    data = Path(next(iter(spec.submodule_search_locations))) / "data" / "small_en.msgpack.gz"
    import msgpack

    with gzip.open(data) as stream:
        header, *bins = msgpack.load(stream, raw=False)
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise RegistryError(f"{data}: not a wordfreq word list (format {header!r})")
    return frozenset(word for words in bins for word in words)


def is_rare_english(word: str) -> bool:
    """Whether a word (case aside) is outside everyday English: `Groq`, `Lumora`, not `Investors`."""
    folded = word.lower().strip(".,'’")
    if folded.endswith(("'s", "’s")):
        folded = folded[:-2]
    return bool(folded) and folded not in common_english()
