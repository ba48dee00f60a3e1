"""What the NLP components put on a Doc besides spans: relation mentions."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from ..hanzi import to_simplified

ENTITY_GROUP = "kg_entities"
_TEXT = "kg_text"
_READ = "kg_read_text"


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once: spaCy rebuilds `doc.text` from its tokens on every access."""
    text = doc.user_data.get(_TEXT)
    if text is None:  # a Doc's text never changes: our components do not retokenize
        text = doc.user_data[_TEXT] = doc.text
    return str(text)


def read_text(doc: Doc) -> str:
    """The text cues are matched on, folded once per Doc: Chinese traditional characters read as
    simplified (為 as 为, 並未 as 并未), one for one, so offsets are the document's."""
    text = doc.user_data.get(_READ)
    if text is None:
        text = doc_text(doc)
        text = doc.user_data[_READ] = to_simplified(text) if doc.lang_ == "zh" else text
    return str(text)


"""Name of the span group holding entity mentions (labels are class names: Company, Chip …)."""


@dataclass
class RelationMention:
    """One relation read from one sentence: the two entity spans, the property, and why."""

    subject: Span
    relation: str
    object: Span
    pattern: str
    confidence: float
    sentence: tuple[int, int]
    match: tuple[int, int]
    trigger: tuple[int, int] = (0, 0)
    check_developer: bool = False  # drop a `develops` the registry contradicts
    unless_developer: bool = False  # drop it when the subject is the object's known developer
    presupposed: bool = False  # named by a noun phrase (英伟达的 H100): always Asserted
    implicit_employer: bool = False  # the object is the subject's employer (`CEO Elon Musk said`)
    implicit_maker: bool = False  # the subject is the maker its own name begins with (`Google Cloud`)
    modality: str = "Asserted"
    modality_detail: str = ""  # Rumoured, Denied, Cancelled, Hypothetical, Former (kg_modality)
    source: Span | None = None  # who the sentence says reports it (路透社 in 据路透社报道)
