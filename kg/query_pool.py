"""Queries that can be stopped: a few worker processes answer them, and one that runs too long dies.

pyoxigraph cannot interrupt a query once it runs, and a thread cannot be killed, so a runaway query
(a cartesian product, say) would keep a core busy long after its client was answered 503 or left.
`Pool` keeps `size` worker processes (`kg.query_worker`), each with the store opened read-only,
and sends each query to an idle one. When the query passes its time limit, or its client closes the
connection while waiting, the worker is killed (SIGKILL: the query stops at once) and a fresh one
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

    def ask(self, request: tuple[Any, ...], timeout: float, client: socket.socket | None) -> Any:
        """Send `request` and wait for the reply; TimedOut past `timeout`, ClientGone if `client` hangs up."""
        query_worker.write(self.stdin, request)
        deadline = time.monotonic() + timeout
        watched: list[Any] = [self.stdout] if client is None else [self.stdout, client]
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut(f"the query ran longer than the {timeout:g} s limit and was stopped")
            ready, _, _ = select.select(watched, [], [], left)
            if self.stdout in ready:
                reply = query_worker.read(self.stdout)
                if reply is None:
                    raise RuntimeError(f"the query's worker process ended (status {self.process.wait()})")
                return reply
            if client is not None and client in ready:
                if _hung_up(client):
                    raise ClientGone("the client closed the connection; its query was stopped")
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
        formats: tuple[str | None, str | None] | None = None,
    ) -> Answer:
        """The answer from the first idle worker (waiting up to `timeout` for one, then TimedOut 'busy');
        raises SyntaxError, OSError, ValueError or RuntimeError as the query does, TimedOut past
        `timeout` and ClientGone when `client` hangs up (in both cases the worker is killed). With
        `formats`, the answer comes `sparql.written` in one of them."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise TimedOut(
                f"the endpoint is busy: all {self.size} query workers stayed taken for {timeout:g} s; "
                "retry later"
            ) from None
        try:
            ok, value = worker.ask((text, default_graphs, named_graphs, limit, formats), timeout, client)
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


def _hung_up(client: socket.socket) -> bool:
    """Whether a readable client socket was closed by its peer (rather than sending more bytes)."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except BlockingIOError:
        return False
    except OSError:  # reset by the peer
        return True


def _package_root() -> str:
    """The folder holding the `kg` package, first on the workers' import path."""
    root = str(Path(__file__).resolve().parents[1])
    rest = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join([root, rest]) if rest else root


__all__ = ["ClientGone", "Pool"]
