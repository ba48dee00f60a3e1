"""Files from the wild and faults: each bad input or fault has a name and its exact outcome.

Outcomes are checked at the command line (`kg.cli.main`, in process): the exit code, the one line
that names the input and the problem, and what was (or was not) written.
"""

from __future__ import annotations

import errno
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from kg import pipeline, rdfio
from kg.cli import main
from kg.errors import InputError, OutputError
from kg.ingest import read_document
from kg.vocab import CHIP, KG

ZH = "英伟达与台积电签署协议，台积电将为英伟达代工H100芯片。\n华为发布了昇腾910B芯片。\n"
TW = "輝達與台積電簽署協議，台積電將為輝達代工H100晶片。\n"
EN = "NVIDIA partners with TSMC on the H100 chip.\nAMD unveiled the MI300X accelerator.\n"
EN_ACCENTS = "Café owners in São Paulo said NVIDIA's naïve résumé was fine.\nNVIDIA partners with TSMC.\n"


def run(argv: list[str | Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().err


def graph_of(path: Path) -> Graph:
    graph = Graph()
    graph.parse(path)
    return graph


def mentioned(graph: Graph) -> set[str]:
    return {str(s).removeprefix(str(KG)) for s in graph.subjects(CHIP.mentionedIn, None)}


def evidence_slices(graph: Graph, text: str) -> None:
    """Every claim's offsets slice the document text to its evidence."""
    claims = list(graph.subjects(RDF.type, CHIP.Claim))
    assert claims
    for claim in claims:
        start, end = int(graph.value(claim, CHIP.charStart)), int(graph.value(claim, CHIP.charEnd))  # type: ignore[arg-type]
        assert text[start:end] == str(graph.value(claim, CHIP.evidence))


# ---------------------------------------------------------------- encodings that are read


@dataclass(frozen=True)
class Readable:
    name: str
    data: bytes
    encoding: str
    entities: frozenset[str]


READABLE = [
    Readable("gb18030", ZH.encode("gb18030"), "gb18030", frozenset({"nvidia", "tsmc", "huawei"})),
    Readable("gbk", ZH.encode("gbk"), "gb18030", frozenset({"nvidia", "tsmc"})),
    Readable("gb2312", ZH.replace("昇腾", "升腾").encode("gb2312"), "gb18030", frozenset({"nvidia", "tsmc"})),
    Readable("big5-traditional", TW.encode("big5"), "big5", frozenset({"nvidia", "tsmc"})),
    Readable("utf-16-le-bom", ZH.encode("utf-16"), "utf-16-le", frozenset({"nvidia", "tsmc"})),
    Readable(
        "utf-16-be-bom", b"\xfe\xff" + EN.encode("utf-16-be"), "utf-16-be", frozenset({"nvidia", "tsmc"})
    ),
    Readable("utf-16-le-no-bom", ZH.encode("utf-16-le"), "utf-16-le", frozenset({"nvidia", "tsmc"})),
    Readable("utf-16-be-no-bom", EN.encode("utf-16-be"), "utf-16-be", frozenset({"nvidia", "tsmc"})),
    Readable("utf-32-bom", EN.encode("utf-32"), "utf-32-le", frozenset({"nvidia", "tsmc"})),
    Readable("utf-8-bom", EN.encode("utf-8-sig"), "utf-8", frozenset({"nvidia", "tsmc"})),
    Readable("latin-1", EN_ACCENTS.encode("latin-1"), "latin-1", frozenset({"nvidia", "tsmc"})),
    Readable(
        "windows-1252-quotes",
        "NVIDIA’s “partner” — TSMC — makes the H100 chip.\nNVIDIA partners with TSMC.\n".encode("cp1252"),
        "cp1252",
        frozenset({"nvidia", "tsmc"}),
    ),
    Readable("utf-8-plain", ZH.encode("utf-8"), "utf-8", frozenset({"nvidia", "tsmc"})),
]


@pytest.mark.parametrize("case", READABLE, ids=lambda c: c.name)
def test_bad_inputs_encoding_is_detected_and_recorded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Readable
) -> None:
    path = tmp_path / "news.txt"
    path.write_bytes(case.data)
    document = read_document(path)
    assert document.encoding == case.encoding
    assert not document.text.startswith("\ufeff")
    out = tmp_path / "g.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 0, err
    assert ("kg: news.txt: read as " + case.encoding in err) == (case.encoding != "utf-8")
    graph = graph_of(out)
    assert case.entities <= mentioned(graph)
    evidence_slices(graph, document.text)


def test_bad_inputs_utf8_bom_never_shifts_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_bytes(EN.encode("utf-8"))
    marked.write_bytes(EN.encode("utf-8-sig"))
    offsets = []
    for path in (plain, marked):
        out = tmp_path / f"{path.stem}.ttl"
        assert run(["extract", path, "-o", out], capsys)[0] == 0
        graph = graph_of(out)
        offsets.append(sorted(int(o) for o in graph.objects(None, CHIP.charStart)))  # type: ignore[arg-type]
    assert offsets[0] == offsets[1] and offsets[0]
    assert read_document(marked).id == read_document(plain).id


# ---------------------------------------------------------------- inputs that are refused


@dataclass(frozen=True)
class Refused:
    name: str
    filename: str
    data: bytes
    message: str


_LONG_GB = ("英伟达与台积电签署协议。" * 6000).encode("gb18030")
REFUSED = [
    Refused("empty-file", "a.txt", b"", "the file is empty"),
    Refused("whitespace-only", "a.txt", b"  \n\t\n  ", "the file is empty"),
    Refused("binary-bytes", "a.txt", bytes(range(256)) * 8, "looks binary (NUL bytes, and not UTF-16 text)"),
    Refused("png-named-txt", "a.txt", b"\x89PNG\r\n\x1a\n" + bytes(64), "looks binary"),
    Refused("nul-in-utf8", "a.txt", b"NVIDIA\x00partners with TSMC\n", "looks binary"),
    Refused(
        "gb-or-big5-unclear",
        "a.txt",
        ("NVIDIA said on Monday that its H100 chips are made by TSMC in Taiwan. " * 3 + "英伟达").encode(
            "gb18030"
        ),
        "reads as gb18030 or as big5 equally well; if it is gb18030, convert it with `iconv -f GB18030",
    ),
    Refused(
        "damaged-utf8",
        "a.txt",
        ("英伟达与台积电签署协议。" * 200).encode() + b"\xff" + "华为。".encode(),
        "UTF-8 text with bytes that are not UTF-8 (byte 7200 is not UTF-8)",
    ),
    Refused(
        "gb18030-damaged-past-the-sample",
        "a.txt",
        _LONG_GB + b"\xff\xff",
        f"reads as gb18030 at first but byte {len(_LONG_GB)} is not gb18030",
    ),
    Refused(
        "utf-16-bom-odd-length", "a.txt", b"\xff\xfe" + EN.encode("utf-16-le") + b"A", "reads as utf-16-le"
    ),
    Refused(
        "html-navigation-only",
        "a.html",
        b"<html><body><nav>Home | News</nav></body></html>",
        "no article text in this page",
    ),
    Refused("html-script-only", "a.htm", b"<script>NVIDIA partners with TSMC</script>", "no article text"),
    Refused(
        "markdown-code-only",
        "a.md",
        b"```\nNVIDIA partners with TSMC.\n```\n",
        "no text once its markup is left out",
    ),
    Refused(
        "turtle-input", "g.ttl", b"<http://a> <http://b> <http://c> .", "an RDF graph (.ttl), not news text"
    ),
    Refused("ntriples-input", "g.nt", b"<http://a> <http://b> <http://c> .", "an RDF graph (.nt)"),
    Refused("nquads-input", "g.nq", b"<http://a> <http://b> <http://c> .", "an RDF graph (.nq)"),
    Refused("trig-input", "g.trig", b"<http://a> <http://b> <http://c> .", "an RDF graph (.trig)"),
    Refused("jsonld-input", "g.jsonld", b'{"@id": "http://a"}', "an RDF graph (.jsonld)"),
    Refused("rdfxml-input", "g.rdf", b"<rdf:RDF/>", "an RDF graph (.rdf)"),
    Refused("owl-input", "g.owl", b"<rdf:RDF/>", "an RDF graph (.owl)"),
    Refused("pdf-input", "a.pdf", b"%PDF-1.7\n", "a PDF document: save it as text first"),
    Refused("docx-input", "a.docx", b"PK\x03\x04", "a Word document"),
    Refused("zip-input", "a.zip", b"PK\x03\x04", "an archive: unpack it"),
    Refused("gzip-input", "a.txt.gz", b"\x1f\x8b\x08", "a compressed file: unpack it first"),
    Refused("jpeg-input", "a.jpg", b"\xff\xd8\xff", "an image, not text"),
]


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.name)
def test_bad_inputs_refused_file_fails_alone_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Refused
) -> None:
    path = tmp_path / case.filename
    path.write_bytes(case.data)
    out = tmp_path / "out.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 1
    assert err.startswith(f"kg: error: no input documents ({path}: ")
    assert case.message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("case", REFUSED[:4], ids=lambda c: c.name)
