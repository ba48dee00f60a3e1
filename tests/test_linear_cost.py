"""Cost linear in document length, counted in operations, not seconds.

Each stage of the spaCy pipeline, the resolver and the RDF building run on one document and on the
same document twice and four times as long; the number of Python and C function calls each makes is
counted with `sys.setprofile`. A stage linear in length makes about twice the calls when the text
doubles; one that rescans the document per token or per sentence makes about four times as many.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from spacy.tokens import Doc

from kg import pipeline, rdf
from kg.ingest import make_document
from kg.nlp import pipeline_for
from kg.nlp.coreference import _span
from kg.nlp.pronouns import Binding
from kg.registry import load_registry
from kg.resolve import Resolver

PARAGRAPHS = {
    "zh": (
        "第{n}段：英伟达发布了新的数据中心芯片，台积电负责代工。"
        "据报道，百度正在向华为采购昇腾芯片，双方还计划合作训练大模型。"
        "寒武纪表示，今年的营收增长了百分之三十，团队已有五百人。\n\n"
    ),
    "en": (
        "Part {n}: NVIDIA unveiled a new data-center chip, and TSMC will manufacture it. "
        "Microsoft is reportedly buying AMD accelerators for its cloud, while Google designs its own TPU. "
        "Cambricon said its revenue grew 30 percent this year and its team has 500 engineers.\n\n"
    ),
}
GROWTH = 2.6
"""Doubling the text may cost at most this factor in calls (2 is linear, 4 quadratic)."""


def _text(lang: str, paragraphs: int) -> str:
    return "".join(PARAGRAPHS[lang].format(n=n) for n in range(paragraphs))


def _calls(run: Callable[[], Any]) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def _stage_calls(lang: str, paragraphs: int) -> dict[str, int]:
    """Calls per pipeline component, for the resolver and for the RDF building, on one document."""
    nlp = pipeline_for(lang)
    text = _text(lang, paragraphs)
    counts: dict[str, int] = {}
    holder: dict[str, Any] = {}
    counts["tokenizer"] = _calls(lambda: holder.update(doc=nlp.make_doc(text)))
    doc = holder["doc"]
    for name, component in nlp.pipeline:
        counts[name] = _calls(lambda component=component: holder.update(doc=component(holder["doc"])))
    doc = holder["doc"]
    document = make_document(text, f"linear-{lang}.txt", "2025-01-01")
    registry = load_registry()
    resolver = Resolver(registry)
    counts["resolver"] = _calls(lambda: resolver.add(document, doc))

    def build_rdf() -> None:
        dataset = pipeline.Dataset()
        rdf.add_document(dataset, document)
        for record in resolver.entities.values():
            rdf.add_entity(dataset, record, registry)
        rdf.add_claims(dataset, resolver.claims)
        rdf.add_measures(dataset, resolver.measures)

    counts["rdf"] = _calls(build_rdf)
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_linear_cost_every_stage_grows_linearly_with_the_document(lang: str) -> None:
    pipeline_for(lang)(_text(lang, 2))  # warm up: registry, tries, jieba, compiled patterns
    small, double, quadruple = (_stage_calls(lang, n) for n in (20, 40, 80))
    assert small["kg_gazetteer"] > 0 and small["rdf"] > 0
    for stage in small:
        for before, after in ((small, double), (double, quadruple)):
            growth = after[stage] / max(before[stage], 1)
            assert growth < GROWTH, f"{stage}: {before[stage]} -> {after[stage]} calls when the text doubles"


def test_linear_cost_the_count_catches_a_quadratic_stage() -> None:
    """The measure itself: a stage that rescans every earlier sentence per sentence grows by four
    when the text doubles; one that visits each sentence once grows by two."""

    def rescanning(text: str) -> int:
        sentences = text.split("。")
        return sum(sum(1 for _ in sentences[:i]) for i in range(len(sentences)))

    def visiting(text: str) -> int:
        return sum(1 for _ in text.split("。"))

    text = _text("zh", 10)
    assert _calls(lambda: rescanning(text + text)) / _calls(lambda: rescanning(text)) > 3.5
    assert _calls(lambda: visiting(text + text)) / _calls(lambda: visiting(text)) < GROWTH


ANAPHORS = {
    "zh": (
        "第{n}段：英伟达发布了新的数据中心芯片，该公司表示其营收增长了百分之三十。"
        "台积电为英伟达代工这款芯片，它还计划把产能提高两倍。"
        "据报道，百度正在向华为采购昇腾芯片，后者表示其市场份额达到80%。"
        "寒武纪发布了新款芯片，并与百度达成合作。\n\n"  # an unwritten subject: an empty anaphor
    ),
    "en": (
        "Part {n}: NVIDIA unveiled a new data-center chip. The company said its revenue grew 30 percent. "
        "TSMC manufactures the chip for NVIDIA, and it plans to double its capacity. "
        "Microsoft is reportedly buying AMD accelerators; the latter has 500 engineers.\n\n"
    ),
}


def _lines(run: Callable[[], Any]) -> int:
    """Python lines executed; a loop inside a comprehension counts each pass (a call count does not)."""
    count = 0

    def local(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        if event == "line":
            count += 1
        return local

    sys.settrace(lambda frame, event, arg: local)
    try:
        run()
    finally:
        sys.settrace(None)
    return count


def _resolver_and_anaphora_lines(lang: str, paragraphs: int) -> dict[str, int]:
    """Lines run by the relation component (which resolves the anaphors) and by the resolver."""
    nlp = pipeline_for(lang)
    text = "".join(ANAPHORS[lang].format(n=n) for n in range(paragraphs))
    doc = nlp.make_doc(text)
    counts: dict[str, int] = {}
    for name, component in nlp.pipeline:
        if name == "kg_relations":
            counts[name] = _lines(lambda component=component, doc=doc: component(doc))
        else:
            doc = component(doc)
    assert doc._.kg_quantities and doc._.kg_relations
    anaphors = doc.spans["kg_anaphora"]
    assert len(anaphors) >= 3 * paragraphs
    # the clause that goes on without a subject (…，并与百度达成合作) binds an empty anaphor, whose
    # token is looked up by its offset: not by a walk over the document from its start
    assert lang != "zh" or sum(1 for s in anaphors if s.start == s.end) == paragraphs
    resolver = Resolver(load_registry())
    document = make_document(text, f"anaphors-{lang}.txt", "2025-01-01")
    counts["resolver"] = _lines(lambda: resolver.add(document, doc))
    assert resolver.measures and resolver.claims
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_linear_cost_anaphors_quantities_and_inference_grow_linearly(lang: str) -> None:
    """A long document full of anaphors, quantities and claims: the anaphor resolution (per anaphor),
    the quantities (per sentence) and the inference rules (per claim) read only nearby text, counted
    in lines run, so that a comprehension over the whole document per sentence shows."""
    _resolver_and_anaphora_lines(lang, 5)  # warm up: registry, tries, jieba, compiled patterns, cues
    small, double, quadruple = (_resolver_and_anaphora_lines(lang, n) for n in (40, 80, 160))
    for stage in small:
        for before, after in ((small, double), (double, quadruple)):
            growth = after[stage] / max(before[stage], 1)
            assert growth < GROWTH, f"{stage}: {before[stage]} -> {after[stage]} lines when the text doubles"


def test_linear_cost_lines_count_the_passes_of_a_comprehension() -> None:
    """The measure itself: a comprehension over every sentence per sentence is one call each time,
    but its passes are lines, which grow by four when the text doubles."""

    def rescanning(text: str) -> int:
        sentences = text.split("。")
        return sum(len([s for s in sentences if s]) for _ in sentences)

    text = _text("zh", 10)
    assert _calls(lambda: rescanning(text + text)) / _calls(lambda: rescanning(text)) < GROWTH
    assert _lines(lambda: rescanning(text + text)) / _lines(lambda: rescanning(text)) > 3.5


def test_linear_cost_an_empty_anaphor_is_found_by_its_offset_not_by_a_walk() -> None:
    """A clause that goes on without a subject is an empty span at the token where it starts; that
    token is looked up by its offset: the lines run do not grow with the tokens before it."""
    nlp = pipeline_for("zh")
    short = nlp.make_doc(_text("zh", 10))
    long = nlp.make_doc(_text("zh", 80))

    def at_end(doc: Doc) -> int:
        offset = len(doc.text) - 3
        span = _span(doc, Binding(offset, offset, [], "zh.qi"))
        assert span is not None and span.start == span.end and span.label_ == "zh.qi"
        return span.start

    assert _lines(lambda: at_end(long)) < 2 * _lines(lambda: at_end(short))
    # and it is the first token that starts at or after the offset (len(doc) past the last)
    doc = nlp.make_doc("寒武纪发布了新款芯片， 并与 Cambricon Labs 达成合作。 ")
    for offset in range(len(doc.text) + 2):
        span = _span(doc, Binding(offset, offset, [], "zh.qi"))
        assert span is not None
        assert span.start == next((t.i for t in doc if t.idx >= offset), len(doc))


def test_linear_cost_reporters_are_gathered_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Readings that name a source (据路透社报道 …) find their reporter among the document's mentions
    gathered once, not by sorting every mention again per reading (quadratic in a long report)."""
    from kg.nlp import modality

    calls = []
    real = modality.source_spans

    def counting(doc: Doc) -> list[Any]:
        calls.append(1)
        return real(doc)

    monkeypatch.setattr(modality, "source_spans", counting)
    text = "据路透社报道，英伟达将投资寒光科技。" * 30
    doc = pipeline_for("zh")(text)
    reported = [m for m in doc._.kg_relations if m.source is not None]
    assert len(reported) >= 30  # every sentence's reading names its reporter …
    assert len(calls) == 1  # … from one gathering of the document's mentions
