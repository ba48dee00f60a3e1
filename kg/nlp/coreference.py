"""The `kg_anaphora` component: which entity each anaphor of a document stands for.

It owns the anaphor inventory (`ontology/patterns/anaphora.toml`, read by `anaphora`) and the one
resolver built from it (`pronouns.Pronouns`), and records every anaphor it binds in
`doc.spans["kg_anaphora"]`: a span labelled with the id of the entry that bound it, whose
`span._.kg_antecedents` holds the entity mentions it stands for. An analyst or a test reads there
which "the company" was bound to what.

Why it does not resolve the whole document by itself before `kg_relations`: some entries read roles
from the relations of the sentences before (`the startup` is not the company seen investing, `the
fund` is one seen investing: `prefer_subject_of`, `avoid_subject_of`), and those relations are in
turn read through the anaphors of their own sentences. Resolution and relation reading therefore
alternate, sentence by sentence. So the component stands before `kg_relations` and declares the
spans it assigns; `kg_relations` requires them (spaCy's `analyze_pipes` reports a pipeline that
has it the wrong way round) and asks this component, sentence by sentence, to bind the sentence's
anaphors with the relations read so far (`bind_sentence`). Each binding is recorded as it is
made, so the spans are exactly the bindings the relations used: one resolver, not two. When no
later component asks (a pipeline without `kg_relations`), the component binds every sentence
itself as the document passes, with no roles to read.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .anaphora import load_anaphora
from .component import DataComponent, DataFiles, shipped
from .model import ENTITY_GROUP, RelationMention, read_text
from .pronouns import Binding, Pronouns

GROUP = "kg_anaphora"
"""The span group of the anaphors a document's resolver bound."""
ANTECEDENTS = "kg_antecedents"
"""The span extension naming, on each span of `GROUP`, the entity mentions the anaphor stands for."""
ASKS = f"span._.{ANTECEDENTS}"
"""What a later component that asks for the bindings sentence by sentence declares it requires."""

if not Span.has_extension(ANTECEDENTS):
    Span.set_extension(ANTECEDENTS, default=None)


class Coreference(DataComponent):
    """Binds anaphors to their antecedents and records each binding on the document."""

    DATA: ClassVar[DataFiles] = {"anaphora_path": ("anaphora.toml", shipped("patterns", "anaphora.toml"))}

    def __init__(self, nlp: Language, name: str, paths: dict[str, str]) -> None:
        self.nlp = nlp
        self.name = name
        self.lang = str(nlp.lang)
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        inventory = load_anaphora(paths.get("anaphora_path", "")).get(self.lang)
        self.resolver: Pronouns | None = Pronouns(inventory) if inventory is not None else None

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[GROUP] = []
        if not self._asked():
            self.bind_document(doc)
        return doc

    def _asked(self) -> bool:
        """Whether a later component of the pipeline asks for the bindings as it reads."""
        names = self.nlp.pipe_names
        later = names[names.index(self.name) + 1 :] if self.name in names else []
        return any(ASKS in self.nlp.get_pipe_meta(name).requires for name in later)

    def bind_sentence(
        self,
        doc: Doc,
        bounds: tuple[int, int],
        inside: list[Span],
        found: Sequence[RelationMention] = (),
    ) -> list[Binding]:
        """Bind the anaphors of one sentence (`bounds`, its entity mentions `inside`), given the
        relation mentions `found` in the sentences before; record them in `doc.spans["kg_anaphora"]`.
        Sentences are bound in text order: each sees the bindings of those before it."""
        if self.resolver is None:
            return []
        bindings = self.resolver.bind(read_text(doc), bounds, inside, [], doc, found)
        if GROUP not in doc.spans:
            doc.spans[GROUP] = []
        group = doc.spans[GROUP]
        for binding in bindings:
            span = _span(doc, binding)
            if span is not None:
                span._.set(ANTECEDENTS, tuple(binding.antecedents))
                group.append(span)
        return bindings

    def bind_document(self, doc: Doc, found: Sequence[RelationMention] = ()) -> None:
        """Bind every sentence of the document in order (no relation roles unless `found`)."""
        spans = (
            sorted(doc.spans[ENTITY_GROUP], key=lambda s: s.start_char) if ENTITY_GROUP in doc.spans else []
        )
        text = read_text(doc)
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                inside = [s for s in spans if start <= s.start_char and s.end_char <= end]
                self.bind_sentence(doc, (start, end), inside, [m for m in found if m.sentence[1] <= start])


def _span(doc: Doc, binding: Binding) -> Span | None:
    """The anaphor as a span labelled with its entry; a subject left unwritten (…，并与X合作) is an
    empty span where the clause starts."""
    if binding.start == binding.end:
        # the first token starting at or after it: a binary search (token offsets only grow), so an
        # anaphor costs the same at the end of a long document as at its start
        at = bisect_left(doc, binding.start, key=_token_start)
        return Span(doc, at, at, label=binding.entry)
    return doc.char_span(binding.start, binding.end, label=binding.entry, alignment_mode="expand")


def _token_start(token: Token) -> int:
    return int(token.idx)


def bindings(doc: Doc) -> list[tuple[str, str, tuple[str, ...]]]:
    """(entry id, anaphor as written, names it stands for) of every anaphor bound in the document."""
    if GROUP not in doc.spans:
        return []
    return [
        (span.label_, span.text, tuple(a.text for a in span._.get(ANTECEDENTS) or ()))
        for span in sorted(doc.spans[GROUP], key=lambda s: s.start_char)
    ]


@Language.factory(
    "kg_anaphora",
    default_config={"anaphora_path": ""},
    requires=["doc.spans", "token.is_sent_start"],
    assigns=["doc.spans", ASKS],
)
def make_anaphora(nlp: Language, name: str, anaphora_path: str) -> Coreference:
    """`anaphora_path`: an anaphora TOML file; empty for the shipped `ontology/patterns/anaphora.toml`."""
    return Coreference(nlp, name, {"anaphora_path": anaphora_path})


def component(nlp: Any) -> Coreference | None:
    """The pipeline's `kg_anaphora` component, if it has one."""
    for _name, pipe in getattr(nlp, "pipeline", []):
        if isinstance(pipe, Coreference):
            return pipe
    return None
