"""The one loader of the knowledge files under `ontology/` (TOML patterns, lexicons): a malformed
file stops with its path, line and what is wrong, never a raw KeyError or TOMLDecodeError."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from .errors import RegistryError

T = TypeVar("T")
_AT_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(path: Path) -> dict[str, Any]:
    """A TOML data file as a dict; RegistryError names the file and line of a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise RegistryError(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the file as UTF-8") from exc
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read it: {exc.strerror}") from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _AT_LINE.search(message)
        if found:
            where, what = f"{path}:{found[1]}", f"{_AT_LINE.sub('', message).strip()} (column {found[2]})"
        elif "(at end of document)" in message:
            where, what = (
                f"{path}:{max(len(text.splitlines()), 1)}",
                message.replace("(at end of document)", "at the end"),
            )
        else:
            where, what = str(path), message
        raise RegistryError(f"{where}: not valid TOML: {what.strip()}") from exc


def line_of(path: Path, key: str) -> int:
    """The line where `key` is first set or opened as a table in a TOML file (0 if not found)."""
    pattern = re.compile(rf"^[ \t]*(\[+\s*)?[\"']?{re.escape(key)}[\"']?\s*(=|\]|\.)", re.MULTILINE)
    try:
        found = pattern.search(path.read_text(encoding="utf-8"))
    except OSError:
        return 0
    return found.string.count("\n", 0, found.start()) + 1 if found else 0


def require(data: dict[str, Any], key: str, kind: type[T], path: Path) -> T:
    """`data[key]`, checked to be a `kind`; RegistryError with file and line when it is missing or wrong."""
    if key not in data:
        raise RegistryError(f"{path}: missing `{key}`; add it (see the other entries in the file)")
    value = data[key]
    if not isinstance(value, kind):
        line = line_of(path, key)
        where = f"{path}:{line}" if line else str(path)
        raise RegistryError(f"{where}: `{key}` should be a {kind.__name__}, not a {type(value).__name__}")
    return value


def table_line(path: Path, name: str, number: int) -> int:
    """The line of the `number`-th `[[name]]` table header in a TOML file (0 if there is none)."""
    pattern = re.compile(rf"^[ \t]*\[\[\s*{re.escape(name)}\s*\]\]", re.MULTILINE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return 0
    for count, found in enumerate(pattern.finditer(text), 1):
        if count == number:
            return text.count("\n", 0, found.start()) + 1
    return 0
