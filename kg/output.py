"""Every file aichip-kg writes is written atomically, never through a link, never over an input.

The bytes go to a private temporary file that `tempfile.mkstemp` creates in the target's folder
(exclusively, so a link planted under any name is never followed; unique, so two writers never
share one), are flushed to disk, and only then replace the target in one rename. A failure leaves
the old file as it was and the temporary file removed, and is one OutputError naming the path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError, UsageError


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777  # keep the mode of the file we replace
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomic(path: str | Path, write: Callable[[BinaryIO], None]) -> Path:
    """Call `write` on a binary file that becomes `path` only once it is complete."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give the name of a file to write")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write here: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write it: {exc.strerror or exc}") from exc
        raise
    return path


def write_text_atomic(path: str | Path, text: str) -> Path:
    """`write_atomic` for a UTF-8 text."""
    data = text.encode("utf-8")

    def write(handle: BinaryIO) -> None:
        handle.write(data)

    return write_atomic(path, write)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.realpath(a) == os.path.realpath(b) or (
            a.exists() and b.exists() and os.path.samefile(a, b)
        )
    except (OSError, RuntimeError):
        return False


def refuse_overwriting_inputs(output: str | Path, inputs: Iterable[str | Path], command: str) -> None:
    """UsageError when `output` names one of the input files (`kg extract a.nt -o a.nt`)."""
    out = Path(output)
    for item in inputs:
        if _same_file(out, Path(item)):
            raise UsageError(
                f"{command}: the output {out} is also an input; writing it would destroy the input. "
                "Give another -o file"
            )


def refuse_replacing(
    outputs: Iterable[str | Path], command: str, *, force: bool, instead: str = "give another -o file"
) -> None:
    """UsageError when an output file exists already and `force` is not set: `-o` never silently
    replaces yesterday's graph. `instead` says how to get what the user likely meant."""
    if force:
        return
    for item in outputs:
        out = Path(item)
        if os.path.lexists(out) and not out.is_dir():  # a folder is refused by write_atomic
            raise UsageError(
                f"{command}: {out} exists: pass --force to replace it, or {instead}; nothing was written"
            )
