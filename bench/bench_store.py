"""The graph store at scale: load time, size on disk, saved questions on the store against rdflib's
in-memory store, and the HTTP endpoint's latency under concurrent clients, on one synthetic graph.

    .venv/bin/python bench/bench_store.py [--triples 1000000] [--repeat 5] [--cap 60] [--clients 16]

Generates a contract-shaped market graph (bench_query.generate: companies, chips, documents, claims
with evidence) of about `--triples` triples, laid out as `kg ingest` lays out a store (the merged
default graph, plus each document's claims in its own named graph), writes it as N-Quads and
bulk-loads it into a fresh store in a child process (time and peak memory of that process). Then
each saved question runs in its own child process, once to warm up and `--repeat` times measured,
on the store (`kg.load(STORE)`) and on rdflib's in-memory store; a child that passes `--cap`
seconds is stopped and reported as `>cap`. Each measured run on the store computes its answer afresh:
the store's answer cache (`kg.native`) is emptied before it, or repeats would time the cache. Last, `kg serve --store` answers a saved question to
`--clients` concurrent clients; p50/p95 latency. Nothing is downloaded. Compare ratios across runs.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from bench_query import PARAMS, generate
from rdflib import Dataset

from kg import native, query
from kg.store import DOCUMENT_GRAPHS, to_ox_quads

ROOT = Path(__file__).resolve().parents[1]
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
TRIPLES_PER_COMPANY = 88  # measured on generate(400); only used to size the graph


def params_for(name: str) -> dict[str, Any]:
    saved = query.saved_query(name)
    return {k: v for k, v in PARAMS.items() if k in saved.params}  # a parameter with no default too


def write_store_layout(dataset: Dataset, path: Path) -> tuple[int, int]:
    """N-Quads as a store holds them: the default graph, and each claim's triples in its document's graph.
    Returns the numbers of default-graph triples and of quads."""
    graph = dataset.default_graph
    default = ox.DefaultGraph()
    quads = list(to_ox_quads(graph, default))
    doc_of = {str(s): str(o) for s, p, o in graph if str(p) == PROV_DERIVED}
    for quad in list(quads):
        doc = doc_of.get(quad.subject.value) if isinstance(quad.subject, ox.NamedNode) else None
        if doc is not None:
            name = ox.NamedNode(DOCUMENT_GRAPHS + doc.rsplit("doc-", 1)[-1])
            quads.append(ox.Quad(quad.subject, quad.predicate, quad.object, name))
    ox.serialize(quads, str(path), format=ox.RdfFormat.N_QUADS)
    return len(graph), len(quads)


def load_in_child(nquads: Path, store: Path) -> tuple[float, int]:
    """Bulk-load `nquads` into a new store in a child process: (seconds, peak RSS in MiB)."""
    code = (
        "import sys, time, pyoxigraph as ox\n"
        "from kg.store import Store\n"
        "t = time.perf_counter()\n"
        "s = Store.open(sys.argv[2])\n"
        "s.ox.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)\n"
        "s.close()\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(nquads), str(store)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    return float(out.stdout.strip()), peak


def _child(conn: Any, work: Callable[[], object], repeat: int) -> None:
    try:
        work()  # warm-up (and label caches, as a notebook would have)
        conn.send("warm")
        for _ in range(repeat):
            start = time.perf_counter()
            work()
            conn.send(time.perf_counter() - start)
    except BaseException as exc:
        conn.send(repr(exc))


def in_child(work: Callable[[], object], repeat: int, cap: float) -> float | str:
    """Median seconds of `work` in a forked child, after one warm-up run. Past `cap` seconds the child
    is stopped: the median of the runs done so far, or '>cap' if the warm-up did not finish."""
    context = mp.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, work, repeat))
    process.start()
    deadline = time.monotonic() + cap
    times: list[float] = []
    warm = False
    while len(times) < repeat and parent.poll(max(0.0, deadline - time.monotonic())):
        message = parent.recv()
        if isinstance(message, str) and message != "warm":
            process.join()
            return message
        if message == "warm":
            warm = True
        else:
            times.append(message)
    process.kill()
    process.join()
    if times:
        return statistics.median(times)
    return f"{'>' if not warm else '≥'}{cap:g} s"


def on_store(store: Path, name: str) -> Callable[[], object]:
    graph: Any = None

    def work() -> object:
        nonlocal graph
        import kg

        if graph is None:  # opened in the child, on its first (warm-up) run
            graph = kg.load(store)
        native.forget(graph._dataset)  # time the answer, not the answer cache (kg.native.AnswerCache)
        return graph.query(name, **params_for(name))

    return work


def shown(value: float | str) -> str:
    return f"{value * 1000:.0f} ms" if isinstance(value, float) else value


def endpoint_latency(
    store: Path, question: str, clients: int, requests: int, *, distinct: bool = False
) -> tuple[float, float, int]:
    """p50 and p95 seconds of a saved question over HTTP with `clients` concurrent clients; with
    `distinct`, every request names another company (so none is answered from the server's cache)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--store", str(store), "--port", "0", "--timeout", "60"],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        base = re.search(r"(http://[\d.]+:\d+)/sparql", line)
        assert base, line
        # read the access log to its end: a full stderr pipe once stalled the server (bench_serve_load.py)
        threading.Thread(target=process.stderr.read, daemon=True).start()

        def url_for(n: int) -> str:
            """The question's URL; with `distinct`, its company parameters name company-N instead."""
            values = {k: str(v) for k, v in params_for(question).items()}
            if distinct:
                values = {k: re.sub(r"company-\d+$", f"company-{n}", v) for k, v in values.items()}
            return (
                base[1]
                + f"/saved/{question}?"
                + urllib.parse.urlencode({**{k: f"<{v}>" for k, v in values.items()}, "format": "csv"})
            )

        urllib.request.urlopen(url_for(0), timeout=120).read()  # warm-up
        latencies: list[float] = []
        failures = 0
        lock = threading.Lock()
        asked = iter(range(1, clients * requests + 1))

        def client() -> None:
            nonlocal failures
            for _ in range(requests):
                with lock:
                    url = url_for(next(asked))
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(url, timeout=120) as response:
                        response.read()
                except OSError:
                    with lock:
                        failures += 1
                    continue
                with lock:
                    latencies.append(time.perf_counter() - start)

        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        latencies.sort()
        return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95) - 1], failures
    finally:
        process.terminate()
        process.wait(30)


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="size of the synthetic graph")
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per question (median)")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds a question may take in all")
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP clients")
    parser.add_argument("--requests", type=int, default=20, help="requests per client")
    parser.add_argument("--skip-rdflib", action="store_true", help="only the store")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        metavar="DIR",
        help="keep the generated graph and store in DIR and reuse them on the next run (same --triples)",
    )
    parser.add_argument("--no-endpoint", action="store_true", help="skip the HTTP endpoint's latency")
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="each request asks for another company (company-N): answers, not the server's cache",
    )
    parser.add_argument("--questions", nargs="*", default=None, metavar="NAME", help="only these questions")
    parser.add_argument(
        "--endpoint-question", default="dependents", metavar="NAME", help="saved question the clients ask"
    )
    args = parser.parse_args(argv)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {platform.python_version()}, pyoxigraph {ox.__version__}"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) if args.keep is None else args.keep / f"triples-{args.triples}"
        folder.mkdir(parents=True, exist_ok=True)
        nquads, store = folder / "graph.nq", folder / "store"
        dataset: Dataset | None = None
        if not args.skip_rdflib or not (folder / "store.done").exists():
            started = time.perf_counter()
            dataset = generate(max(8, args.triples // TRIPLES_PER_COMPANY))
            print(
                f"generated {len(dataset.default_graph):,} triples in {time.perf_counter() - started:.1f} s"
            )
        if (folder / "store.done").exists():
            print(f"reusing the store in {store} (--keep)")
        else:
            assert dataset is not None
            shutil.rmtree(store, ignore_errors=True)
            triples, quads = write_store_layout(dataset, nquads)
            seconds, peak = load_in_child(nquads, store)
            (folder / "store.done").write_text(f"{triples} {quads}\n")
            print(
                f"bulk load {quads:,} quads: {seconds:.2f} s, peak memory {peak} MiB, store on disk {folder_size(store) / 2**20:.0f} MiB"
            )
        start = time.perf_counter()
        import kg

        graph = kg.load(store)
        opened = time.perf_counter() - start
        start = time.perf_counter()
        count = len(graph)
        print(
            f"kg.load(store): {opened:.3f} s; len(): {count:,} triples in {time.perf_counter() - start:.3f} s"
        )
        del graph

        print(f"\n{'saved question':<22}{'store':>12}{'rdflib memory':>16}{'ratio':>8}")
        for saved in query.saved_queries():
            if args.questions is not None and saved.name not in args.questions:
                continue
            ours = in_child(on_store(store, saved.name), args.repeat, args.cap)
            theirs: float | str = "-"
            if dataset is not None and not args.skip_rdflib:
                theirs = in_child(lambda d=dataset, n=saved.name: query.run(d, n, params_for(n)), 1, args.cap)
            ratio = f"{theirs / ours:.0f}x" if isinstance(ours, float) and isinstance(theirs, float) else ""
            print(f"{saved.name:<22}{shown(ours):>12}{shown(theirs):>16}{ratio:>8}", flush=True)

        if args.no_endpoint:
            return 0
        p50, p95, failures = endpoint_latency(
            store, args.endpoint_question, args.clients, args.requests, distinct=args.distinct
        )
        print(
            f"\nendpoint, /saved/{args.endpoint_question}{' (distinct parameters)' if args.distinct else ''}, "
            f"{args.clients} clients x {args.requests} requests: "
            f"p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, {failures} failed"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
