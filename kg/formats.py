"""What kind of file an input is, and its article text: plain text, Markdown, HTML.

Web pages are read as their article: scripts, styles, navigation, headers, footers and forms are
dropped (and counted), the title and date come from the page's metadata, and every offset counts
in the extracted text. Markdown is read without its markup, code blocks dropped. RDF graphs and
office or binary files are refused by name, with what to do instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

TEXT_SUFFIXES = frozenset({".txt", ".text"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
NEWS_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES
"""What a folder is searched for."""

RDF_SUFFIXES = frozenset({".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf", ".owl", ".n3", ".trix"})
_BINARY = {
    ".pdf": "a PDF document: save it as text first (e.g. `pdftotext FILE`)",
    ".doc": "a Word document: save it as plain text or HTML first",
    ".docx": "a Word document: save it as plain text or HTML first",
    ".odt": "an OpenDocument text: save it as plain text or HTML first",
    ".rtf": "a rich-text document: save it as plain text first",
    ".epub": "an e-book: save it as plain text or HTML first",
    ".xls": "a spreadsheet, not news text",
    ".xlsx": "a spreadsheet, not news text",
    ".pptx": "a slide deck: save it as plain text first",
    ".zip": "an archive: unpack it and give the text files or their folder",
    ".gz": "a compressed file: unpack it first (`gunzip FILE`)",
    ".bz2": "a compressed file: unpack it first",
    ".xz": "a compressed file: unpack it first",
    ".7z": "an archive: unpack it first",
    ".tar": "an archive: unpack it and give the folder",
    ".png": "an image, not text",
    ".jpg": "an image, not text",
    ".jpeg": "an image, not text",
    ".gif": "an image, not text",
    ".webp": "an image, not text",
    ".mp3": "audio, not text",
    ".mp4": "a video, not text",
    ".exe": "a program, not text",
    ".so": "a library, not text",
    ".sqlite": "a database file, not text",
    ".db": "a database file, not text",
    ".pyc": "compiled Python, not text",
}


def check_suffix(path: Path) -> str:
    """The reader for a file by its extension (`text`, `markdown`, `html`); refuses graphs and binaries."""
    suffix = path.suffix.lower()
    if suffix in RDF_SUFFIXES:
        raise InputError(
            f"{path}: an RDF graph ({suffix}), not news text; inspect a graph with "
            f"`kg validate`, `kg viz` or `kg query --graph {path.name}`; to grow a graph article by article "
            "keep it in a store (`kg ingest NEW.txt --store DIR`); give `kg extract` news files"
        )
    if suffix in _BINARY:
        raise InputError(f"{path}: {_BINARY[suffix]}")
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


@dataclass(frozen=True)
class Extracted:
    """A file's article text, with what the reader dropped (characters) and page metadata."""

    text: str
    dropped: int = 0
    title: str = ""
    date: str = ""


# ---------------------------------------------------------------- HTML

_DROP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
     "svg", "canvas", "button", "select", "object", "embed", "head"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
     "dl", "dt", "dd", "blockquote", "pre", "table", "tr", "td", "th", "figure", "figcaption", "br",
     "hr", "address", "details", "summary", "body", "html", "title"}
)  # fmt: skip
_DATE_META = (
    'meta[property="article:published_time"]',
    'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]',
    'meta[name="pubdate"]',
    'meta[name="publishdate"]',
    'meta[name="date"]',
    'meta[name="dc.date"]',
    'meta[name="DC.date"]',
    'meta[property="og:published_time"]',
)
_TITLE_META = ('meta[property="og:title"]', 'meta[name="twitter:title"]', 'meta[name="title"]')
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def _meta(tree: object, selectors: tuple[str, ...]) -> str:
    for selector in selectors:
        node = tree.css_first(selector)  # type: ignore[attr-defined]
        if node is not None and (node.attributes.get("content") or "").strip():
            return str(node.attributes["content"]).strip()
    return ""


def read_html(markup: str) -> Extracted:
    """The article text of a web page (the `<article>` or `<main>` element if there is one)."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(markup)
    title = _meta(tree, _TITLE_META)
    if not title and (node := tree.css_first("title")) is not None:
        title = " ".join(node.text().split())
    date = _meta(tree, _DATE_META)
    if not date and (node := tree.css_first("time[datetime]")) is not None:
        date = str(node.attributes.get("datetime") or "")
    whole = tree.body or tree.root
    if whole is None:
        return Extracted("", 0, title, date)
    root = tree.css_first("article") or tree.css_first("main") or whole
    kept, dropped = _walk(root)
    outside = len(" ".join(whole.text(separator=" ").split())) - len(
        " ".join(root.text(separator=" ").split())
    )
    text = "\n".join(line for line in (_SPACES.sub(" ", ln).strip() for ln in kept.split("\n")) if line)
    return Extracted(text, dropped + max(outside, 0), title, date)


def _walk(root: object) -> tuple[str, int]:
    """Text of the kept elements, a line break around each block; and the characters dropped."""
    out: list[str] = []
    dropped = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:  # no recursion: a hostile page nests ten thousand elements deep
        node, leaving = stack.pop()
        tag = node.tag  # type: ignore[attr-defined]
        if leaving:
            out.append("\n")
            continue
        if tag == "-text":
            out.append(node.text_content or "")  # type: ignore[attr-defined]
            continue
        if tag in _DROP_TAGS:
            dropped += len(" ".join((node.text(deep=True) or "").split()))  # type: ignore[attr-defined]
            continue
        if tag in ("-comment", "!doctype"):
            continue
        block = tag in _BLOCK_TAGS
        if block:
            out.append("\n")
            stack.append((node, True))
        children = list(node.iter(include_text=True))  # type: ignore[attr-defined]
        stack.extend((child, False) for child in reversed(children))
    return "".join(out), dropped


# ---------------------------------------------------------------- Markdown


def read_markdown(source: str) -> Extracted:
    """Markdown as the text a reader sees: no markup, link texts kept, code and raw HTML dropped."""
    from markdown_it import MarkdownIt

    lines: list[str] = []
    dropped = 0
    for token in MarkdownIt("commonmark").enable("table").parse(source):
        if token.type in ("fence", "code_block", "html_block"):
            dropped += len(token.content.strip())
        elif token.type == "inline":
            parts: list[str] = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append("\n")
                elif child.type == "image":
                    parts.append(child.content)
                elif child.type == "html_inline":
                    dropped += len(child.content)
            text = "".join(parts).strip()
            if text:
                lines.append(text)
    return Extracted("\n".join(lines), dropped)
