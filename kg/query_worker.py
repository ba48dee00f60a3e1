"""One query worker of `kg serve` (`python -m kg.query_worker STORE`): opens the Oxigraph store at STORE
read-only and answers queries read from stdin, one at a time, until stdin closes.

Messages both ways are a pickle behind an 8-byte length (see `kg.query_pool`, which starts these
workers, owns both ends of the pipes, and kills a worker whose query runs too long). The worker
first writes `("ready", pid)` (or `("failed", message)`); then for each request `(text, default_graphs, named_graphs, limit, formats)`
it writes `(True, sparql.Answer)` (already `sparql.written` when formats are given) or `(False, (exception name, message))`.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from typing import IO, Any

_LENGTH = struct.Struct(">Q")


def write(out: IO[bytes], message: Any) -> None:
    """Send one message: its pickle behind its length."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(_LENGTH.pack(len(data)) + data)
    out.flush()


def read(source: IO[bytes]) -> Any:
    """The next message, or None at the end of the stream."""
    head = _exactly(source, _LENGTH.size)
    if head is None:
        return None
    body = _exactly(source, _LENGTH.unpack(head)[0])
    return None if body is None else pickle.loads(body)


def _exactly(source: IO[bytes], size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = source.read(left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def main(argv: list[str]) -> int:
    # Ctrl-C at the terminal reaches the whole process group: the server decides when workers end
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # answers go to a private copy of stdout; anything else printed lands on stderr, not in the pipe
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    source = sys.stdin.buffer

    import pyoxigraph as ox

    from . import sparql

    try:
        store = ox.Store.read_only(argv[0])
    except OSError as exc:
        write(out, ("failed", f"{argv[0]}: cannot open the store read-only: {exc}"))
        return 1
    write(out, ("ready", os.getpid()))
    while (request := read(source)) is not None:
        text, default_graphs, named_graphs, limit, formats = request
        try:
            answer = sparql.answer(
                store, text, limit=limit, default_graphs=default_graphs, named_graphs=named_graphs
            )
            reply: Any = (True, answer if formats is None else sparql.written(answer, formats))
        except Exception as exc:
            reply = (False, (type(exc).__name__, str(exc)))
        write(out, reply)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
