"""Faults around the store: an ingest killed half-way, and two writers on one store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import DOCUMENT_GRAPHS, Store

SENTENCES = [
    "Lumora Systems Inc. partners with TSMC on the Corsa-{n} chip.",
    "Nvidia invested $ {n}0 million in Lumora Systems Inc. this year.",
    "Samsung will manufacture the Corsa-{n} accelerator for Lumora Systems Inc.",
]


def news(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        text = "\n".join(s.format(n=n) for s in SENTENCES) + f"\nNote {n}.\n"
        (folder / f"story-{n:03d}.txt").write_text(text, encoding="utf-8")
    return folder


def kg_ingest(store: Path, folder: Path, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        [sys.executable, "-m", "kg", "ingest", str(folder), "--store", str(store), "--jobs", "1", "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        **kwargs,  # type: ignore[call-overload]
    )


def finish(process: subprocess.Popen[str]) -> int:
    process.communicate(timeout=600)  # reads and closes its pipe
    return process.returncode


def quads(store: Path) -> set[str]:
    with Store.open(store, read_only=True) as opened:
        return {str(q) for q in opened.quads()}


def document_graphs(store: Path) -> dict[str, int]:
    with Store.open(store, read_only=True) as opened:
        graphs = [g for g in opened.ox.named_graphs() if g.value.startswith(DOCUMENT_GRAPHS)]
        return {g.value: sum(1 for _ in opened.ox.quads_for_pattern(None, None, None, g)) for g in graphs}


@pytest.mark.slow
def test_store_an_ingest_killed_half_way_leaves_whole_documents_and_resumes(tmp_path: Path) -> None:
    folder = news(tmp_path / "news", 40)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert finish(kg_ingest(clean, folder)) == 0
    whole = document_graphs(clean)

    process = kg_ingest(killed, folder)
    # kill it once some documents are stored, before it finishes (a read-only view takes no lock)
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if len(document_graphs(killed)) >= 2:
                break
        except Exception:  # not created yet, or caught between two files
            pass
        time.sleep(0.1)
    if process.poll() is not None:
        finish(process)
        pytest.skip("the ingest finished before it could be killed on this machine")
    os.kill(process.pid, signal.SIGKILL)
    finish(process)

    # every stored document is whole: exactly the quads a clean run stores for it
    partial = document_graphs(killed)
    assert 2 <= len(partial) < len(whole)
    for graph, count in partial.items():
        assert whole.get(graph) == count, graph

    # running the same ingest again completes the store, equal to the clean run's
    assert finish(kg_ingest(killed, folder)) == 0
    assert quads(killed) == quads(clean)


def test_store_a_second_writer_is_refused_by_name_and_the_first_keeps_working(tmp_path: Path) -> None:
    folder = news(tmp_path / "news", 2)
    store = tmp_path / "store"
    assert finish(kg_ingest(store, folder)) == 0
    before = quads(store)
    with Store.open(store):  # a first writer holds the store
        second = kg_ingest(store, news(tmp_path / "more", 1))
        _, err = second.communicate(timeout=600)
        assert second.returncode == 1, err
        assert str(store) in err and "another `kg ingest`" in err
    assert quads(store) == before  # the refused writer changed nothing
