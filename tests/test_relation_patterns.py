"""The relation patterns (`ontology/patterns/relations.toml`): every pattern reads its examples, for
every relation it emits, and none of its counter-examples."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from kg.nlp import pipeline_for
from kg.nlp.patterns import EMPLOYER
from kg.resources import ontology_dir

PATTERNS = tomllib.loads((ontology_dir() / "patterns" / "relations.toml").read_text(encoding="utf-8"))[
    "pattern"
]
SYMMETRIC = ("partnersWith", "competesWith")
EXAMPLES = [
    pytest.param(p["lang"], p["id"], *example, id=f"{p['id']}:{example[0][:30]}")
    for p in PATTERNS
    for example in p.get("examples", [])
]
COUNTERS = [
    pytest.param(p["lang"], p["id"], text, id=f"{p['id']}:{text[:30]}")
    for p in PATTERNS
    for text in p.get("counter", [])
]


def _norm(name: str) -> str:
    return "".join(name.split()).lower()


def _readings(lang: str, text: str, pattern_id: str) -> set[tuple[str, str, str]]:
    """What the pattern reads from the text (names normalized; `@employer` for a bare title's employer)."""
    doc = pipeline_for(lang)(text)
    return {
        (_norm(m.subject.text), m.relation, EMPLOYER if m.implicit_employer else _norm(m.object.text))
        for m in doc._.kg_relations
        if m.pattern == pattern_id and m.modality != "Negated"
    }


def test_relation_patterns_all_have_examples_and_counter_examples() -> None:
    assert PATTERNS
    for p in PATTERNS:
        assert p.get("examples") and p.get("counter"), f"{p['id']} needs examples and counter"
        assert all(len(example) == 3 for example in p["examples"]), f"{p['id']}: [sentence, subject, object]"


def _relations_read(lang: str, text: str, pattern_id: str, subject: str, obj: str) -> set[str]:
    """The relations the pattern reads from the text between this subject and object."""
    pair, swapped = (_norm(subject), _norm(obj)), (_norm(obj), _norm(subject))
    return {
        r
        for s, r, o in _readings(lang, text, pattern_id)
        if (s, o) == pair or (r in SYMMETRIC and (s, o) == swapped)
    }


@pytest.mark.parametrize("pattern", [pytest.param(p, id=p["id"]) for p in PATTERNS if len(p["emit"]) > 1])
def test_relation_patterns_examples_cover_every_emitted_relation(pattern: dict[str, Any]) -> None:
    emitted = {text.split()[1] for text in pattern["emit"]}
    covered: set[str] = set()
    for text, subject, obj in pattern["examples"]:
        covered |= _relations_read(pattern["lang"], text, pattern["id"], subject, obj)
    assert covered == emitted, f"{pattern['id']}: no example for {sorted(emitted - covered)}"


@pytest.mark.parametrize(("lang", "pattern_id", "text", "subject", "obj"), EXAMPLES)
def test_relation_patterns_read_their_examples(
    lang: str, pattern_id: str, text: str, subject: str, obj: str
) -> None:
    found = _relations_read(lang, text, pattern_id, subject, obj)
    assert found, f"{pattern_id} read {_readings(lang, text, pattern_id) or 'nothing'} from {text!r}"


@pytest.mark.parametrize(("lang", "pattern_id", "text"), COUNTERS)
def test_relation_patterns_do_not_read_their_counter_examples(lang: str, pattern_id: str, text: str) -> None:
    assert not _readings(lang, text, pattern_id)
