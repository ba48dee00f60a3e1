"""Long inputs: no stage sees an unbounded sentence or piece, and offsets survive the cuts."""

from __future__ import annotations

import itertools

import pytest
from rdflib import RDF

from kg import pipeline
from kg.ingest import make_document
from kg.nlp.sentences import MAX_SENTENCE, sentence_spans
from kg.vocab import CHIP, KG


@pytest.mark.parametrize(
    "line",
    [
        "NVIDIA partners with TSMC, " * 200_000,  # 5.4 MB, commas but no sentence end
        "英伟达台积电华为" * 650_000,  # 5.2 MB of names, not one break
        "x" * 5_000_000,  # no break of any kind
        "Mr. A. B. Co. " * 400_000,  # full stops that end nothing
    ],
    ids=["commas", "cjk-names", "one-word", "abbreviations"],
)
def test_long_inputs_a_5mb_line_is_cut_into_bounded_sentences(line: str) -> None:
    spans = sentence_spans(line)
    assert max(end - start for start, end in spans) <= MAX_SENTENCE
    assert spans[0][0] == 0 and spans[-1][1] == len(line.rstrip())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    # nothing but white space between sentences: no text is lost
    assert all(not line[a[1] : b[0]].strip() for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("size", [1000, 4096, 50_000])
def test_long_inputs_chunks_cover_the_text_in_bounded_pieces(size: int) -> None:
    text = ("NVIDIA partners with TSMC. " * 40 + "\n") * 500
    pieces = pipeline.chunks(text, size)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(pieces))
    assert all(0 < end - start <= size for start, end in pieces)
    # between paragraphs where one fits the piece (a paragraph is 1,081 characters), else after a sentence
    assert all(text[end - 1] in ("\n" if size > 2200 else "\n.") for _start, end in pieces[:-1])


def test_long_inputs_claims_after_a_cut_keep_document_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = "Filler text about the weather in the mountains today. " * 4 + "\n"
    text = "NVIDIA partners with TSMC.\n" + paragraph * 30 + "AMD partners with Samsung.\n" + paragraph * 30
    monkeypatch.setattr(pipeline, "CHUNK", 2000)
    assert len(pipeline.chunks(text, pipeline.CHUNK)) > 5
    document = make_document(text, "long.txt")
    dataset, _ = pipeline.build_documents([document])
    graph = dataset.default_graph
    evidence = {}
    for claim in graph.subjects(RDF.type, CHIP.Claim):
        start = int(graph.value(claim, CHIP.charStart))  # type: ignore[arg-type]
        end = int(graph.value(claim, CHIP.charEnd))  # type: ignore[arg-type]
        assert text[start:end] == str(graph.value(claim, CHIP.evidence))
        evidence[graph.value(claim, RDF.subject)] = start
    assert evidence[KG.amd] > 2000  # read in a later piece, offset into the whole document


def test_long_inputs_document_id_is_hashed_once() -> None:
    document = make_document("NVIDIA partners with TSMC. " * 1000, "a.txt")
    first = document.id
    assert document.__dict__["id"] == first  # cached: resolving 10,000 mentions hashed the text each time
