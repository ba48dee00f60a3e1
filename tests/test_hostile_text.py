"""Property-based: arbitrary Unicode (mixed scripts, control characters, emoji, bidi marks, lone
surrogates) never crashes extraction, and every claim's offsets slice the text to its evidence."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF

from kg import pipeline
from kg.ingest import make_document, read_document
from kg.nlp.sentences import MAX_SENTENCE, sentence_spans
from kg.vocab import CHIP

PIECES = st.sampled_from(
    [
        "NVIDIA", "TSMC", "英伟达", "台积电", "輝達", "台積電", " partners with ", "与", "合作", "代工",
        "H100", "芯片", "。", ". ", "\n", "，", "\u200f", "\u202e", "\u2066", "\u200d", "\ufeff",
        "\ud800", "\udfff", "\x00", "\x0b", "\r", "🚀", "\U000e0041", "Related articles\n", "相关内容\n",
    ]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=12)), min_size=1, max_size=40).map("".join)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _claims_slice_their_evidence(text: str) -> None:
    document = make_document(text, "h.txt")
    assert len(document.text) == len(text)
    dataset, _ = pipeline.build_documents([document])
    graph = dataset.default_graph
    for claim in graph.subjects(RDF.type, CHIP.Claim):
        start = int(graph.value(claim, CHIP.charStart))  # type: ignore[arg-type]
        end = int(graph.value(claim, CHIP.charEnd))  # type: ignore[arg-type]
        assert document.text[start:end] == str(graph.value(claim, CHIP.evidence))


@SETTINGS
@given(TEXTS)
def test_hostile_text_never_crashes_extraction_and_offsets_hold(text: str) -> None:
    _claims_slice_their_evidence(text)


@SETTINGS
@given(st.text(min_size=1, max_size=200))
def test_hostile_text_any_unicode_string(text: str) -> None:
    _claims_slice_their_evidence(text)


@SETTINGS
@given(TEXTS)
def test_hostile_text_files_round_trip_or_are_refused_by_name(tmp_path: Path, text: str) -> None:
    from kg.errors import InputError

    path = tmp_path / "h.txt"
    path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    try:
        document = read_document(path)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: ")
        return
    assert "\x00" not in document.text


@settings(max_examples=30, deadline=None)
@given(TEXTS)
def test_hostile_text_sentences_are_bounded_and_inside_the_text(text: str) -> None:
    spans = sentence_spans(text * 50)
    assert all(0 <= s < e <= len(text) * 50 and e - s <= MAX_SENTENCE for s, e in spans)
    assert spans == sorted(spans)