def test_bad_inputs_strict_fails_on_the_first_bad_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Refused
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-good.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "in" / f"b-{case.filename}").write_bytes(case.data)
    code, err = run(["extract", tmp_path / "in", "--strict", "-o", tmp_path / "out.ttl"], capsys)
    assert code == 1
    assert err.startswith(f"kg: error: {tmp_path / 'in' / f'b-{case.filename}'}: ")
    assert case.message in err
    assert not (tmp_path / "out.ttl").exists()


# ---------------------------------------------------------------- batches


def test_bad_inputs_one_bad_file_in_a_batch_is_skipped_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.txt").write_text(ZH, encoding="utf-8")
    out = tmp_path / "out.ttl"
    code, err = run(["extract", folder, "-o", out], capsys)
    assert code == 3
    assert f"kg: skipped {folder / 'b.txt'}: the file is empty" in err
    assert "2 documents" in err and "skipped 1 inputs" in err
    assert {"nvidia", "tsmc", "huawei"} <= mentioned(graph_of(out))


def test_bad_inputs_every_input_bad_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    code, err = run(["extract", tmp_path / "a.txt", tmp_path / "b.pdf", "-o", tmp_path / "o.ttl"], capsys)
    assert code == 1
    assert err.splitlines() == [
        "kg: error: no input documents: all 2 inputs were skipped:",
        f"  {tmp_path / 'a.txt'}: the file is empty; give a text with an article in it",
        f"  {tmp_path / 'b.pdf'}: a PDF document: save it as text first (e.g. `pdftotext FILE`)",
    ]
    assert not (tmp_path / "o.ttl").exists()


