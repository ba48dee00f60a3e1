"""Extraction on several processes or a Dask cluster gives the graph of one process, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import parallel, pipeline, rdfio
from kg.cli import main
from kg.ingest import make_document
from kg.nlp import pipeline_for
from kg.store import Store

TEXTS = {
    "a-zh.txt": "英伟达发布了新的数据中心芯片，台积电负责代工。据报道，百度正在向华为采购昇腾芯片。",
    "b-en.txt": "NVIDIA unveiled a new chip, and TSMC will manufacture it. Microsoft reportedly buys AMD GPUs.",
    "c-zh.txt": "寒武纪表示，今年营收增长了百分之三十。该公司与中芯国际合作，双方计划扩大产能。",
    "d-en.txt": "Google designs its own TPU. Broadcom helps Google build it, analysts said on Monday.",
    "e-en.txt": "AMD competes with NVIDIA. Samsung did not supply HBM to NVIDIA, the company said.",
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "news"
    out.mkdir()
    for name, text in TEXTS.items():
        (out / name).write_text(text, encoding="utf-8")
    return out


def _nquads(dataset: object, path: Path) -> bytes:
    rdfio.save(dataset, path)  # type: ignore[arg-type]
    return path.read_bytes()


def test_parallel_a_processed_doc_survives_the_trip_as_bytes() -> None:
    doc = pipeline_for("en")(TEXTS["b-en.txt"])
    start, back = parallel.unpack(parallel.pack(7, doc), "en")
    assert start == 7 and back.text == doc.text
    assert [(s.start_char, s.end_char, s.label_, s._.kg_id) for s in back.spans["kg_entities"]] == [
        (s.start_char, s.end_char, s.label_, s._.kg_id) for s in doc.spans["kg_entities"]
    ]
    mentions, sent = back._.kg_relations, doc._.kg_relations
    assert mentions and len(mentions) == len(sent)
    for got, want in zip(mentions, sent, strict=True):
        assert (got.subject.text, got.relation, got.object.text, got.subject.doc is back) == (
            want.subject.text,
            want.relation,
            want.object.text,
            True,
        )
    assert [s.is_sent_start for s in back] == [s.is_sent_start for s in doc]


def test_parallel_two_jobs_write_the_graph_of_one(folder: Path, tmp_path: Path) -> None:
    serial, serial_report = pipeline.build([folder], jobs=1)
    pooled, pooled_report = pipeline.build([folder], jobs=2)
    assert serial_report.claims == pooled_report.claims > 0
    assert serial_report.documents == pooled_report.documents == len(TEXTS)
    for suffix in (".trig", ".ttl"):
        one = _nquads(serial, tmp_path / f"one{suffix}")
        two = _nquads(pooled, tmp_path / f"two{suffix}")
        assert one == two


def test_parallel_documents_are_read_as_they_are_needed() -> None:
    read: list[str] = []

    def documents():  # type: ignore[no-untyped-def]
        for name, text in TEXTS.items():
            read.append(name)
            yield make_document(text, name)

    pieces = parallel.readings(documents(), pipeline.CHUNK, jobs=2)
    first = next(pieces)
    assert first[0].source == "a-zh.txt"
    assert len(read) < len(TEXTS)  # the rest is not read yet: at most a window of 2 per job ahead ...
    assert [d.source for d, _start, _doc in pieces] == list(TEXTS)[1:]


def test_parallel_cli_jobs_output_is_byte_identical(folder: Path, tmp_path: Path) -> None:
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"g{jobs}.nq"
        assert main(["extract", str(folder), "-o", str(out), "--jobs", jobs]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and outputs[0]


def test_parallel_cli_refuses_zero_jobs(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["extract", str(folder), "-o", str(tmp_path / "g.ttl"), "--jobs", "0"])
    assert exit_.value.code == 2


def test_parallel_ingest_with_two_jobs_fills_the_store_as_one(folder: Path, tmp_path: Path) -> None:
    exports = []
    for jobs in (1, 2):
        with Store.open(tmp_path / f"store{jobs}") as store:
            report = pipeline.ingest(store, [folder], jobs=jobs)
            assert report.added == len(TEXTS) and report.claims > 0
            again = pipeline.ingest(store, [folder], jobs=jobs)
            assert again.added == 0 and again.skipped == len(TEXTS)
            exports.append(sorted(str(q) for q in store.quads()))
    assert exports[0] == exports[1]


def test_parallel_dask_cluster_builds_the_serial_graph(folder: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    serial, _ = pipeline.build([folder], jobs=1)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote, report = pipeline.build([folder], dask=cluster.scheduler_address)
    assert report.documents == len(TEXTS)
    assert _nquads(serial, tmp_path / "serial.trig") == _nquads(remote, tmp_path / "dask.trig")


def test_parallel_an_unreachable_dask_scheduler_is_named(folder: Path) -> None:
    pytest.importorskip("distributed")
    from kg.errors import InputError

    with pytest.raises(InputError, match=r"tcp://127\.0\.0\.1:9"):
        pipeline.build([folder], dask="tcp://127.0.0.1:9")
