"""Queries that can be stopped: a few worker processes answer them, and one that runs too long dies.

pyoxigraph cannot interrupt a query once it runs, and a thread cannot be killed, so a runaway query
(a cartesian product, say) would keep a core busy long after its client was answered 503 or left.
`Pool` keeps `size` worker processes (`kg.query_worker`), each with the store opened read-only,
and sends each query to an idle one. When the query passes its time limit, or its client closes the
connection while waiting (a reset, or a failed write: a client that only shut down its writing side
is still waiting for its answer), the worker is killed (SIGKILL: the query stops at once) and a fresh one
is started in the background. A query that finds no idle worker within its time limit is refused
as busy. A cheap query pays one round trip over a pipe (about 0.1-0.3 ms; see bench/bench_serve_load.py).
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from . import query_worker
from .sparql import Answer, TimedOut

_START_TIMEOUT = 120.0
"""Seconds a new worker may take to import and open the store."""
_RECHECK = 0.2
"""Seconds between looks at a client that ended its stream, for the reset that says it is gone."""
_TCP_CLOSE = 7
"""Linux's TCP state of a connection that is closed (tcp_states.h)."""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
"""The probe `kg serve` writes to an HTTP/1.1 client that ended its stream while its query runs."""
_ERRORS: dict[str, type[Exception]] = {
    "SyntaxError": SyntaxError,
    "OSError": OSError,
    "ValueError": ValueError,
    "RuntimeError": RuntimeError,
}


class ClientGone(Exception):
    """The client closed its connection before its query finished; the query was stopped."""


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self, store: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kg.query_worker", str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            env={**os.environ, "PYTHONPATH": _package_root()},
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.stdout = self.process.stdout
        self.pid = self.process.pid

    def wait_ready(self) -> None:
        ready, _, _ = select.select([self.stdout], [], [], _START_TIMEOUT)
        message = query_worker.read(self.stdout) if ready else None
        if not (isinstance(message, tuple) and message[0] == "ready"):
            self.kill()
            why = message[1] if isinstance(message, tuple) else f"exit status {self.process.returncode}"
            raise RuntimeError(f"a query worker did not start: {why}")

    def ask(
        self, request: tuple[Any, ...], timeout: float, client: socket.socket | None, probe: bytes = b""
    ) -> Any:
        """Send `request` and wait for the reply; TimedOut past `timeout`, ClientGone if `client` is gone
        (see `_watch`; `probe` is what may be written to it to find out)."""
        query_worker.write(self.stdin, request)
        deadline = time.monotonic() + timeout
        watched: list[Any] = [self.stdout] if client is None else [self.stdout, client]
        ended = False  # the client has sent its end of stream: it may still be reading
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut(f"the query ran longer than the {timeout:g} s limit and was stopped")
            ready, _, _ = select.select(watched, [], [], min(left, _RECHECK) if ended else left)
            if self.stdout in ready:
                reply = query_worker.read(self.stdout)
                if reply is None:
                    raise RuntimeError(f"the query's worker process ended (status {self.process.wait()})")
                return reply
            if client is None or (client not in ready and not ended):
                continue  # (a socket with a timeout waits in recv until it is readable)
            state = _peer(client)
            if state == "gone":
                raise ClientGone("the client closed the connection; its query was stopped")
            if state == "ended" and not ended:
                ended, watched = True, [self.stdout]
                if not _probe(client, probe):
                    raise ClientGone("the client closed the connection; its query was stopped")
            elif state == "more":
                watched = [self.stdout]  # more bytes from a live client: they wait for the answer

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.stdin.close()
        self.stdout.close()

    def close(self) -> None:
        try:
            self.stdin.close()  # the worker ends at the end of its input
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self.stdout.close()