def _loop_file(folder: Path) -> Path:
    (folder / "loop.txt").symlink_to("loop.txt")
    return folder / "loop.txt"


def _loop_folder(folder: Path) -> Path:
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to("..")
    return folder / "sub" / "up"


def _broken_link(folder: Path) -> Path:
    (folder / "gone.txt").symlink_to("nowhere.txt")
    return folder / "gone.txt"


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.txt")
    return folder / "pipe.txt"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_loop_file, "a symbolic link loop; it points back to itself"),
        (_loop_folder, "a symbolic link back to a folder already read; not followed twice"),
        (_broken_link, "a broken symbolic link (to nowhere.txt)"),
        (_fifo, "not a regular file (a device, pipe or socket)"),
    ],
    ids=["symlink-loop-file", "symlink-loop-folder", "broken-symlink", "fifo-named-txt"],
)
def test_bad_inputs_odd_entries_in_a_folder_are_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Callable[[Path], Path], message: str
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    bad = make(folder)
    code, err = run(["extract", folder, "-o", tmp_path / "o.ttl"], capsys)
    assert code == 3
    assert f"kg: skipped {bad}: {message}" in err
    assert (tmp_path / "o.ttl").exists()


def test_bad_inputs_symlink_loop_given_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    loop = _loop_file(tmp_path)
    code, err = run(["extract", loop, "-o", tmp_path / "o.ttl"], capsys)
    assert code == 1
    assert f"({loop}: a symbolic link loop; it points back to itself)" in err


def test_bad_inputs_missing_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(["extract", tmp_path / "nope.txt", "-o", tmp_path / "o.ttl"], capsys)
    assert code == 1
    assert f"({tmp_path / 'nope.txt'}: no such file or folder)" in err


def test_bad_inputs_folder_without_news_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "data.csv").write_text("a,b\n", encoding="utf-8")
    code, err = run(["extract", tmp_path / "in", "-o", tmp_path / "o.ttl"], capsys)
    assert code == 1
    assert "no .txt, .text, .md or .html files in this folder (it has 1 other files: .csv)" in err


def test_bad_inputs_unreadable_folder_is_named_not_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "news"
    (folder / "locked").mkdir(parents=True)
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    real = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)  # we run as root in CI: chmod 000 would not stop us
    code, err = run(["extract", folder, "-o", tmp_path / "o.ttl"], capsys)
    assert code == 3
    assert f"kg: skipped {folder / 'locked'}: cannot read this folder: Permission denied" in err


