"""Start-up paid once: data built from the registry and data files, kept on disk between runs.

Entries live in `$KG_CACHE_DIR`, else `$XDG_CACHE_HOME/aichip-kg`, else `~/.cache/aichip-kg`. Each is
one file named by the content hash of everything it was built from, so a changed registry or data
file is a new key and an old entry is simply never read again. Writers write a private temporary
file and rename it over the entry (several processes building the same entry at once all leave a
whole file); a reader that finds a truncated or foreign file builds the value again and replaces it.
A cache folder that cannot be written costs the build, never the run.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_FORMAT = 1
"""Bumped when what an entry holds changes shape."""


def cache_dir() -> Path:
    """Where entries live (see the module's docstring)."""
    explicit = os.environ.get("KG_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "aichip-kg"


def content_key(kind: str, parts: Iterable[str | bytes]) -> str:
    """A file name for an entry of `kind` built from `parts` (texts or bytes, in order)."""
    digest = hashlib.sha256(f"{kind}|{_FORMAT}|{sys.version_info[:2]}|{marshal.version}".encode())
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return f"{kind}-{digest.hexdigest()[:32]}.marshal"


def cached(key: str, build: Callable[[], Any], valid: Callable[[Any], bool]) -> Any:
    """The value stored under `key`, else `build()` stored there. Values are marshal-able data
    (dicts, lists, strings, numbers); `valid` rejects a file that reads but is not such a value."""
    path = cache_dir() / key
    try:
        value = marshal.loads(path.read_bytes())
        if valid(value):
            return value
    except (OSError, EOFError, ValueError, TypeError):
        pass  # missing, unreadable or corrupt: build it again
    value = build()
    _store(path, marshal.dumps(value))
    return value


def _store(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError:
        return  # a read-only home: no cache, the value was built anyway
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
