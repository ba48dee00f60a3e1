"""Extraction on several processes or a Dask cluster gives the graph of one process, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import ntriples, parallel, pipeline, rdfio
from kg.cli import main
from kg.ingest import make_document
from kg.registry import load_registry
from kg.store import Store

TEXTS = {
    "a-zh.txt": "英伟达发布了新的数据中心芯片，台积电负责代工。据报道，百度正在向华为采购昇腾芯片。",
    "b-en.txt": "NVIDIA unveiled a new chip, and TSMC will manufacture it. Microsoft reportedly buys AMD GPUs.",
    "c-zh.txt": "寒武纪表示，今年营收增长了百分之三十。该公司与中芯国际合作，双方计划扩大产能。",
    "d-en.txt": "Google designs its own TPU. Broadcom helps Google build it, analysts said on Monday.",
    "e-en.txt": "AMD competes with NVIDIA. Samsung did not supply HBM to NVIDIA, the company said.",
}


def write_folder(path: Path, texts: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in texts.items():
        (path / name).write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "news", TEXTS)


def sorted_lines(path: Path) -> list[str]:
    """A file's non-empty lines, sorted (N-Quads that hold the same statements compare equal)."""
    return sorted(line for line in path.read_text(encoding="utf-8").splitlines() if line)


def _nquads(dataset: object, path: Path) -> bytes:
    rdfio.save(dataset, path)  # type: ignore[arg-type]
    return path.read_bytes()


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

    results = parallel.resolutions(documents(), pipeline.CHUNK, jobs=2, batch=1)  # a document a task
    first, resolved, lines = next(results)
    assert first.source == "a-zh.txt" and "nvidia" in resolved.entities and resolved.claims
    assert lines is None  # no lines asked for
    assert len(read) < len(TEXTS)  # the rest is not read yet: at most a window of 2 per job ahead ...
    assert [d.source for d, *_ in results] == list(TEXTS)[1:]


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
        lines, _ = pipeline.build_quads([folder], dask=cluster.scheduler_address)  # rendered there
    assert report.documents == len(TEXTS)
    assert _nquads(serial, tmp_path / "serial.trig") == _nquads(remote, tmp_path / "dask.trig")
    assert sorted_lines(rdfio.save(serial, tmp_path / "serial.nq")) == sorted_lines(
        lines.save(tmp_path / "dask.nq")
    )


def test_parallel_an_unreachable_dask_scheduler_is_named(folder: Path) -> None:
    pytest.importorskip("distributed")
    from kg.errors import InputError

    with pytest.raises(InputError, match=r"tcp://127\.0\.0\.1:9"):
        pipeline.build([folder], dask="tcp://127.0.0.1:9")


# What one document gives depends on the documents before it: the first class an entity is seen with,
# the entities mentioned so far, the direction a symmetric relation was first stated in. Each pair is
# read in this order (file names sort so); the second would say something else read alone.
ACROSS = {
    # Kestrel is first a chip; a chip does not partner with anyone (read alone: a company that does)
    "a1-en.txt": "Intel ships the Kestrel accelerator. The Kestrel chip is fast.",
    "a2-en.txt": "Kestrel launched a new AI chip. Kestrel partners with Intel.",
    # a bare title names the registry's employer once the texts mention it
    "b1-en.txt": "Tesla will build AI5, the company said.",
    "b2-en.txt": "Chief Executive Elon Musk said so.",
    # the registry's developer of Maia 100 is mentioned by an earlier document
    "c1-en.txt": "Microsoft unveiled new Azure regions.",
    "c2-en.txt": "The Maia 100 chips will be manufactured by TSMC.",
    # a symmetric relation keeps the direction it was first stated in, in either language
    "d1-en.txt": "AMD competes with NVIDIA.",
    "d2-en.txt": "NVIDIA competes with AMD.",
    "e1-zh.txt": "OpenAI 与博通合作开发芯片。",
    "e2-zh.txt": "博通与 OpenAI 合作多年。",
}
REREAD = {"a2-en.txt", "b2-en.txt", "c2-en.txt"}  # what the parent must read again itself


@pytest.fixture
def across(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "across", ACROSS)


def _relations(dataset: object) -> set[tuple[str, str, str]]:
    chip, kg = "https://w3id.org/aichip-kg/ontology#", "https://w3id.org/aichip-kg/id/"
    return {
        (str(s)[len(kg) :], str(p)[len(chip) :], str(o)[len(kg) :])
        for s, p, o in dataset.default_graph  # type: ignore[attr-defined]
        if str(p).startswith(chip) and str(o).startswith(kg) and not str(p).endswith("mentionedIn")
    }