def test_bad_inputs_unreadable_file_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text(EN, encoding="utf-8")
    (folder / "b.txt").write_text(ZH, encoding="utf-8")
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "b.txt":
            raise PermissionError(errno.EACCES, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, err = run(["extract", folder, "-o", tmp_path / "o.ttl"], capsys)
    assert code == 3
    assert f"kg: skipped {folder / 'b.txt'}: cannot read it: Permission denied" in err


def test_bad_inputs_same_text_twice_counts_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(EN.encode("utf-16"))  # the same text in another encoding
    code, err = run(["extract", tmp_path / "a.txt", tmp_path / "b.txt", "-o", tmp_path / "o.ttl"], capsys)
    assert code == 0
    assert "1 documents" in err


# ---------------------------------------------------------------- formats

PAGE = """<!doctype html><html lang="en"><head><title>Site | ignored</title>
<meta property="og:title" content="NVIDIA and TSMC sign a deal">
<meta property="article:published_time" content="2024-05-02T08:30:00Z">
<style>p { color: red }</style><script>var names = "AMD partners with Intel";</script></head>
<body><nav><a href="/">Home</a> <a href="/x">Intel and AMD news</a></nav>
<header>AI chip daily</header>
<article><h1>NVIDIA and TSMC</h1><p>NVIDIA <b>partners</b> with TSMC on the &quot;H100&quot; chip.</p>
<p>Second paragraph.</p></article>
<aside>Samsung ads</aside><footer>© 2024</footer></body></html>"""


def test_bad_inputs_html_page_read_as_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    document = read_document(path)
    assert (
        document.text == 'NVIDIA and TSMC\nNVIDIA partners with TSMC on the "H100" chip.\nSecond paragraph.'
    )
    assert document.title == "NVIDIA and TSMC sign a deal"
    assert document.date is not None and document.date.isoformat() == "2024-05-02T08:30:00"
    assert document.format == "html" and document.dropped > 0
    out = tmp_path / "o.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 0
    assert f"kg: page.html: left out {document.dropped} characters (markup, code or navigation)" in err
    graph = graph_of(out)
    assert {"nvidia", "tsmc"} <= mentioned(graph)
    assert not {"intel", "amd", "samsung"} & mentioned(graph)  # navigation, script and aside are not read
    assert all("<" not in str(e) for e in graph.objects(None, CHIP.evidence))
    evidence_slices(graph, document.text)


def test_bad_inputs_html_in_gbk_with_meta_charset(tmp_path: Path) -> None:
    path = tmp_path / "页面.HTM"
    path.write_bytes(f'<meta charset="gbk"><title>新闻</title><p>{ZH}</p>'.encode("gbk"))
    document = read_document(path)
    assert document.encoding == "gb18030" and document.title == "新闻"
    assert document.text.startswith("英伟达与台积电")


def test_bad_inputs_hostile_deep_html_does_not_recurse(tmp_path: Path) -> None:
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 50_000 + "NVIDIA partners with TSMC." + "</div>" * 50_000, encoding="utf-8")
    assert read_document(path).text == "NVIDIA partners with TSMC."


def test_bad_inputs_markdown_read_without_markup_or_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "note.md"
    path.write_text(
        "# NVIDIA and TSMC\n\nNVIDIA **partners** with [TSMC](https://example.org) on `H100`.\n\n"
        "```python\nprint('AMD partners with Intel.')\n```\n\n<div>Samsung</div>\n",
        encoding="utf-8",
    )
    document = read_document(path)
    assert document.text == "NVIDIA and TSMC\nNVIDIA partners with TSMC on H100."
    assert document.dropped == len("print('AMD partners with Intel.')") + len("<div>Samsung</div>")
    out = tmp_path / "o.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 0 and "note.md: left out" in err
    assert not {"amd", "intel", "samsung"} & mentioned(graph_of(out))


def test_bad_inputs_file_without_extension_is_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "README").write_text(EN, encoding="utf-8")
    assert run(["extract", tmp_path / "README", "-o", tmp_path / "o.ttl"], capsys)[0] == 0


# ---------------------------------------------------------------- navigation: only trailing furniture


@pytest.mark.parametrize("heading", ["相关内容", "Related articles", "猜你喜欢", "Read more"])
def test_bad_inputs_trailing_navigation_is_cut_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], heading: str
) -> None:
    tail = f"{heading}\n华为发布新手机\nAMD partners with Intel\n"
    path = tmp_path / "a.txt"
    path.write_text(EN + "\n" + tail, encoding="utf-8")
    out = tmp_path / "o.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 0
    assert f"kg: a.txt: left out {len(tail.strip())} characters" in err
    assert "left out" in err.splitlines()[-1]
    assert not {"huawei", "intel"} & mentioned(graph_of(out))


