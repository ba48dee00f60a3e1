"""The access log of `kg serve`, kept off the path of the answers."""

from __future__ import annotations

import queue
import sys
import threading


class AccessLog:
    """The server's log lines, written to stderr by a thread of their own.

    A request thread that wrote its line itself blocked once stderr was a pipe nobody read (a
    supervisor, a benchmark): after about 64 KB of lines every answer waited on the log, and a crowd
    of clients hung until they timed out. Now a line that finds `size` lines already waiting is
    dropped and counted, and the count is written when stderr drains."""

    def __init__(self, size: int = 10_000) -> None:
        self._lines: queue.Queue[str] = queue.Queue(size)
        self._lock = threading.Lock()
        self._writer: threading.Thread | None = None
        self.dropped = 0

    def write(self, line: str) -> None:
        with self._lock:
            if self._writer is None:
                self._writer = threading.Thread(target=self._write_all, name="access-log", daemon=True)
                self._writer.start()
        try:
            self._lines.put_nowait(line)
        except queue.Full:
            with self._lock:
                self.dropped += 1

    def _write_all(self) -> None:
        while True:
            line = self._lines.get()
            with self._lock:
                dropped, self.dropped = self.dropped, 0
            if dropped:
                line = f"({dropped} log lines dropped while stderr was not read)\n" + line
            try:
                sys.stderr.write(line)
                sys.stderr.flush()
            except (OSError, ValueError):  # stderr closed: nothing left to tell
                pass


__all__ = ["AccessLog"]