def test_parallel_state_across_documents_is_the_serial_one(across: Path, tmp_path: Path) -> None:
    serial, serial_report = pipeline.build([across], jobs=1)
    pooled, pooled_report = pipeline.build([across], jobs=2)
    found = _relations(serial)
    assert ("kestrel", "partnersWith", "intel") not in found and ("intel", "develops", "kestrel") in found
    assert {("elon-musk", "ceoOf", "tesla"), ("tsmc", "fabricatesFor", "microsoft")} <= found
    assert ("amd", "competesWith", "nvidia") in found and ("nvidia", "competesWith", "amd") not in found
    assert ("openai", "partnersWith", "broadcom") in found and (
        "broadcom",
        "partnersWith",
        "openai",
    ) not in found
    assert (serial_report.claims, serial_report.entities) == (pooled_report.claims, pooled_report.entities)
    for suffix in (".nq", ".trig", ".nt"):
        assert _nquads(serial, tmp_path / f"one{suffix}") == _nquads(pooled, tmp_path / f"two{suffix}")


def test_parallel_the_parent_rereads_only_what_reads_otherwise_alone(
    across: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reread: list[str] = []
    add = pipeline._add

    def counted(resolver, document):  # type: ignore[no-untyped-def]
        reread.append(document.source)
        add(resolver, document)

    monkeypatch.setattr(pipeline, "_add", counted)
    pipeline.build([across], jobs=2)
    assert set(reread) == REREAD and len(reread) == len(REREAD)


@pytest.mark.parametrize("second", sorted(ACROSS)[1::2])
def test_parallel_merge_refuses_a_document_that_reads_otherwise_alone(second: str) -> None:
    resolver = pipeline.Resolver(load_registry())
    first = second.replace("2-", "1-")
    for name in (first, second):
        document = make_document(ACROSS[name], name)
        alone = resolver.resolve(document, parallel.process(document, pipeline.CHUNK))
        taken = resolver.merge(alone)
        if not taken:
            pipeline._add(resolver, document)
        assert taken == (name not in REREAD)
    serial = pipeline.Resolver(load_registry())
    for name in (first, second):
        pipeline._add(serial, make_document(ACROSS[name], name))
    assert resolver.claims == serial.claims and resolver.entities == serial.entities


def test_parallel_ingest_reads_each_document_alone_with_any_jobs(across: Path, tmp_path: Path) -> None:
    """A store keeps each document's own graph: what an earlier document said changes nothing there."""
    exports = []
    for jobs in (1, 2):
        with Store.open(tmp_path / f"store{jobs}") as store:
            assert pipeline.ingest(store, [across], jobs=jobs).added == len(ACROSS)
            exports.append(sorted(str(q) for q in store.quads()))
    assert exports[0] == exports[1]
    kestrel = "<https://w3id.org/aichip-kg/id/kestrel> <https://w3id.org/aichip-kg/ontology#partnersWith>"
    assert any(q.startswith(kestrel) for q in exports[0])  # read alone, a2 says Kestrel partners with Intel


def test_parallel_worker_lines_give_the_graph_of_one_job(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers render a document's statements unless the parent must change them: a document read
    again in the parent (REREAD), or one whose symmetric relation the merge turns round (d2, e2)."""
    folder = write_folder(tmp_path / "across", ACROSS)
    rendered: list[int] = []
    add_rendered = ntriples.Quads.add_rendered

    def counted(self, lines, entities):  # type: ignore[no-untyped-def]
        rendered.append(len(lines.claims))
        return add_rendered(self, lines, entities)

    monkeypatch.setattr(ntriples.Quads, "add_rendered", counted)
    one, _ = pipeline.build_quads([folder], jobs=1)
    assert rendered == []  # one job: the parent makes every triple
    two, report = pipeline.build_quads([folder], jobs=2)
    assert len(rendered) == len(ACROSS) - len(REREAD) - 2 and sum(rendered) > 0
    assert one.graphs == two.graphs
    dataset, serial = pipeline.build([folder], jobs=1)
    assert (report.claims, report.entities, report.quantities) == (
        serial.claims,
        serial.entities,
        serial.quantities,
    )
    assert sorted_lines(rdfio.save(dataset, tmp_path / "rdflib.nq")) == sorted_lines(
        two.save(tmp_path / "two.nq")
    )