def test_bad_inputs_navigation_heading_inside_a_digest_drops_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        "Weekly digest\nNVIDIA partners with TSMC on the H100 chip.\nRelated articles\n"
        "Huawei unveiled the Ascend 910B chip. The company said it competes with NVIDIA in China.\n"
    )
    path = tmp_path / "digest.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "o.ttl"
    code, err = run(["extract", path, "-o", out], capsys)
    assert code == 0 and "left out" not in err
    assert {"nvidia", "tsmc", "huawei"} <= mentioned(graph_of(out))


# ---------------------------------------------------------------- traditional Chinese


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("輝達發佈新晶片。", "nvidia"),
        ("台積電擴大產能。", "tsmc"),
        ("寒武紀發佈新晶片。", "cambricon"),  # no traditional alias in the registry: the character map
        ("華為海思發佈新晶片。", "hisilicon"),
        ("英偉達與超微競爭。", "nvidia"),
    ],
)
def test_bad_inputs_traditional_names_resolve_like_simplified(text: str, entity: str) -> None:
    from kg.ingest import make_document

    dataset, _ = pipeline.build_documents([make_document(text, "tw.txt")])
    found = set(dataset.default_graph.subjects(CHIP.mentionedIn, None))
    assert KG[entity] in found


# ---------------------------------------------------------------- writes


def _extract_ok(tmp_path: Path, out: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str]:
    src = tmp_path / "in.txt"
    src.write_text(EN, encoding="utf-8")
    return run(["extract", src, "-o", out, *more], capsys)


def test_bad_inputs_output_is_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.nt"
    notes.write_text("NVIDIA partners with TSMC.\n", encoding="utf-8")
    code, err = run(["extract", notes, "-o", notes], capsys)
    assert code == 2
    assert f"kg extract: the output {notes} is also an input" in err
    assert notes.read_text(encoding="utf-8") == "NVIDIA partners with TSMC.\n"


def test_bad_inputs_output_is_the_input_through_a_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.nt"
    notes.write_text("text", encoding="utf-8")
    (tmp_path / "alias.nt").symlink_to(notes)
    code, err = run(["extract", notes, "-o", tmp_path / "alias.nt"], capsys)
    assert code == 2 and "is also an input" in err
    assert notes.read_text(encoding="utf-8") == "text"


def test_bad_inputs_viz_over_its_own_graph(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = tmp_path / "g.ttl"
    assert _extract_ok(tmp_path, graph, capsys)[0] == 0
    before = graph.read_bytes()
    code, err = run(["viz", graph, "-o", graph], capsys)
    assert code == 2 and f"kg viz: the output {graph} is also an input" in err
    assert graph.read_bytes() == before


def test_bad_inputs_output_path_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out.ttl").mkdir()
    code, err = _extract_ok(tmp_path, tmp_path / "out.ttl", capsys)
    assert code == 1
    assert err.strip() == f"kg: error: {tmp_path / 'out.ttl'}: is a folder; give the name of a file to write"


def _refuse_mkstemp(*args: object, **kw: object) -> tuple[int, str]:
    raise PermissionError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    "argv",
    [
        ["extract", "IN", "-o", "OUT.ttl"],
        ["viz", "GRAPH", "-o", "OUT.html"],
        ["registry", "export", "-o", "OUT.trig"],
    ],
    ids=["extract", "viz", "registry-export"],
)
def test_bad_inputs_read_only_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    graph = tmp_path / "g.ttl"
    assert _extract_ok(tmp_path, graph, capsys)[0] == 0
    target = tmp_path / "ro" / argv[-1]
    names = {"IN": str(tmp_path / "in.txt"), "GRAPH": str(graph), argv[-1]: str(target)}
    monkeypatch.setattr(
        tempfile, "mkstemp", _refuse_mkstemp
    )  # root ignores chmod: fail as a read-only folder does
    code, err = run([names.get(a, a) for a in argv], capsys)
    assert code == 1
    assert err.strip().endswith(f"kg: error: {target}: cannot write here: Permission denied")
    assert not target.exists()


def test_bad_inputs_disk_full_keeps_the_old_graph_and_no_part_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "g.ttl"
    assert _extract_ok(tmp_path, out, capsys)[0] == 0
    before = out.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    (tmp_path / "in.txt").write_text(ZH, encoding="utf-8")
    code, err = run(["extract", tmp_path / "in.txt", "-o", out, "--force"], capsys)
    assert code == 1
    assert err.strip().endswith(f"kg: error: {out}: cannot write it: No space left on device")
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl", "in.txt"]


