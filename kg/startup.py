"""Start-up: what a run makes once (modules, pipelines, tables) kept out of the garbage collector's way.

Importing spaCy and building a pipeline make hundreds of thousands of objects that live as long as
the process. The cyclic collector scans them again at every full collection, and once more at exit,
and frees none: a fifth of a short `kg extract`. A command's process (`kg extract`, `kg ingest`)
therefore freezes them (`gc.freeze`: reference counting still frees them, the collector no longer
looks at them) once they are made; a library caller's heap is never frozen, only spared collections
while a pipeline is built. (Frozen for good: unfrozen at the command's end, they would all be scanned
again at exit.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_COMMAND = False


@contextmanager
def command() -> Iterator[None]:
    """One command's run: what each `building()` block inside makes is frozen. What is frozen stays
    so after the command (the modules and pipelines it froze live as long as the process anyway);
    what is garbage when the command starts is collected first, so that none of it is frozen."""
    global _COMMAND
    gc.collect()  # before spaCy is imported (a test calling the command line: its heap, once)
    _COMMAND = True
    try:
        yield
    finally:
        _COMMAND = False


@contextmanager
def building() -> Iterator[None]:
    """No cyclic collection while long-lived tables are made (a pipeline); afterwards, in a command's
    process, they are frozen."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        if _COMMAND:
            gc.freeze()