class Pool:
    """`size` worker processes answering queries on the Oxigraph store at `store` (opened read-only);
    `remove` deletes the store folder when the pool closes (a private copy)."""

    def __init__(self, store: Path, size: int, *, remove: bool = False) -> None:
        self.store = store
        self._remove = remove
        self.size = size
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.killed = 0
        """Workers killed so far (queries stopped past their limit or abandoned by their client)."""
        try:
            for worker in [self._start() for _ in range(size)]:
                worker.wait_ready()
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    @property
    def pids(self) -> set[int]:
        """The process ids of the live workers."""
        with self._lock:
            return {w.pid for w in self._workers}

    @property
    def busy(self) -> int:
        """Workers answering a query now."""
        with self._lock:
            return len(self._workers) - self._idle.qsize()

    def answer(
        self,
        text: str,
        *,
        limit: int,
        timeout: float,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        client: socket.socket | None = None,
        probe: bytes = b"",
        formats: tuple[str | None, str | None] | None = None,
    ) -> Answer:
        """The answer from the first idle worker (waiting up to `timeout` for one, then TimedOut 'busy');
        raises SyntaxError, OSError, ValueError or RuntimeError as the query does, TimedOut past
        `timeout` and ClientGone when `client` is gone (in both cases the worker is killed): a reset,
        or a failed write of `probe` after its end of stream (one that only shut down its writing is
        still answered; without `probe`, it is not checked further). With
        `formats`, the answer comes `sparql.written` in one of them."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise TimedOut(
                f"the endpoint is busy: all {self.size} query workers stayed taken for {timeout:g} s; "
                "retry later"
            ) from None
        try:
            ok, value = worker.ask(
                (text, default_graphs, named_graphs, limit, formats), timeout, client, probe
            )
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if ok:
            assert isinstance(value, Answer)
            return value
        name, message = value
        raise _ERRORS.get(name, RuntimeError)(message)

    def close(self) -> None:
        """End every worker."""
        with self._lock:
            self._closed = True
            workers, self._workers = self._workers, set()
        for worker in workers:
            worker.close()
        if self._remove:
            shutil.rmtree(self.store, ignore_errors=True)

    def _start(self) -> _Worker:
        worker = _Worker(self.store)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` now and start another in the background (the new one joins when ready)."""
        with self._lock:
            self._workers.discard(worker)
            self.killed += 1
        worker.kill()

        def start() -> None:
            with self._lock:
                if self._closed:
                    return
            try:
                fresh = self._start()
                fresh.wait_ready()
            except (OSError, RuntimeError) as exc:
                print(f"kg serve: could not start a query worker: {exc}", file=sys.stderr, flush=True)
                return
            with self._lock:
                closed = self._closed
                if closed:
                    self._workers.discard(fresh)
            if closed:
                fresh.close()
            else:
                self._idle.put(fresh)

        threading.Thread(target=start, name="query-worker-start", daemon=True).start()


def _peer(client: socket.socket) -> str:
    """What a client socket says without blocking: "gone" (reset: it closed, and our bytes were
    refused), "ended" (it sent its end of stream: gone, or only done writing and still reading),
    "more" (bytes to read) or "quiet"."""
    try:
        if client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
            return "gone"  # a reset: after the end of stream, recv would only say "ended" again
        data = client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
    except BlockingIOError:
        return "quiet"
    except OSError:  # reset by the peer
        return "gone"
    if not data and _closed(client):
        return "gone"
    return "more" if data else "ended"


def _closed(client: socket.socket) -> bool:
    """Whether the connection is closed both ways (Linux: its TCP state, after a reset); False where
    the system does not say."""
    info = getattr(socket, "TCP_INFO", None)
    if info is None:
        return False
    try:
        return client.getsockopt(socket.IPPROTO_TCP, info, 1)[0] == _TCP_CLOSE
    except OSError:
        return True


def _probe(client: socket.socket, probe: bytes) -> bool:
    """After a client's end of stream: write `probe` (an interim `100 Continue`, which HTTP/1.1 clients
    skip) so that a peer that closed its socket answers with a reset, which the next `_peer` sees. A
    client that only shut down its writing (done sending, still reading) takes it and gets its answer.
    False when the write already fails."""
    if not probe:
        return True
    try:
        client.sendall(probe)
    except OSError:
        return False
    return True


def _package_root() -> str:
    """The folder holding the `kg` package, first on the workers' import path."""
    root = str(Path(__file__).resolve().parents[1])
    rest = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join([root, rest]) if rest else root


__all__ = ["ClientGone", "Pool"]
