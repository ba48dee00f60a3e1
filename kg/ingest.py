"""Text files in, `Document`s out: stable IRI from the content, language, title, source, date."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from rdflib import URIRef

from .errors import InputError
from .resources import ontology_dir
from .text import is_cjk
from .vocab import KG

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?(?!\d)")
_ZH = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")
_EN = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(\d{1,2}),\s+(\d{4})\b"
)
_DATELINE_LINES = 6  # a publication date is printed near the top; later dates are about events


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
    head = "\n".join(text.splitlines()[:_DATELINE_LINES])
    found: list[tuple[int, date | datetime]] = []
    for match in _ISO.finditer(head):
        y, m, d, hh, mm, ss = match.groups()
        try:
            value: date | datetime = (
                datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0))
                if hh
                else date(int(y), int(m), int(d))
            )
        except ValueError:
            continue
        found.append((match.start(), value))
    for match in _ZH.finditer(head):
        try:
            found.append((match.start(), date(*map(int, match.groups()))))
        except ValueError:
            continue
    for match in _EN.finditer(head):
        try:
            found.append((match.start(), date(int(match[3]), _MONTHS[match[1].lower()], int(match[2]))))
        except ValueError:
            continue
    return min(found, key=lambda item: item[0])[1] if found else None


def make_document(text: str, source: str) -> Document:
    """A Document from text already in memory (`source` names where it came from)."""
    title = next((line.strip() for line in text.splitlines() if line.strip()), source)
    return Document(
        text=text, source=source, lang=detect_language(text), title=title[:200], date=find_date(text)
    )


def read_document(path: Path) -> Document:
    """Read one UTF-8 text file; raises InputError naming the file and the fix."""
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
    return make_document(text, path.name)


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


def read_inputs(inputs: Iterable[str | Path]) -> list[Document]:
    """Every document under the inputs, each read once (the same text twice counts once)."""
    seen: set[str] = set()
    documents = []
    for path in expand_inputs(inputs):
        document = read_document(path)
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