def test_bad_inputs_planted_part_link_is_not_followed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (tmp_path / "g.ttl.part").symlink_to(victim)
    (tmp_path / ".g.ttl.part").symlink_to(victim)
    assert _extract_ok(tmp_path, tmp_path / "g.ttl", capsys)[0] == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert len(graph_of(tmp_path / "g.ttl")) > 0


def test_bad_inputs_output_that_is_a_link_is_replaced_not_written_through(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = tmp_path / "victim.ttl"
    victim.write_text("# someone else's graph\n", encoding="utf-8")
    (tmp_path / "g.ttl").symlink_to(victim)
    assert _extract_ok(tmp_path, tmp_path / "g.ttl", capsys, "--force")[0] == 0
    assert victim.read_text(encoding="utf-8") == "# someone else's graph\n"
    assert not (tmp_path / "g.ttl").is_symlink()


def test_bad_inputs_written_file_follows_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.ttl"
    mask = os.umask(0o022)
    try:
        assert _extract_ok(tmp_path, out, capsys)[0] == 0
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o644  # not mkstemp's private 0600


def test_bad_inputs_two_writers_on_one_output_never_interleave(tmp_path: Path) -> None:
    out = tmp_path / "g.nt"
    graphs = []
    for n in range(2):
        dataset = Dataset()
        for i in range(3000):
            dataset.add((URIRef(f"http://ex.org/w{n}/s{i}"), RDF.value, Literal("x" * 50)))
        graphs.append(dataset)
    errors: list[BaseException] = []

    def write(dataset: Dataset) -> None:
        try:
            for _ in range(5):
                rdfio.save(dataset, out)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(g,)) for g in graphs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    written = graph_of(out)
    assert len(written) == 3000
    assert len({str(s).split("/")[3] for s in written.subjects()}) == 1  # one writer's graph, whole
    assert [p.name for p in tmp_path.iterdir()] == ["g.nt"]


def test_bad_inputs_write_error_from_the_library_is_an_output_error(tmp_path: Path) -> None:
    (tmp_path / "g.ttl").mkdir()
    with pytest.raises(OutputError, match="is a folder"):
        rdfio.save(Dataset(), tmp_path / "g.ttl")


# ---------------------------------------------------------------- graphs from elsewhere


@dataclass(frozen=True)
class BadGraph:
    name: str
    filename: str
    data: bytes
    message: str


BAD_GRAPHS = [
    BadGraph("zero-byte-turtle", "g.ttl", b"", "the file is empty (0 bytes), not a graph"),
    BadGraph(
        "truncated-turtle",
        "g.ttl",
        b'@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated',
        "g.ttl:3: not valid turtle:",
    ),
    BadGraph(
        "turtle-cut-after-predicate",
        "g.ttl",
        b"@prefix ex: <http://ex.org/> .\nex:a ex:b ex:c .\nex:d ex:e ",
        "g.ttl:3: not valid turtle:",
    ),
    BadGraph(
        "ntriples-bad-line",
        "g.nt",
        b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n",
        "g.nt:2: not valid nt:",
    ),
    BadGraph(
        "nquads-garbage",
        "g.nq",
        b"<http://a> <http://b> <http://c> <http://g> .\nnot rdf\n",
        "g.nq:2: not valid nquads:",
    ),
    BadGraph(
        "trig-unclosed-graph", "g.trig", b"<http://g> {\n<http://a> <http://b> <http://c> .\n", "g.trig:"
    ),
    BadGraph(
        "jsonld-bad-json",
        "g.jsonld",
        b'{\n "@id": "http://a",\n "http://b": "x",\n',
        "g.jsonld:4: not valid JSON",
    ),
    BadGraph(
        "jsonld-remote-context",
        "g.jsonld",
        b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://a", "b": "x"}',
        "its JSON-LD @context refers to another document (http://127.0.0.1:9/context.jsonld)",
    ),
    BadGraph(
        "jsonld-file-context",
        "g.jsonld",
        b'{"@context": "file:///etc/passwd", "@id": "http://a"}',
        "refers to another document (file:///etc/passwd); aichip-kg never fetches contexts",
    ),
    BadGraph(
        "jsonld-context-list-with-url",
        "g.jsonld",
        b'{"@context": [{"ex": "http://ex.org/"}, "https://example.org/ctx"], "@id": "http://a"}',
        "refers to another document (https://example.org/ctx)",
    ),
    BadGraph(
        "jsonld-nested-context",
        "g.jsonld",
        b'{"@graph": [{"@context": "http://127.0.0.1:9/c", "@id": "http://a"}]}',
        "refers to another document (http://127.0.0.1:9/c)",
    ),
    BadGraph(
        "jsonld-import",
        "g.jsonld",
        b'{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://a"}',
        "its JSON-LD @context refers to another document (http://127.0.0.1:9/c)",
    ),
    BadGraph("binary-named-ttl", "g.ttl", bytes(range(1, 256)), "g.ttl:1: not valid turtle"),
]


