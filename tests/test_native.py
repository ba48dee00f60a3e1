"""Answers read straight from Oxigraph are the frames rdflib's terms gave; a store's answers are cached
by its generation and recomputed after a change."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

import kg
from kg import native, pipeline, query, rdfio
from kg.store import Store

MARKET = Path(__file__).parent / "fixtures" / "query_market.trig"
FOUNDRY = "TSMC makes chips for OpenAI.\n"
DESIGNER = "NVIDIA develops the H100 chip.\nTSMC manufactures the H100 for NVIDIA.\n"


@pytest.mark.parametrize("name", [q.name for q in query.saved_queries()])
def test_native_frames_equal_the_rdflib_frames(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    assert native.oxigraph_of(dataset) is not None
    ours = query.run(dataset, name)
    monkeypatch.setattr(native, "oxigraph_of", lambda _dataset: None)  # through rdflib's terms
    theirs = query.run(dataset, name)
    pd.testing.assert_frame_equal(ours, theirs)


def test_native_labels_one_pass_matches_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    store = native.oxigraph_of(dataset)
    assert store is not None
    iris = sorted({q.subject.value for q in store if hasattr(q.subject, "value")})
    one_by_one = native.labels(store, iris)
    monkeypatch.setattr(native, "_ONE_PASS_FROM", 1)
    assert native.labels(store, iris) == one_by_one
    assert one_by_one["https://w3id.org/aichip-kg/id/tsmc"] == "TSMC"


def test_native_types_ask_construct_and_literals() -> None:
    dataset = rdfio.load(MARKET, store="Oxigraph")
    assert query.run(dataset, "ASK { ?s a chip:Company }")["ask"].tolist() == [True]
    frame = query.run(
        dataset, 'SELECT (1 AS ?n) (2.5 AS ?x) (true AS ?b) ("2025-01-02" AS ?d) ("t"@en AS ?t) {}'
    )
    assert str(frame["n"].dtype) == "Int64" and frame["x"].tolist() == [2.5]
    assert frame["b"].tolist() == [True] and str(frame["d"].iloc[0]).startswith("2025-01-02")
    assert frame["t"].tolist() == ["t"]
    graph = query.run(dataset, "CONSTRUCT { ?s a chip:Company } WHERE { ?s a chip:Company }")
    assert list(graph.columns)[:2] == ["subject", "subject_iri"] and len(graph) > 0


def test_native_store_answers_are_cached_until_the_store_changes(tmp_path: Path) -> None:
    news = tmp_path / "news"
    news.mkdir()
    (news / "foundry.txt").write_text(FOUNDRY, encoding="utf-8")
    with Store.open(tmp_path / "store") as store:
        pipeline.ingest(store, [news], validate=False)
        graph = kg.KnowledgeGraph(store.dataset())
        first = graph.query("fabricators")
        first.loc[0, "foundry"] = "changed by the caller"  # a caller's change never reaches the cache
        again = graph.query("fabricators")
        assert again["foundry"].tolist() == ["TSMC"]
        before = store.generation
        (news / "designer.txt").write_text(DESIGNER, encoding="utf-8")
        pipeline.ingest(store, [news / "designer.txt"], validate=False)
        assert store.generation != before
        assert sorted(graph.query("fabricators")["company"]) == ["NVIDIA", "OpenAI"]
    # a read-only reader opened later answers what is stored now
    assert sorted(kg.load(tmp_path / "store").query("fabricators")["company"]) == ["NVIDIA", "OpenAI"]


def test_native_cache_computes_once_for_many_threads() -> None:
    cache = native.AnswerCache(size=2)
    calls: list[int] = []
    gate = threading.Event()

    def compute() -> int:
        gate.wait(5)
        calls.append(1)
        return 42

    answers: list[int] = []
    threads = [threading.Thread(target=lambda: answers.append(cache.get("k", compute))) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert answers == [42] * 8 and len(calls) == 1 and cache.misses == 1 and cache.hits == 7
    cache.get("a", lambda: 1)
    cache.get("b", lambda: 2)  # the least recently used ("k") goes
    assert cache.get("k", lambda: 7) == 7


def test_native_cache_keeps_no_failure() -> None:
    cache = native.AnswerCache()

    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError):
        cache.get("k", fail)
    assert cache.get("k", lambda: 3) == 3
