"""News files in, `Document`s out: stable IRI from the content, language, title, source, date.

A batch skips (and records) what it cannot read; `kg.decode` finds the encoding, `kg.formats` the
article text of Markdown and HTML."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, cached_property
from pathlib import Path

from rdflib import URIRef

from .datafiles import load_toml, require
from .dates import dateline, parse_date
from .decode import decode
from .errors import InputError
from .formats import NEWS_SUFFIXES, Extracted, check_suffix, read_html, read_markdown
from .resources import ontology_dir
from .text import is_cjk
from .vocab import KG

SIDECAR_SUFFIX = ".meta.json"
"""`NAME.meta.json` beside `NAME.txt` tells what the caller knows of it: {"date": "2025-10-14"}."""


@dataclass(frozen=True)
class Document:
    """One source text and what we know about it.

    `text` is what the reader kept (a page's article text, Markdown without markup); offsets count in
    it. `encoding` is the codec the file was read with, `format` its reader (`text`, `markdown`,
    `html`) and `dropped` how many characters of markup, code or page furniture the reader left out.
    """

    text: str
    source: str
    lang: str
    title: str
    date: date | datetime | None = None
    encoding: str = "utf-8"
    format: str = "text"
    dropped: int = 0

    @cached_property
    def id(self) -> str:  # cached: hashing a long text once per mention was quadratic
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


_SURROGATE = re.compile("[\ud800-\udfff]")


def make_document(
    text: str,
    source: str,
    published: date | datetime | str | None = None,
    *,
    title: str = "",
    encoding: str = "utf-8",
    format: str = "text",
    dropped: int = 0,
) -> Document:
    """A Document from text already in memory (`source` names where it came from); its date is
    `published` when the caller knows it (a date, or text holding one), else the text's dateline.

    Lone surrogates (which no file can hold, but a Python string can) become U+FFFD, one for one,
    so that offsets stay right and no later stage meets a character it cannot encode."""
    text = _SURROGATE.sub("\ufffd", text)
    title = title or next((line.strip() for line in text[:4000].splitlines() if line.strip()), source)
    return Document(
        text=text,
        source=source,
        lang=detect_language(text),
        title=title[:200],
        date=(published if isinstance(published, date) else find_date(published or "")) or find_date(text),
        encoding=encoding,
        format=format,
        dropped=dropped,
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
    """Read one news file (text, Markdown or HTML, in any encoding `kg.decode` knows).

    Its date: the sidecar file's (`NAME.meta.json`), else `published`, else the page's metadata,
    else the text's dateline, else none.

    Raises InputError naming the file, what is wrong and what to do."""
    fmt = check_suffix(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from exc
    if not data.strip():
        raise InputError(f"{path}: the file is empty; give a text with an article in it")
    decoded = decode(data, str(path))
    del data  # a 50 MB file: keep its text, not its bytes too
    if fmt == "html":
        page = read_html(decoded.text)
    elif fmt == "markdown":
        page = read_markdown(decoded.text)
    else:
        page = Extracted(decoded.text)
    if "\x00" in page.text:
        raise InputError(f"{path}: looks binary (NUL characters); give a text file")
    if not page.text.strip():
        what = "no article text in this page" if fmt == "html" else "no text once its markup is left out"
        raise InputError(f"{path}: {what}; give a page or file with an article in it")
    return make_document(
        page.text,
        path.name,
        sidecar_date(path) or published or page.date,
        title=page.title,
        encoding=decoded.encoding,
        format=fmt,
        dropped=page.dropped,
    )


@dataclass(frozen=True)
class Skipped:
    """An input left out of a batch, and why (the message of the error it raised)."""

    path: str
    reason: str


@dataclass
class Inputs:
    """What a batch read: its documents and the inputs it skipped."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    """Each document's path relative to the folder it was found in (its file name when given as a
    file), by document id: what `kg ingest` keys a stored document by."""


def _walk(folder: Path, skip: Callable[[Path, str], None], others: Counter[str]) -> Iterator[Path]:
    """News files under `folder`, sorted, links followed once: a link loop is reported, not followed.
    Files of other kinds are counted in `others` by extension."""
    seen: set[tuple[int, int]] = set()
    stack = [folder]
    found: list[Path] = []
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                skip(current, "a symbolic link back to a folder already read; not followed twice")
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            skip(current, f"cannot read this folder: {exc.strerror}")
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    stack.append(path)
                elif path.suffix.lower() in NEWS_SUFFIXES:
                    if entry.is_file():
                        found.append(path)
                    else:
                        skip(path, _not_a_file(path))
                else:
                    others[path.suffix.lower() or "(no extension)"] += 1
            except OSError as exc:
                skip(path, _not_a_file(path) if exc.errno == errno.ELOOP else exc.strerror or str(exc))
    yield from sorted(found)


def _not_a_file(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link loop; it points back to itself"
        if path.is_symlink():
            return f"a broken symbolic link (to {os.readlink(path)})"
        return "no such file or folder"
    return "not a regular file (a device, pipe or socket)"


def collect_inputs(
    inputs: Iterable[str | Path], strict: bool = False, published: date | datetime | None = None
) -> Inputs:
    """Every document under the inputs, each read once (the same text twice counts once);
    `published` dates those with no sidecar file (see `read_document`).

    A file or folder that cannot be read is skipped and recorded (`strict`: raised at once)."""
    result = Inputs()
    result.documents = list(stream_inputs(inputs, result.skipped, strict, published, result.keys))
    return result


def stream_inputs(
    inputs: Iterable[str | Path],
    skipped: list[Skipped],
    strict: bool = False,
    published: date | datetime | None = None,
    keys: dict[str, str] | None = None,
) -> Iterator[Document]:
    """`collect_inputs` one document at a time, read when it is asked for: only the document being
    read is held. Inputs skipped are appended to `skipped`; InputError at the end when none was read."""
    seen: set[str] = set()

    def skip(path: Path, reason: str) -> None:
        if strict:
            raise InputError(f"{path}: {reason}")
        skipped.append(Skipped(str(path), reason))

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            before, others = len(skipped), Counter[str]()
            files = list(_walk(path, skip, others))
            if not files and len(skipped) == before:
                kinds = ", ".join(sorted(others))
                has = f" (it has {others.total()} other files: {kinds})" if others else ""
                skip(path, f"no .txt, .text, .md or .html files in this folder{has}")
        elif path.is_file():
            files = [path]
        else:
            skip(path, _not_a_file(path))
            continue
        for file in files:
            try:
                document = read_document(file, published)
            except InputError as exc:
                if strict:
                    raise
                reason = str(exc).removeprefix(f"{file}: ")
                skipped.append(Skipped(str(file), reason))
                continue
            if document.id not in seen:
                seen.add(document.id)
                if keys is not None:  # the key a store files it under: its path inside the folder given
                    keys[document.id] = file.relative_to(path).as_posix() if file != path else file.name
                yield document
    if not seen:
        if len(skipped) == 1:
            raise InputError(f"no input documents ({skipped[0].path}: {skipped[0].reason})")
        lines = "".join(f"\n  {s.path}: {s.reason}" for s in skipped)
        raise InputError(f"no input documents: all {len(skipped)} inputs were skipped:{lines}")


def read_inputs(inputs: Iterable[str | Path], published: date | datetime | None = None) -> list[Document]:
    """Every document under the inputs; the first input that cannot be read raises InputError."""
    return collect_inputs(inputs, strict=True, published=published).documents


@cache
def _navigation_headings() -> re.Pattern[str]:
    data = load_toml(ontology_dir() / "patterns" / "boilerplate.toml")
    headings = require(data, "navigation_headings", list, ontology_dir() / "patterns" / "boilerplate.toml")
    return re.compile("|".join(f"(?:{h})" for h in headings))


_LINK_LINE = 80  # a navigation entry is one short title per line
_INNER_END = re.compile(r"[。！？!?][^。！？!?\s”’」』）)]|\.\s+[A-Z]")


def _link_like(line: str) -> bool:
    """A line that reads like a list entry (a headline, a link, a date, a teaser cut off with an
    ellipsis), not a paragraph of prose."""
    line = line.strip()
    if line.endswith(("...", "…")):
        return True  # a teaser: the page cut the text short to link to it
    return len(line) <= _LINK_LINE and not _INNER_END.search(line)


def article_end(text: str) -> int:
    """Where the article ends: before a navigation heading (相关内容, Related articles) that only
    short link-like lines follow. A heading followed by prose (a digest, a long report) ends nothing."""
    headings = _navigation_headings()
    tail = stop = len(text)  # back from the end over the run of link-like lines: it is short
    while stop > 0:
        begin = text.rfind("\n", 0, stop - 1) + 1
        if not _link_like(text[begin:stop]):
            break
        tail = stop = begin
    while tail < len(text):  # the first heading in that run opens the navigation
        stop = text.find("\n", tail) + 1 or len(text)
        if tail and headings.fullmatch(text[tail:stop].strip()):
            return tail
        tail = stop
    return len(text)
