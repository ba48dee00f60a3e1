"""A regex's compiled program as data, so that a start-up reads it from disk instead of compiling.

`re.compile` parses a pattern and generates its program in Python, 2–3 ms for one relation pattern
(a second for all of them); the last step, `_sre.compile`, builds the matcher from the program in C.
`program(source)` runs the first two steps and returns their result as marshal-able data;
`from_program(source, data)` runs only the last. The data is only valid for the interpreter that
made it: callers key it by `sys.version` and `SIGNATURE`. Anything unexpected (another Python,
a damaged program, which `_sre` rejects) falls back to `re.compile`: the same regex either way.
"""

from __future__ import annotations

import importlib
import re
from array import array
from typing import Any

try:  # the private halves of `re`; without them every regex is simply compiled
    _parser: Any = importlib.import_module("re._parser")
    _compiler: Any = importlib.import_module("re._compiler")
    _sre: Any = importlib.import_module("_sre")
    SIGNATURE = f"{_sre.MAGIC}:{_sre.CODESIZE}"
except (ImportError, AttributeError):  # pragma: no cover
    _parser = _compiler = _sre = None
    SIGNATURE = ""

Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
"""(flags, code as unsigned ints, number of groups, group index, group names by number)"""


def program(source: str) -> Program | None:
    """What `re.compile(source)` compiles to, as data (None: not available on this Python)."""
    if _compiler is None or array("I").itemsize != _sre.CODESIZE:
        return None
    tree = _parser.parse(source, 0)
    code = _compiler._code(tree, 0)
    names: list[str | None] = [None] * tree.state.groups
    for name, number in tree.state.groupdict.items():
        names[number] = name
    return (
        tree.state.flags,
        array("I", code).tobytes(),
        tree.state.groups - 1,
        dict(tree.state.groupdict),
        tuple(names),
    )


def from_program(source: str, data: Program | None) -> re.Pattern[str]:
    """The regex `source`, built from its `program` when there is one."""
    if data is not None and _sre is not None:
        try:
            flags, code, groups, index, names = data
            built: re.Pattern[str] = _sre.compile(
                source, flags, array("I", code).tolist(), groups, index, names
            )
            return built
        except (TypeError, ValueError, RuntimeError):
            pass  # not a program of this interpreter: compile it
    return re.compile(source)
