"""The example and counter-example sentences the knowledge files carry, expanded into cases, and
what an entry reads from its own sentences through the real pipeline.

One expansion for the tests (tests/test_relation_patterns.py, test_frames.py, test_discovery.py)
and the per-component scorer (bench/score_components.py), so the two cannot drift:

    relations.toml  [[pattern]]  examples = [[sentence, subject, object]], counter = [sentence]
    frames.toml     [[frame]]    examples = [[sentence, subject, object]], counter = [sentence]
    discovery.toml  [[rule]] / [[list]]  examples = [[sentence, name, class]], counter = [sentence]
    anaphora.toml   [[LANG.anaphor]]  examples = [[text, anaphor, antecedent or [antecedents]]],
                    counter = [text] or [[text, anaphor, an antecedent it must not take]]
    modality.toml   [[example]]  reading = "Negated" …, examples = [sentence], counter = [sentence]
    time.toml       [[example]]  reading = "since" …, examples = [[sentence, expression]], counter = [sentence]
    quantities.toml [[example]]  reading = "amount" …, examples = [[sentence, value, unit, comparator]],
                                 counter = [sentence]

An example passes when the entry reads what it names; a counter-example passes when the entry
reads nothing from it (a negated relation is not a reading of a pattern or frame; a modality entry
reads its `reading` when some relation of the sentence gets it as modality or detail; a time or
quantity entry reads the times of its role, the quantities of its kind; an anaphora entry reads
the anaphors it binds in `doc.spans["kg_anaphora"]`: an example's anaphor to exactly the names
given, and a counter-example that names an anaphor and an antecedent fails only on that binding).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..datafiles import load_toml
from ..resources import ontology_dir
from . import entity_spans, pipeline_for
from .coreference import bindings
from .patterns import EMPLOYER

SYMMETRIC = ("partnersWith", "competesWith")
COMPONENTS = {
    # component -> (file under ontology/patterns/, the tables whose entries carry sentences)
    "kg_relations": (("relations.toml", "pattern"), ("frames.toml", "frame")),
    "kg_discovery": (("discovery.toml", "rule"), ("discovery.toml", "list")),
    "kg_anaphora": (("anaphora.toml", "en.anaphor"), ("anaphora.toml", "zh.anaphor")),
    "kg_modality": (("modality.toml", "example"),),
    "kg_time": (("time.toml", "example"),),
    "kg_quantities": (("quantities.toml", "example"),),
    # the discovery lexicons (ontology/lexicon/*.tsv): sentences framed once per table (kg.nlp.lexicon_cases)
    "kg_lexicon": (),
}


@dataclass(frozen=True)
class Case:
    """One sentence of one entry: an example (`positive`) it must read, or a counter-example."""

    component: str
    table: str  # pattern, frame, rule, list, example or LANG.anaphor
    entry: str  # the entry's id
    lang: str
    text: str
    positive: bool
    # (subject, relation or "", object) / (name, class) / (…, reading) for a modality, time or quantity
    expected: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """A short name for a test id: the entry, example or counter, the sentence's start."""
        return f"{self.entry}:{'example' if self.positive else 'counter'}:{self.text[:24]}"


def norm(name: str) -> str:
    """A name compared without spaces or case."""
    return "".join(name.split()).lower()


def _lang(entry: dict[str, Any], text: str, table: str = "") -> str:
    lang = table.split(".")[0] if "." in table else str(entry.get("lang", "any"))
    if lang in ("zh", "en"):
        return lang
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def entry_cases(component: str, table: str, entry: dict[str, Any]) -> list[Case]:
    """The cases of one entry of a knowledge file."""
    entry_id = str(entry["id"])
    # a modality, time or quantity entry names its reading once: every sentence of it is about that
    reading = (str(entry["reading"]),) if table == "example" else ()
    cases = []
    for example in entry.get("examples", []):
        text, *ends = [example] if isinstance(example, str) else example
        if table == "frame":
            expected = (ends[0], str(entry["property"]), ends[1])
        elif table == "pattern":
            expected = (ends[0], "", ends[1])
        elif component == "kg_quantities":  # [value, unit, comparator]: the value as a plain decimal
            expected = (number(Decimal(str(ends[0]))), *ends[1:], *reading)
        elif component == "kg_anaphora":  # [anaphor, antecedent or [antecedents]]
            expected = (ends[0], *([ends[1]] if isinstance(ends[1], str) else ends[1]))
        else:
            expected = (*ends, *reading)
        cases.append(Case(component, table, entry_id, _lang(entry, text, table), text, True, expected))
    for counter in entry.get("counter", []):
        # a counter-example may name the antecedent its anaphor must not take: [text, anaphor, name]
        text, *wrong = [counter] if isinstance(counter, str) else counter
        expected = (*wrong, *reading)
        cases.append(Case(component, table, entry_id, _lang(entry, text, table), text, False, expected))
    return cases


def entries(table: str, path: Path) -> list[dict[str, Any]]:
    """The entries of one table (`pattern`, `frame`, `rule`, `list`, `example`, `en.anaphor`) of a
    knowledge file; a dotted name is a table inside a table."""
    found: Any = load_toml(path)
    for part in table.split("."):
        found = found.get(part, {}) if isinstance(found, dict) else {}
    return list(found or [])


