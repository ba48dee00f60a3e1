"""The relation patterns (`ontology/patterns/relations.toml`): every pattern reads its examples, for
every relation it emits, and none of its counter-examples (expanded by `kg.nlp.examples`, as the
scorer bench/score_components.py expands them)."""

from __future__ import annotations

from typing import Any

import pytest

from kg.nlp.examples import Case, entries, entry_cases, passes, readings, relation_readings, relations_between
from kg.resources import ontology_dir

PATTERNS = entries("pattern", ontology_dir() / "patterns" / "relations.toml")
CASES = [c for p in PATTERNS for c in entry_cases("kg_relations", "pattern", p)]
EXAMPLES = [pytest.param(c, id=f"{c.entry}:{c.text[:30]}") for c in CASES if c.positive]
COUNTERS = [pytest.param(c, id=f"{c.entry}:{c.text[:30]}") for c in CASES if not c.positive]


def test_relation_patterns_all_have_examples_and_counter_examples() -> None:
    assert PATTERNS
    for p in PATTERNS:
        assert p.get("examples") and p.get("counter"), f"{p['id']} needs examples and counter"
        assert all(len(example) == 3 for example in p["examples"]), f"{p['id']}: [sentence, subject, object]"


@pytest.mark.parametrize("pattern", [pytest.param(p, id=p["id"]) for p in PATTERNS if len(p["emit"]) > 1])
def test_relation_patterns_examples_cover_every_emitted_relation(pattern: dict[str, Any]) -> None:
    emitted = {text.split()[1] for text in pattern["emit"]}
    covered: set[str] = set()
    for text, subject, obj in pattern["examples"]:
        found = relation_readings(pattern["lang"], text, pattern["id"], "pattern")
        covered |= relations_between(found, subject, obj)
    assert covered == emitted, f"{pattern['id']}: no example for {sorted(emitted - covered)}"


@pytest.mark.parametrize("case", EXAMPLES)
def test_relation_patterns_read_their_examples(case: Case) -> None:
    assert passes(case), f"{case.entry} read {readings(case) or 'nothing'} from {case.text!r}"


@pytest.mark.parametrize("case", COUNTERS)
def test_relation_patterns_do_not_read_their_counter_examples(case: Case) -> None:
    assert passes(case), f"{case.entry} read {readings(case)} from {case.text!r}"
