"""The persistent store: incremental ingest, replacement, removal, export, and reading it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef

import kg
from kg import cli, pipeline
from kg.errors import InputError
from kg.store import DOCUMENT_GRAPHS, Store, export, is_store
from kg.tables import PREFIXES

KG = "https://w3id.org/aichip-kg/id/"
CHIP = "https://w3id.org/aichip-kg/ontology#"
FOUNDRY = "TSMC makes chips for OpenAI.\nOpenAI partners with Broadcom on a custom chip.\n"
DESIGNER = "NVIDIA develops the H100 chip.\nTSMC manufactures the H100 for NVIDIA.\n"


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "foundry.txt").write_text(FOUNDRY, encoding="utf-8")
    (folder / "designer.txt").write_text(DESIGNER, encoding="utf-8")
    return folder


def ask(store: Store, text: str) -> bool:
    return bool(store.ox.query(f"ASK {{ {text} }}", prefixes=PREFIXES))


def document_graphs(store: Store) -> set[str]:
    return {g.value for g in store.ox.named_graphs() if g.value.startswith(DOCUMENT_GRAPHS)}


def test_store_ingest_twice_changes_nothing(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    first = pipeline.ingest(store, [texts])
    quads = len(store)
    again = pipeline.ingest(store, [texts])
    assert (first.added, first.skipped) == (2, 0)
    assert (again.read, again.added, again.skipped, again.claims) == (2, 0, 2, 0)
    assert len(store) == quads and len(document_graphs(store)) == 2
    assert is_store(tmp_path / "store")


def test_store_each_document_in_a_graph_named_by_its_content_hash(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    for document in store.documents():
        assert document.graph == DOCUMENT_GRAPHS + document.id.removeprefix("doc-")
        assert ask(store, f"GRAPH <{document.graph}> {{ <{document.iri}> a chip:Document }}")
    # the default graph is the union: both documents' relations, and no background fact
    assert ask(store, "kg:tsmc chip:fabricatesFor kg:openai . kg:nvidia chip:develops kg:h100")


def test_store_a_changed_file_replaces_its_facts(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    before = {d.source: d for d in store.documents()}
    (texts / "foundry.txt").write_text("Samsung makes chips for OpenAI.\n", encoding="utf-8")
    report = pipeline.ingest(store, [texts / "foundry.txt"])
    after = {d.source: d for d in store.documents()}
    assert (report.added, report.replaced) == (1, 1)
    assert after["foundry.txt"].graph != before["foundry.txt"].graph
    assert after["designer.txt"] == before["designer.txt"]
    assert before["foundry.txt"].graph not in document_graphs(store)
    assert ask(store, "kg:samsung chip:fabricatesFor kg:openai")
    assert not ask(store, "kg:tsmc chip:fabricatesFor kg:openai")
    assert not ask(store, "kg:openai chip:partnersWith ?x")
    assert not ask(store, f"?e chip:mentionedIn <{before['foundry.txt'].iri}>")
    # TSMC is still there: the other document mentions it
    assert ask(store, "kg:tsmc chip:fabricatesFor kg:nvidia ; chip:mentionedIn ?d")


def test_store_remove_keeps_entities_other_documents_mention(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    foundry = store.find("foundry.txt")[0]
    assert pipeline.remove(store, str(texts / "foundry.txt")) == ["foundry.txt"]
    assert [d.source for d in store.documents()] == ["designer.txt"]
    assert ask(store, "kg:tsmc a ?class ; skos:prefLabel ?label ; chip:mentionedIn ?doc")
    assert not ask(store, f"kg:tsmc chip:mentionedIn <{foundry.iri}>")
    assert not ask(store, "kg:broadcom ?p ?o")  # only the removed document mentioned it
    assert not ask(store, "?c chip:evidence ?e FILTER(CONTAINS(?e, 'OpenAI'))")
    assert not ask(store, f"GRAPH <{KG}graph/background> {{ kg:openai ?p ?o }}")


def test_store_remove_unknown_document_names_the_stored_ones(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    with pytest.raises(InputError, match=r"no document called 'nope.txt'.*designer.txt"):
        pipeline.remove(store, "nope.txt")


def test_store_remove_by_iri_or_id(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    designer = store.find("designer.txt")[0]
    assert (
        store.find(designer.iri) == store.find(designer.id) == store.find("kg:" + designer.id) == [designer]
    )


@pytest.mark.parametrize("name", ["graph.ttl", "graph.trig", "graph.nq", "graph.jsonld"])
def test_store_rdf_given_as_input_is_refused_by_name(tmp_path: Path, name: str) -> None:
    graph = tmp_path / name
    graph.write_text("<http://a> <http://b> <http://c> .\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{name}: an RDF graph \(\.\w+\), not news text"):
        pipeline.ingest(Store.open(tmp_path / "store"), [graph])
    with pytest.raises(InputError, match="not news text"):
        pipeline.build([graph])


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_store_export_quads_keeps_named_graphs(tmp_path: Path, texts: Path, suffix: str) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    out = export(store, tmp_path / f"all{suffix}")
    dataset = Dataset()
    dataset.parse(out, format="nquads" if suffix == ".nq" else "trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert document_graphs(store) <= names
    assert KG + "graph/background" in names
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(store)


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".jsonld"])
def test_store_export_triples_holds_the_merged_graph(tmp_path: Path, texts: Path, suffix: str) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    graph = Graph().parse(export(store, tmp_path / f"all{suffix}"))
    assert (URIRef(KG + "tsmc"), URIRef(CHIP + "fabricatesFor"), URIRef(KG + "nvidia")) in graph
    assert len(graph) == len(store.dataset().default_graph)


def test_store_export_unknown_extension(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    with pytest.raises(InputError, match=r"unknown graph format '\.docx'"):
        export(store, tmp_path / "all.docx")


def test_store_reading_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no graph store here; add documents first with `kg ingest"):
        kg.load(tmp_path / "empty")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="holds other files"):
        Store.open(tmp_path / "other")


def test_store_kg_load_reads_a_store(tmp_path: Path, texts: Path) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    del store  # one writer at a time: readers open the folder read-only
    graph = kg.load(tmp_path / "store")
    frame = graph.query("fabricators", company="NVIDIA")
    assert list(frame["foundry"]) == ["TSMC"]
    assert len(graph.documents()) == 2


def test_store_cli_default_store_then_viz_without_flags(
    tmp_path: Path, texts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KG_STORE", raising=False)
    assert cli.main(["ingest", str(texts / "foundry.txt")]) == 0
    assert "1 documents read: 1 added" in capsys.readouterr().err
    assert cli.main(["ingest", str(texts), "-q"]) == 0
    assert capsys.readouterr().err == ""
    assert is_store(tmp_path / "kg-store")
    assert cli.main(["viz", "-o", "x.html"]) == 0
    assert "NVIDIA" in (tmp_path / "x.html").read_text(encoding="utf-8")
    assert cli.main(["query", "documents", "-f", "csv"]) == 0
    assert capsys.readouterr().out.count(".txt") == 2
    assert cli.main(["validate"]) == 0
    assert "kg-store: conforms" in capsys.readouterr().out
    assert cli.main(["remove", "designer.txt"]) == 0
    assert cli.main(["export", "-o", "all.nq"]) == 0
    assert "designer.txt" not in (tmp_path / "all.nq").read_text(encoding="utf-8")


def test_store_cli_uses_kg_store_variable(
    tmp_path: Path, texts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KG_STORE", str(tmp_path / "elsewhere"))
    assert cli.main(["ingest", str(texts), "-q"]) == 0
    assert is_store(tmp_path / "elsewhere") and not (tmp_path / "kg-store").exists()
    assert cli.main(["query", "fabricators", "-p", "company=OpenAI", "-f", "csv"]) == 0
    assert "TSMC" in capsys.readouterr().out


def test_store_cli_remove_from_a_missing_store_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["remove", "a.txt", "--store", "none"]) == 1
    assert "no graph store here" in capsys.readouterr().err
    assert not (tmp_path / "none").exists()


def test_store_ingest_validates_each_new_document_and_verbose_lists_problems(
    tmp_path: Path, texts: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from kg import validate

    checked: list[int] = []

    def fake(graph: Graph) -> validate.Result:
        checked.append(len(graph))
        return validate.Result(conforms=False, problems=["kg:acme: made-up problem"])

    monkeypatch.setattr(validate, "validate", fake)
    store = str(tmp_path / "store")
    assert cli.main(["ingest", str(texts / "foundry.txt"), "--store", store, "-v"]) == 0
    err = capsys.readouterr().err
    assert "foundry.txt: kg:acme: made-up problem" in err and "1 with contract problems" in err
    assert cli.main(["ingest", str(texts), "--store", store]) == 0
    assert "made-up problem" not in capsys.readouterr().err
    # each document's own graph was checked once (the stored one was skipped), never the whole store
    assert len(checked) == 2 and all(0 < n < 200 for n in checked)
    assert (
        cli.main(["ingest", str(texts / "designer.txt"), "--store", str(tmp_path / "other"), "--no-validate"])
        == 0
    )
    assert len(checked) == 2


def test_store_a_failure_mid_replace_leaves_the_old_facts(
    tmp_path: Path, texts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(tmp_path / "store")
    pipeline.ingest(store, [texts])
    before = {d.source: d for d in store.documents()}
    quads = len(store)
    real_update = store.ox.update

    class Failing:
        def __getattr__(self, name: str) -> object:
            return getattr(real_update.__self__, name)

        def update(self, text: str) -> None:
            # the whole replacement, then an operation that fails at run time: nothing may stay
            real_update(text + " ;\nLOAD <http://127.0.0.1:1/nothing>")  # refused, never sent

    monkeypatch.setattr(store, "ox", Failing())
    (texts / "foundry.txt").write_text("Samsung makes chips for OpenAI.\n", encoding="utf-8")
    with pytest.raises(OSError):
        pipeline.ingest(store, [texts / "foundry.txt"], validate=False)
    monkeypatch.undo()
    assert {d.source: d for d in store.documents()} == before
    assert len(store) == quads
    assert ask(store, "kg:tsmc chip:fabricatesFor kg:openai")
    assert not ask(store, "kg:samsung chip:fabricatesFor kg:openai")


def test_store_same_file_name_in_two_folders_are_two_documents(tmp_path: Path) -> None:
    news = tmp_path / "news"
    for folder, text in (("a", FOUNDRY), ("b", DESIGNER)):
        (news / folder).mkdir(parents=True)
        (news / folder / "story.txt").write_text(text, encoding="utf-8")
    store = Store.open(tmp_path / "store")
    report = pipeline.ingest(store, [news], validate=False)
    assert (report.added, report.replaced) == (2, 0)
    assert sorted(store.keys().values()) == ["a/story.txt", "b/story.txt"]
    (news / "a" / "story.txt").write_text("Samsung makes chips for OpenAI.\n", encoding="utf-8")
    again = pipeline.ingest(store, [news], validate=False)
    assert (again.added, again.replaced, again.skipped) == (1, 1, 1)
    assert len(document_graphs(store)) == 2
    assert ask(store, "kg:nvidia chip:develops kg:h100 . kg:samsung chip:fabricatesFor kg:openai")
