"""`kg serve` under a crowd: every request must get an answer (200, or 503 busy) within a bound.

    .venv/bin/python bench/bench_serve_load.py [--clients 500] [--requests 4] [--client-timeout 60]
        [--graph tests/fixtures/query_market.trig] [--serial 300] [--runaway N] [--no-drain]
        [-- extra kg serve options]

First the cost of a worker process: the p50 of an ASK through `kg.serve.Endpoint.evaluate` in the
server's own thread and in a worker (no HTTP).
Starts `kg serve` on a free loopback port in a child process, measures the p50 of a cheap ASK asked
`--serial` times one after another (the cost each query pays, e.g. for running in a worker process),
then starts `--clients` threads at once (after `--runaway` clients whose cartesian
query holds workers until the server stops it), each asking `--requests` times, and prints p50/p95/max
latency and the count of answers by status (`timeout` = no answer within `--client-timeout`,
`error` = connection refused or reset). Compare runs on one machine; the numbers are not portable.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASK = "ASK { ?s ?p ?o }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def direct(graph: Path, repeat: int) -> None:
    """p50 of an ASK through `Endpoint.evaluate` without HTTP: in the server's thread vs in a worker."""
    sys.path.insert(0, str(ROOT))
    from kg import serve

    for in_process in (True, False):
        endpoint = serve.Endpoint(graph, serve.Settings(in_process=in_process, workers=2))
        try:
            for _ in range(50):
                endpoint.evaluate(ASK)
            times = []
            for _ in range(repeat):
                begin = time.perf_counter()
                endpoint.evaluate(ASK)
                times.append(time.perf_counter() - begin)
        finally:
            endpoint.close()
        where = "in-process thread" if in_process else "worker process"
        print(f"Endpoint.evaluate(ASK) x {repeat}, {where}: p50 {statistics.median(times) * 1000:.3f} ms")


def start(graph: Path, extra: list[str], drain: bool) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", str(graph), "--port", "0", *extra],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    found = re.search(r"(http://[\d.]+:\d+)/sparql", line)
    if not found:
        process.kill()
        raise SystemExit(f"kg serve did not start: {line}")
    if drain:  # read the access log, as a terminal or a log collector would
        threading.Thread(target=lambda: [None for _ in process.stderr or ()], daemon=True).start()
    return process, found[1]


def ask(url: str, timeout: float) -> tuple[str, float]:
    """The status (or `timeout` / `error`) and seconds of one request."""
    begin = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = str(response.status)
    except urllib.error.HTTPError as error:
        with error:
            error.read()
        status = str(error.code)
    except TimeoutError:
        status = "timeout"
    except OSError as error:
        status = "timeout" if "timed out" in str(error) else "error"
    return status, time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", type=Path, default=ROOT / "tests" / "fixtures" / "query_market.trig")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--requests", type=int, default=4, help="requests per client")
    parser.add_argument("--client-timeout", type=float, default=60.0)
    parser.add_argument("--serial", type=int, default=300, help="ASKs one after another for the p50")
    parser.add_argument(
        "--no-drain",
        action="store_true",
        help="never read the server's stderr (a pipe nobody reads, as bench_store.py once did)",
    )
    parser.add_argument(
        "--runaway",
        type=int,
        default=0,
        metavar="N",
        help="N more clients first ask a cartesian query that runs until the server's --timeout stops it",
    )
    parser.add_argument("extra", nargs="*", help="more `kg serve` options (after --)")
    args = parser.parse_args(argv)
    direct(args.graph, args.serial * 5)
    process, base = start(args.graph, args.extra, not args.no_drain)
    url = f"{base}/sparql?{urllib.parse.urlencode({'query': ASK})}"
    try:
        for _ in range(20):  # warm-up
            ask(url, args.client_timeout)
        serial = [ask(url, args.client_timeout)[1] for _ in range(args.serial)]
        print(f"serial ASK x {args.serial}: p50 {statistics.median(serial) * 1000:.2f} ms")
        outcomes: list[tuple[str, float]] = []
        lock = threading.Lock()
        go = threading.Event()

        def client() -> None:
            go.wait()
            for _ in range(args.requests):
                outcome = ask(url, args.client_timeout)
                with lock:
                    outcomes.append(outcome)

        runaway_url = f"{base}/sparql?{urllib.parse.urlencode({'query': RUNAWAY})}"
        runaways = [
            threading.Thread(target=ask, args=(runaway_url, args.client_timeout)) for _ in range(args.runaway)
        ]
        for t in runaways:
            t.start()
        time.sleep(0.5 if runaways else 0)  # the runaway queries hold the workers
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        begin = time.perf_counter()
        go.set()
        for t in runaways:
            t.join()
        for t in threads:
            t.join()
        wall = time.perf_counter() - begin
        times = sorted(seconds for _, seconds in outcomes)
        counts = Counter(status for status, _ in outcomes)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{args.clients} clients x {args.requests} requests in {wall:.1f} s: "
            f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms; "
            + ", ".join(f"{status}: {n}" for status, n in sorted(counts.items()))
        )
    finally:
        process.terminate()
        process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
