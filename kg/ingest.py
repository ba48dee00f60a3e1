"""Text files in, `Document`s out: stable IRI from the content, language, title, source, date."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from rdflib import URIRef

from .dates import dateline, parse_date
from .errors import InputError
from .resources import ontology_dir
from .text import is_cjk
from .vocab import KG

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
SIDECAR_SUFFIX = ".meta.json"
"""`NAME.meta.json` beside `NAME.txt` tells what the caller knows of it: {"date": "2025-10-14"}."""


@dataclass(frozen=True)
class Document:
    """One source text and what we know about it."""

    text: str
    source: str
    lang: str
    title: str
    date: date | datetime | None = None

    @property
    def id(self) -> str:
        return "doc-" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    @property
    def iri(self) -> URIRef:
        return KG[self.id]


def detect_language(text: str) -> str:
    """`zh` when CJK characters make up at least a fifth of the letters, else `en`."""
    cjk = sum(1 for ch in text if is_cjk(ch))
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return "zh" if cjk and cjk * 5 >= cjk + latin else "en"


def find_date(text: str) -> date | datetime | None:
    """The first full date printed in the document's first lines (its dateline), if any."""
    return dateline(text)


def make_document(text: str, source: str, published: date | datetime | None = None) -> Document:
    """A Document from text already in memory (`source` names where it came from); its date is
    `published` when the caller knows it, else the text's dateline, else none."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), source)
    return Document(
        text=text,
        source=source,
        lang=detect_language(text),
        title=title[:200],
        date=published or find_date(text),
    )


def sidecar_date(path: Path) -> date | datetime | None:
    """The `"date"` of the sidecar file `NAME.meta.json` beside `NAME.txt`, if there is one."""
    meta = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not meta.is_file():
        return None
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        value = data.get("date") if isinstance(data, dict) else None
        return parse_date(str(value)) if value else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise InputError(
            f'{meta}: cannot read its date: {exc}; write it as {{"date": "YYYY-MM-DD"}}'
        ) from exc


def read_document(path: Path, published: date | datetime | None = None) -> Document:
    """Read one UTF-8 text file; raises InputError naming the file and the fix.

    Its date: the sidecar file's (`NAME.meta.json`), else `published`, else the text's dateline, else none."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 text (byte {exc.start}); convert it, e.g. `iconv -f GB18030 -t UTF-8 {path.name}`"
        ) from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from exc
    if not text.strip():
        raise InputError(f"{path}: the file is empty; give a text with an article in it")
    if "\x00" in text:
        raise InputError(f"{path}: looks binary (NUL bytes); give a UTF-8 text file")
    return make_document(text, path.name, sidecar_date(path) or published)


def expand_inputs(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Files as given, and every text file (.txt .text .md) under a folder, in sorted order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES)
            if not files:
                raise InputError(f"{path}: no .txt, .text or .md files in this folder")
            yield from files
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such file or folder")


def read_inputs(inputs: Iterable[str | Path], published: date | datetime | None = None) -> list[Document]:
    """Every document under the inputs, each read once (the same text twice counts once); `published` is the
    publication date of those that have no sidecar file (see `read_document`)."""
    seen: set[str] = set()
    documents = []
    for path in expand_inputs(inputs):
        document = read_document(path, published)
        if document.id not in seen:
            seen.add(document.id)
            documents.append(document)
    if not documents:
        raise InputError("no input documents: name text files or folders of them")
    return documents


@cache
def _navigation_headings() -> re.Pattern[str]:
    data = tomllib.loads((ontology_dir() / "patterns" / "boilerplate.toml").read_text(encoding="utf-8"))
    return re.compile("|".join(f"(?:{h})" for h in data["navigation_headings"]))


def article_end(text: str) -> int:
    """Where the article ends: before a line that opens page navigation (相关内容, Related articles)."""
    headings = _navigation_headings()
    offset = 0
    for line in text.splitlines(keepends=True):
        if offset and headings.fullmatch(line.strip()):
            return offset
        offset += len(line)
    return len(text)