@pytest.mark.parametrize("command", ["validate", "viz", "query"])
@pytest.mark.parametrize("case", BAD_GRAPHS, ids=lambda c: c.name)
def test_bad_inputs_bad_graph_file_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: BadGraph, command: str
) -> None:
    path = tmp_path / case.filename
    path.write_bytes(case.data)
    argv: list[str | Path] = {
        "validate": ["validate", path],
        "viz": ["viz", path, "-o", tmp_path / "v.html"],
        "query": ["query", "entities", "--graph", path],
    }[command]
    code, err = run(argv, capsys)
    assert code == 1
    assert err.startswith(f"kg: error: {tmp_path}/")
    assert case.message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not (tmp_path / "v.html").exists()


def test_bad_inputs_graph_path_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a folder names a graph store: one that holds none says how to fill it
    (tmp_path / "g.ttl").mkdir()
    code, err = run(["validate", tmp_path / "g.ttl"], capsys)
    assert code == 1 and "g.ttl: no graph store here" in err and "kg ingest" in err


# ---------------------------------------------------------------- data files


def test_bad_inputs_malformed_pattern_toml_names_file_and_line(tmp_path: Path) -> None:
    from kg.errors import RegistryError
    from kg.resolve import load_rules

    path = tmp_path / "relations.toml"
    path.write_text('[[inference]]\nid = "x"\nif = ["a b c"\n', encoding="utf-8")
    with pytest.raises(RegistryError, match=rf"^{path}:3: not valid TOML"):
        load_rules(str(path))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("inference = 3\n", ":1: `inference` should be a list, not a int"),
        ('[[inference]]\nid = "a"\nif = ["a develops b", "b x c"]\n', ":1: inference rule a: missing 'then'"),
        (
            '[[inference]]\nid = "a"\nif = ["x y z", "a b c"]\nthen = "a b c"\n\n[[inference]]\nid = "b"\nif = ["a b"]\nthen = "a b c"\n',
            ":6: inference rule b: a rule has two premises",
        ),
        (
            '[[inference]]\nif = ["x y z", "a b c"]\nthen = "a b c"\n',
            ":1: inference rule number 1: it needs an id",
        ),
    ],
    ids=["inference-not-a-list", "rule-without-then", "second-rule-one-premise", "rule-without-id"],
)
def test_bad_inputs_malformed_inference_rule(tmp_path: Path, body: str, message: str) -> None:
    from kg.errors import RegistryError
    from kg.resolve import load_rules

    path = tmp_path / "relations.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        load_rules(str(path))
    assert str(info.value).startswith(str(path)) and message in str(info.value)


ORG_HEADER = "id\tclass\tname\tzh\taliases\twikidata\tparent\n"


@pytest.mark.parametrize(
    ("table", "data", "message"),
    [
        ("organizations.tsv", "id\tname\n", "organizations.tsv:1: header should be"),
        (
            "organizations.tsv",
            (ORG_HEADER + "x\tCompany\tX\t\t\t\t\t\textra\n"),
            "organizations.tsv:2: 9 columns",
        ),
        (
            "organizations.tsv",
            (ORG_HEADER + "x\tGadget\tX\n"),
            "organizations.tsv:2: class 'Gadget' is not one of",
        ),
        (
            "organizations.tsv",
            (ORG_HEADER + "x\tCompany\tX\t\t\tP31\n"),
            "Wikidata id 'P31' should look like Q12345",
        ),
        (
            "organizations.tsv",
            (ORG_HEADER + "x\tCompany\tX\t\t\t\tnobody\n"),
            "'x' refers to unknown id 'nobody'",
        ),
        (
            "organizations.tsv",
            (ORG_HEADER + "x\tCompany\tX\n").encode("utf-8") + "\n岛\n".encode("gbk"),
            "organizations.tsv:4: not UTF-8 (byte 54)",
        ),
        (
            "ambiguous.tsv",
            "alias\tids\tpreferred\nfoo\tx\n",
            "ambiguous.tsv:2: every row needs an alias, ids and the preferred id",
        ),
    ],
    ids=[
        "bad-header",
        "too-many-columns",
        "unknown-class",
        "bad-wikidata",
        "unknown-reference",
        "not-utf8",
        "ambiguous-without-preferred",
    ],
)
def test_bad_inputs_malformed_registry_table(
    tmp_path: Path, table: str, data: str | bytes, message: str
) -> None:
    from kg.errors import RegistryError
    from kg.registry import read_registry

    if table != "organizations.tsv":
        (tmp_path / "organizations.tsv").write_text(ORG_HEADER + "x\tCompany\tX\n", encoding="utf-8")
    target = tmp_path / table
    if isinstance(data, bytes):
        target.write_bytes(data)
    else:
        target.write_text(data, encoding="utf-8")
    with pytest.raises(RegistryError) as info:
        read_registry(tmp_path)
    assert message in str(info.value)