def cases(component: str = "", folder: Path | None = None) -> list[Case]:
    """Every case of the component (all components when empty), from `folder` (the shipped patterns)."""
    folder = folder or ontology_dir() / "patterns"
    if component and component not in COMPONENTS:
        raise ValueError(f"unknown component {component!r}: use one of {sorted(COMPONENTS)}")
    found = []
    for name, tables in COMPONENTS.items():
        if component in ("", name):
            for file, table in tables:
                for entry in entries(table, folder / file):
                    found.extend(entry_cases(name, table, entry))
    if component in ("", "kg_lexicon"):
        from .lexicon_cases import lexicon_cases  # its frames are filled from the lexicons, not a file here

        found.extend(lexicon_cases(folder.parent / "lexicon"))
    return found


def relation_readings(lang: str, text: str, entry: str, table: str) -> set[tuple[str, str, str]]:
    """(subject, relation, object) a pattern or frame reads from the text, names normalized;
    `@employer` for a bare title's employer. Negated relations are not readings."""
    doc = pipeline_for(lang)(text)
    return {
        (norm(m.subject.text), m.relation, EMPLOYER if m.implicit_employer else norm(m.object.text))
        for m in doc._.kg_relations
        if (m.pattern == entry if table == "pattern" else m.pattern.startswith(entry + "."))
        and m.modality != "Negated"
    }


def relations_between(
    readings: set[tuple[str, str, str]], subject: str, obj: str, relation: str = ""
) -> set[str]:
    """The relations of `readings` from subject to object (either way for a symmetric one)."""
    pair, swapped = (norm(subject), norm(obj)), (norm(obj), norm(subject))
    return {
        r
        for s, r, o in readings
        if (not relation or r == relation) and ((s, o) == pair or (r in SYMMETRIC and (s, o) == swapped))
    }


def discovery_readings(lang: str, text: str, rule: str) -> set[tuple[str, str]]:
    """(name, class) of the names a discovery rule finds in the text."""
    doc = pipeline_for(lang)(text)
    return {(s.text, s.label_) for s in entity_spans(doc) if s._.kg_source == rule}


def modality_readings(lang: str, text: str, reading: str) -> set[tuple[str]]:
    """`(reading,)` when some relation of the text gets it as its modality or detail, else nothing."""
    doc = pipeline_for(lang)(text)
    return {(reading,) for m in doc._.kg_relations if reading in (m.modality, m.modality_detail)}


def number(value: Decimal) -> str:
    """A quantity's value written plainly: 4600000000, 0.15."""
    return format(value.normalize(), "f")


def time_readings(lang: str, text: str, role: str) -> set[tuple[str, str]]:
    """(expression, role) of the times of that role in the text."""
    return {(t.text, t.role) for t in pipeline_for(lang)(text)._.kg_times if t.role == role}


def quantity_readings(lang: str, text: str, kind: str) -> set[tuple[str, str, str, str]]:
    """(value, unit, comparator, kind) of the quantities of that kind in the text."""
    return {
        (number(q.value), q.unit, q.comparator, q.kind)
        for q in pipeline_for(lang)(text)._.kg_quantities
        if q.kind == kind
    }


def anaphora_readings(lang: str, text: str, entry: str) -> set[tuple[str, ...]]:
    """(anaphor as written, the names it stands for…) of each anaphor the entry binds in the text."""
    doc = pipeline_for(lang)(text)
    return {(anaphor, *names) for found, anaphor, names in bindings(doc) if found == entry}


def _binds(found: set[tuple[str, ...]], anaphor: str, names: tuple[str, ...], exactly: bool) -> bool:
    """Whether an anaphor of that surface was bound to exactly those names (or, not `exactly`, to
    a group that holds the one name)."""
    wanted = {norm(n) for n in names}
    for reading in found:
        if norm(reading[0]) != norm(anaphor):
            continue
        bound = {norm(n) for n in reading[1:]}
        if bound == wanted if exactly else wanted <= bound:
            return True
    return False


def readings(case: Case) -> set[tuple[str, ...]]:
    """What the case's entry reads from its sentence."""
    if case.component == "kg_anaphora":
        return anaphora_readings(case.lang, case.text, case.entry)
    if case.component == "kg_relations":
        return set(relation_readings(case.lang, case.text, case.entry, case.table))
    if case.component == "kg_modality":
        return set(modality_readings(case.lang, case.text, case.expected[-1]))
    if case.component == "kg_time":
        return set(time_readings(case.lang, case.text, case.expected[-1]))
    if case.component == "kg_quantities":
        return set(quantity_readings(case.lang, case.text, case.expected[-1]))
    if case.component == "kg_lexicon":  # a lexicon serves every rule: any name found
        return {(s.text, s.label_) for s in entity_spans(pipeline_for(case.lang)(case.text))}
    return set(discovery_readings(case.lang, case.text, case.entry))


def fired(case: Case, found: set[tuple[str, ...]]) -> bool:
    """Whether the readings hold what the case is about: its expected reading for an example,
    anything at all for a counter-example."""
    if case.component == "kg_anaphora" and case.expected:
        return _binds(found, case.expected[0], case.expected[1:], exactly=case.positive)
    if case.component == "kg_lexicon":
        from .lexicon_cases import lexicon_fired

        return lexicon_fired(case, found)
    if not case.positive:
        return bool(found)
    if case.component == "kg_relations":
        subject, relation, obj = case.expected
        return bool(relations_between({(r[0], r[1], r[2]) for r in found}, subject, obj, relation))
    return tuple(case.expected) in found


def passes(case: Case) -> bool:
    """An example is read, a counter-example is not."""
    return fired(case, readings(case)) == case.positive
