"""Modality of each relation mention (asserted, planned, expected, reported, negated), by cue words.

The cues are data (`ontology/patterns/modality.toml`); this component only decides where to look.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import RegistryError
from ..resources import ontology_dir
from .component import DataComponent, DataFiles, shipped
from .model import doc_text

ORDER = ("Negated", "Reported", "Expected", "Planned")
_CLAUSE_BREAK = re.compile(r"[,，;；:：]")


@dataclass(frozen=True)
class Cues:
    window: int
    negated: re.Pattern[str] | None
    reported: re.Pattern[str] | None
    expected: re.Pattern[str] | None
    planned: re.Pattern[str] | None
    # a denial earlier in the sentence covers the clause it introduces (X denied that it planned to …)
    denied: re.Pattern[str] | None = None


@cache
def load_cues(lang: str, path: str = "") -> Cues:
    file = Path(path) if path else ontology_dir() / "patterns" / "modality.toml"
    try:
        data: dict[str, Any] = tomllib.loads(file.read_text(encoding="utf-8"))
        section = data[lang]

        def compile_list(key: str) -> re.Pattern[str] | None:
            items = section.get(key, [])
            return re.compile("|".join(f"(?:{item})" for item in items), re.IGNORECASE) if items else None

        negated, reported, expected, planned = (compile_list(k.lower()) for k in ORDER)
        return Cues(int(data["window"][lang]), negated, reported, expected, planned, compile_list("denied"))
    except (OSError, KeyError, tomllib.TOMLDecodeError, re.error) as exc:
        raise RegistryError(f"{file}: cannot read the {lang} modality cues: {exc}") from exc


def modality_of(
    text: str, sentence: tuple[int, int], match: tuple[int, int], trigger: tuple[int, int], cues: Cues
) -> str:
    """The modality a sentence gives one relation mention."""
    s_start, s_end = sentence
    near_trigger = text[max(match[0], trigger[0] - cues.window) : trigger[1]]
    if cues.negated and cues.negated.search(near_trigger):
        return "Negated"
    if cues.denied and cues.denied.search(text, s_start, match[0]):
        return "Negated"
    if cues.reported and cues.reported.search(text, s_start, s_end):
        return "Reported"
    clause = max(
        [
            s_start,
            *(m.end() for m in _CLAUSE_BREAK.finditer(text, max(s_start, match[0] - cues.window), match[0])),
        ]
    )
    around = text[max(clause, match[0] - cues.window) : match[1]]
    if cues.expected and cues.expected.search(around):
        return "Expected"
    if cues.planned and cues.planned.search(around):
        return "Planned"
    return "Asserted"


class ModalityTagger(DataComponent):
    """Sets each relation mention's modality from the cues around it."""

    DATA: ClassVar[DataFiles] = {"cues_path": ("modality.toml", shipped("patterns", "modality.toml"))}

    def __init__(self, lang: str, paths: dict[str, str]) -> None:
        self.lang = lang
        self.paths = paths
        self.build(paths)

    def build(self, paths: dict[str, str]) -> None:
        self.cues: Cues = load_cues(self.lang, paths.get("cues_path", ""))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        for mention in doc._.kg_relations or []:
            if mention.presupposed:
                continue  # stays Asserted: a name is not hedged by the verb around it
            mention.modality = modality_of(text, mention.sentence, mention.match, mention.trigger, self.cues)
        return doc


@Language.factory(
    "kg_modality",
    default_config={"cues_path": ""},
    requires=["doc._.kg_relations"],
    assigns=["doc._.kg_relations"],
)
def make_modality(nlp: Language, name: str, cues_path: str) -> ModalityTagger:
    """`cues_path`: a modality TOML file; empty for the shipped `ontology/patterns/modality.toml`."""
    return ModalityTagger(str(nlp.lang), {"cues_path": cues_path})
