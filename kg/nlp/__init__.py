"""The NLP stage: blank spaCy pipelines for Chinese and English with our registered components.

    kg_sentences  sentence boundaries (rules)
    kg_gazetteer  registry names -> doc.spans["kg_entities"] (span._.kg_id)
    kg_discovery  names the registry lacks: chip models, suffixed companies, titled people
    kg_anaphora   the company / the startup / it / 该公司 / 其 / 双方 -> the entities they stand for,
                  doc.spans["kg_anaphora"] (label: the anaphora.toml entry, span._.kg_antecedents);
                  kg_relations asks it sentence by sentence, with the relations read so far
    kg_relations  pattern and trigger-based relation mentions -> doc._.kg_relations
    kg_modality   asserted / planned / expected / reported / negated, per relation mention, with
                  a finer detail (rumoured, denied, cancelled, hypothetical) and the reporting source
    kg_time       times sentences are about (2026 年, since 2020, 去年) -> doc._.kg_times
    kg_quantities market shares, counts, team sizes, money, process nodes, memory, bandwidth
                  -> doc._.kg_quantities

No trained pipeline is needed or downloaded: every stage is rules and data from `ontology/`.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import compile_suffix_regex

from ..startup import building
from . import (  # noqa: F401  (registers factories)
    coreference,
    discovery,
    gazetteer,
    modality,
    quantities,
    relations,
    sentences,
    times,
)
from .model import ENTITY_GROUP, RelationMention

PIPES = (
    "kg_sentences",
    "kg_gazetteer",
    "kg_discovery",
    "kg_anaphora",
    "kg_relations",
    "kg_modality",
    "kg_time",
    "kg_quantities",
)

for _name, _default in (
    ("kg_id", None),
    ("kg_name", None),
    ("kg_confidence", 1.0),
    ("kg_source", "registry"),
    ("kg_developer", None),
    ("kg_modifier", False),
):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
for _name in ("kg_relations", "kg_times", "kg_quantities"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@cache
def pipeline_for(lang: str) -> Language:
    """The blank spaCy pipeline for `zh` or `en` with every kg component, built once per process."""
    if lang not in ("zh", "en"):
        raise ValueError(f"unsupported language {lang!r}: use 'zh' or 'en'")
    with building():  # the components' tables live as long as the process
        return _build(lang)


def _build(lang: str) -> Language:
    nlp = spacy.blank(lang)
    if lang == "en":
        # `the MI300X.`: a sentence's full stop after a model code is not part of the name
        suffixes = [*(nlp.Defaults.suffixes or ()), r"(?<=\d[A-Za-z])\.", r"(?<=\d[A-Za-z]{2})\."]
        tokenizer: Tokenizer = nlp.tokenizer
        tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    for pipe in PIPES:
        nlp.add_pipe(pipe)
    return nlp


def entity_spans(doc: Doc) -> list[Span]:
    """The entity mentions the pipeline found, in text order."""
    return sorted(doc.spans[ENTITY_GROUP], key=lambda s: (s.start_char, s.end_char))


__all__ = ["ENTITY_GROUP", "PIPES", "RelationMention", "entity_spans", "pipeline_for"]