# ---------------------------------------------------------------- hostile text through the library


@pytest.mark.parametrize(
    "text",
    [
        "NVIDIA\ud800 partners with TSMC.",
        "\udfff英伟达与台积电合作。\ud83d",
        "NVIDIA\u202e partners with\u200f TSMC\u2066.",
        "N\u200dVIDIA partners with T\u200bSMC.\u0000",
        "英伟达\U0001f680与台积电🚀合作。" * 3,
        "\r\r\r\n\u2028\u2029NVIDIA partners with TSMC.\x0b\x0c",
    ],
    ids=[
        "lone-high-surrogate",
        "lone-surrogates-zh",
        "bidi-marks",
        "zero-width-and-nul",
        "emoji",
        "odd-line-breaks",
    ],
)
def test_bad_inputs_hostile_unicode_never_crashes(text: str) -> None:
    from kg.ingest import make_document

    document = make_document(text, "x.txt")
    dataset, _ = pipeline.build_documents([document])
    graph = dataset.default_graph
    for claim in graph.subjects(RDF.type, CHIP.Claim):
        start, end = int(graph.value(claim, CHIP.charStart)), int(graph.value(claim, CHIP.charEnd))  # type: ignore[arg-type]
        assert document.text[start:end] == str(graph.value(claim, CHIP.evidence))
    assert len(document.text) == len(text)


def test_bad_inputs_python_api_refuses_a_bad_file_by_name(tmp_path: Path) -> None:
    import kg

    (tmp_path / "g.ttl").write_text("<http://a> <http://b> <http://c> .", encoding="utf-8")
    with pytest.raises(InputError, match=r"g\.ttl: an RDF graph"):
        kg.extract(tmp_path / "g.ttl")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["extract", "IN", "-o", "OUT.ttl"], "kg ingest INPUT... --store DIR"),
        (["viz", "GRAPH", "-o", "OUT.html"], "give another -o file"),
        (["export", "GRAPH", "-o", "OUT.graphml"], "give another -o file"),
        (["export", "GRAPH", "-o", "OUT.nodes.csv"], "give another -o file"),
        (["registry", "export", "-o", "OUT.trig"], "give another -o file"),
    ],
    ids=["extract", "viz", "export", "export-csv", "registry-export"],
)
def test_bad_inputs_existing_output_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], hint: str
) -> None:
    graph = tmp_path / "g.ttl"
    assert _extract_ok(tmp_path, graph, capsys)[0] == 0
    target = tmp_path / argv[-1]
    # `.csv` export writes NAME.nodes.csv and NAME.edges.csv: an existing nodes table is refused too
    given = tmp_path / "OUT.csv" if argv[-1] == "OUT.nodes.csv" else target
    yesterday = b"# yesterday's file\n\x00\xff"
    target.write_bytes(yesterday)
    names = {"IN": str(tmp_path / "in.txt"), "GRAPH": str(graph), argv[-1]: str(given)}
    code, err = run([names.get(a, a) for a in argv], capsys)
    assert code == 2, err
    assert f"{target} exists: pass --force to replace it" in err and hint in err
    assert target.read_bytes() == yesterday
    code, err = run([*(names.get(a, a) for a in argv), "--force"], capsys)
    assert code == 0, err
    assert target.read_bytes() != yesterday and target.stat().st_size > 100


def test_bad_inputs_force_keeps_the_output_is_input_refusal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.nt"
    notes.write_text("NVIDIA partners with TSMC.\n", encoding="utf-8")
    code, err = run(["extract", notes, "-o", notes, "--force"], capsys)
    assert code == 2 and "is also an input" in err
    assert notes.read_text(encoding="utf-8") == "NVIDIA partners with TSMC.\n"
