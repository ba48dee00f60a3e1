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
import marshal
import sys
import zlib
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


Shards = dict[str, bytes]
"""jieba's word table split by a word's first character: character -> marshal bytes of (word ->
frequency, word -> part-of-speech tag) for the words and word prefixes that begin with it."""


def _split(freq: dict[str, int], tags: dict[str, str]) -> Shards:
    groups: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
    for word, count in freq.items():
        groups.setdefault(word[0], ({}, {}))[0][word] = count
    for word, tag in tags.items():
        groups.setdefault(word[0], ({}, {}))[1][word] = tag
    return {ch: marshal.dumps(group) for ch, group in groups.items()}


def _checksum(shards: Shards) -> int:
    crc = 0
    for blob in shards.values():
        crc = zlib.crc32(blob, crc)
    return crc


def _is_table(value: Any) -> bool:
    """A whole entry: (shards, total, the shards' checksum); a damaged shard fails the checksum."""
    return (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[0], dict)
        and isinstance(value[1], int)
        and value[2] == _checksum(value[0])
    )


def _words(registry: Registry) -> tuple[Shards, int]:
    """jieba's word table with every Chinese name of the registry, and its word tags, in shards. Built
    once (~1.5 s) and kept on disk (`kg.diskcache`), keyed by jieba's dictionary and the names."""
    jieba = _jieba()

    jieba.setLogLevel(logging.WARNING)
    names = _names(registry)

    def build() -> tuple[Shards, int, int]:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for name in names:
            tokenizer.add_word(name)
        tags = _posseg().POSTokenizer(jieba.Tokenizer()).word_tag_tab  # read from jieba's dictionary
        shards = _split(tokenizer.FREQ, tags)
        return shards, tokenizer.total, _checksum(shards)

    key = content_key("jieba-shards", [jieba.__version__, _dictionary_digest(), *names])
    shards, total, _crc = cached(key, build, _is_table)
    return shards, total


@cache
def tokenizer_for(registry: Registry) -> Any:
    """A jieba tokenizer that knows every Chinese name of the registry (a `jieba.Tokenizer`).

    Its table is read from the disk cache in shards, by first character: a text's shards are added
    to `FREQ` (and its word tags to `word_tags`) when the text is cut, so that a start reads the words
    a document can reach (49,000 for a 2,500-character article) rather than all 500,000. `FREQ` answers
    for every word that begins with a character of a text cut so far; call `load(text)` before
    reading it otherwise."""
    shards, total = _words(registry)
    return _tokenizer_class()(shards, total)


@cache
def pos_tokenizer_for(registry: Registry) -> Any:
    """jieba's part-of-speech tokenizer (a `jieba.posseg.POSTokenizer`) over `tokenizer_for(registry)`,
    its word tags read from the same shards."""
    return _pos_tokenizer_class()(tokenizer_for(registry))


@cache
def _tokenizer_class() -> Any:
    base: Any = _jieba().Tokenizer

    class ShardedTokenizer(base):  # (jieba has no types)
        """`jieba.Tokenizer` whose table is filled shard by shard, before any text is read."""

        def __init__(self, shards: Shards, total: int) -> None:
            super().__init__()
            self.FREQ: dict[str, int] = {}
            self.word_tags: dict[str, str] = {}
            self.total, self.initialized = total, True
            self._shards = shards
            self._loaded: set[str] = set()

        def load(self, text: str) -> None:
            """Add the words that begin with a character of `text` to the tables."""
            if self._loaded.issuperset(text):
                return
            for ch in set(text).difference(self._loaded):
                self._loaded.add(ch)
                blob = self._shards.get(ch)
                if blob is not None:
                    freq, tags = marshal.loads(blob)
                    self.FREQ.update(freq)
                    self.word_tags.update(tags)

        # every way jieba reads FREQ starts from one of these, with the text it will read
        def cut(self, sentence: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(sentence, str):
                self.load(sentence)
            return super().cut(sentence, *args, **kwargs)

        def get_DAG(self, sentence: str) -> dict[int, list[int]]:
            self.load(sentence)
            dag: dict[int, list[int]] = super().get_DAG(sentence)
            return dag

        def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
            self.load(word)  # the table's own entries first, so that they never overwrite this one
            super().add_word(word, freq, tag)

    return ShardedTokenizer


@cache
def _pos_tokenizer_class() -> Any:
    base: Any = _posseg().POSTokenizer

    class ShardedPOSTokenizer(base):  # (jieba has no types)
        """`jieba.posseg.POSTokenizer` over a `ShardedTokenizer`, sharing its word tags."""

        def __init__(self, tokenizer: Any) -> None:  # (not jieba's: it reads the whole dictionary)
            self.tokenizer = tokenizer
            self.word_tag_tab = tokenizer.word_tags

        def cut(self, sentence: Any, HMM: bool = True) -> Any:
            if isinstance(sentence, str):
                self.tokenizer.load(sentence)
            return super().cut(sentence, HMM=HMM)

    return ShardedPOSTokenizer


@cache
def _posseg() -> Any:
    """`jieba.posseg`, whose import reads the word tags of jieba's dictionary for its module-level
    tokenizer (0.4 s): imported with an empty dictionary instead, and its module-level tokenizer
    (`jieba.posseg.cut`, which kg never calls) reads the real one before its first cut."""
    _jieba()
    import jieba

    if "jieba.posseg" not in sys.modules:
        jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            import jieba.posseg
        finally:
            del jieba.dt.get_dict_file
        module = jieba.posseg.dt

        def read_dictionary_first() -> None:
            del module.makesure_userdict_loaded  # the method of its class again
            module.load_word_tag(module.tokenizer.get_dict_file())
            module.makesure_userdict_loaded()

        module.makesure_userdict_loaded = read_dictionary_first
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
